import cv2
import numpy as np
import pytest
from mmengine.dataset import Compose

from a3lign_mmaction.datasets import PREDICTION_META_KEYS, dfer_pipelines


@pytest.fixture
def frame_folder(tmp_path):
    """A folder of 20 face-cropped frames, MMAction2's rawframe layout."""
    rng = np.random.default_rng(0)
    for index in range(1, 21):
        cv2.imwrite(str(tmp_path / f'img_{index:05d}.jpg'),
                    rng.integers(0, 256, (64, 80, 3), np.uint8))
    return str(tmp_path)


def test_size_length_and_views_reach_every_step(frame_folder):
    train, test = dfer_pipelines(
        48, 8, test_clips=2, test_crops=3, decode='RawFrameDecode')
    clip = dict(frame_dir=frame_folder, total_frames=20, label=0,
                start_index=1, filename_tmpl='img_{:05d}.jpg',
                modality='RGB')
    assert Compose(train)(dict(clip))['inputs'].shape == (1, 3, 8, 48, 48)
    tested = Compose(test)(
        dict(filename=frame_folder, face_cropped=True, label=0,
             start_index=0, modality='RGB'))
    assert tested['inputs'].shape == (6, 3, 8, 48, 48)
    assert set(tested['data_samples'].metainfo) >= {'img_shape', 'filename'}


def test_options():
    train, test = dfer_pipelines(224, 16, face_model='blaze.tflite')
    assert [s['type'] for s in train[:3]] == [
        'SegmentSampleFrames', 'FrameListDecode', 'RandomResizedCrop'
    ]
    assert train[2]['area_range'] == (0.6, 1.0)
    train, _ = dfer_pipelines(224, 16, crop_area=None)
    assert 'RandomResizedCrop' not in [s['type'] for s in train]
    face_crop, = [s for s in test if s['type'] == 'FaceCrop']
    assert face_crop['detector'] == dict(model='blaze.tflite')
    assert test[-1]['meta_keys'] == PREDICTION_META_KEYS
