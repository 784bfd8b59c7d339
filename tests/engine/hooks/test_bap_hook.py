import os.path as osp
import sys
import textwrap

import pytest
import torch
from mmengine.hooks import Hook
from mmengine.runner import Runner

from a3lign_mmaction.engine import BAPHook
from a3lign_mmaction.testing import (THREE_STAGES, load_config, run_command,
                                     short_demo_config)
from tests.repository import REPO_ROOT


def test_validates_schedule():
    with pytest.raises(ValueError, match='positive int'):
        BAPHook([dict(epochs=0, stage=1)])
    with pytest.raises(ValueError, match='either `stage`'):
        BAPHook([dict(epochs=2)])
    with pytest.raises(ValueError, match='either `stage`'):
        BAPHook([dict(epochs=2, stage=1, train=['prompts'])])
    with pytest.raises(ValueError, match=r"stage 1: 'lr' would be "
                       r"ignored: a stage takes \['epochs', 'train', "
                       r"'video_path'\]"):
        BAPHook([dict(epochs=2, train=['prompts'], video_path='mean',
                      lr=0.1)])
    hook = BAPHook([dict(epochs=2, stage=1), dict(epochs=3, stage=2)])
    assert [hook.stage_at(e) for e in range(5)] == [0, 0, 1, 1, 1]


@pytest.mark.integration
def test_stage_key_the_model_stage_overrides_is_refused(demo_root,
                                                        tmp_path):
    """`video_path` beside a model `stage` would be ignored (the model's
    stage 3 scores through the encoder): tools/train.py refuses it."""
    stages = [dict(epochs=1, stage=1), dict(epochs=1, stage=3,
                                            video_path='mean')]
    path = str(tmp_path / 'job.py')
    short_demo_config(demo_root, tmp_path / 'work', stages).dump(path)
    output = run_command([sys.executable, TRAIN, path], tmp_path, expect=1)
    assert ("ValueError: stage 2: 'video_path' would be ignored: a stage "
            "takes ['epochs', 'stage'] (the model's stage sets what trains "
            'and the video path; give `train` and `video_path` instead of '
            '`stage` to set them)') in output
    assert not list((tmp_path / 'work').glob('*.pth'))


class StageRecorder(Hook):
    """Parameters before each epoch's first and after its last iteration."""

    priority = 'LOW'  # after BAPHook has set the epoch's stage

    def __init__(self):
        self.epochs = []
        self.val_paths = []

    def _params(self, runner):
        return {
            name: param.detach().clone()
            for name, param in runner.model.named_parameters()
        }

    def before_train_epoch(self, runner):
        self.trainable = {
            name
            for name, param in runner.model.named_parameters()
            if param.requires_grad
        }
        self.start = self._params(runner)

    def after_train_epoch(self, runner):
        end = self._params(runner)
        moved = {n for n in end if not torch.equal(end[n], self.start[n])}
        self.epochs.append((self.trainable, moved, set(end)))

    def before_val_epoch(self, runner):
        self.val_paths.append(runner.model.neck.video_path)


@pytest.mark.integration
def test_each_stage_trains_its_parameters_only(demo_root, tmp_path):
    cfg = short_demo_config(demo_root, tmp_path)
    cfg.train_cfg.val_interval = 1
    recorder = StageRecorder()
    runner = Runner.from_cfg(cfg)
    runner.register_hook(recorder)
    runner.train()
    model = runner.model
    groups = {
        name: {n for n, p in model.named_parameters()
               if any(p is q for q in params)}
        for name, params in model.parameter_groups().items()
    }
    expected = {
        1: groups['prompts'] | groups['text_encoder'] | groups['time_embed'],
        2: groups['video_encoder'],
        3: groups['prompts'] | groups['text_encoder'] | groups['time_embed']
        | groups['video_encoder']
    }
    assert len(recorder.epochs) == 3
    for stage, (trainable, moved, names) in enumerate(recorder.epochs, 1):
        assert trainable == expected[stage], stage
        # Frozen: bit for bit unchanged; trainable: every tensor moved.
        assert moved == expected[stage], stage
        assert all(n in names for n in expected[stage])
    # Validation uses the video path of the stage: the mean in stage 1.
    assert recorder.val_paths == ['mean', 'encoder', 'encoder']


