import os.path as osp
import sys
import textwrap

import pytest
import torch
from mmengine.hooks import Hook
from mmengine.runner import Runner

from a3lign_mmaction.engine import BAPHook
from tests.conftest import (REPO_ROOT, THREE_STAGES, run_command,
                            short_demo_config)


def test_validates_schedule():
    with pytest.raises(ValueError, match='positive int'):
        BAPHook([dict(epochs=0, stage=1)])
    with pytest.raises(ValueError, match='either `stage`'):
        BAPHook([dict(epochs=2)])
    with pytest.raises(ValueError, match='either `stage`'):
        BAPHook([dict(epochs=2, stage=1, train=['prompts'])])
    hook = BAPHook([dict(epochs=2, stage=1), dict(epochs=3, stage=2)])
    assert [hook.stage_at(e) for e in range(5)] == [0, 0, 1, 1, 1]


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


def test_checks_what_the_optimizer_holds(demo_root, tmp_path):
    cfg = short_demo_config(demo_root, tmp_path)
    cfg.model.stage = 1  # the other stages' parameters frozen at build
    with pytest.raises(ValueError, match=r"\['video_encoder'\] train in "
                       'some BAP stage'):
        Runner.from_cfg(cfg).train()


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
from mmengine.hooks import Hook
from mmaction.registry import HOOKS


@HOOKS.register_module()
class KillAfterEpoch(Hook):
    """Ends the process the hard way once an epoch's checkpoint is saved."""
    priority = 'LOWEST'

    def __init__(self, epoch):
        self.epoch = epoch

    def after_train_epoch(self, runner):
        if runner.epoch + 1 == self.epoch:  # runner.epoch is 0-based here
            os._exit(3)
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


def write_job(tmp_path, demo_root, name, module, hook, stages=THREE_STAGES):
    """A config file for tools/train.py with a hook from a test module."""
    cfg = short_demo_config(demo_root, tmp_path / name, stages)
    (tmp_path / f'{name}_hooks.py').write_text(textwrap.dedent(module))
    cfg.custom_imports = dict(
        imports=['a3lign_mmaction', f'{name}_hooks'],
        allow_failed_imports=False)
    cfg.custom_hooks.append(hook)
    path = str(tmp_path / f'{name}.py')
    cfg.dump(path)
    return path


TRAIN = osp.join(REPO_ROOT, 'tools', 'train.py')


@pytest.mark.slow
def test_kill_and_resume_ends_with_the_same_weights(demo_root, tmp_path):
    full = short_demo_config(demo_root, tmp_path / 'full')
    path = str(tmp_path / 'full.py')
    full.dump(path)
    run_command([sys.executable, TRAIN, path], tmp_path)
    job = write_job(tmp_path, demo_root, 'killed', KILLER,
                    dict(type='KillAfterEpoch', epoch=2))
    run_command([sys.executable, TRAIN, job], tmp_path, expect=3)
    assert not osp.exists(tmp_path / 'killed' / 'epoch_3.pth')
    log = run_command([sys.executable, TRAIN, job, '--resume'], tmp_path)
    # Resumed in the middle of the schedule: stage 3 is set at once.
    assert 'resumed epoch: 2' in log
    assert 'BAP stage 3/3 (model stage 3) from epoch 3' in log
    assert 'BAP stage 1/3' not in log
    expected = torch.load(tmp_path / 'full' / 'epoch_3.pth')
    resumed = torch.load(tmp_path / 'killed' / 'epoch_3.pth')
    for key, value in expected['state_dict'].items():
        torch.testing.assert_close(
            resumed['state_dict'][key], value, atol=1e-6, rtol=0)
    assert resumed['meta']['epoch'] == 3


@pytest.mark.slow
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
    run_command([
        'bash',
        osp.join(REPO_ROOT, 'tools', 'dist_train.sh'), job, '2',
        '--cfg-options', 'env_cfg.dist_cfg.backend=gloo'
    ], tmp_path)
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
