"""tools/train.py, tools/test.py and the dist scripts, run as a user would.

Each test starts the real command in a fresh interpreter on the demo config
and its generated data, cut to one or two short epochs.
"""
import glob
import os
import os.path as osp
import subprocess
import sys

import pytest

from a3lign_mmaction.datasets import generate_demo_faces
from tests.conftest import CONFIG_DIR, REPO_ROOT

pytestmark = pytest.mark.slow

DEMO = osp.join(CONFIG_DIR, 'a3lign_demo.py')
FAST = [
    'train_dataloader.num_workers=0', 'val_dataloader.num_workers=0',
    'test_dataloader.num_workers=0', 'train_dataloader.persistent_workers='
    'False', 'val_dataloader.persistent_workers=False',
    'test_dataloader.persistent_workers=False'
]


@pytest.fixture(scope='module')
def demo_root(tmp_path_factory):
    return generate_demo_faces(
        str(tmp_path_factory.mktemp('data') / 'demo_faces'),
        splits=(('train', 4), ('val', 2)))


def run(args, demo_root, cwd, check=True):
    env = dict(
        os.environ,
        A3LIGN_DEMO_ROOT=demo_root,
        PATH=osp.dirname(sys.executable) + os.pathsep + os.environ['PATH'])
    result = subprocess.run(
        args, cwd=cwd, env=env, capture_output=True, text=True, timeout=600)
    if check:
        assert result.returncode == 0, result.stdout[-3000:] + result.stderr[
            -3000:]
    return result.stdout + result.stderr


def train(work_dir, demo_root, *flags, epochs=2, options=(), check=True):
    return run([
        sys.executable,
        osp.join(REPO_ROOT, 'tools', 'train.py'), DEMO, '--work-dir',
        str(work_dir), *flags, '--cfg-options',
        f'train_cfg.max_epochs={epochs}', 'train_cfg.val_interval=1',
        'default_hooks.checkpoint.interval=1', *FAST, *options
    ], demo_root, work_dir.parent, check)


@pytest.fixture(scope='module')
def trained(tmp_path_factory, demo_root):
    work_dir = tmp_path_factory.mktemp('train') / 'work'
    log = train(work_dir, demo_root)
    return work_dir, log


def test_train_writes_checkpoints_and_validates(trained):
    work_dir, log = trained
    assert osp.isfile(work_dir / 'epoch_2.pth')
    assert 'Epoch(val) [2]' in log and 'acc/mean1' in log
    assert 'Parameters of CLIPRecognizer' in log


def test_resume_from_checkpoint(trained, demo_root):
    work_dir, _ = trained
    resumed = work_dir.parent / 'resumed'
    log = train(resumed, demo_root, '--resume',
                str(work_dir / 'epoch_1.pth'))
    assert 'resumed epoch: 1' in log
    assert 'Epoch(train) [1]' not in log and 'Epoch(val) [2]' in log
    assert osp.isfile(resumed / 'epoch_2.pth')


def test_amp_flag_reaches_the_optimizer(tmp_path, demo_root):
    log = train(tmp_path / 'amp', demo_root, '--amp', epochs=1, check=False)
    # mmengine's AMP wrapper needs a GPU; on the CPU it says so.
    assert 'AmpOptimizerWrapper' in log and 'only available' in log


def test_test_script_dump_and_show_dir(trained, demo_root, tmp_path):
    work_dir, _ = trained
    dump = tmp_path / 'results.pkl'
    show = tmp_path / 'show'
    log = run([
        sys.executable,
        osp.join(REPO_ROOT, 'tools', 'test.py'), DEMO,
        str(work_dir / 'epoch_2.pth'), '--work-dir',
        str(tmp_path / 'test'), '--dump',
        str(dump), '--show-dir',
        str(show), '--cfg-options', *FAST
    ], demo_root, tmp_path)
    assert 'Epoch(test)' in log and 'acc/top1' in log
    assert osp.getsize(dump) > 0
    # One folder of drawn frames per test clip (the demo cut to 12).
    drawn = glob.glob(str(show / '*' / 'frames_0' / '*.png'))
    assert len({osp.dirname(path) for path in drawn}) == 12


def test_tensorboard_backend_by_config(tmp_path, demo_root):
    train(
        tmp_path / 'tb',
        demo_root,
        epochs=1,
        options=['visualizer.vis_backends.0.type=TensorboardVisBackend'])
    assert glob.glob(str(tmp_path / 'tb' / '*' / 'vis_data' / '**' /
                         'events.out.tfevents.*'), recursive=True)


def test_dist_test_with_torchrun(trained, demo_root, tmp_path):
    work_dir, _ = trained
    log = run([
        'bash',
        osp.join(REPO_ROOT, 'tools', 'dist_test.sh'), DEMO,
        str(work_dir / 'epoch_2.pth'), '1', '--work-dir',
        str(tmp_path / 'dist_test'), '--cfg-options',
        'env_cfg.dist_cfg.backend=gloo', *FAST
    ], demo_root, tmp_path)
    assert 'Epoch(test)' in log and 'acc/top1' in log


def test_dist_train_with_torchrun(tmp_path, demo_root):
    log = run([
        'bash',
        osp.join(REPO_ROOT, 'tools', 'dist_train.sh'), DEMO, '1',
        '--work-dir',
        str(tmp_path / 'dist'), '--cfg-options', 'train_cfg.max_epochs=1',
        'env_cfg.dist_cfg.backend=gloo', *FAST
    ], demo_root, tmp_path)
    assert 'Distributed launcher: pytorch' in log or 'launcher: pytorch' in log
    assert osp.isfile(tmp_path / 'dist' / 'epoch_1.pth')
