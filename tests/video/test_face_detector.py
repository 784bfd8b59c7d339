import hashlib
import json
import os.path as osp
import re

import numpy as np
import pytest

from a3lign_mmaction.video import (SHORT_RANGE_MODEL, FaceDetector,
                                   FaceModelError, VideoReader)
from tests.repository import REPO_ROOT, VIDEOS

SOLUTIONS_BOXES = osp.join(REPO_ROOT, 'tests', 'data', 'faces',
                           'blazeface_solutions_boxes.json')


@pytest.fixture(scope='module')
def detector():
    detector = FaceDetector()
    yield detector
    detector.close()


def test_shipped_model_is_the_documented_file():
    readme = open(osp.join(osp.dirname(SHORT_RANGE_MODEL),
                           'README.md')).read()
    digest = re.search(r'SHA-256 `([0-9a-f]{64})`', readme).group(1)
    with open(SHORT_RANGE_MODEL, 'rb') as f:
        assert hashlib.sha256(f.read()).hexdigest() == digest


@pytest.mark.parametrize('video', [
    'WolfgangLanger_Pexels.mp4', 'single_face.mp4', 'face_noface.mov',
    'no_face.mp4'
])
def test_boxes_are_those_of_mediapipe_solutions_api(detector, video):
    """The Tasks API finds the faces the former ``mp.solutions`` API found,
    frame by frame, in whole pixels instead of fractions."""
    with open(SOLUTIONS_BOXES) as f:
        expected = json.load(f)[video]
    found = [detector(frame) for frame in VideoReader(osp.join(VIDEOS,
                                                               video))]
    assert [len(boxes) for boxes in found] == [len(b) for b in expected]
    pairs = [(boxes, np.array(reference))
             for boxes, reference in zip(found, expected) if reference]
    if video == 'no_face.mp4':
        assert not pairs
        return
    offsets = np.concatenate([np.abs(b[:, :4] - r[:, :4]) for b, r in pairs])
    assert offsets.max() < 2.5
    scores = np.concatenate([np.abs(b[:, 4] - r[:, 4]) for b, r in pairs])
    assert scores.max() < 0.01


def test_missing_model_is_named(tmp_path):
    model = str(tmp_path / 'blaze_face_full_range.tflite')
    with pytest.raises(FaceModelError,
                       match=f'face model {re.escape(model)} does not exist'):
        FaceDetector(model=model)


def test_model_mediapipe_cannot_run_is_named(tmp_path):
    model = tmp_path / 'not_a_model.tflite'
    model.write_bytes(b'\0' * 1024)
    with pytest.raises(FaceModelError, match=r'MediaPipe \S+ cannot run the '
                       f'face model {re.escape(str(model))}'):
        FaceDetector(model=str(model))


def test_another_model_file_is_run(detector, tmp_path):
    copy = tmp_path / 'short_range_copy.tflite'
    copy.write_bytes(open(SHORT_RANGE_MODEL, 'rb').read())
    frame = next(iter(VideoReader(osp.join(VIDEOS, 'single_face.mp4'))))
    other = FaceDetector(model=str(copy), min_score=0.9)
    assert other.model == str(copy)
    np.testing.assert_array_equal(other(frame), detector(frame))
    other.close()
