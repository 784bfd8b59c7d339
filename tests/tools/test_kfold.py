import csv
import json
import os.path as osp
import re
import sys

import pytest

from tests.conftest import (REPO_ROOT, logged_validation, run_command,
                            short_demo_config)
from tests.datasets.fake_releases import make_dfew

pytestmark = pytest.mark.slow


def dfew_config(tmp_path, demo_root):
    """The short demo config on a fake DFEW release with two folds."""
    clips = {
        fold: dict(
            train=[(100 * fold + i, i % 7, 6) for i in range(14)],
            test=[(100 * fold + 50 + i, i, 6) for i in range(7)])
        for fold in (1, 2)
    }
    root = make_dfew(str(tmp_path / 'DFEW'), clips)
    cfg = short_demo_config(demo_root, 'unused', [
        dict(epochs=1, stage=1),
        dict(epochs=1, stage=3)
    ])
    cfg.pop('work_dir')
    cfg.model.cls_head.num_classes = 7
    for loader, split in (('train_dataloader', 'train'),
                          ('val_dataloader', 'test'),
                          ('test_dataloader', 'test')):
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


def kfold(config, work_dir, cwd):
    return run_command([
        sys.executable,
        osp.join(REPO_ROOT, 'tools', 'kfold.py'), config, '--folds', '1', '2',
        '--work-dir', work_dir
    ], cwd)


def test_folds_table_and_continuation(tmp_path, demo_root):
    config = dfew_config(tmp_path, demo_root)
    work_dir = str(tmp_path / 'kfold')
    log = kfold(config, work_dir, tmp_path)
    folds = []
    for fold in (1, 2):
        with open(osp.join(work_dir, f'fold_{fold}', 'test_metrics.json')) \
                as f:
            folds.append(json.load(f))
        assert 'best_UAR_epoch_' in folds[-1]['checkpoint']
        # The test of the best checkpoint reports what its validation
        # logged, whichever BAP stage it comes from.
        best = int(re.search(r'best_UAR_epoch_(\d+)',
                             folds[-1]['checkpoint']).group(1))
        validated = logged_validation(osp.join(work_dir, f'fold_{fold}'))
        for key in ('UAR', 'WAR'):
            assert folds[-1][key] == validated[best][key]
        # Each fold read its own split files.
        with open(osp.join(work_dir, f'fold_{fold}', 'dfew.py')) as f:
            assert f"fold={fold}" in f.read()
    with open(osp.join(work_dir, 'kfold_results.csv')) as f:
        rows = list(csv.reader(f))
    assert rows[0] == ['fold', 'UAR', 'WAR']
    for row, metrics in zip(rows[1:3], folds):
        assert [float(v) for v in row[1:]] == pytest.approx(
            [metrics['UAR'], metrics['WAR']], abs=1e-4)
    mean_uar = (folds[0]['UAR'] + folds[1]['UAR']) / 2
    assert rows[3][0] == 'mean' and float(rows[3][1]) == pytest.approx(
        mean_uar, abs=1e-4)
    with open(osp.join(work_dir, 'kfold_results.md')) as f:
        table = f.read()
    assert '| mean ± std |' in table and f'{mean_uar:.2f} ± ' in table
    assert table in log
    # Rerun: both folds are read back, nothing trains again.
    again = kfold(config, work_dir, tmp_path)
    assert again.count('finished before') == 2
    assert 'train.py' not in again
    assert table in again
