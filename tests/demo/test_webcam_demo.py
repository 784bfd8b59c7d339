"""demo/webcam_demo.py with a real video standing in for a camera."""
import os.path as osp
import re
import sys

import cv2
import pytest

from a3lign_mmaction.testing import run_command, run_script
from tests.repository import REPO_ROOT, VIDEOS
from tests.video.bad_videos import cut_front_indexed


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
    fps, windows, rate = re.search(
        r'472 frames in [\d.]+ s: ([\d.]+) frames/s; the model scored '
        r'(\d+) windows of 67 frames at ([\d.]+) windows/s', output).groups()
    assert float(fps) > 0 and float(rate) > 0
    # Windows of 2.8 s at 23.976 fps: 67 frames. One every 4 frames once
    # 67 crops are in (a face in every frame): at frames 68, 72, ..., 472.
    assert int(windows) == len(range(68, 473, 4))


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
