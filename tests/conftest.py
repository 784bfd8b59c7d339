"""Fixtures shared by the tests; the helpers they use are in
:mod:`a3lign_mmaction.testing`."""
import fcntl
import glob
import os
import os.path as osp
import shutil
import subprocess

import pytest
import torch
from mmaction.registry import MODELS
from mmengine.config import Config
from mmengine.registry import init_default_scope

from a3lign_mmaction.testing import (DEMO_SPLITS, LogRecorder, load_config,
                                     run_command, tiny_clip_config)
from tests.repository import REPO_ROOT, clean_copy, quick_start_steps

init_default_scope('mmaction')

if os.environ.get('PYTEST_XDIST_WORKER_COUNT'):
    # The cores shared among the workers, for them and the processes they
    # start: with a thread per core each, OpenMP's spinning threads of
    # one slow the others down (in CI the demo run trained in 395 s, 116 s
    # with its share).
    threads = max(
        1, os.cpu_count() // int(os.environ['PYTEST_XDIST_WORKER_COUNT']))
    os.environ['OMP_NUM_THREADS'] = str(threads)
    torch.set_num_threads(threads)

#: The BAP stages of the demo variants' short runs: one epoch a stage; the
#: others train 2 epochs of their own schedule.
DEMO_VARIANT_STAGES = {
    'a3lign_demo_no-mat': [
        dict(epochs=1, stage=1),
        dict(epochs=1, stage=2),
        dict(epochs=1, stage=3)
    ],
    'a3lign_demo_no-jas': [dict(epochs=2, stage=1)],
    'a3lign_demo_no-bap': [dict(epochs=2, stage=3)],
}


def pytest_collection_modifyitems(items):
    """The tests of the session's demo run (:func:`demo_run`) first.
    pytest-xdist's ``worksteal`` hands the first worker the first half of
    the tests and the second worker the rest, and steals from the end of a
    queue: so one worker trains the demo while the other runs tests that
    do not wait for it."""
    items.sort(key=lambda item: 'demo_run' not in item.fixturenames)


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


@pytest.fixture(scope='session')
def demo_root(tmp_path_factory):
    """The demo faces, 4 training and 2 validation clips per class."""
    from a3lign_mmaction.datasets import generate_demo_faces
    return generate_demo_faces(
        str(tmp_path_factory.mktemp('data') / 'demo_faces'),
        splits=DEMO_SPLITS)


def once_per_session(factory, name, make):
    """``make(path)`` for the folder ``name`` of the session's temporary
    folder, once for all pytest-xdist workers: the first worker to ask
    makes it while the others wait for it. Returns the path."""
    base = factory.getbasetemp()
    if os.environ.get('PYTEST_XDIST_WORKER'):
        base = base.parent  # the session's, shared by its workers
    path = base / name
    with open(base / f'{name}.lock', 'w') as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not (base / f'{name}.done').exists():
            shutil.rmtree(path, ignore_errors=True)
            make(path)
            (base / f'{name}.done').touch()
    return path


@pytest.fixture(scope='session')
def demo_run(tmp_path_factory):
    """A copy of the repository in which the README's quick-start training
    has run as written, with every checkpoint kept (the quick start keeps
    the last three); its work dir is ``work_dirs/a3lign_demo``. The one
    trained demo of a session, shared by the tests of what it learned and
    of the routes that score it (:func:`once_per_session`)."""

    def train(repo):
        clean_copy(str(repo))
        run_command(quick_start_steps()[0].split() + [
            '--cfg-options', 'default_hooks.checkpoint.max_keep_ckpts=-1'
        ], repo, timeout=1200)

    return str(once_per_session(tmp_path_factory, 'quick_start', train))


@pytest.fixture(scope='session')
def demo_variant_run(tmp_path_factory):
    """``run(name)``: the work dir of a short ``tools/train.py`` run of the
    demo config ``name`` (a benchmark recipe, docs/benchmark.md) on the
    small demo faces, validated and checkpointed every epoch; each config
    is trained once a session (:func:`once_per_session`). Its config is
    saved under its own name, as compare_runs.py reads it."""
    from a3lign_mmaction.datasets import generate_demo_faces
    from a3lign_mmaction.testing import run_script, short_demo_config

    def run(name):

        def train(path):
            data = generate_demo_faces(str(path / 'data'), splits=DEMO_SPLITS)
            stages = DEMO_VARIANT_STAGES.get(name)
            cfg = short_demo_config(
                data, path / 'work_dir', stages=stages, name=f'{name}.py')
            if stages is None:
                cfg.train_cfg.max_epochs = 2
            cfg.train_cfg.val_interval = 1
            cfg.default_hooks.checkpoint.save_best = 'UAR'
            cfg.dump(str(path / f'{name}.py'))
            run_script(['tools/train.py', path / f'{name}.py'], REPO_ROOT)

        return str(once_per_session(tmp_path_factory, name, train) /
                   'work_dir')

    return run


@pytest.fixture(scope='session')
def trained_demo(demo_run, tmp_path_factory):
    """(config, checkpoint) of the session's demo run: its config, the data
    root made absolute, and its best checkpoint."""
    cfg = Config.fromfile(osp.join(demo_run, 'configs', 'a3lign_demo.py'))
    for loader in ('train_dataloader', 'val_dataloader', 'test_dataloader'):
        cfg[loader].dataset.data_root = osp.join(demo_run, 'data',
                                                 'demo_faces')
    config = str(tmp_path_factory.mktemp('demo_config') / 'demo.py')
    cfg.dump(config)
    best, = glob.glob(
        osp.join(demo_run, 'work_dirs', 'a3lign_demo', 'best_UAR_*.pth'))
    return config, best


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
