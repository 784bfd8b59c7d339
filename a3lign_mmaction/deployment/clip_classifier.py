from typing import Sequence

import torch
import torch.nn as nn

from .frame_normaliser import FrameNormaliser
from .window_classifier import WindowClassifier

__all__ = ['ClipClassifier']


class ClipClassifier(nn.Module):
    """A trained recognizer as one function for deployment: a clip's frames
    in, class probabilities out.

    The data preprocessor's normalisation, the backbone on the whole clip,
    then :class:`WindowClassifier` (the neck's video path and the head's
    scoring against constant class embeddings). For a backbone that embeds
    frames one by one, :class:`FrameEncoder` and :class:`WindowClassifier`
    on their own embed each frame of a video once.

    Args:
        model (nn.Module): A recognizer with a :class:`CLIPTextHead`
            (MAT or prompt head), in the state it
            scores with (weights loaded, video path set).
        classes (sequence[str]): The class names, in label order.

    Inputs are ``(N, T, 3, H, W)`` RGB frames in 0..255 (float); outputs
    ``(N, C)`` class probabilities.
    """

    def __init__(self, model: nn.Module, classes: Sequence[str]) -> None:
        super().__init__()
        self.window = WindowClassifier(model, classes)
        self.normalise = FrameNormaliser(model)
        self.backbone = model.backbone
        self.eval()

    @property
    def classes(self) -> list:
        return self.window.classes

    def forward(self, frames: torch.Tensor) -> torch.Tensor:
        return self.window(
            self.backbone(self.normalise(frames).transpose(1, 2)))
