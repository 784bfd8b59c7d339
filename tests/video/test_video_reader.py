import os.path as osp

import pytest

from a3lign_mmaction.video import BadVideoError, VideoReader
from tests.repository import VIDEOS
from tests.video.bad_videos import cut_front_indexed, make_bad_videos


@pytest.fixture(scope='module')
def bad_videos(tmp_path_factory):
    return make_bad_videos(str(tmp_path_factory.mktemp('bad')))


def test_reads_every_frame():
    reader = VideoReader(osp.join(VIDEOS, 'single_face.mp4'))
    frames = list(reader)
    assert len(frames) == reader.num_frames == 72
    assert frames[0].shape == (360, 640, 3) and reader.size == (640, 360)
    assert reader.fps == pytest.approx(30)


def test_mov_with_hevc():
    reader = VideoReader(osp.join(VIDEOS, 'face_noface.mov'))
    assert sum(1 for _ in reader) == reader.num_frames == 169


@pytest.mark.parametrize('kind', [
    'text', 'truncated', 'codec', 'zero_length', 'no_stream', 'missing'])
def test_bad_input_has_a_clear_message(bad_videos, kind):
    path, message = bad_videos[kind]
    with pytest.raises(BadVideoError) as error:
        list(VideoReader(path))
    assert str(error.value).startswith(path + message)


def test_truncated_video_with_its_index_in_front(tmp_path, mmengine_log):
    path = cut_front_indexed(str(tmp_path))
    reader = VideoReader(path)
    assert reader.num_frames == 72  # what the header lists
    with pytest.raises(BadVideoError,
                       match=rf'^{path} is truncated: 23 of the 72 frames '
                       r'its header lists decode \(0.8 s of 2.4 s\)\. '
                       'Nothing was written.*--allow-partial'):
        list(reader)
    assert len(list(VideoReader(path, allow_partial=True))) == 23
    assert 'using the frames that decode (allow_partial)' in \
        mmengine_log.text
    # Whole videos, and a frame or two short of the header, pass.
    whole = osp.join(tmp_path, 'single_face_faststart.mp4')
    assert len(list(VideoReader(whole))) == 72
    short = VideoReader(whole)
    short.num_frames += VideoReader.TOLERANCE_FRAMES
    assert len(list(short)) == 72