def test_learning_rate_restarts_per_stage(demo_root, tmp_path):
    cfg = short_demo_config(demo_root, tmp_path, [
        dict(epochs=2, stage=1),
        dict(epochs=2, stage=2)
    ])
    runner = Runner.from_cfg(cfg)
    lrs = []

    class LrRecorder(Hook):

        def before_train_iter(self, runner, batch_idx, data_batch=None):
            lrs.append(runner.optim_wrapper.get_lr()['lr'][0])

    runner.register_hook(LrRecorder(), priority='LOWEST')
    runner.train()
    per_stage = len(lrs) // 2
    base_lr = cfg.optim_wrapper.optimizer.lr
    assert lrs[0] == lrs[per_stage] == pytest.approx(base_lr)
    assert lrs[per_stage - 1] < base_lr / 10 and lrs[-1] < base_lr / 10
    # MAT at a tenth of the encoders' rate, from paramwise_cfg.
    groups = runner.optim_wrapper.param_groups
    prompts = runner.model.cls_head.prompts
    mat_group = next(g for g in groups if any(p is prompts
                                              for p in g['params']))
    assert mat_group['initial_lr'] == pytest.approx(base_lr / 10)


class OptimizerStateRecorder(Hook):
    """Before each epoch's first step: the model's stage and the names of
    the parameters that have optimizer state."""

    priority = 'LOW'  # after BAPHook has set the epoch's stage

    def __init__(self):
        self.epochs = []

    def before_train_iter(self, runner, batch_idx, data_batch=None):
        if batch_idx:
            return
        state = runner.optim_wrapper.optimizer.state
        with_state = {
            name
            for name, param in runner.model.named_parameters()
            if state.get(param)
        }
        self.epochs.append((runner.model.current_stage, with_state))


@pytest.mark.integration
@pytest.mark.parametrize('reset', [True, False])
def test_stage_starts_with_fresh_optimizer_state(reset, demo_root, tmp_path):
    cfg = short_demo_config(demo_root, tmp_path)
    cfg.optim_wrapper.optimizer = dict(
        type='SGD', lr=1e-2, momentum=0.9, weight_decay=1e-4)
    bap_hook, = [h for h in cfg.custom_hooks if h.type == 'BAPHook']
    bap_hook.reset_optimizer = reset
    recorder = OptimizerStateRecorder()
    runner = Runner.from_cfg(cfg)
    runner.register_hook(recorder)
    runner.train()
    stages = [stage for stage, _ in recorder.epochs]
    assert stages == [1, 2, 3]
    stage_1_params = {'cls_head.prompts', 'neck.time_embed'} | {
        name for name, _ in runner.model.neck.text_encoder.named_parameters(
            prefix='neck.text_encoder')
    }
    stage_2_params = {
        name for name, _ in runner.model.neck.video_encoder.named_parameters(
            prefix='neck.video_encoder')
    }
    (_, first), (_, second), (_, third) = recorder.epochs
    assert first == set()
    if reset:
        # Each stage starts its parameters without momentum.
        assert second == stage_1_params
        assert third == set()
    else:
        # Stage 1's momentum waits through stage 2 for stage 3.
        assert second == stage_1_params
        assert third == stage_1_params | stage_2_params


@pytest.mark.integration
def test_checks_what_the_optimizer_holds(demo_root, tmp_path):
    cfg = short_demo_config(demo_root, tmp_path)
    cfg.model.stage = 1  # the other stages' parameters frozen at build
    with pytest.raises(ValueError, match=r"\['video_encoder'\] train in "
                       'some BAP stage'):
        Runner.from_cfg(cfg).train()


