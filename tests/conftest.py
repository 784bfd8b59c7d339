import os.path as osp

import pytest
from mmengine.config import Config

import a3lign_mmaction  # noqa: F401

REPO_ROOT = osp.dirname(osp.dirname(osp.abspath(__file__)))
CONFIG_DIR = osp.join(REPO_ROOT, 'configs')
SHARED_DIR = osp.join(osp.dirname(REPO_ROOT), 'shared')


@pytest.fixture(scope='session')
def tiny_clip_arch():
    """The tiny CLIP architecture the demo config uses."""
    cfg = Config.fromfile(
        osp.join(CONFIG_DIR, '_base_', 'models', 'clip_tiny.py'))
    return cfg.clip_arch.to_dict()
