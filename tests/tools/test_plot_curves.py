import os.path as osp

import cv2
import pytest
from mmengine.runner import Runner

from a3lign_mmaction.testing import THREE_STAGES, run_script, short_demo_config
from tests.repository import REPO_ROOT


@pytest.mark.integration
def test_curves_of_a_bap_run(demo_root, tmp_path):
    cfg = short_demo_config(demo_root, tmp_path / 'work', THREE_STAGES)
    cfg.train_cfg.val_interval = 1
    Runner.from_cfg(cfg).train()
    output = run_script(
        [f'{REPO_ROOT}/tools/analysis/plot_curves.py',
         str(tmp_path / 'work')], tmp_path)
    # Three one-epoch stages: the second and third start after 1 and 2.
    assert 'BAP stages from epochs [0, 1, 2]' in output
    assert '3 validations' in output
    image = cv2.imread(osp.join(tmp_path, 'work', 'curves.png'))
    assert image is not None and image.shape == (900, 800, 3)


def test_a_folder_without_a_training_run_is_named(tmp_path):
    output = run_script(
        [f'{REPO_ROOT}/tools/analysis/plot_curves.py',
         str(tmp_path)],
        tmp_path,
        expect=1)
    assert f'{tmp_path} holds no training run' in output
