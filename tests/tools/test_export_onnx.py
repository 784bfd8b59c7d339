import json
import os
import os.path as osp

import cv2
import numpy as np
import pytest
import torch
from mmaction.apis import init_recognizer
from mmaction.registry import MODELS
from mmaction.structures import ActionDataSample

from a3lign_mmaction.datasets import class_names
from a3lign_mmaction.testing import load_config, run_script
from tests.repository import REPO_ROOT
from tests.video.composite_videos import read_frames


def real_frames(size=32, first=120, count=24):
    """``count`` consecutive RGB frames of a real face video, resized to
    the demo's frame size: ``(count, 3, size, size)`` uint8."""
    frames = read_frames('WolfgangLanger_Pexels.mp4', (size, size))
    return np.stack([
        cv2.cvtColor(frame, cv2.COLOR_BGR2RGB)
        for frame in frames[first:first + count]
    ]).transpose(0, 3, 1, 2)


def recognizer_scores(config, checkpoint, windows):
    """The recognizer's class probabilities of ``(N, T, 3, H, W)``
    windows, as it tests clips."""
    model = init_recognizer(config, checkpoint, device='cpu')
    with torch.no_grad():
        predicted = model.test_step(
            dict(
                inputs=[
                    torch.from_numpy(w).transpose(0, 1)[None] for w in windows
                ],
                data_samples=[ActionDataSample() for _ in windows]))
    return np.stack([p.pred_score.numpy() for p in predicted]), model


def export(config, checkpoint, tmp_path):
    """Export through the CLI; returns the graphs' folder and output."""
    out = tmp_path / 'onnx'
    output = run_script([
        f'{REPO_ROOT}/tools/deployment/export_onnx.py', config, checkpoint,
        '--out-dir',
        str(out)
    ], tmp_path)
    assert '6 classes' in output and '16 frames of 32 px' in output
    return out, output


@pytest.mark.integration
def test_frames_embedded_once_score_windows_as_pytorch(
        trained_demo, tmp_path):
    """Overlapping windows of a real face video: each frame through
    frame_encoder.onnx once, each window through window_classifier.onnx
    from the stored embeddings; the probabilities are the recognizer's."""
    import onnx
    import onnxruntime
    out, output = export(*trained_demo, tmp_path)
    assert sorted(os.listdir(out)) == [
        'frame_encoder.onnx', 'window_classifier.onnx'
    ]
    frames = real_frames()
    encoder, classifier = (
        onnxruntime.InferenceSession(str(out / f'{name}.onnx'))
        for name in ('frame_encoder', 'window_classifier'))
    embeddings, = encoder.run(None, {'frames': frames.astype(np.float32)})
    assert embeddings.shape == (24, 64)
    starts = (0, 4, 8)
    exported, = classifier.run(
        None, {
            'embeddings':
            np.stack([embeddings[s:s + 16] for s in starts])
        })
    expected, model = recognizer_scores(
        *trained_demo, np.stack([frames[s:s + 16] for s in starts]))
    assert exported.shape == (3, 6)
    assert np.abs(exported - expected).max() <= 1e-5
    metadata = {
        p.key: p.value
        for p in onnx.load(str(out / 'window_classifier.onnx')).metadata_props
    }
    assert json.loads(metadata['classes']) == list(class_names(model.cfg, 6))
    assert metadata['frames'] == '16' and metadata['image_size'] == '32'


@pytest.mark.integration
def test_backbone_without_a_clip_tower_exports_whole_clips(tmp_path):
    """MMAction2's X3D as the video backbone: one graph of whole clips, the
    frame size from the test pipeline."""
    import onnxruntime
    config = osp.join(REPO_ROOT, 'configs', 'a3lign_demo_x3d-s.py')
    torch.manual_seed(0)
    model = MODELS.build(load_config('a3lign_demo_x3d-s.py').model)
    checkpoint = str(tmp_path / 'x3d.pth')
    torch.save(dict(state_dict=model.state_dict()), checkpoint)
    out, _ = export(config, checkpoint, tmp_path)
    assert os.listdir(out) == ['clip_classifier.onnx']
    windows = np.stack([real_frames()[s:s + 16] for s in (0, 8)])
    exported, = onnxruntime.InferenceSession(
        str(out / 'clip_classifier.onnx')).run(
            None, {'frames': windows.astype(np.float32)})
    expected, _ = recognizer_scores(config, checkpoint, windows)
    assert np.abs(exported - expected).max() <= 1e-5
