"""The demo variant of each ablation and peer recipe (docs/benchmark.md)
trains through tools/train.py; tools/test.py scores it as validation did;
compare_runs.py puts the runs in one table."""
import csv
import glob
import os.path as osp

import pytest

from a3lign_mmaction.testing import (logged_validation, run_script,
                                     short_demo_config)
from a3lign_mmaction.utils import latest_test_metrics
from tests.repository import REPO_ROOT

pytestmark = pytest.mark.integration

TRAINED = [
    'a3lign_demo_no-mat', 'a3lign_demo_no-jas', 'a3lign_demo_no-bap',
    'linear-probe_demo', 'dfer-clip_demo', 'videomae_demo'
]
EXPRESSIONS = ('smile', 'frown', 'surprise')


@pytest.fixture(scope='module')
def zero_shot_run(demo_root, tmp_path_factory):
    """A tools/test.py run of the zero-shot demo with no checkpoint; its
    work dir holds its config under the config's name."""
    work_dir = tmp_path_factory.mktemp('zeroshot') / 'work_dir'
    cfg = short_demo_config(
        demo_root, work_dir, stages=None, name='zeroshot-clip_demo.py')
    config = str(work_dir.parent / 'zeroshot-clip_demo.py')
    cfg.dump(config)
    log = run_script(['tools/test.py', config, 'none'], REPO_ROOT)
    return str(work_dir), log


@pytest.mark.parametrize('name', TRAINED)
def test_test_script_scores_as_validation(name, demo_variant_run,
                                          tmp_path):
    work_dir = demo_variant_run(name)
    config, = glob.glob(osp.join(work_dir, '*.py'))
    validation = logged_validation(work_dir)
    last = max(validation)
    run_script([
        'tools/test.py', config,
        osp.join(work_dir, f'epoch_{last}.pth'), '--work-dir', tmp_path
    ], REPO_ROOT)
    validated = validation[last]
    metrics = latest_test_metrics(str(tmp_path))
    for key in ('UAR', 'WAR'):
        assert metrics[key] == validated[key], key


def test_zero_shot_scores_without_training(zero_shot_run):
    work_dir, log = zero_shot_run
    assert 'testing the model as its config builds it' in log
    metrics = latest_test_metrics(work_dir)
    predictions, = glob.glob(osp.join(work_dir, '*', 'predictions.csv'))
    with open(predictions) as f:
        rows = list(csv.DictReader(f))
    assert len(rows) == 12  # the validation clips, 2 per class
    right = sum(row['label'] == row['prediction'] for row in rows)
    assert metrics['WAR'] == pytest.approx(100 * right / 12)


def test_without_jas_cannot_tell_forming_from_fading(demo_variant_run):
    """The mean of the frames is the same for a clip and its mirror, so at
    most one of each pair is right, in every epoch."""
    for epoch, record in logged_validation(
            demo_variant_run('a3lign_demo_no-jas')).items():
        for expression in EXPRESSIONS:
            assert (record[f'recall/{expression} forming'] +
                    record[f'recall/{expression} fading'] <= 100), epoch


def test_compare_runs_table(demo_variant_run, zero_shot_run, tmp_path):
    work_dirs = [demo_variant_run(name) for name in TRAINED]
    out = tmp_path / 'table'
    run_script([
        'tools/analysis/compare_runs.py', *work_dirs, zero_shot_run[0],
        '--out', out
    ], REPO_ROOT)
    with open(f'{out}.csv') as f:
        rows = {row['recipe']: row for row in csv.DictReader(f)}
    assert sorted(rows) == sorted([
        'a3lign_no-mat', 'a3lign_no-jas', 'a3lign_no-bap', 'linear-probe',
        'dfer-clip', 'videomae', 'zeroshot-clip'
    ])
    no_jas = logged_validation(demo_variant_run('a3lign_demo_no-jas'))
    best = max(no_jas.values(), key=lambda r: r['UAR'])
    row = rows['a3lign_no-jas']
    assert float(row['demo/UAR best/mean']) == pytest.approx(best['UAR'])
    assert float(row['demo/WAR last/mean']) == pytest.approx(
        no_jas[max(no_jas)]['WAR'])
    assert float(row['demo/s_per_epoch']) > 0
    assert row['demo/runs'] == '1'
    assert int(rows['zeroshot-clip']['demo/params']) == 0
    assert int(rows['linear-probe']['demo/params']) == 64 * 6 + 6
    assert rows['zeroshot-clip']['demo/s_per_epoch'] == ''
    assert all(int(r['demo/FLOPs']) > 0 for r in rows.values())
    with open(f'{out}.md') as f:
        table = f.read().splitlines()
    assert table[0].startswith('| recipe | demo UAR best | demo WAR best |')
    assert len(table) == 2 + len(rows)
