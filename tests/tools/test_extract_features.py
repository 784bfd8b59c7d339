"""tools/extract_features.py on the demo config, run as a user would:
killed and rerun, verified, and the store checked by a cached training
run."""
import dataclasses
import filecmp
import glob
import json
import os
import os.path as osp
import re
import shutil
import signal
import socket
import subprocess
import sys
import time

import numpy as np
import pytest

from a3lign_mmaction.datasets import generate_demo_faces
from a3lign_mmaction.testing import child_processes, run_command, run_script
from tests.repository import CONFIG_DIR, REPO_ROOT

pytestmark = pytest.mark.integration

TOOL = osp.join(REPO_ROOT, 'tools', 'extract_features.py')
#: Demo clips per class: 60 training clips x 4 views + 24 test views, so
#: that a run stopped after 40 views is far from done.
SPLITS = [('train', 10), ('val', 4)]
VIEWS = 264
#: The demo configs on those clips.
CONFIG = """_base_ = ['{config}']
dataset = dict(splits={splits})
train_dataloader = dict(dataset=dataset)
val_dataloader = dict(dataset=dataset)
test_dataloader = dict(dataset=dataset)
"""


def extract_command(store, *options):
    return [
        TOOL, 'demo.py', '--store',
        str(store), '--num-workers', '0', '--batch-size', '4', '--device',
        'cpu', *options
    ]


@dataclasses.dataclass
class Demo:
    """A folder with the demo configs on a few clips (``demo.py``,
    ``demo_cached.py``), where the commands run, and their variables."""
    folder: str
    env: dict

    def with_env(self, **env):
        return Demo(self.folder, dict(self.env, **env))


@pytest.fixture(scope='module')
def demo_env(tmp_path_factory):
    folder = tmp_path_factory.mktemp('demo')
    for name, config in (('demo.py', 'a3lign_demo.py'),
                         ('demo_cached.py', 'a3lign_demo_cached.py')):
        (folder / name).write_text(
            CONFIG.format(
                config=osp.join(CONFIG_DIR, config), splits=SPLITS))
    root = str(folder / 'faces')
    generate_demo_faces(root, splits=SPLITS)
    return Demo(str(folder), dict(A3LIGN_DEMO_ROOT=root))


def run(command, demo, expect=0):
    """The extraction in this process; the launcher (bash) in its own."""
    runner = run_command if command[0] == 'bash' else run_script
    return runner(command, demo.folder, expect, env=demo.env)


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


def started(command, demo, progress, count):
    """A job in the background, once ``progress()`` has reached
    ``count`` (or the job has ended)."""
    if command[0] == TOOL:
        command = [sys.executable, *command]
    job = subprocess.Popen(
        command,
        cwd=demo.folder,
        env=dict(os.environ, **demo.env),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL)
    while progress() < count and job.poll() is None:
        time.sleep(0.01)
    return job


@pytest.mark.release
def test_killed_run_resumes_to_the_same_store(demo_env, whole, tmp_path):
    store = tmp_path / 'store'
    job = started(
        extract_command(store), demo_env, lambda: views_done(store), 40)
    job.kill()
    job.wait()
    assert 40 <= views_done(store) < VIEWS
    log = run(extract_command(store), demo_env)
    assert f'{VIEWS} views in {store}' in log
    same_store(store, whole)
    # A rerun with another random tower adds nothing to the store.
    log = run(
        extract_command(store, '--cfg-options', 'randomness.seed=1'),
        demo_env,
        expect=1)
    assert 'holds embeddings made differently (model_seed: 0 in the ' \
        'store, 1 now; tower: ' in log


def test_verify_finds_and_repairs_damage(demo_env, whole, tmp_path):
    store = tmp_path / 'store'
    os.makedirs(store)
    for name in store_files(whole):
        (store / name).write_bytes((whole / name).read_bytes())
    assert ': 0 damaged views' in run(
        extract_command(store, '--verify'), demo_env)
    shard = store / 'shard_0000.npy'
    data = np.load(shard, mmap_mode='r+')
    data[0, 1] = 0  # the first training view of the first clip
    data.flush()
    del data
    log = run(extract_command(store, '--verify'), demo_env, expect=1)
    assert '84 clips in' in log and ': 1 damaged views' in log
    assert 'does not match its checksum' in log
    run(extract_command(store, '--verify', '--repair'), demo_env, expect=1)
    log = run(extract_command(store), demo_env)
    assert 'extracted 1 views now' in log
    assert filecmp.cmp(shard, whole / 'shard_0000.npy', shallow=False)


def test_cached_training_refuses_another_towers_store(demo_env, whole,
                                                      tmp_path):
    work_dir = tmp_path / 'work'
    log = run([
        osp.join(REPO_ROOT, 'tools', 'train.py'), 'demo_cached.py',
        '--work-dir',
        str(work_dir), '--cfg-options', 'randomness.seed=1'
    ],
              demo_env.with_env(FEATURE_STORE=str(whole)),
              expect=1)
    assert f'the feature store {whole} was made by another image tower' \
        in log
    assert not list(work_dir.glob('*.pth'))


