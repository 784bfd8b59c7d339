import csv

import numpy as np
import pytest
import torch
from mmaction.structures import ActionDataSample
from sklearn.metrics import (accuracy_score, balanced_accuracy_score,
                             confusion_matrix)

from a3lign_mmaction.evaluation import UARWARMetric

CLASSES = ('happy', 'sad', 'neutral', 'angry', 'surprise', 'disgust', 'fear')


def evaluate(labels, preds, **kwargs):
    metric = UARWARMetric(**kwargs)
    metric.dataset_meta = dict(classes=CLASSES)
    samples = []
    for label, pred in zip(labels, preds):
        score = torch.rand(len(CLASSES))
        score[pred] = 2.0
        samples.append(ActionDataSample().set_gt_label(label).set_pred_score(
            score).to_dict())
    metric.process(None, samples)
    return metric.evaluate(len(samples))


@pytest.mark.parametrize('seed', range(5))
def test_equals_scikit_learn(seed, tmp_path):
    rng = np.random.default_rng(seed)
    labels = rng.integers(0, 7, 300)
    preds = rng.integers(0, 7, 300)
    preds[preds == 4] = 5  # a class that is never predicted
    metrics = evaluate(labels.tolist(), preds.tolist(), out_dir=str(tmp_path))
    assert metrics['UAR'] == pytest.approx(
        100 * balanced_accuracy_score(labels, preds), abs=1e-9)
    assert metrics['WAR'] == pytest.approx(
        100 * accuracy_score(labels, preds), abs=1e-9)
    assert metrics['recall/surprise'] == 0
    with open(tmp_path / 'confusion_matrix.csv') as f:
        rows = list(csv.reader(f))
    assert rows[0][1:] == list(CLASSES)
    assert [r[0] for r in rows[1:]] == list(CLASSES)
    counts = np.array([[int(c) for c in r[1:]] for r in rows[1:]])
    np.testing.assert_array_equal(
        counts, confusion_matrix(labels, preds, labels=range(7)))
    assert (tmp_path / 'confusion_matrix.png').stat().st_size > 1000


def test_class_absent_from_labels_is_not_averaged(tmp_path):
    # 'fear' (6) never occurs in the labels but is predicted once; scikit
    # averages recall over the classes present (AccMetric's mean1 does not).
    labels = [0, 0, 1, 1, 2]
    preds = [0, 6, 1, 1, 2]
    metrics = evaluate(labels, preds, out_dir=str(tmp_path))
    assert metrics['UAR'] == pytest.approx(100 * (0.5 + 1 + 1) / 3)
    assert metrics['UAR'] == pytest.approx(
        100 * balanced_accuracy_score(labels, preds))
    assert 'recall/fear' not in metrics


def test_confusion_matrix_without_plot(tmp_path):
    evaluate([0, 1, 2], [0, 1, 1], out_dir=str(tmp_path),
             plot_confusion_matrix=False)
    assert (tmp_path / 'confusion_matrix.csv').is_file()
    assert not (tmp_path / 'confusion_matrix.png').exists()
