import cv2
import numpy as np
import pytest
import torch
from mmaction.apis import init_recognizer

from a3lign_mmaction.testing import load_config
from a3lign_mmaction.video import (WindowScorer, predict_windows,
                                   window_indices, window_spans)
from tests.video.composite_videos import read_frames


@pytest.fixture(scope='module')
def crops():
    """80 RGB frames of a real face video, 48 px square."""
    return [
        cv2.cvtColor(frame, cv2.COLOR_BGR2RGB) for frame in read_frames(
            'WolfgangLanger_Pexels.mp4', (48, 48))[100:180]
    ]


def demo_model(name='a3lign_demo.py', **changes):
    """A randomly initialised model of a demo config, and the config."""
    cfg = load_config(name)
    for step in cfg.test_pipeline:
        step.update(changes.get(step['type'], {}))
    torch.manual_seed(0)
    return init_recognizer(cfg, device='cpu'), cfg


def per_window(scorer, crops, indices):
    return predict_windows(scorer.model, crops, indices, scorer.pipeline,
                           True, scorer.num_clips)


def test_each_frame_through_the_tower_once_same_scores(crops):
    model, cfg = demo_model()
    scorer = WindowScorer(model, cfg.test_pipeline, batch_size=16)
    # Windows of 50 frames every 4 frames: 16 sampled frames each.
    indices = window_indices(window_spans(80, 25, 2, 0.16), scorer.sampler)
    assert indices.shape == (9, 16)
    scores = scorer(indices, crops)
    assert np.abs(scores - per_window(scorer, crops, indices)).max() <= 1e-5
    assert scores.shape == (9, 6)
    frames = len(np.unique(indices))
    assert scorer.embedded == frames < indices.size / 2
    # Stored: the same windows again cost no tower pass.
    assert np.array_equal(scorer(indices), scores)
    assert scorer.embedded == frames


def test_several_clips_and_test_crops_per_window(crops):
    model, cfg = demo_model(
        SegmentSampleFrames=dict(num_clips=2), ViewCrops=dict(crops=3))
    scorer = WindowScorer(model, cfg.test_pipeline)
    indices = window_indices(window_spans(80, 25, 2, 0.5), scorer.sampler)
    assert indices.shape == (4, 32)
    scores = scorer(indices, crops)
    assert np.abs(scores - per_window(scorer, crops, indices)).max() <= 1e-5


def test_live_stream_adds_and_forgets_frames(crops):
    model, cfg = demo_model()
    scorer = WindowScorer(model, cfg.test_pipeline)
    window = np.arange(0, 32, 2)[None]
    stream = {}
    for index, crop in enumerate(crops[:40]):
        stream[index] = crop
        scorer.add({index: crop})
    first = scorer(window)
    later = scorer(window + 8)
    assert np.abs(later - per_window(scorer, crops, window + 8)).max() \
        <= 1e-5
    assert not np.allclose(first, later)
    scorer.forget(8)
    assert np.array_equal(scorer(window + 8), later)
    with pytest.raises(KeyError):
        scorer(window)


def test_backbone_of_whole_clips_scores_each_window(crops):
    """X3D takes a window's frames together: each window goes through
    the inference API, its frames through the backbone every time."""
    model, cfg = demo_model('a3lign_demo_x3d-s.py')
    scorer = WindowScorer(model, cfg.test_pipeline)
    assert not scorer.per_frame
    indices = window_indices(window_spans(80, 25, 2, 1), scorer.sampler)
    scores = scorer(indices, crops)
    assert np.array_equal(scores, per_window(scorer, crops, indices))
    assert scorer.embedded == indices.size


def test_per_window_path_and_bad_indices(crops):
    model, cfg = demo_model()
    scorer = WindowScorer(model, cfg.test_pipeline, per_window=True)
    assert not scorer.per_frame
    with pytest.raises(ValueError, match=r'must be \(windows, frames\)'):
        scorer(np.arange(16), crops)
