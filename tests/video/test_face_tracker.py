import numpy as np
import pytest

from a3lign_mmaction.video import FaceCropper, FaceTracker
from tests.repository import VIDEOS
from tests.video.composite_videos import (FACE_NOFACE_FACE, another_face_comes,
                                          face_comes_back, two_faces)

RED, BLUE = (0, 0, 255), (255, 0, 0)


def scene(*faces):
    """A grey frame with coloured squares, and their detections: each face
    is ``(x, y, colour)``, a 40 px square at ``(x, y)``."""
    frame = np.full((240, 320, 3), 128, np.uint8)
    boxes = []
    for x, y, colour in faces:
        frame[y:y + 40, x:x + 40] = colour
        boxes.append([x, y, x + 40, y + 40, 0.9])
    return np.array(boxes, float).reshape(-1, 5), frame


def ids(tracker, *faces):
    """The id of each face, in the order given."""
    boxes, frame = scene(*faces)
    found = tracker.update(boxes, frame)
    return [
        next(i for i, box in found.items() if (box == row).all())
        for row in boxes
    ]


def test_faces_keep_their_ids_as_they_move():
    tracker = FaceTracker()
    assert ids(tracker, (20, 20, RED), (200, 100, BLUE)) == [0, 1]
    # Listed the other way round and moved by less than half a face.
    assert ids(tracker, (215, 110, BLUE), (30, 25, RED)) == [1, 0]
    # The red face is missed for a few frames and goes on where it was.
    for _ in range(5):
        assert ids(tracker, (220, 110, BLUE)) == [1]
    assert ids(tracker, (35, 25, RED), (225, 110, BLUE)) == [0, 1]


def test_face_that_comes_back_gets_its_id_by_its_colours():
    tracker = FaceTracker(max_missing=2)
    assert ids(tracker, (20, 20, RED), (200, 100, BLUE)) == [0, 1]
    for _ in range(30):
        assert ids(tracker, (200, 100, BLUE)) == [1]
    # Back somewhere else, long after: told by its colours.
    assert ids(tracker, (150, 180, RED), (200, 100, BLUE)) == [0, 1]
    # A new face where the red one was: not the same colours, a new id.
    for _ in range(5):
        ids(tracker, (200, 100, BLUE))
    assert ids(tracker, (20, 20, (0, 255, 0)), (200, 100, BLUE)) == [2, 1]


def test_two_faces_at_once_are_two_ids_even_of_the_same_colours():
    tracker = FaceTracker()
    assert ids(tracker, (20, 20, RED), (200, 100, RED)) == [0, 1]
    assert ids(tracker, (25, 20, RED), (205, 100, RED)) == [0, 1]


def test_bad_tracker_arguments():
    with pytest.raises(ValueError, match='max_shift > 0'):
        FaceTracker(max_shift=0)


@pytest.fixture(scope='module')
def cropper():
    cropper = FaceCropper()
    yield cropper
    cropper.close()


def spans(track):
    kept = np.flatnonzero(track.kept)
    return kept[0], kept[-1], track.num_detected


def test_two_real_faces_side_by_side(cropper, tmp_path):
    tracks = cropper.face_tracks(two_faces(str(tmp_path)))
    assert [spans(track) for track in tracks] == [(0, 71, 72)] * 2
    centres = [np.nanmean(t.boxes[:, 0::2]) for t in tracks]
    assert centres[0] < 640 < centres[1]  # ids in the order found


def test_real_face_that_leaves_and_comes_back(cropper, tmp_path):
    tracks = cropper.face_tracks(face_comes_back(str(tmp_path)))
    assert [spans(track) for track in tracks] == [(0, 240, 144)]
    absent = slice(FACE_NOFACE_FACE, 169)
    assert not tracks[0].detected[absent].any()


def test_another_real_face_gets_a_new_id(cropper, tmp_path):
    tracks = cropper.face_tracks(another_face_comes(str(tmp_path)))
    assert [spans(track) for track in tracks] == [(0, 39, 40),
                                                  (80, 119, 40)]


def test_face_that_leaves_keeps_no_box_after(cropper):
    track, = cropper.face_tracks(f'{VIDEOS}/face_noface.mov')
    assert spans(track) == (0, FACE_NOFACE_FACE - 1, FACE_NOFACE_FACE)
    assert track.num_frames == 169
