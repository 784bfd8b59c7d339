"""The number a user reads from tools/test.py is the number validation
logged: checkpoints of every BAP stage, trained and tested through the
entry points on the shortened demo of the CI's demo test."""
import glob
import json
import os.path as osp
import sys

import pytest
from mmengine.config import Config

from a3lign_mmaction.testing import (logged_validation, run_command,
                                     set_bap_stages)
from tests.paths import CONFIG_DIR, REPO_ROOT

pytestmark = pytest.mark.slow

#: The schedule of tests/configs/test_demo.py.
STAGES = [
    dict(epochs=2, stage=1),
    dict(epochs=2, stage=2),
    dict(epochs=20, stage=3)
]


def reported_metrics(work_dir):
    """The metrics a tools/test.py run in ``work_dir`` printed."""
    path, = glob.glob(osp.join(work_dir, '*', '*.json'))
    with open(path) as f:
        return json.loads(f.readlines()[-1])


@pytest.fixture(scope='module')
def trained(tmp_path_factory):
    """(config, work dir) of the shortened demo, a checkpoint per epoch."""
    tmp_path = tmp_path_factory.mktemp('demo')
    cfg = Config.fromfile(osp.join(CONFIG_DIR, 'a3lign_demo.py'))
    for loader in ('train_dataloader', 'val_dataloader', 'test_dataloader'):
        cfg[loader].update(num_workers=0, persistent_workers=False)
        cfg[loader].dataset.data_root = str(tmp_path / 'demo_faces')
    set_bap_stages(cfg, STAGES)
    cfg.train_cfg.val_interval = 1
    cfg.default_hooks.checkpoint.update(interval=1, max_keep_ckpts=-1)
    cfg.randomness = dict(seed=0, deterministic=True)
    config = str(tmp_path / 'demo.py')
    cfg.dump(config)
    work_dir = str(tmp_path / 'work')
    run_command([
        sys.executable,
        osp.join(REPO_ROOT, 'tools', 'train.py'), config, '--work-dir',
        work_dir
    ], tmp_path)
    return config, work_dir


@pytest.mark.parametrize('epoch', [2, 4, 24], ids=['stage1', 'stage2',
                                                   'stage3'])
def test_test_script_reports_what_validation_logged(epoch, trained,
                                                    tmp_path):
    config, work_dir = trained
    log = run_command([
        sys.executable,
        osp.join(REPO_ROOT, 'tools', 'test.py'), config,
        osp.join(work_dir, f'epoch_{epoch}.pth'), '--work-dir',
        str(tmp_path)
    ], tmp_path)
    assert 'no record of the JAS video path' not in log
    validated = logged_validation(work_dir)[epoch]
    metrics = reported_metrics(str(tmp_path))
    for key in ('UAR', 'WAR'):
        assert metrics[key] == validated[key], key
