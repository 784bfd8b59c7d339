"""demo/demo_video.py end to end on a real video, with a checkpoint trained
by the demo config."""
import csv
import json
import os.path as osp
import re
import shutil

import cv2
import numpy as np
import pytest

from a3lign_mmaction.datasets import DEMO_CLASSES
from a3lign_mmaction.testing import run_script
from a3lign_mmaction.video import VideoReader
from tests.repository import REPO_ROOT, VIDEOS
from tests.video.bad_videos import cut_front_indexed

pytestmark = pytest.mark.integration


@pytest.fixture
def trained(trained_demo):
    return trained_demo


def demo_video(video, trained, *args, expect=0):
    return run_script(
        [osp.join(REPO_ROOT, 'demo', 'demo_video.py'), video, *trained, *args],
        REPO_ROOT,
        expect=expect)


def test_demo_on_a_real_video(trained, tmp_path):
    video = osp.join(VIDEOS, 'WolfgangLanger_Pexels.mp4')
    out = tmp_path / 'out'
    output = demo_video(video, trained, '--out-dir', str(out),
                        '--stride-seconds', '1', '--video-out',
                        str(tmp_path / 'boxes.mp4'))
    assert '472 frames, face in 472 (100.0%)' in output
    # Windows of 2.8 s (the demo's dataset states no clip length: DFEW's)
    # at 23.976 fps: 67 frames, one every 24 frames, and one that ends at
    # frame 471.
    starts = list(range(0, 406, 24)) + [405]
    with open(out / 'predictions.csv') as f:
        rows = list(csv.DictReader(f))
    assert [int(r['start_frame']) for r in rows] == starts
    assert [int(r['end_frame']) for r in rows] == [s + 66 for s in starts]
    assert float(rows[1]['start_s']) == pytest.approx(24 / 23.976, abs=1e-3)
    assert float(rows[1]['end_s']) == pytest.approx(91 / 23.976, abs=1e-3)
    scores = np.array([[float(r[c]) for c in DEMO_CLASSES] for r in rows])
    assert np.allclose(scores.sum(1), 1, atol=1e-4)
    assert [r['top_class']
            for r in rows] == [DEMO_CLASSES[i] for i in scores.argmax(1)]
    with open(out / 'predictions.json') as f:
        result = json.load(f)
    assert result['classes'] == list(DEMO_CLASSES)
    assert result['frames'] == 472 and len(result['windows']) == len(rows)
    assert result['window_seconds'] == 2.8
    assert result['sampler'] == ('SegmentSampleFrames(clip_len=16, '
                                 'num_clips=1, test_mode=True)')
    plot = cv2.imread(str(out / 'timeline.png'))
    assert plot.shape == (400, 1000, 3)
    annotated = VideoReader(str(tmp_path / 'boxes.mp4'))
    assert annotated.size == (640, 360) and annotated.num_frames == 472


def test_zero_shot_demo_needs_no_checkpoint(tmp_path):
    out = tmp_path / 'out'
    demo_video(
        osp.join(VIDEOS, 'WolfgangLanger_Pexels.mp4'),
        [osp.join(REPO_ROOT, 'configs', 'zeroshot-clip_demo.py'), 'none'],
        '--out-dir', str(out), '--stride-seconds', '6')
    with open(out / 'predictions.csv') as f:
        rows = list(csv.DictReader(f))
    scores = np.array([[float(r[c]) for c in DEMO_CLASSES] for r in rows])
    assert len(rows) == 4 and np.allclose(scores.sum(1), 1, atol=1e-4)
    with open(out / 'predictions.json') as f:
        assert json.load(f)['checkpoint'] == 'none'


def test_demo_on_a_video_with_no_face(trained, tmp_path):
    output = demo_video(
        osp.join(VIDEOS, 'no_face.mp4'),
        trained,
        '--out-dir',
        str(tmp_path / 'out'),
        expect=1)
    assert 'error: No face found in' in output
    assert 'Traceback' not in output
    assert not (tmp_path / 'out').exists()


def test_demo_on_a_truncated_video(trained, tmp_path):
    video = cut_front_indexed(str(tmp_path))
    out = tmp_path / 'out'
    output = demo_video(video, trained, '--out-dir', str(out), expect=1)
    assert f'error: {video} is truncated: 23 of the 72 frames' in output
    assert 'Traceback' not in output and not out.exists()
    demo_video(video, trained, '--out-dir', str(out), '--allow-partial')
    with open(out / 'predictions.json') as f:
        assert json.load(f)['frames'] == 23


def test_demo_refuses_a_checkpoint_of_another_config(trained, tmp_path):
    video = osp.join(VIDEOS, 'single_face.mp4')
    out = tmp_path / 'out'
    output = demo_video(
        video,
        trained,
        '--out-dir',
        str(out),
        '--cfg-options',
        'model.cls_head.num_tokens=4',
        expect=1)
    assert 'The checkpoint does not fit this CLIPRecognizer' in output
    assert 'cls_head.prompts: checkpoint' in output and not out.exists()


def test_windows_with_too_little_face_are_not_scored(trained, tmp_path):
    """face_noface.mov: the face leaves the frame after 72 of 169 frames;
    the track fills the rest from the last box (sky). Windows mostly of
    filled frames get their face coverage and no class."""
    video = osp.join(VIDEOS, 'face_noface.mov')
    out = tmp_path / 'out'
    output = demo_video(video, trained, '--out-dir', str(out),
                        '--window-seconds', '1', '--video-out',
                        str(tmp_path / 'boxes.mp4'))
    assert re.search(
        r'(\d+) of (\d+) windows show a detected face in fewer '
        r'than 50% of their frames .*: not scored '
        r'\(--min-face-coverage\)', output)
    with open(out / 'predictions.csv') as f:
        rows = list(csv.DictReader(f))
    coverage = np.array([float(r['face_coverage']) for r in rows])
    scored = [r for r in rows if r['top_class']]
    assert 0 < len(scored) < len(rows)
    for row, share in zip(rows, coverage):
        assert bool(row['top_class']) == (share >= 0.5)
        assert (row[DEMO_CLASSES[0]] == '') == (share < 0.5)
    # The first windows hold the face, the last ones none of it.
    assert coverage[0] == 1 and coverage[-1] == 0
    with open(out / 'predictions.json') as f:
        windows = json.load(f)['windows']
    assert windows[-1]['scores'] is None
    assert windows[0]['face_coverage'] == 1.0


def test_video_with_a_254_character_name(trained, tmp_path):
    name = 'n' * 250
    video = tmp_path / f'{name}.mp4'
    shutil.copy(osp.join(VIDEOS, 'single_face.mp4'), video)
    out = tmp_path / name
    output = demo_video(str(video), trained, '--out-dir', str(out))
    assert f'Results in {out}' in output
    assert (out / 'predictions.csv').is_file()
