import pytest
import torch

from a3lign_mmaction.deployment import (ClipClassifier, FrameEncoder,
                                        WindowClassifier)


def test_frames_embedded_once_score_every_window(build_tiny_model):
    """Overlapping windows scored from each frame's one embedding, as the
    whole-clip classifier scores each window."""
    torch.manual_seed(0)
    model = build_tiny_model(neck=dict(video_path='encoder')).eval()
    frames = torch.randint(0, 256, (24, 3, 32, 32)).float()
    windows = torch.stack([frames[start:start + 16] for start in (0, 4, 8)])
    encoder, classes = FrameEncoder(model), [f'c{i}' for i in range(7)]
    with torch.no_grad():
        embeddings = encoder(frames)
        stored = torch.stack(
            [embeddings[start:start + 16] for start in (0, 4, 8)])
        probabilities = WindowClassifier(model, classes)(stored)
        expected = ClipClassifier(model, classes)(windows)
    assert embeddings.shape == (24, 64)
    torch.testing.assert_close(probabilities, expected, rtol=0, atol=1e-6)


def test_needs_a_backbone_of_frames(build_tiny_model):
    model = build_tiny_model()
    model.backbone = torch.nn.Identity()
    with pytest.raises(TypeError, match=r'embeds frames one by one .*got '
                       r'Identity: export whole clips'):
        FrameEncoder(model)