@pytest.mark.integration
@pytest.mark.parametrize('stage,message', [
    (dict(stage=4), r'no stage 4; the model has stages \[1, 2, 3\]'),
    (dict(train=['video_encodr'], video_path='encoder'),
     r"unknown parameter groups \['video_encodr'\] .*known: .*"
     r"'video_encoder'"),
    (dict(train=['video_encoder'], video_path='encodr'),
     r"video_path must be one of \('mean', 'encoder'\), got 'encodr' in "
     r'stage'),
])
def test_rejects_a_stage_before_training(stage, message, demo_root,
                                         tmp_path):
    stages = [dict(epochs=1, stage=1), dict(epochs=1, **stage)]
    cfg = short_demo_config(demo_root, tmp_path, stages)
    with pytest.raises(ValueError, match=message):
        Runner.from_cfg(cfg).train()
    # Nothing trained: the second stage was checked before the first ran.
    assert not list(tmp_path.glob('*.pth'))


@pytest.mark.integration
def test_checks_the_schedule_adds_up(demo_root, tmp_path):
    cfg = short_demo_config(demo_root, tmp_path)
    cfg.train_cfg.max_epochs = 4
    with pytest.raises(ValueError, match='BAP stages last 3 epochs'):
        Runner.from_cfg(cfg).train()
    cfg = short_demo_config(demo_root, tmp_path / 'lr')
    cfg.param_scheduler[0].update(periods=[2, 1], restart_weights=[1, 1])
    with pytest.raises(ValueError, match=r'restarts after \[2, 3\] epochs'):
        Runner.from_cfg(cfg).train()


KILLER = '''
import os
import signal
from mmengine.hooks import Hook
from mmaction.registry import HOOKS


@HOOKS.register_module()
class KillAtIteration(Hook):
    """kill -9 of its own process after a training iteration of a run
    that did not resume."""
    priority = 'LOWEST'

    def __init__(self, iteration):
        self.iteration = iteration

    def before_train(self, runner):
        self.armed = runner.iter == 0

    def after_train_iter(self, runner, batch_idx, data_batch, outputs):
        if self.armed and runner.iter + 1 == self.iteration:
            os.kill(os.getpid(), signal.SIGKILL)
'''

DUMPER = '''
import torch
from mmengine.dist import get_rank
from mmengine.hooks import Hook
from mmengine.model import is_model_wrapper
from mmaction.registry import HOOKS


@HOOKS.register_module()
class DumpParams(Hook):
    """Each rank writes its parameters before and after training."""
    priority = 'LOWEST'

    def _dump(self, runner, when):
        model = runner.model.module if is_model_wrapper(
            runner.model) else runner.model
        torch.save({n: p.detach().clone() for n, p in
                    model.named_parameters()},
                   f'{runner.work_dir}/{when}_rank{get_rank()}.pth')

    def before_train(self, runner):
        self._dump(runner, 'start')

    def after_run(self, runner):
        self._dump(runner, 'end')
'''


def write_job(tmp_path, demo_root, name, module, hook, stages=THREE_STAGES,
              augmented=False):
    """A config file for tools/train.py with a hook from a test module;
    ``augmented``, training takes the demo's random flips in two loader
    workers."""
    cfg = short_demo_config(demo_root, tmp_path / name, stages)
    if augmented:
        flips = load_config('a3lign_demo.py').train_pipeline
        cfg.train_dataloader.update(
            num_workers=2,
            dataset=dict(cfg.train_dataloader.dataset, pipeline=flips))
    (tmp_path / f'{name}_hooks.py').write_text(textwrap.dedent(module))
    cfg.custom_imports = dict(
        imports=['a3lign_mmaction', f'{name}_hooks'],
        allow_failed_imports=False)
    if hook:
        cfg.custom_hooks.append(hook)
    path = str(tmp_path / f'{name}.py')
    cfg.dump(path)
    return path


TRAIN = osp.join(REPO_ROOT, 'tools', 'train.py')


# Stage 2 lasts two epochs, so a run can be cut in the middle of a stage.
FOUR_EPOCHS = [
    dict(epochs=1, stage=1),
    dict(epochs=2, stage=2),
    dict(epochs=1, stage=3)
]


