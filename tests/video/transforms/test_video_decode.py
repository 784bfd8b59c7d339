import os.path as osp

import numpy as np
import pytest
from mmaction.datasets.transforms import DecordDecode, DecordInit

from a3lign_mmaction.video import VideoDecode, VideoInit
from tests.datasets.transforms.frames import (frame_number,
                                              write_numbered_frames)
from tests.repository import VIDEOS

INDICES = np.array([0, 3, 3, 7])


def test_frames_of_a_folder(tmp_path):
    write_numbered_frames(str(tmp_path), 12)
    results = VideoInit()(dict(filename=str(tmp_path)))
    results = VideoDecode()(dict(results, frame_inds=INDICES))
    assert [frame_number(f) for f in results['imgs']] == INDICES.tolist()
    assert results['img_shape'] == results['original_shape'] == (24, 24)
    # A frame sampled twice is a copy.
    assert results['imgs'][1] is not results['imgs'][2]


def test_frames_of_a_video_as_mmaction2_decodes_them():
    video = dict(filename=osp.join(VIDEOS, 'single_face.mp4'), start_index=0)
    ours = VideoDecode()(dict(VideoInit()(dict(video)), frame_inds=INDICES))
    theirs = DecordDecode()(
        dict(DecordInit()(dict(video)), frame_inds=INDICES))
    assert len(ours['imgs']) == 4
    for mine, reference in zip(ours['imgs'], theirs['imgs']):
        assert np.array_equal(mine, reference)


def test_frames_named_by_a_template(tmp_path):
    # MMAction2's RawframeDataset (and the demo dataset) name frames by a
    # template, 1-based.
    write_numbered_frames(str(tmp_path), 8, 'img_{:05}.jpg')
    results = VideoDecode()(
        dict(
            frame_dir=str(tmp_path),
            filename_tmpl='img_{:05}.jpg',
            modality='RGB',
            frame_inds=np.array([1, 8])))
    assert [frame_number(f) for f in results['imgs']] == [0, 7]


def test_decoded_frames_pass_unchanged():
    imgs = [np.zeros((4, 4, 3), np.uint8)]
    results = VideoDecode()(dict(imgs=imgs, frame_inds=np.arange(1)))
    assert results['imgs'] is imgs


def test_nothing_to_decode():
    with pytest.raises(KeyError, match='VideoInit'):
        VideoDecode()(dict(frame_inds=np.arange(4)))
