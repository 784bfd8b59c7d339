import os
import os.path as osp

import cv2
import numpy as np
import pytest

from a3lign_mmaction.video import (BadVideoError, FaceCropper, FaceDetector,
                                   NoFaceError)
from tests.repository import VIDEOS

FACE_VIDEOS = ('WolfgangLanger_Pexels', 'single_face')


@pytest.fixture(scope='module')
def cropped(tmp_path_factory):
    """The two face videos cropped to 112 pixels: name -> (folder, track)."""
    root = tmp_path_factory.mktemp('crops')
    cropper = FaceCropper(size=112)
    result = {}
    for name in FACE_VIDEOS:
        folder = str(root / name)
        track = cropper.crop_to_folder(
            osp.join(VIDEOS, f'{name}.mp4'), folder)
        result[name] = folder, track
    cropper.close()
    return result


def centre_offset(boxes, reference):
    """Distance between box centres, in units of the reference's size."""
    centre = (boxes[:, :2] + boxes[:, 2:4]) / 2
    ref_centre = (reference[:, :2] + reference[:, 2:4]) / 2
    size = (reference[:, 2:4] - reference[:, :2]).max(1)
    return np.linalg.norm(centre - ref_centre, axis=1) / size


@pytest.mark.parametrize('name', FACE_VIDEOS)
def test_face_found_in_nearly_every_frame(cropped, name):
    folder, track = cropped[name]
    assert track.num_detected >= 0.95 * track.num_frames
    assert len(os.listdir(folder)) == track.num_frames
    assert cv2.imread(osp.join(folder, '00001.jpg')).shape == (112, 112, 3)


@pytest.mark.parametrize('name', FACE_VIDEOS)
def test_crop_boxes_are_centred_on_the_detected_face(cropped, name):
    _, track = cropped[name]
    found = track.detected
    offset = centre_offset(track.boxes[found], track.detections[found])
    assert offset.max() < 0.1
    # The crop is a square 1.4 times the face box's longer side.
    side = (track.detections[found, 2:4] -
            track.detections[found, :2]).max(1)
    crop_side = track.boxes[found, 2] - track.boxes[found, 0]
    assert np.allclose(crop_side / side, 1.4, atol=0.1)


@pytest.mark.parametrize('name', FACE_VIDEOS)
def test_face_is_in_the_middle_of_the_written_crops(cropped, name):
    folder, track = cropped[name]
    detector = FaceDetector()
    offsets = []
    for file in sorted(os.listdir(folder))[::10]:
        faces = detector(cv2.imread(osp.join(folder, file)))
        assert len(faces) == 1, file
        offsets.append(centre_offset(np.array([[0, 0, 112, 112.]]), faces))
    detector.close()
    assert np.max(offsets) < 0.15


def test_no_face(tmp_path):
    cropper = FaceCropper()
    with pytest.raises(BadVideoError, match='No face found in .*no_face.mp4 '
                       r'\(in none of its 95 frames\)'):
        cropper.crop_to_folder(
            osp.join(VIDEOS, 'no_face.mp4'), str(tmp_path / 'out'))
    assert os.listdir(tmp_path) == []  # no folder, not even a temporary one


@pytest.mark.parametrize('missing, frames', [('fill', 169), ('drop', 72)])
def test_face_leaving_the_frame(tmp_path, missing, frames):
    # Filled, 72 of 169 kept frames have a detected face (42.6%).
    cropper = FaceCropper(missing=missing, min_detected=0.4)
    track = cropper.crop_to_folder(
        osp.join(VIDEOS, 'face_noface.mov'), str(tmp_path / 'out'))
    assert track.num_detected == 72 and track.num_frames == 169
    assert (track.num_filled if missing == 'fill' else
            track.num_dropped) == 97
    assert len(os.listdir(tmp_path / 'out')) == frames


def test_mostly_filled_clip_is_refused(tmp_path):
    with pytest.raises(NoFaceError, match=r'a face was detected in 72 of '
                       r'the 169 frames its clip would keep \(42\.6%\)'):
        FaceCropper().crop_to_folder(
            osp.join(VIDEOS, 'face_noface.mov'), str(tmp_path / 'out'))
    assert os.listdir(tmp_path) == []
