import numpy as np
import pytest
import torch
from mmaction.apis import init_recognizer

from a3lign_mmaction.testing import load_config
from a3lign_mmaction.video import FaceCropper, FaceTimeline
from tests.video.composite_videos import (FACE_NOFACE_FACE, face_comes_back,
                                          two_faces)


@pytest.fixture(scope='module')
def scoring():
    """A randomly initialised demo model's scorer settings, and a
    cropper of 48 px faces."""
    cfg = load_config('a3lign_demo.py')
    torch.manual_seed(0)
    model = init_recognizer(cfg, device='cpu')
    cropper = FaceCropper(size=48)
    yield dict(model=model, test_pipeline=cfg.test_pipeline), cropper
    cropper.close()


def test_every_face_scored_as_window_by_window(scoring, tmp_path):
    video = two_faces(str(tmp_path))
    timelines = FaceTimeline.from_video(video, *scoring, window_seconds=1)
    reference = FaceTimeline.from_video(
        video,
        dict(scoring[0], per_window=True),
        scoring[1],
        window_seconds=1)
    assert [t.face_id for t in timelines] == [0, 1]
    for timeline, expected in zip(timelines, reference):
        # 1 s windows (25 frames) every 0.5 s over 72 frames.
        assert timeline.spans.tolist() == [[0, 25], [12, 37], [24, 49],
                                           [36, 61], [47, 72]]
        assert timeline.scored.all() and (timeline.coverage == 1).all()
        assert np.abs(timeline.scores - expected.scores).max() <= 1e-5
        assert np.allclose(timeline.scores.sum(1), 1, atol=1e-5)
    assert not np.allclose(timelines[0].scores, timelines[1].scores)
    # Each frame takes the window whose centre is nearest.
    nearest = timelines[0].frame_windows()
    assert nearest[[0, 18, 19, 71]].tolist() == [0, 0, 1, 4]


def test_face_away_for_a_while_is_not_scored_meanwhile(scoring, tmp_path):
    timeline, = FaceTimeline.from_video(
        face_comes_back(str(tmp_path)), *scoring, window_seconds=1)
    centres = timeline.spans.mean(1)
    away = (centres > FACE_NOFACE_FACE + 12) & (centres < 169 - 12)
    assert away.any() and not timeline.scored[away].any()
    assert (timeline.coverage[away] == 0).all()
    assert timeline.scored[centres < FACE_NOFACE_FACE - 12].all()
    assert timeline.scored[centres > 169 + 12].all()
    # Frames of the gap show the box filled in, labelled by the nearest
    # scored window.
    assert timeline.track.kept.all()
    assert (timeline.frame_windows() >= 0).all()
