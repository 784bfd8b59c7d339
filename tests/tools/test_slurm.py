"""tools/slurm_*.sh and kfold's slurm launcher, with a stub ``srun`` on
PATH that records the command line it gets instead of running it."""
import os
import os.path as osp
import sys

import pytest

from a3lign_mmaction.testing import run_command
from tests.repository import REPO_ROOT

STUB = '''#!/usr/bin/env bash
{ echo "GPUS=${GPUS:-} MASTER_PORT=${MASTER_PORT:-}"; printf '%s\\n' "$@"; } \\
    >> "$SRUN_LOG"
exit "${SRUN_STATUS:-0}"
'''


@pytest.fixture
def srun(tmp_path):
    """Runs a command with the stub srun; returns what srun was given."""
    folder = tmp_path / 'bin'
    folder.mkdir()
    (folder / 'srun').write_text(STUB)
    (folder / 'srun').chmod(0o755)
    log = tmp_path / 'srun.log'

    def call(command, expect=0, **env):
        run_command(
            command,
            REPO_ROOT,
            expect,
            env=dict(
                env,
                SRUN_LOG=str(log),
                PATH=f'{folder}{os.pathsep}{os.environ["PATH"]}'))
        return log.read_text().splitlines()

    return call


def test_slurm_train_builds_the_srun_command(srun):
    lines = srun([
        'bash', 'tools/slurm_train.sh', 'gpu', 'dfew_f1',
        'configs/a3lign_dfew.py', '--work-dir', 'work_dirs/f1',
        '--cfg-options', 'train_dataloader.dataset.fold=1'
    ],
                 GPUS='16',
                 GPUS_PER_NODE='8',
                 CPUS_PER_TASK='10',
                 SRUN_ARGS='--time=4:00:00 --qos=high',
                 MASTER_PORT='29999')
    assert lines == [
        'GPUS=16 MASTER_PORT=29999', '-p', 'gpu', '--job-name=dfew_f1',
        '--gres=gpu:8', '--ntasks=16', '--ntasks-per-node=8',
        '--cpus-per-task=10', '--kill-on-bad-exit=1', '--time=4:00:00',
        '--qos=high', 'python', '-u',
        osp.join(REPO_ROOT, 'tools', 'train.py'), 'configs/a3lign_dfew.py',
        '--work-dir', 'work_dirs/f1', '--cfg-options',
        'train_dataloader.dataset.fold=1', '--launcher', 'slurm'
    ]


def test_slurm_test_defaults(srun):
    lines = srun([
        'bash', 'tools/slurm_test.sh', 'gpu', 'test', 'configs/a3lign_dfew.py',
        'best.pth'
    ])
    port = int(lines[0].split('MASTER_PORT=')[1])
    assert 12000 <= port < 32000
    assert lines[1:] == [
        '-p', 'gpu', '--job-name=test', '--gres=gpu:8', '--ntasks=8',
        '--ntasks-per-node=8', '--cpus-per-task=5', '--kill-on-bad-exit=1',
        'python', '-u',
        osp.join(REPO_ROOT, 'tools', 'test.py'), 'configs/a3lign_dfew.py',
        'best.pth', '--launcher', 'slurm'
    ]


def test_kfold_trains_folds_through_srun(srun, tmp_path):
    work_dir = str(tmp_path / 'kfold')
    # The stub fails, so kfold stops after the first fold's training.
    lines = srun([
        sys.executable, 'tools/kfold.py', 'configs/a3lign_dfew.py', '--folds',
        '2', '--gpus', '4', '--launcher', 'slurm', '--partition', 'gpu',
        '--work-dir', work_dir
    ],
                 expect=1,
                 SRUN_STATUS='1')
    assert lines[0].startswith('GPUS=4 ')
    assert lines[1:4] == ['-p', 'gpu', '--job-name=kfold_train']
    assert lines[lines.index('-u') + 1:] == [
        osp.join(REPO_ROOT, 'tools',
                 'train.py'), 'configs/a3lign_dfew.py', '--work-dir',
        osp.join(work_dir, 'fold_2'), '--resume', '--cfg-options',
        'train_dataloader.dataset.fold=2', 'val_dataloader.dataset.fold=2',
        'test_dataloader.dataset.fold=2', '--launcher', 'slurm'
    ]


def test_kfold_slurm_needs_a_partition(tmp_path):
    output = run_command([
        sys.executable, 'tools/kfold.py', 'configs/a3lign_dfew.py', '--gpus',
        '4', '--launcher', 'slurm'
    ],
                         REPO_ROOT,
                         expect=2)
    assert '--launcher slurm needs --gpus and --partition' in output


def test_slurm_extract_runs_one_rank_per_task(srun):
    lines = srun([
        'bash', 'tools/slurm_extract.sh', 'gpu', 'extract',
        'configs/a3lign_ferv39k.py', '--store', 'data/f'
    ],
                 GPUS='16')
    assert lines[lines.index('-u') + 1:] == [
        osp.join(REPO_ROOT, 'tools', 'extract_features.py'),
        'configs/a3lign_ferv39k.py', '--store', 'data/f', '--launcher', 'slurm'
    ]
    assert '--ntasks=16' in lines
