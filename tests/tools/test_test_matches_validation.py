"""The number a user reads from tools/test.py is the number validation
logged, for checkpoints of every BAP stage of the session's demo run."""
import os.path as osp

import pytest

from a3lign_mmaction.testing import logged_validation, run_script
from a3lign_mmaction.utils import latest_test_metrics

pytestmark = pytest.mark.integration


@pytest.mark.parametrize(
    'epoch', [10, 20, 40], ids=['stage1', 'stage2', 'stage3'])
def test_test_script_reports_what_validation_logged(epoch, demo_run,
                                                    trained_demo, tmp_path):
    config, _ = trained_demo
    work_dir = osp.join(demo_run, 'work_dirs', 'a3lign_demo')
    log = run_script([
        osp.join(demo_run, 'tools', 'test.py'), config,
        osp.join(work_dir, f'epoch_{epoch}.pth'), '--work-dir',
        str(tmp_path)
    ], tmp_path)
    assert 'no record of the JAS video path' not in log
    validated = logged_validation(work_dir)[epoch]
    metrics = latest_test_metrics(str(tmp_path))
    for key in ('UAR', 'WAR'):
        assert metrics[key] == validated[key], key
