import os.path as osp

import pytest
from mmaction.registry import MODELS
from mmengine.config import Config
from mmengine.registry import init_default_scope

import a3lign_mmaction  # noqa: F401

REPO_ROOT = osp.dirname(osp.dirname(osp.abspath(__file__)))
CONFIG_DIR = osp.join(REPO_ROOT, 'configs')
SHARED_DIR = osp.join(osp.dirname(REPO_ROOT), 'shared')

init_default_scope('mmaction')


def load_config(name):
    """A config of this repository, by path relative to ``configs/``."""
    return Config.fromfile(osp.join(CONFIG_DIR, name))


@pytest.fixture(scope='session')
def tiny_clip_arch():
    """The tiny CLIP architecture the demo config uses."""
    return load_config(
        '_base_/models/a3lign_clip-tiny.py').model.clip.arch.to_dict()


@pytest.fixture
def build_tiny_model(tiny_clip_arch):
    """Build a config's model with the tiny CLIP in place of the real one.

    Keyword arguments are merged into the model config.
    """

    def build(name='_base_/models/a3lign_vit-b-16.py', **overrides):
        cfg = load_config(name)
        cfg.merge_from_dict(
            dict(
                model=dict(
                    clip=dict(arch=dict(tiny_clip_arch, _delete_=True)),
                    **overrides)))
        return MODELS.build(cfg.model)

    return build
