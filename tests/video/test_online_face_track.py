import numpy as np
import pytest

from a3lign_mmaction.video import OnlineFaceTrack


def boxes(*rows):
    return np.array([[*row, 0.9] for row in rows], float).reshape(-1, 5)


def test_largest_face_first_then_the_nearest():
    track = OnlineFaceTrack(margin=0, smoothing=1)
    assert track.update(boxes()) is None  # no face yet
    first = track.update(boxes((0, 0, 10, 10), (100, 100, 140, 130)))
    np.testing.assert_allclose(first, [100, 95, 140, 135])  # square, side 40
    # The nearer face wins over a larger one far away.
    second = track.update(boxes((0, 0, 60, 60), (104, 100, 144, 130)))
    np.testing.assert_allclose(second, [104, 95, 144, 135])
    # A frame without a face keeps the last box.
    np.testing.assert_allclose(track.update(boxes()), second)


def test_margin_and_smoothing():
    track = OnlineFaceTrack(margin=0.25, smoothing=0.5)
    np.testing.assert_allclose(
        track.update(boxes((0, 0, 20, 20))), [-5, -5, 25, 25])
    # Half way from centre (10, 10) to (20, 10); the side stays 30.
    np.testing.assert_allclose(
        track.update(boxes((10, 0, 30, 20))), [0, -5, 30, 25])


def test_settings_are_checked():
    with pytest.raises(ValueError, match='0 < smoothing <= 1'):
        OnlineFaceTrack(smoothing=0)
