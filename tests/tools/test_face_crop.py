"""tools/face_crop.py on the real test videos, run as a user would."""
import os
import os.path as osp
import shutil
import signal
import subprocess
import sys
import time

import pytest

from a3lign_mmaction.datasets import DFEWDataset
from a3lign_mmaction.testing import run_command
from a3lign_mmaction.video import SHORT_RANGE_MODEL
from tests.repository import REPO_ROOT, VIDEOS
from tests.video.bad_videos import cut_front_indexed, make_bad_videos

pytestmark = pytest.mark.release


def face_crop(*args, expect=0, cwd=REPO_ROOT):
    return run_command(
        [sys.executable, osp.join(REPO_ROOT, 'tools', 'face_crop.py'), *args],
        cwd, expect=expect)


def test_crops_load_in_the_dfew_dataset(tmp_path):
    out = tmp_path / 'crops'
    output = face_crop(
        osp.join(VIDEOS, 'WolfgangLanger_Pexels.mp4'),
        osp.join(VIDEOS, 'single_face.mp4'), '--out-dir', str(out),
        '--size', '112', '--label', '3', '--workers', '2')
    assert ('WolfgangLanger_Pexels: 472 frames, face in 472 (100.0%), '
            '0 filled, 0 dropped') in output
    assert 'single_face: 72 frames, face in 72 (100.0%)' in output
    dataset = DFEWDataset(
        data_root=str(out),
        ann_file=str(out / 'faces.txt'),
        split='test',
        pipeline=[
            dict(type='SegmentSampleFrames', clip_len=16, test_mode=True),
            dict(type='FrameListDecode')
        ])
    assert len(dataset) == 2
    clip = dataset[0]
    assert clip['label'] == 3 and clip['total_frames'] == 472
    assert len(clip['imgs']) == 16 and clip['imgs'][0].shape == (112, 112, 3)
    # A second run finds the folders and only rewrites the list.
    output = face_crop(
        str(VIDEOS), '--out-dir', str(out), '--size', '112', expect=1)
    assert '2 videos cropped before, skipped' in output
    # no_face and kinetics_test have no face; face_noface has one in 72 of
    # its 169 frames, too few with the missing frames filled.
    assert '2 clips listed' in output
    face_noface = osp.join(VIDEOS, 'face_noface.mov')
    assert (f'error: {face_noface}: a face was detected in 72 of the 169 '
            'frames its clip would keep (42.6%), fewer than min_detected '
            '(50%); the other crops would be guesses. Keep only the '
            'detected frames with --missing drop, or lower --min-detected.'
            ) in output
    assert not (out / 'face_noface').exists()
    output = face_crop(face_noface, '--out-dir', str(out), '--size', '112',
                       '--min-detected', '0.4')
    assert len(os.listdir(out / 'face_noface')) == 169


def test_no_face_is_a_clear_error(tmp_path):
    output = face_crop(
        osp.join(VIDEOS, 'no_face.mp4'), '--out-dir', str(tmp_path / 'out'),
        expect=1)
    assert 'error: No face found in' in output
    assert 'Traceback' not in output
    assert os.listdir(tmp_path / 'out') == ['.lock']  # no clip folder


def test_face_leaving_the_frame_is_reported(tmp_path):
    output = face_crop(
        osp.join(VIDEOS, 'face_noface.mov'), '--out-dir', str(tmp_path),
        '--missing', 'drop')
    assert ('face_noface: 169 frames, face in 72 (42.6%), 0 filled, '
            '97 dropped') in output
    assert len(os.listdir(tmp_path / 'face_noface')) == 72


def test_bad_inputs(tmp_path):
    bad = make_bad_videos(str(tmp_path))
    del bad['missing']  # refused before any work, see below
    output = face_crop(
        *(path for path, _ in bad.values()), '--out-dir',
        str(tmp_path / 'out'), expect=1)
    for path, message in bad.values():
        assert f'error: {path}{message}' in output
    assert f'{len(bad)} of {len(bad)} videos failed' in output
    assert 'Traceback' not in output
    assert os.listdir(tmp_path / 'out') == ['.lock']  # no clip folder


def test_missing_input(tmp_path):
    output = face_crop(
        str(tmp_path / 'nothing.mp4'), '--out-dir', str(tmp_path), expect=1)
    assert 'nothing.mp4: no such file or folder' in output


