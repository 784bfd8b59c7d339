"""tools/train.py, tools/test.py and the dist scripts, run as a user would.

Each test starts the real command in a fresh interpreter on the demo config
cut to two one-epoch BAP stages on 24 generated clips.
"""
import glob
import os.path as osp
import shutil

import pytest
import torch

from a3lign_mmaction.testing import run_command, run_script, short_demo_config
from tests.repository import REPO_ROOT

pytestmark = pytest.mark.integration

TWO_STAGES = [dict(epochs=1, stage=1), dict(epochs=1, stage=3)]


@pytest.fixture(scope='module')
def demo(demo_root, tmp_path_factory):
    """Path of the short demo config."""
    path = str(tmp_path_factory.mktemp('config') / 'demo.py')
    cfg = short_demo_config(demo_root, 'unused', TWO_STAGES)
    cfg.pop('work_dir')
    cfg.dump(path)
    return path


def train(work_dir, demo, *flags, options=(), expect=0):
    return run_script([
        osp.join(REPO_ROOT, 'tools', 'train.py'), demo, '--work-dir',
        str(work_dir), *flags, '--cfg-options', 'train_cfg.val_interval=1',
        *options
    ], work_dir.parent, expect)


@pytest.fixture(scope='module')
def trained(tmp_path_factory, demo):
    work_dir = tmp_path_factory.mktemp('train') / 'work'
    log = train(work_dir, demo)
    return work_dir, log


def test_train_writes_checkpoints_and_validates(trained):
    work_dir, log = trained
    assert osp.isfile(work_dir / 'epoch_2.pth')
    assert 'Epoch(val) [2]' in log and 'UAR: ' in log
    assert 'Parameters of CLIPRecognizer' in log


def test_resume_from_checkpoint(trained, demo):
    work_dir, _ = trained
    resumed = work_dir.parent / 'resumed'
    log = train(resumed, demo, '--resume', str(work_dir / 'epoch_1.pth'))
    assert 'resumed epoch: 1' in log
    assert 'Epoch(train) [1]' not in log and 'Epoch(val) [2]' in log
    assert osp.isfile(resumed / 'epoch_2.pth')
    assert 'keeps the optimizer' not in log


def test_resume_with_an_edited_learning_rate_says_it_is_not_used(
        trained, demo):
    work_dir, _ = trained
    resumed = work_dir.parent / 'edited'
    log = train(
        resumed,
        demo,
        '--resume',
        str(work_dir / 'epoch_1.pth'),
        options=['optim_wrapper.optimizer.lr=0.5'])
    assert ('The resumed run keeps the optimizer and learning-rate schedule '
            'of its checkpoint (MMEngine restores their state), so these '
            "edits of the config have no effect: optim_wrapper.optimizer.lr: "
            "0.001 in the checkpoint's run, 0.5 now. To train with them, "
            'start a new run from the weights') in log
    assert osp.isfile(resumed / 'epoch_2.pth')
    log = train(
        work_dir.parent / 'strict',
        demo,
        '--resume',
        str(work_dir / 'epoch_1.pth'),
        options=[
            'optim_wrapper.optimizer.lr=0.5', 'custom_hooks.1.strict=True'
        ],
        expect=1)
    assert "ValueError: The resumed run keeps the optimizer" in log
    assert not glob.glob(str(work_dir.parent / 'strict' / '*.pth'))


def test_amp_flag_reaches_the_optimizer(tmp_path, demo):
    log = train(tmp_path / 'amp', demo, '--amp', expect=None)
    # mmengine's AMP wrapper needs a GPU; on the CPU it says so.
    assert 'AmpOptimizerWrapper' in log and 'only available' in log


def test_test_script_dump_and_show_dir(trained, demo, tmp_path):
    work_dir, _ = trained
    dump = tmp_path / 'results.pkl'
    show = tmp_path / 'show'
    log = run_script([
        osp.join(REPO_ROOT, 'tools', 'test.py'), demo,
        str(work_dir / 'epoch_2.pth'), '--work-dir',
        str(tmp_path / 'test'), '--dump',
        str(dump), '--show-dir',
        str(show)
    ], tmp_path)
    assert 'Epoch(test)' in log and 'UAR: ' in log and 'WAR: ' in log
    assert 'Per-class recall' in log
    # The confusion matrix goes to the run's folder in the work dir.
    for name in ('confusion_matrix.csv', 'confusion_matrix.png'):
        assert glob.glob(str(tmp_path / 'test' / '*' / name))
    assert osp.getsize(dump) > 0
    # One folder of drawn frames per test clip (the demo cut to 12).
    drawn = glob.glob(str(show / '*' / 'frames_0' / '*.png'))
    assert len({osp.dirname(path) for path in drawn}) == 12