def dist_command(store, *options):
    """Two gloo ranks of extract_features.py under torchrun."""
    return [
        'bash',
        osp.join(REPO_ROOT, 'tools', 'dist_extract.sh'), 'demo.py', '2',
        *extract_command(store, *options)[2:]
    ]


def same_store(store, whole):
    assert store_files(store) == store_files(whole)
    _, mismatch, errors = filecmp.cmpfiles(
        whole, store, store_files(whole), shallow=False)
    assert not mismatch and not errors


def journalled(store):
    """Views recorded in the journals of a distributed run so far."""
    lines = [
        line for path in glob.glob(str(store / 'journal' / '*.jsonl'))
        for line in open(path).read().split('\n')[1:-1]
    ]
    return sum(len(json.loads(line)) for line in lines)


@pytest.mark.release
def test_two_ranks_write_the_store_one_process_writes(demo_env, whole,
                                                      tmp_path):
    store = tmp_path / 'store'
    log = run(dist_command(store), demo_env.with_env(PORT='29611'))
    extracted = [int(n) for n in re.findall(r'extracted (\d+) views now', log)]
    assert sorted(extracted) == [VIEWS // 2, VIEWS // 2]
    same_store(store, whole)
    # A rank killed mid-run ends the job; a rerun merges the journals the
    # ranks left and makes the views still missing.
    store = tmp_path / 'killed'
    job = started(
        dist_command(store), demo_env.with_env(PORT='29612'),
        lambda: journalled(store), 30)
    os.kill(max(child_processes(job.pid)), signal.SIGKILL)
    assert job.wait() != 0
    assert 30 <= journalled(store) < VIEWS
    run(dist_command(store), demo_env.with_env(PORT='29613'))
    same_store(store, whole)


@pytest.mark.release
def test_journal_of_a_removed_store_is_refused(demo_env, tmp_path):
    """A distributed extraction is killed; the store's files are removed
    but not its journals, and the store is extracted again with another
    tower: the old tower's views are refused instead of merged."""
    store = tmp_path / 'store'
    job = started(
        dist_command(store), demo_env.with_env(PORT='29614'),
        lambda: journalled(store), 30)
    os.kill(max(child_processes(job.pid)), signal.SIGKILL)
    job.wait()
    for name in store_files(store):
        if name != 'journal':
            os.remove(store / name)
    log = run(
        extract_command(store, '--cfg-options', 'randomness.seed=1'),
        demo_env,
        expect=1)
    journal = osp.join(store, 'journal')
    assert re.search(
        rf'{journal}/\S+\.jsonl holds views made for another '
        rf'feature store than {store} \(another image tower, pipeline or '
        rf'layout\), .* remove {journal} and extract again', log)
    assert views_done(store) == 0
    shutil.rmtree(journal)
    log = run(
        extract_command(store, '--cfg-options', 'randomness.seed=1'), demo_env)
    assert f'{VIEWS} views in {store}' in log


@pytest.mark.release
def test_second_extraction_is_refused_until_the_first_ends(
        demo_env, whole, tmp_path):
    store = tmp_path / 'store'
    first = started(
        extract_command(store), demo_env, lambda: views_done(store), 40)
    # Paused, it holds the store however long the second run takes to start.
    first.send_signal(signal.SIGSTOP)
    log = run(extract_command(store), demo_env, expect=1)
    assert (f'{store} is in use: another job writes this feature store '
            f'(host {socket.gethostname()}, pid {first.pid}, since ') in log
    first.kill()  # kill -9: the kernel releases its lock
    first.wait()
    log = run(extract_command(store), demo_env)
    assert f'{VIEWS} views in {store}' in log
    same_store(store, whole)


def test_random_tower_needs_a_seed(demo_env, tmp_path):
    log = run(
        extract_command(tmp_path / 'store', '--cfg-options',
                        'randomness.seed=None'),
        demo_env,
        expect=1)
    assert 'randomness.seed is not set' in log


def test_full_disk_is_named_before_extraction(demo_env, small_disk):
    """The store's shard is allocated on disk when it is laid out: a disk
    without room stops the run with the store named, instead of a SIGBUS
    on the memory-mapped shard mid-run."""
    # The disk keeps less room than the store's shard needs.
    (small_disk / 'full').write_bytes(bytes(1024 * 1024 - 64 * 1024))
    store = small_disk / 'store'
    log = run(extract_command(store), demo_env, expect=1)
    assert re.search(
        rf'OSError: \[Errno 28\] {store}: no room on its disk '
        r'for a new shard of [\d.]+ MiB \(No space left on '
        r'device\); free space or extract into a folder on '
        'another disk', log)
    assert not glob.glob(str(store / 'shard_*.npy'))


def test_damaged_journal_is_named(demo_env, tmp_path):
    store = tmp_path / 'store'
    (store / 'journal').mkdir(parents=True)
    (store / 'journal' / 'host_1_ab.jsonl').write_text('{"store": \n')
    (store / 'journal' / 'host_1_ab.bin').write_bytes(b'')
    log = run(extract_command(store), demo_env, expect=1)
    stem = store / 'journal' / 'host_1_ab'
    assert re.search(
        rf'ValueError: a line is not JSON \(.*\): the journal '
        rf'{stem}\.jsonl / \.bin is damaged; remove both files '
        'and extract again', log)
    assert views_done(store) == 0
