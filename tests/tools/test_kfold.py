import csv
import glob
import json
import os
import os.path as osp
import re
import runpy
import signal
import subprocess
import sys
import time
from types import SimpleNamespace

import pytest

from a3lign_mmaction.testing import (child_processes, logged_validation,
                                     run_command, short_demo_config)
from tests.datasets.fake_releases import make_dfew
from tests.repository import REPO_ROOT


def dfew_config(tmp_path, demo_root):
    """The short demo config on a fake DFEW release with two folds."""
    clips = {
        fold:
        dict(
            train=[(100 * fold + i, i % 7, 6) for i in range(14)],
            test=[(100 * fold + 50 + i, i, 6) for i in range(7)])
        for fold in (1, 2)
    }
    root = make_dfew(str(tmp_path / 'DFEW'), clips)
    cfg = short_demo_config(demo_root, 'unused',
                            [dict(epochs=1, stage=1),
                             dict(epochs=1, stage=3)])
    cfg.pop('work_dir')
    cfg.model.cls_head.num_classes = 7
    for loader, split in (('train_dataloader', 'train'),
                          ('val_dataloader', 'test'), ('test_dataloader',
                                                       'test')):
        dataset = cfg[loader].dataset
        pipeline = [
            dict(type='FrameListDecode')
            if step['type'] == 'RawFrameDecode' else step
            for step in dataset.pipeline
        ]
        cfg[loader].dataset = dict(
            type='DFEWDataset',
            data_root=root,
            split=split,
            fold=1,
            pipeline=pipeline,
            test_mode=split == 'test')
    cfg.default_hooks.checkpoint.update(save_best='UAR', rule='greater')
    cfg.train_cfg.val_interval = 1
    path = str(tmp_path / 'dfew.py')
    cfg.dump(path)
    return path


def kfold(config, work_dir, cwd, *args, expect=0):
    return run_command([
        sys.executable,
        osp.join(REPO_ROOT, 'tools', 'kfold.py'), config, '--folds', '1', '2',
        '--work-dir', work_dir, *args
    ],
                       cwd,
                       expect=expect)


@pytest.mark.release
def test_folds_table_and_continuation(tmp_path, demo_root):
    config = dfew_config(tmp_path, demo_root)
    work_dir = str(tmp_path / 'kfold')
    log = kfold(config, work_dir, tmp_path)
    folds = []
    for fold in (1, 2):
        fold_dir = osp.join(work_dir, f'fold_{fold}')
        with open(osp.join(fold_dir, 'test_metrics.json')) as f:
            folds.append(json.load(f))
        best, last = folds[-1]['best'], folds[-1]['last']
        assert 'best_UAR_epoch_' in best['checkpoint']
        assert last['checkpoint'].endswith('epoch_2.pth')
        # Each test reports what validation logged for its epoch,
        # whichever BAP stage that epoch is in.
        epoch = int(
            re.search(r'best_UAR_epoch_(\d+)', best['checkpoint']).group(1))
        validated = logged_validation(fold_dir)
        for key in ('UAR', 'WAR'):
            assert best[key] == validated[epoch][key]
            assert last[key] == validated[2][key]
        # Each fold read its own split files.
        with open(osp.join(fold_dir, 'dfew.py')) as f:
            assert f"fold={fold}" in f.read()
        check_predictions(osp.join(fold_dir, 'test_best'), clips=7)
    with open(osp.join(work_dir, 'kfold_results.csv')) as f:
        rows = list(csv.reader(f))
    assert rows[0] == [
        'fold', 'checkpoint', 'UAR', 'WAR', 'F1_macro', 'F1_weighted'
    ]
    # Per checkpoint: fold 1, fold 2, mean, std.
    for block, which in zip((rows[1:5], rows[5:9]), ('best', 'last')):
        for row, metrics in zip(block[:2], folds):
            assert row[1] == which
            assert [float(v) for v in row[2:]] == pytest.approx([
                metrics[which][key]
                for key in ('UAR', 'WAR', 'F1_macro', 'F1_weighted')
            ],
                                                                abs=1e-4)
        mean_uar = (folds[0][which]['UAR'] + folds[1][which]['UAR']) / 2
        assert block[2][0] == 'mean' and float(block[2][2]) == pytest.approx(
            mean_uar, abs=1e-4)
    with open(osp.join(work_dir, 'kfold_results.md')) as f:
        table = f.read()
    assert table.startswith(
        '| fold | best UAR (%) | best WAR (%) | last UAR (%) | last WAR (%) |')
    assert '| mean ± std |' in table and f'{mean_uar:.2f} ± ' in table
    assert 'no validation split' in table
    assert table.strip() in log
    # A progress bar over the 6 steps, at the start and after each step.
    assert [int(done) for done in re.findall(r'\] (\d)/6, ', log)] == list(
        range(7))
    # Rerun: both folds are read back, nothing trains again.
    again = kfold(config, work_dir, tmp_path)
    assert again.count('finished before') == 2
    assert re.findall(r'\] (\d)/6, ', again) == ['0', '3', '6']
    assert 'train.py' not in again
    assert table.strip() in again
    # Other settings: refused, without --force.
    changed = kfold(
        config,
        work_dir,
        tmp_path,
        '--',
        '--cfg-options',
        'optim_wrapper.optimizer.lr=0.01',
        expect=1)
    assert 'holds a run with other settings' in changed
    assert 'train.py' not in changed


