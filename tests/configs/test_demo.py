"""The embedded demo learns what only the order of the frames tells: each
expression forming and the same expression fading hold the same frames.
Read from the session's demo run, the README's quick start."""
import os.path as osp

import pytest

from a3lign_mmaction.testing import logged_validation

pytestmark = pytest.mark.integration

CHANCE = 100 / 6
EXPRESSIONS = ('smile', 'frown', 'surprise')


@pytest.fixture(scope='module')
def validation(demo_run):
    return logged_validation(osp.join(demo_run, 'work_dirs', 'a3lign_demo'))


def test_temporal_mean_cannot_tell_forming_from_fading(validation):
    """BAP stage 1 (epochs 1-10) scores through the temporal mean: a forming
    clip and its fading mirror get one prediction, so at most one of each
    pair is right."""
    for epoch in (5, 10):
        assert validation[epoch]['UAR'] <= 50 + 1e-6, epoch


def test_stage_3_learns_the_order(validation):
    best = max(validation.values(), key=lambda record: record['UAR'])
    assert best['step'] > 20  # a stage-3 epoch
    assert best['UAR'] > 5 * CHANCE
    # A model that told the expressions apart alone would sit at or below
    # 50% on one of each pair.
    for expression in EXPRESSIONS:
        forming = best[f'recall/{expression} forming']
        fading = best[f'recall/{expression} fading']
        assert forming + fading > 150, (expression, forming, fading)
