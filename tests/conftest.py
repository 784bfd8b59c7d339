import glob
import json
import logging
import os
import os.path as osp
import subprocess
import sys

import pytest
from mmaction.registry import MODELS
from mmengine.config import Config
from mmengine.registry import init_default_scope

from a3lign_mmaction.engine import bap_schedule

REPO_ROOT = osp.dirname(osp.dirname(osp.abspath(__file__)))
CONFIG_DIR = osp.join(REPO_ROOT, 'configs')
#: Real videos, with their sources and licences (tests/data/README.md).
VIDEOS = osp.join(REPO_ROOT, 'tests', 'data', 'videos')

init_default_scope('mmaction')


THREE_STAGES = [
    dict(epochs=1, stage=1),
    dict(epochs=1, stage=2),
    dict(epochs=1, stage=3)
]


def run_command(args, cwd, expect=0, timeout=900, env=None):
    """Run a command as a user would and return its output.

    This interpreter's ``bin`` folder comes first on ``PATH`` (for
    ``python`` in the dist scripts) and ``cwd`` is on ``PYTHONPATH`` (for
    helper modules a test writes there); ``env`` adds variables. The exit
    code must be ``expect`` unless that is None.
    """
    env = dict(os.environ, **(env or {}))
    env.update(
        PYTHONPATH=str(cwd),
        PATH=osp.dirname(sys.executable) + os.pathsep + env['PATH'])
    result = subprocess.run(
        args, cwd=cwd, env=env, capture_output=True, text=True,
        timeout=timeout)
    output = result.stdout + result.stderr
    if expect is not None:
        assert result.returncode == expect, output[-6000:]
    return output


def children(pid):
    """Process ids whose parent is ``pid``."""
    found = []
    for entry in os.listdir('/proc'):
        try:
            with open(f'/proc/{entry}/stat') as f:
                # The field after the parenthesised command is the state.
                ppid = int(f.read().rsplit(')', 1)[1].split()[1])
        except (OSError, ValueError, IndexError):
            continue
        if ppid == pid:
            found.append(int(entry))
    return found


def logged_validation(work_dir):
    """Validation metrics by epoch, from the scalars.json of the training
    run in ``work_dir``."""
    path, = glob.glob(osp.join(work_dir, '*', 'vis_data', 'scalars.json'))
    with open(path) as f:
        records = [json.loads(line) for line in f]
    return {r['step']: r for r in records if 'UAR' in r}


def load_config(name):
    """A config of this repository, by path relative to ``configs/``."""
    return Config.fromfile(osp.join(CONFIG_DIR, name))


def tiny_clip_config(name, tiny_clip_arch):
    """A config of this repository with the tiny CLIP in place of the real
    one, and its loaders' frames resized to the tiny tower's 32 pixels."""
    cfg = load_config(name)
    cfg.model.clip.arch = tiny_clip_arch
    cfg.model.clip.image_size = 32
    for loader in ('train_dataloader', 'val_dataloader', 'test_dataloader'):
        for step in cfg.get(loader, {}).get('dataset', {}).get('pipeline', []):
            if step['type'] == 'Resize':
                step['scale'] = (32, 32)
            elif step['type'] == 'ViewCrops':
                step['size'] = 32
    return cfg


@pytest.fixture(scope='session')
def tiny_clip_arch():
    """The tiny CLIP architecture the demo config uses."""
    return load_config('a3lign_demo.py').model.clip.arch.to_dict()


@pytest.fixture
def build_tiny_model(tiny_clip_arch):
    """Build a config's model with the tiny CLIP in place of the real one.

    Keyword arguments are merged into the model config.
    """

    def build(name='_base_/models/a3lign.py', **overrides):
        cfg = tiny_clip_config(name, tiny_clip_arch)
        cfg.merge_from_dict(dict(model=overrides))
        return MODELS.build(cfg.model)

    return build