def check_predictions(test_dir, clips):
    """The test's predictions.csv has a row per clip, and its predicted
    classes count up to the columns of its confusion matrix."""
    run_dir, = glob.glob(osp.join(test_dir, '*', ''))
    with open(osp.join(run_dir, 'predictions.csv')) as f:
        rows = list(csv.DictReader(f))
    with open(osp.join(run_dir, 'confusion_matrix.csv')) as f:
        matrix = list(csv.reader(f))
    assert len(rows) == clips
    assert len({row['clip'] for row in rows}) == clips
    classes = matrix[0][1:]
    for column, name in enumerate(classes, 1):
        predicted = sum(int(line[column]) for line in matrix[1:])
        assert predicted == sum(row['prediction'] == name for row in rows)
    for line in matrix[1:]:
        labelled = [row for row in rows if row['label'] == line[0]]
        assert sum(map(int, line[1:])) == len(labelled)


def test_every_fold_is_checked_before_training(tmp_path):
    output = run_command([
        sys.executable,
        osp.join(REPO_ROOT, 'tools', 'kfold.py'), 'configs/a3lign_dfew.py',
        '--folds', '1', '6', '--work-dir',
        str(tmp_path / 'kfold')
    ],
                         REPO_ROOT,
                         expect=1)
    assert 'DFEWDataset has folds 1..5; --folds names 6' in output
    assert not (tmp_path / 'kfold').exists()


@pytest.fixture(scope='module')
def tool():
    """The functions of tools/kfold.py (the script read, not run)."""
    return SimpleNamespace(
        **runpy.run_path(osp.join(REPO_ROOT, 'tools', 'kfold.py')))


def test_force_trains_a_fold_again_with_new_settings(tool, tmp_path):
    """--force removes the run in a fold folder that had other settings,
    and keeps the folder's lock."""
    fold_dir = str(tmp_path / 'fold_1')
    with tool.FolderLock(fold_dir):
        tool.check_settings(fold_dir, 'a' * 64, force=False)
        open(osp.join(fold_dir, 'epoch_1.pth'), 'w').close()
        os.makedirs(osp.join(fold_dir, 'test_best', 'run'))
        tool.check_settings(fold_dir, 'a' * 64, force=False)  # same: kept
        assert osp.isfile(osp.join(fold_dir, 'epoch_1.pth'))
        with pytest.raises(SystemExit, match='other settings'):
            tool.check_settings(fold_dir, 'b' * 64, force=False)
        tool.check_settings(fold_dir, 'b' * 64, force=True)
        assert sorted(
            os.listdir(fold_dir)) == ['.lock', 'kfold_settings.sha256']


def test_best_falls_back_to_the_last_checkpoint_and_says_so(
        tool, tmp_path, capsys):
    (tmp_path / 'last_checkpoint').write_text(str(tmp_path / 'epoch_3.pth'))
    assert tool.pick_checkpoint(str(tmp_path), 'last').endswith('epoch_3.pth')
    assert capsys.readouterr().err == ''
    assert tool.pick_checkpoint(str(tmp_path), 'best').endswith('epoch_3.pth')
    assert (f'{tmp_path}: no best_*.pth (the config keeps none: '
            'default_hooks.checkpoint.save_best); the best row tests the '
            'last checkpoint') in capsys.readouterr().err
    (tmp_path / 'best_UAR_epoch_2.pth').touch()
    assert tool.pick_checkpoint(str(tmp_path),
                                'best').endswith('best_UAR_epoch_2.pth')


