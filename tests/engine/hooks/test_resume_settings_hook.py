import pytest
from mmengine.config import Config

from a3lign_mmaction.engine import ResumeSettingsHook


def config(lr=0.1, periods=(2, 3), **extra):
    return Config(dict(
        optim_wrapper=dict(optimizer=dict(type='SGD', lr=lr)),
        param_scheduler=[dict(type='CosineRestartLR', periods=list(periods))],
        train_cfg=dict(max_epochs=5), **extra))


class FakeRunner:

    def __init__(self, cfg):
        self.cfg = cfg


def checkpoint_of(cfg):
    return dict(meta=dict(cfg=cfg.pretty_text))


def test_names_each_setting_that_keeps_the_checkpoints_value():
    hook = ResumeSettingsHook()
    found = hook.differences(config(), config(lr=0.5, periods=(2, 4)))
    assert found == [
        "optim_wrapper.optimizer.lr: 0.1 in the checkpoint's run, 0.5 now",
        "param_scheduler.0.periods.1: 3 in the checkpoint's run, 4 now"
    ]
    # max_epochs takes effect on resume, so it is not compared.
    longer = config()
    longer.train_cfg.max_epochs = 9
    assert hook.differences(config(), longer) == []


def test_only_on_resume_and_strict_refuses():
    saved = checkpoint_of(config())
    edited = config(lr=0.5, resume=False)
    ResumeSettingsHook(strict=True).after_load_checkpoint(
        FakeRunner(edited), saved)  # loading weights only: no check
    edited.resume = True
    with pytest.raises(ValueError, match='optim_wrapper.optimizer.lr: 0.1 '):
        ResumeSettingsHook(strict=True).after_load_checkpoint(
            FakeRunner(edited), saved)