@pytest.fixture(scope='module')
def uninterrupted(demo_root, tmp_path_factory):
    """The last checkpoint of the four-epoch run, trained in one go."""
    tmp_path = tmp_path_factory.mktemp('full')
    job = write_job(tmp_path, demo_root, 'work', KILLER, None, FOUR_EPOCHS,
                    augmented=True)
    run_command([sys.executable, TRAIN, job], tmp_path)
    return torch.load(tmp_path / 'work' / 'epoch_4.pth')


@pytest.mark.release
@pytest.mark.parametrize('killed_at,resumed_in', [
    (8, "BAP stage 2/3 (model stage 2) from epoch 3: video path 'encoder'\n"),
    (11, 'BAP stage 3/3 (model stage 3) from epoch 4: video path '
     "'encoder'; optimizer state of")
])
def test_killed_training_resumes_bit_exact(killed_at, resumed_in,
                                           demo_root, tmp_path,
                                           uninterrupted):
    """kill -9 in the middle of an epoch (3 steps each) of a run with random
    flips in two loader workers, then --resume: the weights and optimizer
    state at the end are the uninterrupted run's, bit for bit."""
    job = write_job(tmp_path, demo_root, 'killed', KILLER,
                    dict(type='KillAtIteration', iteration=killed_at),
                    FOUR_EPOCHS, augmented=True)
    run_command([sys.executable, TRAIN, job], tmp_path, expect=-9)
    assert not osp.exists(tmp_path / 'killed' / 'epoch_4.pth')
    log = run_command([sys.executable, TRAIN, job, '--resume'], tmp_path)
    # The stage of the epoch the run continues at is set at once; the
    # optimizer state is reset only where that epoch starts a stage.
    killed_after = (killed_at - 1) // 3
    assert f'resumed epoch: {killed_after}' in log
    assert resumed_in in log
    assert 'BAP stage 1/3' not in log
    resumed = torch.load(tmp_path / 'killed' / 'epoch_4.pth')
    for key, value in uninterrupted['state_dict'].items():
        assert torch.equal(resumed['state_dict'][key], value), key
    for key, value in uninterrupted['optimizer']['state'].items():
        for name, tensor in value.items():
            assert torch.equal(resumed['optimizer']['state'][key][name],
                               tensor), (key, name)
    assert resumed['meta']['epoch'] == 4


@pytest.mark.release
def test_two_processes_stay_in_sync_through_a_stage_switch(
        demo_root, tmp_path):
    job = write_job(
        tmp_path,
        demo_root,
        'ddp',
        DUMPER,
        dict(type='DumpParams'),
        stages=[dict(epochs=1, stage=1),
                dict(epochs=1, stage=2)])
    log = run_command([
        'bash',
        osp.join(REPO_ROOT, 'tools', 'dist_train.sh'), job, '2',
        '--cfg-options', 'env_cfg.dist_cfg.backend=gloo'
    ], tmp_path, env=dict(PORT='29624'))
    # The batch of 8 is the total: 24 clips in 3 steps of 2 x 4.
    assert 'Total batch 8: 4 clips in each of 2 processes.' in log
    assert 'Epoch(train) [1][3/3]' in log
    work_dir = tmp_path / 'ddp'
    start = torch.load(work_dir / 'start_rank0.pth')
    ends = [torch.load(work_dir / f'end_rank{r}.pth') for r in (0, 1)]
    for name, value in ends[0].items():
        assert torch.equal(value, ends[1][name]), name
    video = [n for n in start if n.startswith('neck.video_encoder.')]
    assert video and all(not torch.equal(start[n], ends[0][n])
                         for n in video)
    assert not torch.equal(start['cls_head.prompts'],
                           ends[0]['cls_head.prompts'])
    clip = [n for n in start if n.startswith('backbone.visual.')]
    assert all(torch.equal(start[n], ends[0][n]) for n in clip)
