import os.path as osp

import pytest

from a3lign_mmaction.video import VideoInit
from tests.datasets.transforms.frames import write_numbered_frames
from tests.repository import VIDEOS


def test_video_file_is_opened_with_decord():
    results = VideoInit()(
        dict(filename=osp.join(VIDEOS, 'single_face.mp4'), start_index=0))
    assert results['total_frames'] == 72
    assert len(results['video_reader']) == 72


def test_frame_folder_is_listed_in_frame_order(tmp_path):
    write_numbered_frames(str(tmp_path), 12)
    results = VideoInit()(dict(filename=str(tmp_path)))
    assert results['frame_dir'] == str(tmp_path)
    assert results['total_frames'] == 12
    assert results['frame_names'][:3] == ['1.png', '2.png', '3.png']
    assert results['frame_names'][-1] == '12.png'


def test_folder_without_frames(tmp_path):
    with pytest.raises(FileNotFoundError, match=str(tmp_path)):
        VideoInit()(dict(filename=str(tmp_path)))


def test_clips_without_filename_pass_unchanged():
    # A DFER dataset's clip, and frames an MMAction2 demo passes in memory.
    for clip in (dict(frame_dir='/data/c1', frame_names=['1.jpg'],
                      total_frames=1), dict(imgs=[], img_shape=(8, 8)),
                 dict(array=[], frame_inds=[])):
        assert VideoInit()(dict(clip)) == clip
