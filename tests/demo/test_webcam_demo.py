"""demo/webcam_demo.py with a real video standing in for a camera."""
import os.path as osp
import re
import sys

import cv2
import pytest

from a3lign_mmaction.testing import run_command, run_script
from tests.repository import REPO_ROOT, VIDEOS
from tests.video.bad_videos import cut_front_indexed
from tests.video.composite_videos import two_faces


@pytest.mark.integration
def test_annotated_video_of_every_frame_and_fps(trained_demo, tmp_path):
    video = osp.join(VIDEOS, 'WolfgangLanger_Pexels.mp4')
    out = str(tmp_path / 'live.mp4')
    output = run_script([
        osp.join(REPO_ROOT, 'demo', 'webcam_demo.py'), *trained_demo,
        '--video', video, '--out', out
    ], tmp_path)
    frames = int(cv2.VideoCapture(video).get(cv2.CAP_PROP_FRAME_COUNT))
    written = cv2.VideoCapture(out)
    assert int(written.get(cv2.CAP_PROP_FRAME_COUNT)) == frames == 472
    fps, windows, rate, embedded = re.search(
        r'472 frames in [\d.]+ s: ([\d.]+) frames/s, 1 face\(s\); the '
        r'model scored (\d+) windows of 67 frames at ([\d.]+) windows/s, '
        r'(\d+) frames through the image tower', output).groups()
    assert float(fps) > 0 and float(rate) > 0
    # Windows of 2.8 s at 23.976 fps: 67 frames. One every 4 crops once
    # 67 crops are in (a face in every frame): at crops 67, 71, ..., 471.
    assert int(windows) == len(range(67, 473, 4))
    # Each frame the windows sample, once: 16 for the first window, then
    # 4 more for each window 4 frames later (the sampled frames move on).
    assert int(embedded) <= 16 + 4 * (int(windows) - 1)


def test_every_face_live(tmp_path):
    """Both faces of a real two-face video, each with its own windows,
    through the zero-shot recipe (no checkpoint)."""
    output = run_script([
        osp.join(REPO_ROOT, 'demo', 'webcam_demo.py'),
        osp.join(REPO_ROOT, 'configs', 'zeroshot-clip_demo.py'), 'none',
        '--video',
        two_faces(str(tmp_path)), '--window-seconds', '1', '--out',
        str(tmp_path / 'live.mp4')
    ], tmp_path)
    # 25-frame windows every 4 crops: crops 25, 29, ..., 69 of each face.
    assert re.search(
        r'^72 frames in .* 2 face\(s\); the model scored 24 windows of '
        r'25 frames', output, re.M)


def test_show_without_a_display_says_what_to_do(monkeypatch, tmp_path):
    monkeypatch.delenv('DISPLAY', raising=False)
    output = run_script([
        osp.join(REPO_ROOT, 'demo', 'webcam_demo.py'),
        osp.join(REPO_ROOT, 'configs', 'a3lign_demo.py'), 'none.pth', '--show'
    ],
                        tmp_path,
                        expect=1)
    assert '--show needs a display; write the frames with --out' in output


@pytest.mark.integration
def test_truncated_video_is_refused_unless_allowed(trained_demo, tmp_path):
    video = cut_front_indexed(str(tmp_path))
    out = tmp_path / 'live.mp4'
    command = [
        sys.executable,
        osp.join(REPO_ROOT, 'demo', 'webcam_demo.py'), *trained_demo,
        '--video', video, '--out',
        str(out)
    ]
    output = run_command(command, tmp_path, expect=1)
    assert f'error: {video} is truncated: 23 of the 72 frames' in output
    assert 'Traceback' not in output and not out.exists()
    output = run_command([*command, '--allow-partial'], tmp_path)
    assert re.search(r'^23 frames in ', output, re.M)
    assert out.exists()