def test_signal_before_the_training_starts_reaches_it(
        tool, tmp_path, monkeypatch):
    popen = subprocess.Popen

    def signalled_popen(*args, **kwargs):
        os.kill(os.getpid(), signal.SIGTERM)
        return popen(*args, **kwargs)

    monkeypatch.setattr(subprocess, 'Popen', signalled_popen)
    sleeper = [sys.executable, '-c', 'import time; time.sleep(60)']
    with tool.FolderLock(str(tmp_path)) as lock, pytest.raises(
            SystemExit) as ended:
        tool.run(sleeper, lock)
    assert ended.value.code == 128 + signal.SIGTERM


def test_fold_left_in_the_environment_is_no_other_setting(tool, monkeypatch):
    config = osp.join(REPO_ROOT, 'configs', 'a3lign_dfew.py')
    # monkeypatch restores FOLD, which fold_settings sets, after the test.
    monkeypatch.setenv('FOLD', '3')
    options, digest = tool.fold_settings(config, 2, [])
    assert options[-1] == 'test_dataloader.dataset.fold=2'
    monkeypatch.setenv('FOLD', '5')
    assert tool.fold_settings(config, 2, []) == (options, digest)
    assert tool.fold_settings(config, 1, [])[1] != digest


def test_settings_digest_follows_options_and_environment(tool, monkeypatch):
    config = osp.join(REPO_ROOT, 'configs', 'a3lign_dfew.py')
    base = tool.settings_digest(config, ['--cfg-options', 'a=1'])
    assert base == tool.settings_digest(config, ['--cfg-options', 'a=1'])
    assert base != tool.settings_digest(config, ['--cfg-options', 'a=2'])
    assert base != tool.settings_digest(config,
                                        ['--amp', '--cfg-options', 'a=1'])
    monkeypatch.setenv('DFEW_ROOT', '/elsewhere')
    assert base != tool.settings_digest(config, ['--cfg-options', 'a=1'])


def start_kfold(config, work_dir, cwd):
    """A kfold run, and the pid of the train.py it has started."""
    job = subprocess.Popen([
        sys.executable,
        osp.join(REPO_ROOT, 'tools', 'kfold.py'), config, '--folds', '1',
        '--work-dir', work_dir
    ],
                           cwd=cwd,
                           stdout=subprocess.PIPE,
                           stderr=subprocess.STDOUT,
                           text=True)
    for _ in range(1200):
        started = child_processes(job.pid)
        if started:
            return job, started[0]
        time.sleep(0.05)
    job.kill()
    pytest.fail('kfold started no training')


def ended(pid):
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    return False


@pytest.mark.release
def test_signal_reaches_the_training_and_a_second_run_waits(
        tmp_path, demo_root):
    config = dfew_config(tmp_path, demo_root)
    work_dir = str(tmp_path / 'kfold')
    # SIGTERM (as from `timeout`) ends the training, then kfold.
    job, train = start_kfold(config, work_dir, tmp_path)
    job.send_signal(signal.SIGTERM)
    assert job.wait(timeout=60) == 128 + signal.SIGTERM
    assert 'train.py ended by SIGTERM' in job.stdout.read()
    assert ended(train)
    # kill -9 of kfold leaves its training running, holding the fold: a
    # second kfold on the fold stops, naming the first.
    job, train = start_kfold(config, work_dir, tmp_path)
    job.kill()
    job.wait()
    os.kill(train, signal.SIGSTOP)  # it keeps the lock, and the test time
    try:
        log = kfold(config, work_dir, tmp_path, expect=1)
        assert (f'error: {osp.join(work_dir, "fold_1")} is in use: another '
                'job writes this k-fold fold folder (host ') in log
        assert f', pid {job.pid}, since ' in log
        assert 'train.py' not in log.split('error:')[0]
    finally:
        os.kill(train, signal.SIGKILL)
