import json
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
from tests.repository import REPO_ROOT, VIDEOS


def real_windows(size=32, starts=(0, 120, 300)):
    """Windows of 16 consecutive RGB frames of a real face video, resized
    to the demo's frame size: ``(windows, 16, 3, size, size)`` uint8."""
    capture = cv2.VideoCapture(osp.join(VIDEOS, 'WolfgangLanger_Pexels.mp4'))
    frames = []
    while True:
        ok, frame = capture.read()
        if not ok:
            break
        frames.append(
            cv2.resize(cv2.cvtColor(frame, cv2.COLOR_BGR2RGB), (size, size)))
    clips = [np.stack(frames[s:s + 16]) for s in starts]
    return np.stack(clips).transpose(0, 1, 4, 2, 3)


def export_and_compare(config, checkpoint, tmp_path):
    """Export through the CLI; the ONNX model's probabilities on real
    video windows match the recognizer's. Returns the ONNX file."""
    import onnxruntime
    out = str(tmp_path / 'model.onnx')
    output = run_script([
        f'{REPO_ROOT}/tools/deployment/export_onnx.py', config, checkpoint,
        '--out', out
    ], tmp_path)
    assert '6 classes' in output and '16 frames of 32 px' in output
    windows = real_windows()
    session = onnxruntime.InferenceSession(out)
    exported, = session.run(None, {'frames': windows.astype(np.float32)})
    model = init_recognizer(config, checkpoint, device='cpu')
    with torch.no_grad():
        predicted = model.test_step(
            dict(
                inputs=[
                    torch.from_numpy(w).transpose(0, 1)[None] for w in windows
                ],
                data_samples=[ActionDataSample() for _ in windows]))
    expected = np.stack([p.pred_score.numpy() for p in predicted])
    assert exported.shape == (3, 6)
    assert np.abs(exported - expected).max() <= 1e-4
    return out, model


@pytest.mark.integration
def test_onnx_matches_pytorch_on_real_video_windows(trained_demo, tmp_path):
    import onnx
    out, model = export_and_compare(*trained_demo, tmp_path)
    metadata = {p.key: p.value for p in onnx.load(out).metadata_props}
    assert json.loads(metadata['classes']) == list(class_names(model.cfg, 6))
    assert metadata['frames'] == '16' and metadata['image_size'] == '32'


@pytest.mark.integration
def test_backbone_without_a_clip_tower_exports(tmp_path):
    """MMAction2's X3D as the video backbone: the frame size comes from
    the test pipeline."""
    config = osp.join(REPO_ROOT, 'configs', 'a3lign_demo_x3d-s.py')
    torch.manual_seed(0)
    model = MODELS.build(load_config('a3lign_demo_x3d-s.py').model)
    checkpoint = str(tmp_path / 'x3d.pth')
    torch.save(dict(state_dict=model.state_dict()), checkpoint)
    export_and_compare(config, checkpoint, tmp_path)