def test_truncated_video_is_refused_unless_allowed(tmp_path):
    video = cut_front_indexed(str(tmp_path))
    out = tmp_path / 'out'
    output = face_crop(video, '--out-dir', str(out), expect=1)
    assert f'{video} is truncated: 23 of the 72 frames' in output
    assert not list(out.glob('single_face_cut/*.jpg'))
    output = face_crop(video, '--out-dir', str(out), '--allow-partial')
    assert 'using the frames that decode (allow_partial)' in output
    assert len(list(out.glob('single_face_cut/*.jpg'))) == 23


def test_full_disk_leaves_no_partial_clip(small_disk):
    """A clip whose crops do not all fit is not kept, so a rerun after
    space is freed crops it instead of skipping it."""
    out = small_disk / 'crops'
    videos = [osp.join(VIDEOS, name)
              for name in ('single_face.mp4', 'WolfgangLanger_Pexels.mp4')]
    # At 112 px the short video's 72 crops fit in 1 MB, the long one's 472
    # do not.
    output = face_crop(*videos, '--out-dir', str(out), '--size', '112',
                       expect=1)
    assert (f'error: {videos[1]}: its crops could not be written to '
            f'{out}/WolfgangLanger_Pexels ([Errno 28] No space left on '
            'device') in output
    assert 'Traceback' not in output
    # The clip that fits is whole; the other left nothing behind.
    assert sorted(os.listdir(out)) == ['.lock', 'faces.txt', 'single_face']
    assert len(os.listdir(out / 'single_face')) == 72
    subprocess.run(['mount', '-o', 'remount,size=64m', str(small_disk)],
                   check=True)
    output = face_crop(*videos, '--out-dir', str(out), '--size', '112')
    assert '1 videos cropped before, skipped' in output
    assert len(os.listdir(out / 'WolfgangLanger_Pexels')) == 472
    assert '2 clips listed' in output


def test_video_with_a_254_character_name(tmp_path):
    name = 'n' * 250
    video = tmp_path / f'{name}.mp4'
    shutil.copy(osp.join(VIDEOS, 'single_face.mp4'), video)
    output = face_crop(str(video), '--out-dir', str(tmp_path / 'out'))
    assert f'{name}: 72 frames, face in 72 (100.0%)' in output
    assert len(os.listdir(tmp_path / 'out' / name)) == 72


def test_second_run_into_the_folder_is_refused(tmp_path):
    out = tmp_path / 'out'
    first = subprocess.Popen([
        sys.executable,
        osp.join(REPO_ROOT, 'tools', 'face_crop.py'),
        osp.join(VIDEOS, 'WolfgangLanger_Pexels.mp4'), '--out-dir', str(out)
    ], cwd=REPO_ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    lock = out / '.lock'
    while not (lock.exists() and lock.read_text()) and first.poll() is None:
        time.sleep(0.05)
    # Paused, the first run holds the folder however long the second one
    # takes to start.
    first.send_signal(signal.SIGSTOP)
    try:
        output = face_crop(osp.join(VIDEOS, 'single_face.mp4'), '--out-dir',
                           str(out), expect=1)
    finally:
        first.send_signal(signal.SIGCONT)
    assert (f'error: {out} is in use: another job writes this face-crop '
            f'folder (host ') in output and f'pid {first.pid}' in output
    assert first.wait() == 0
    assert sorted(os.listdir(out)) == ['.lock', 'WolfgangLanger_Pexels',
                                       'faces.txt']


def test_face_model_option(tmp_path):
    video = osp.join(VIDEOS, 'single_face.mp4')
    broken = tmp_path / 'not_a_model.tflite'
    broken.write_bytes(b'\0' * 1024)
    output = face_crop(video, '--out-dir', str(tmp_path / 'out'),
                       '--face-model', str(broken), '--workers', '2',
                       expect=1)
    assert f'cannot run the face model {broken}' in output
    assert 'Traceback' not in output
    assert not (tmp_path / 'out').exists()
    copy = tmp_path / 'short_range_copy.tflite'
    shutil.copy(SHORT_RANGE_MODEL, copy)
    output = face_crop(video, '--out-dir', str(tmp_path / 'out'),
                       '--face-model', str(copy))
    assert 'single_face: 72 frames, face in 72 (100.0%)' in output
