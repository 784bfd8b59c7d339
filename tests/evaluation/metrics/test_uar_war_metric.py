import csv

import numpy as np
import pytest
import torch
from mmaction.structures import ActionDataSample
from sklearn.metrics import (accuracy_score, balanced_accuracy_score,
                             confusion_matrix, f1_score)

from a3lign_mmaction.evaluation import UARWARMetric

CLASSES = ('happy', 'sad', 'neutral', 'angry', 'surprise', 'disgust', 'fear')


def data_samples(labels, preds, clips=None):
    """Data samples as the test loop gives them to the metric, with the
    clip's ``frame_dir`` where ``clips`` are given."""
    samples = []
    for index, (label, pred) in enumerate(zip(labels, preds)):
        score = torch.rand(len(CLASSES))
        score[pred] = 2.0
        sample = ActionDataSample().set_gt_label(label).set_pred_score(
            score.softmax(0))
        if clips is not None:
            sample.set_metainfo(dict(frame_dir=clips[index]))
        samples.append(sample.to_dict())
    return samples


def evaluate(labels, preds, **kwargs):
    metric = UARWARMetric(**kwargs)
    metric.dataset_meta = dict(classes=CLASSES)
    samples = data_samples(labels, preds)
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
    for average in ('macro', 'weighted'):
        assert metrics[f'F1_{average}'] == pytest.approx(
            100 * f1_score(labels, preds, average=average), abs=1e-9)
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
    # F1 averages over the classes in the labels or the predictions.
    for average in ('macro', 'weighted'):
        assert metrics[f'F1_{average}'] == pytest.approx(
            100 * f1_score(labels, preds, average=average))


def test_confusion_matrix_without_plot(tmp_path):
    evaluate([0, 1, 2], [0, 1, 1], out_dir=str(tmp_path),
             plot_confusion_matrix=False)
    assert (tmp_path / 'confusion_matrix.csv').is_file()
    assert not (tmp_path / 'confusion_matrix.png').exists()


def test_predictions_csv(tmp_path):
    labels, preds = [0, 1, 2, 2], [0, 2, 2, 6]
    clips = [f'/data/DFEW/{i:05d}' for i in range(1, 5)]
    metric = UARWARMetric(out_dir=str(tmp_path), save_predictions=True)
    metric.dataset_meta = dict(classes=CLASSES)
    samples = data_samples(labels, preds, clips)
    # Two batches, as the test loop hands them over.
    metric.process(None, samples[:3])
    metric.process(None, samples[3:])
    metric.evaluate(len(samples))
    with open(tmp_path / 'predictions.csv') as f:
        rows = list(csv.DictReader(f))
    assert [r['clip'] for r in rows] == clips
    assert [r['label'] for r in rows] == [CLASSES[i] for i in labels]
    assert [r['prediction'] for r in rows] == [CLASSES[i] for i in preds]
    for row, sample in zip(rows, samples):
        probabilities = [float(row[name]) for name in CLASSES]
        np.testing.assert_allclose(probabilities, sample['pred_score'],
                                   atol=1e-6)


def test_no_predictions_csv_unless_asked(tmp_path):
    evaluate([0, 1], [0, 1], out_dir=str(tmp_path))
    assert not (tmp_path / 'predictions.csv').exists()
