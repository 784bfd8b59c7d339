import os.path as osp

import pytest

from a3lign_mmaction.faces import BadVideoError, VideoReader
from tests.conftest import VIDEOS
from tests.faces.bad_videos import make_bad_videos


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