def test_tensorboard_backend_by_config(tmp_path, demo):
    train(
        tmp_path / 'tb',
        demo,
        options=['visualizer.vis_backends.0.type=TensorboardVisBackend'])
    assert glob.glob(
        str(tmp_path / 'tb' / '*' / 'vis_data' / '**' /
            'events.out.tfevents.*'),
        recursive=True)


@pytest.mark.release
def test_dist_test_with_torchrun(trained, demo, tmp_path):
    work_dir, _ = trained
    log = run_command([
        'bash',
        osp.join(REPO_ROOT, 'tools', 'dist_test.sh'), demo,
        str(work_dir / 'epoch_2.pth'), '1', '--work-dir',
        str(tmp_path / 'dist_test'), '--cfg-options',
        'env_cfg.dist_cfg.backend=gloo'
    ],
                      tmp_path,
                      env=dict(PORT='29621'))
    assert 'Epoch(test)' in log and 'UAR: ' in log


@pytest.mark.release
def test_dist_train_with_torchrun(tmp_path, demo):
    log = run_command([
        'bash',
        osp.join(REPO_ROOT, 'tools', 'dist_train.sh'), demo, '1', '--work-dir',
        str(tmp_path / 'dist'), '--cfg-options',
        'env_cfg.dist_cfg.backend=gloo'
    ],
                      tmp_path,
                      env=dict(PORT='29622'))
    assert 'Distributed launcher: pytorch' in log
    assert osp.isfile(tmp_path / 'dist' / 'epoch_2.pth')


@pytest.mark.release
@pytest.mark.skipif(torch.cuda.is_available(), reason='needs no GPU')
def test_nccl_without_a_gpu_says_to_use_gloo(tmp_path, demo):
    log = run_command([
        'bash',
        osp.join(REPO_ROOT, 'tools', 'dist_train.sh'), demo, '2', '--work-dir',
        str(tmp_path / 'dist')
    ],
                      tmp_path,
                      expect=None,
                      env=dict(PORT='29623'))
    assert ('RuntimeError: This machine has no CUDA GPU, and the nccl '
            'backend needs one per process: run the processes on the CPU '
            'with gloo, --cfg-options env_cfg.dist_cfg.backend=gloo') in log
    assert 'Found no NVIDIA driver' not in log
    assert not glob.glob(str(tmp_path / 'dist' / '*.pth'))


def test_checkpoints_without_clip_weights(tmp_path, demo, clip_file):
    import torch
    files = [clip_file(seed) for seed in (0, 1)]
    work_dir = tmp_path / 'work'
    train(work_dir, demo, options=[f'model.clip.checkpoint={files[0]}'])
    state = torch.load(work_dir / 'epoch_1.pth', weights_only=False)
    keys = state['state_dict']
    assert 'clip_fingerprint' in keys and 'cls_head.prompts' in keys
    assert not any(
        k.startswith(('backbone.visual.', 'cls_head.text_tower.'))
        for k in keys)
    # Resuming and testing take the CLIP weights from the config's file.
    log = train(
        tmp_path / 'resumed',
        demo,
        '--resume',
        str(work_dir / 'epoch_1.pth'),
        options=[f'model.clip.checkpoint={files[0]}'])
    assert 'resumed epoch: 1' in log and 'Epoch(val) [2]' in log
    test = [
        osp.join(REPO_ROOT, 'tools', 'test.py'), demo,
        str(work_dir / 'epoch_2.pth'), '--work-dir',
        str(tmp_path / 'test'), '--cfg-options'
    ]
    log = run_script(test + [f'model.clip.checkpoint={files[0]}'], tmp_path)
    assert 'Epoch(test)' in log and 'UAR: ' in log
    log = run_script(
        test + [f'model.clip.checkpoint={files[1]}'], tmp_path, expect=1)
    assert 'trained with other CLIP weights' in log
    # The same CLIP file with the other activation is refused too.
    log = run_script(
        test +
        [f'model.clip.checkpoint={files[0]}', 'model.clip.quick_gelu=False'],
        tmp_path,
        expect=1)
    assert 'trained with CLIP running QuickGELU' in log
    assert 'set model.clip.quick_gelu=True' in log