@pytest.fixture
def clip_file(tiny_clip_arch, tmp_path):
    """Writes the tiny CLIP's random weights of a seed to a file; returns
    its path."""
    import torch

    from a3lign_mmaction.models.clip import build_clip

    def write(seed=0):
        torch.manual_seed(seed)
        path = str(tmp_path / f'clip_{seed}.pt')
        torch.save(build_clip(tiny_clip_arch).state_dict(), path)
        return path

    return write


class LogRecorder(logging.Handler):
    """Keeps the messages of a logger; ``text`` joins them."""

    def __init__(self):
        super().__init__()
        self.messages = []

    def emit(self, record):
        self.messages.append(record.getMessage())

    @property
    def text(self):
        return '\n'.join(self.messages)


@pytest.fixture
def mmengine_log():
    """What is logged through MMEngine's current logger (``print_log(...,
    logger='current')``) during the test; MMEngine's loggers do not
    propagate to pytest's ``caplog``."""
    from mmengine.logging import MMLogger
    logger = MMLogger.get_current_instance()
    recorder = LogRecorder()
    logger.addHandler(recorder)
    yield recorder
    logger.removeHandler(recorder)


DEMO_SPLITS = (('train', 4), ('val', 2))


@pytest.fixture(scope='session')
def demo_root(tmp_path_factory):
    """The demo faces, 4 training and 2 validation clips per class."""
    from a3lign_mmaction.datasets import generate_demo_faces
    return generate_demo_faces(
        str(tmp_path_factory.mktemp('data') / 'demo_faces'),
        splits=DEMO_SPLITS)


def set_bap_stages(cfg, stages):
    """Cut a BAP config's schedule to ``stages`` (see :func:`bap_schedule`).
    """
    train_cfg, cfg.param_scheduler, cfg.custom_hooks = bap_schedule(
        stages, cfg.custom_hooks)
    cfg.train_cfg.update(train_cfg)


def short_demo_config(demo_root,
                      work_dir,
                      stages=THREE_STAGES,
                      name='a3lign_demo.py'):
    """A demo config, cut to ``stages`` (BAP) or one epoch (``stages=None``)
    on 24 clips, deterministic."""
    cfg = Config.fromfile(osp.join(CONFIG_DIR, name))
    for loader in ('train_dataloader', 'val_dataloader', 'test_dataloader'):
        cfg[loader].update(num_workers=0, persistent_workers=False,
                           batch_size=8)
        cfg[loader].dataset.update(
            data_root=demo_root, splits=DEMO_SPLITS)
    # Test-time sampling in training too: the same batches in every run.
    cfg.train_dataloader.dataset.pipeline = cfg.val_dataloader.dataset.pipeline
    if stages is None:
        cfg.train_cfg.max_epochs = 1
    else:
        set_bap_stages(cfg, stages)
    cfg.train_cfg.val_interval = 100
    cfg.default_hooks.checkpoint.update(interval=1, save_best=None)
    cfg.randomness = dict(seed=0, deterministic=True)
    cfg.work_dir = str(work_dir)
    return cfg


@pytest.fixture(scope='session')
def trained_demo(demo_root, tmp_path_factory):
    """(config path, checkpoint) of a short demo training run."""
    from mmengine.runner import Runner
    work_dir = tmp_path_factory.mktemp('demo_work')
    cfg = short_demo_config(demo_root, work_dir)
    Runner.from_cfg(cfg).train()
    config = str(work_dir / 'demo.py')
    cfg.dump(config)
    return config, str(work_dir / 'epoch_3.pth')


@pytest.fixture
def small_disk(tmp_path):
    """A 1 MB file system (tmpfs), which a test may grow."""
    disk = tmp_path / 'disk'
    disk.mkdir()
    mounted = subprocess.run(
        ['mount', '-t', 'tmpfs', '-o', 'size=1m', 'tmpfs', str(disk)],
        capture_output=True, text=True)
    if mounted.returncode:
        pytest.skip(f'mounting a small tmpfs needs root: {mounted.stderr}')
    yield disk
    subprocess.run(['umount', str(disk)], check=True)
