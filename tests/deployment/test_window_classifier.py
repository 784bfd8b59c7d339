import pytest
import torch

from a3lign_mmaction.deployment import WindowClassifier


def test_needs_a_clip_text_head(build_tiny_model):
    model = build_tiny_model()
    model.cls_head = torch.nn.Linear(2, 2)
    with pytest.raises(TypeError, match='needs a head that scores in CLIP'):
        WindowClassifier(model, [])
