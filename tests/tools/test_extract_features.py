"""tools/extract_features.py on the demo config, run as a user would:
killed and rerun, verified, and the store checked by a cached training
run."""
import filecmp
import os
import os.path as osp
import subprocess
import sys
import time

import numpy as np
import pytest

from a3lign_mmaction.datasets import generate_demo_faces
from tests.conftest import REPO_ROOT, run_command

pytestmark = pytest.mark.slow

TOOL = osp.join(REPO_ROOT, 'tools', 'extract_features.py')
#: All 300 demo clips: 240 training clips x 4 views + 60 test views.
VIEWS = 1020


def extract_command(store, *options):
    return [
        sys.executable, TOOL, 'configs/a3lign_demo.py', '--store',
        str(store), '--num-workers', '0', '--batch-size', '4', '--device',
        'cpu', *options
    ]


@pytest.fixture(scope='module')
def demo_env(tmp_path_factory):
    """The variables the commands need: the full demo dataset's root."""
    root = tmp_path_factory.mktemp('demo') / 'faces'
    generate_demo_faces(str(root))
    return dict(A3LIGN_DEMO_ROOT=str(root))


def run(command, env, expect=0):
    return run_command(command, REPO_ROOT, expect, env=env)


@pytest.fixture(scope='module')
def whole(demo_env, tmp_path_factory):
    """A store extracted in one run."""
    store = tmp_path_factory.mktemp('whole') / 'store'
    run(extract_command(store), demo_env)
    return store


def views_done(store):
    try:
        return int(np.load(store / 'shard_0000.done.npy').sum())
    except (OSError, ValueError, EOFError):  # not written yet
        return 0


def store_files(store):
    return sorted(name for name in os.listdir(store) if name != '.lock')


def test_killed_run_resumes_to_the_same_store(demo_env, whole, tmp_path):
    store = tmp_path / 'store'
    job = subprocess.Popen(extract_command(store), cwd=REPO_ROOT,
                           env=dict(os.environ, **demo_env),
                           stdout=subprocess.DEVNULL,
                           stderr=subprocess.DEVNULL)
    while views_done(store) < 200 and job.poll() is None:
        time.sleep(0.01)
    job.kill()
    job.wait()
    assert 200 <= views_done(store) < VIEWS
    log = run(extract_command(store), demo_env)
    assert f'{VIEWS} views in {store}' in log
    assert store_files(store) == store_files(whole)
    _, mismatch, errors = filecmp.cmpfiles(
        whole, store, store_files(whole), shallow=False)
    assert not mismatch and not errors
    # A rerun with another random tower adds nothing to the store.
    log = run(extract_command(store, '--cfg-options', 'randomness.seed=1'),
              demo_env, expect=1)
    assert 'holds embeddings made differently (model_seed: 0 in the ' \
        'store, 1 now; tower: ' in log


def test_verify_finds_and_repairs_damage(demo_env, whole, tmp_path):
    store = tmp_path / 'store'
    os.makedirs(store)
    for name in store_files(whole):
        (store / name).write_bytes((whole / name).read_bytes())
    assert ': 0 damaged views' in run(extract_command(store, '--verify'),
                                      demo_env)
    shard = store / 'shard_0000.npy'
    data = np.load(shard, mmap_mode='r+')
    data[0, 1] = 0  # the first training view of the first clip
    data.flush()
    del data
    log = run(extract_command(store, '--verify'), demo_env, expect=1)
    assert '300 clips in' in log and ': 1 damaged views' in log
    assert 'does not match its checksum' in log
    run(extract_command(store, '--verify', '--repair'), demo_env, expect=1)
    log = run(extract_command(store), demo_env)
    assert 'extracted 1 views now' in log
    assert filecmp.cmp(shard, whole / 'shard_0000.npy', shallow=False)


def test_cached_training_refuses_another_towers_store(demo_env, whole,
                                                      tmp_path):
    work_dir = tmp_path / 'work'
    log = run([
        sys.executable,
        osp.join(REPO_ROOT, 'tools', 'train.py'),
        'configs/a3lign_demo_cached.py', '--work-dir',
        str(work_dir), '--cfg-options', 'randomness.seed=1'
    ], dict(demo_env, FEATURE_STORE=str(whole)), expect=1)
    assert f'the feature store {whole} was made by another image tower' \
        in log
    assert not list(work_dir.glob('*.pth'))


def test_random_tower_needs_a_seed(demo_env, tmp_path):
    log = run(
        extract_command(tmp_path / 'store', '--cfg-options',
                        'randomness.seed=None'), demo_env, expect=1)
    assert 'randomness.seed is not set' in log
