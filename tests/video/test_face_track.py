import numpy as np
import pytest

from a3lign_mmaction.video import FaceTrack


def box(cx, cy, side, score=0.9):
    return [cx - side / 2, cy - side / 2, cx + side / 2, cy + side / 2, score]


def frames(*per_frame):
    return [np.array(f, float).reshape(-1, 5) for f in per_frame]


def centres(boxes):
    return (boxes[:, :2] + boxes[:, 2:4]) / 2


def test_starts_with_the_largest_face_then_follows_the_nearest():
    # A small face stays at x=20; the tracked face starts large at x=100
    # and shrinks below the other one while moving to x=110.
    track = FaceTrack.from_detections(
        frames([box(20, 50, 30), box(100, 50, 40)],
               [box(20, 50, 30), box(105, 50, 25)],
               [box(110, 50, 20), box(20, 50, 30)]),
        smooth=1)
    assert centres(track.detections)[:, 0].tolist() == [100, 105, 110]


def test_margin_and_square_box():
    track = FaceTrack.from_detections(
        frames([[10, 20, 50, 100, 0.9]]), margin=0.25, smooth=1)
    # Longer side 80, padded by 25% on each side: a 120-pixel square on the
    # face's centre.
    assert track.boxes[0].tolist() == [-30, 0, 90, 120]


def test_missing_frames_are_filled_from_neighbours():
    track = FaceTrack.from_detections(
        frames([], [box(10, 10, 10)], [], [], [box(40, 10, 10)], []),
        margin=0, smooth=1)
    assert track.detected.tolist() == [0, 1, 0, 0, 1, 0]
    assert centres(track.boxes)[:, 0].tolist() == [10, 10, 20, 30, 40, 40]
    assert (track.num_detected, track.num_filled, track.num_dropped) == (2, 4,
                                                                         0)
    assert track.summary() == ('6 frames, face in 2 (33.3%), 4 filled, '
                               '0 dropped')


def test_missing_frames_can_be_dropped():
    track = FaceTrack.from_detections(
        frames([], [box(10, 10, 10)], [], [box(40, 10, 10)]),
        missing='drop', smooth=1)
    assert track.kept.tolist() == [False, True, False, True]
    assert (track.num_filled, track.num_dropped) == (0, 2)


def test_smoothing_removes_jitter_but_follows_motion():
    rng = np.random.default_rng(0)
    truth = np.linspace(100, 200, 60)  # the face moves right
    jitter = rng.normal(0, 3, 60)
    detections = frames(*[[box(x, 100, 50)] for x in truth + jitter])
    raw = FaceTrack.from_detections(detections, smooth=1)
    smooth = FaceTrack.from_detections(detections, smooth=9)
    error = [np.abs(centres(t.boxes)[4:-4, 0] - truth[4:-4]).mean()
             for t in (raw, smooth)]
    assert error[1] < error[0] / 2
    frame_to_frame = [np.abs(np.diff(centres(t.boxes)[:, 0])).std()
                      for t in (raw, smooth)]
    assert frame_to_frame[1] < frame_to_frame[0] / 3


def test_no_face_keeps_no_frame():
    track = FaceTrack.from_detections(frames([], []))
    assert track.num_detected == 0 and not track.kept.any()


@pytest.mark.parametrize('kwargs', [
    dict(missing='skip'), dict(margin=-0.1), dict(smooth=0)])
def test_bad_arguments(kwargs):
    with pytest.raises(ValueError):
        FaceTrack.from_detections(frames([]), **kwargs)