@pytest.mark.parametrize('case', ['x3d', 'num_tokens', 'resume'])
def test_checkpoint_of_another_model_is_refused(case, trained, demo, tmp_path):
    import torch
    from mmaction.registry import MODELS
    from mmengine.config import Config
    work_dir, _ = trained
    checkpoint, options = str(work_dir / 'epoch_2.pth'), []
    if case == 'x3d':  # a checkpoint of the X3D-S variant
        checkpoint = str(tmp_path / 'x3d.pth')
        cfg = Config.fromfile(
            osp.join(REPO_ROOT, 'configs', 'a3lign_demo_x3d-s.py'))
        torch.save(
            dict(state_dict=MODELS.build(cfg.model).state_dict()), checkpoint)
    elif case == 'num_tokens':  # MAT of another shape
        options = ['--cfg-options', 'model.cls_head.num_tokens=4']
    if case == 'resume':
        log = train(
            tmp_path / 'work',
            demo,
            '--resume',
            checkpoint,
            options=['model.cls_head.num_tokens=4'],
            expect=1)
    else:
        log = run_script([
            osp.join(REPO_ROOT, 'tools', 'test.py'), demo, checkpoint,
            '--work-dir',
            str(tmp_path / 'work'), *options
        ],
                         tmp_path,
                         expect=1)
    assert 'The checkpoint does not fit this CLIPRecognizer' in log
    assert ('Unexpected keys' in log
            and 'backbone.conv1_s.conv.weight' in log) if case == 'x3d' else (
                'Shape mismatches (1): cls_head.prompts: checkpoint '
                '(6, 16, 8, 128) vs model (6, 16, 4, 128)' in log)
    assert not glob.glob(
        str(tmp_path / 'work' / '**' / '*.csv'), recursive=True)
    assert not glob.glob(str(tmp_path / 'work' / '*.pth'))


@pytest.mark.parametrize('damage', ['truncated', 'empty'])
def test_damaged_last_checkpoint_is_named_on_resume(damage, trained, demo,
                                                    tmp_path):
    """`--resume` takes the file `last_checkpoint` names; cut short or
    empty, it is named with the checkpoint before it."""
    work_dir = tmp_path / 'work'
    shutil.copytree(trained[0], work_dir)
    last = work_dir / 'epoch_2.pth'
    (work_dir / 'last_checkpoint').write_text(str(last))
    data = last.read_bytes()
    last.write_bytes(data[:len(data) // 2] if damage == 'truncated' else b'')
    log = train(work_dir, demo, '--resume', expect=1)
    assert (f'RuntimeError: {last} is damaged or truncated '
            f'({last.stat().st_size} bytes; ') in log
    assert (f'The newest checkpoint before it is {work_dir}/epoch_1.pth: '
            f'resume with --resume {work_dir}/epoch_1.pth') in log
    train(work_dir, demo, '--resume', str(work_dir / 'epoch_1.pth'))
    assert torch.load(last, weights_only=False)['meta']['epoch'] == 2


@pytest.mark.parametrize('variable,value,message', [
    ('TEST_CLIPS', '0', "TEST_CLIPS must be a whole number of clips, 1 or "
     "more; got '0'"),
    ('TEST_CLIPS', '-1', "TEST_CLIPS must be a whole number of clips, 1 or "
     "more; got '-1'"),
    ('TEST_CROPS', '2', "TEST_CROPS must be 1, 3 or 10; got '2'"),
])
def test_bad_environment_variable_is_named(variable, value, message, tmp_path):
    output = run_script([
        osp.join(REPO_ROOT, 'tools', 'test.py'),
        osp.join(REPO_ROOT, 'configs', 'a3lign_demo.py'), 'none.pth'
    ],
                        tmp_path,
                        expect=1,
                        env={variable: value})
    assert f'AssertionError: {message}' in output


def test_fold_that_is_no_number_is_named(tmp_path):
    output = run_script([
        osp.join(REPO_ROOT, 'tools', 'train.py'),
        osp.join(REPO_ROOT, 'configs', 'a3lign_dfew.py'), '--work-dir',
        str(tmp_path / 'work'), '--cfg-options', 'model.clip.checkpoint=None',
        'model.clip.arch=ViT-B-32'
    ],
                        tmp_path,
                        expect=1,
                        env=dict(FOLD='abc'))
    assert ("ValueError: DFEWDataset needs fold in 1..5 (FOLD in the "
            "configs), got 'abc'") in output


def test_resume_with_other_bap_stages_names_the_cause(trained, demo_root,
                                                      tmp_path):
    """The config's stages and restarts agree (bap_schedule); the resumed
    schedule is the checkpoint's, which a resume cannot change."""
    work_dir, _ = trained
    edited = str(tmp_path / 'edited.py')
    cfg = short_demo_config(demo_root, 'unused',
                            [dict(epochs=1, stage=1),
                             dict(epochs=3, stage=3)])
    cfg.pop('work_dir')
    cfg.dump(edited)
    log = train(
        tmp_path / 'resumed',
        edited,
        '--resume',
        str(work_dir / 'epoch_1.pth'),
        expect=1)
    assert ('ValueError: CosineRestartLR restarts after [1, 2] epochs but '
            'the BAP stages end after [1, 4]: the schedule was resumed from '
            "the checkpoint, whose run had other BAP stages") in log
    assert 'give it periods=' not in log
