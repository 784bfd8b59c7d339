import os.path as osp

import numpy as np
import pytest
from mmengine.dataset import Compose

from a3lign_mmaction.video import BadVideoError, FaceCrop, FaceDetector
from tests.repository import VIDEOS


def sampled_frames(name, count=4):
    """``count`` RGB frames sampled from one of the shared videos."""
    pipeline = Compose([
        dict(type='VideoInit'),
        dict(type='SegmentSampleFrames', clip_len=count, test_mode=True),
        dict(type='VideoDecode')
    ])
    return pipeline(
        dict(filename=osp.join(VIDEOS, name), start_index=0))['imgs']


def test_raw_frames_become_face_crops():
    frames = sampled_frames('single_face.mp4')
    results = FaceCrop(size=112)(dict(imgs=frames, img_shape=(360, 640)))
    assert results['face_cropped'] is True
    assert results['img_shape'] == (112, 112)
    detector = FaceDetector()
    for crop in results['imgs']:
        assert crop.shape == (112, 112, 3)
        # The face fills the crop, in its middle (the detector takes BGR).
        box, = detector(np.ascontiguousarray(crop[:, :, ::-1]))[:, :4]
        assert np.abs((box[:2] + box[2:]) / 2 - 56).max() < 0.15 * 112
        assert (box[2:] - box[:2]).max() > 0.5 * 112
    detector.close()


def test_face_crops_pass_unchanged():
    """Clips marked face_cropped (the datasets') meet no face detector."""
    step = FaceCrop()
    imgs = [np.zeros((8, 8, 3), np.uint8)]
    assert step(dict(imgs=imgs, face_cropped=True))['imgs'] is imgs
    assert step._detector is None


def test_frames_without_a_face():
    with pytest.raises(BadVideoError, match='no face'):
        FaceCrop()(dict(imgs=sampled_frames('no_face.mp4'),
                        filename='no_face.mp4'))
