import pytest
from mmengine.config import Config

from a3lign_mmaction.engine import bap_schedule
from tests.repository import CONFIG_DIR


def test_one_list_sets_epochs_restarts_and_stages():
    stages = [4, 2, dict(epochs=3, stage=1)]
    train_cfg, schedulers, hooks = bap_schedule(stages)
    assert train_cfg == dict(max_epochs=9)
    scheduler, = schedulers
    assert scheduler['type'] == 'CosineRestartLR'
    assert scheduler['periods'] == [4, 2, 3]
    assert scheduler['restart_weights'] == [1, 1, 1]
    assert hooks == [
        dict(type='BAPHook',
             stages=[
                 dict(epochs=4, stage=1),
                 dict(epochs=2, stage=2),
                 dict(epochs=3, stage=1)
             ])
    ]


def test_hook_joins_the_inherited_ones():
    inherited = [dict(type='EpochSeedHook'),
                 dict(type='BAPHook', stages=[]),
                 dict(type='ResumeSettingsHook')]
    _, _, hooks = bap_schedule([2, 1, 1], inherited)
    assert [h['type'] for h in hooks] == [
        'EpochSeedHook', 'ResumeSettingsHook', 'BAPHook'
    ]
    assert [s['epochs'] for s in hooks[-1]['stages']] == [2, 1, 1]
    assert inherited[1]['stages'] == []


@pytest.mark.parametrize('name,epochs', [('a3lign_dfew.py', [40, 30, 30]),
                                         ('a3lign_demo.py', [10, 10, 30])])
def test_configs_take_the_schedule_from_their_list(name, epochs):
    cfg = Config.fromfile(f'{CONFIG_DIR}/{name}')
    assert cfg.train_cfg.max_epochs == sum(epochs)
    assert cfg.param_scheduler[0].periods == epochs
    assert [h.type for h in cfg.custom_hooks] == [
        'EpochSeedHook', 'ResumeSettingsHook', 'BAPHook'
    ]
    assert [s.epochs for s in cfg.custom_hooks[-1].stages] == epochs
