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
from tests.video.composite_videos import face_comes_back, two_faces

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
    assert re.search(
        r'^face 0: frames 0-471, detected in 472; 18 of 18 windows scored',
        output, re.M)
    assert re.search(r'^472 frames in [\d.]+ s: [\d.]+ frames/s, 1 face',
                     output, re.M)
    # A progress bar over the frames for each pass: tracking, cropping.
    assert output.count('] 472/472, ') == 2
    # Windows of 2.8 s (the demo's dataset states no clip length: DFEW's)
    # at 23.976 fps: 67 frames, one every 24 frames, and one that ends at
    # frame 471.
    starts = list(range(0, 406, 24)) + [405]
    rows = read_rows(out)
    assert {r['face'] for r in rows} == {'0'}
    assert [int(r['start_frame']) for r in rows] == starts
    assert [int(r['end_frame']) for r in rows] == [s + 66 for s in starts]
    assert float(rows[1]['start_s']) == pytest.approx(24 / 23.976, abs=1e-3)
    assert float(rows[1]['end_s']) == pytest.approx(91 / 23.976, abs=1e-3)
    scores = class_scores(rows)
    assert np.allclose(scores.sum(1), 1, atol=1e-4)
    assert [r['top_class']
            for r in rows] == [DEMO_CLASSES[i] for i in scores.argmax(1)]
    with open(out / 'predictions.json') as f:
        result = json.load(f)
    assert result['classes'] == list(DEMO_CLASSES)
    assert result['frames'] == 472 and result['window_seconds'] == 2.8
    face, = result['faces']
    assert (face['face'], face['first_frame'], face['last_frame'],
            face['face_detected']) == (0, 0, 471, 472)
    assert len(face['windows']) == len(rows)
    assert result['sampler'] == ('SegmentSampleFrames(clip_len=16, '
                                 'num_clips=1, test_mode=True)')
    plot = cv2.imread(str(out / 'timeline.png'))
    assert plot.shape == (320, 1000, 3)
    annotated = VideoReader(str(tmp_path / 'boxes.mp4'))
    assert annotated.size == (640, 360) and annotated.num_frames == 472


def read_rows(out):
    with open(out / 'predictions.csv') as f:
        return list(csv.DictReader(f))


def class_scores(rows):
    return np.array([[float(r[c] or 'nan') for c in DEMO_CLASSES]
                     for r in rows])


def test_every_face_of_a_real_two_face_video(trained, tmp_path):
    video = two_faces(str(tmp_path))
    output = demo_video(video, trained, '--out-dir',
                        str(tmp_path / 'out'), '--window-seconds', '1',
                        '--video-out', str(tmp_path / 'boxes.mp4'))
    assert re.search(r'^72 frames in .*, 2 face\(s\)', output, re.M)
    rows = read_rows(tmp_path / 'out')
    # A row per face and window: 1 s windows every 0.5 s over 72 frames.
    assert [(r['face'], r['window']) for r in rows] == [
        (face, str(window)) for face in '01' for window in range(5)
    ]
    plot = cv2.imread(str(tmp_path / 'out' / 'timeline.png'))
    assert plot.shape == (540, 1000, 3)  # a row per face
    # Each face's box is drawn, in its half of the frame.
    source, drawn = (next(iter(VideoReader(path)))
                     for path in (video, str(tmp_path / 'boxes.mp4')))
    changed = np.abs(drawn.astype(int) - source).max(2) > 80
    assert changed[:, :640].sum() > 500 and changed[:, 640:].sum() > 500
    # Each frame through the image tower once: the same scores as each
    # window on its own through MMAction2's inference API.
    demo_video(video, trained, '--out-dir', str(tmp_path / 'reference'),
               '--window-seconds', '1', '--per-window')
    reference = read_rows(tmp_path / 'reference')
    assert np.abs(class_scores(rows) -
                  class_scores(reference)).max() <= 1e-5


def test_zero_shot_demo_needs_no_checkpoint(tmp_path):
    out = tmp_path / 'out'
    demo_video(
        osp.join(VIDEOS, 'WolfgangLanger_Pexels.mp4'),
        [osp.join(REPO_ROOT, 'configs', 'zeroshot-clip_demo.py'), 'none'],
        '--out-dir', str(out), '--stride-seconds', '6')
    rows = read_rows(out)
    scores = class_scores(rows)
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
    """The face of face_noface.mov leaves after 72 frames and comes back
    97 frames later; the track fills the frames between from the boxes
    around them. Windows mostly of filled frames get their face coverage
    and no class."""
    out = tmp_path / 'out'
    output = demo_video(
        face_comes_back(str(tmp_path)), trained, '--out-dir', str(out),
        '--window-seconds', '1')
    assert ('Windows in which a face is detected in fewer than 50% of the '
            'frames (the rest are filled from nearby boxes) are not scored '
            '(--min-face-coverage)') in output
    rows = read_rows(out)
    coverage = np.array([float(r['face_coverage']) for r in rows])
    assert {r['face'] for r in rows} == {'0'}
    for row, share in zip(rows, coverage):
        assert bool(row['top_class']) == (share >= 0.5)
        assert (row[DEMO_CLASSES[0]] == '') == (share < 0.5)
    # Scored while the face is there, not while it is away.
    assert coverage[0] == coverage[-1] == 1 and 0 in coverage
    with open(out / 'predictions.json') as f:
        windows = json.load(f)['faces'][0]['windows']
    assert windows[0]['face_coverage'] == 1.0
    assert windows[coverage.tolist().index(0)]['scores'] is None


def test_video_with_a_254_character_name(trained, tmp_path):
    name = 'n' * 250
    video = tmp_path / f'{name}.mp4'
    shutil.copy(osp.join(VIDEOS, 'single_face.mp4'), video)
    out = tmp_path / name
    output = demo_video(str(video), trained, '--out-dir', str(out))
    assert f'Results in {out}' in output
    assert (out / 'predictions.csv').is_file()
