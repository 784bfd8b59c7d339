import torch
import torch.nn as nn

from ..models.backbones import CLIPVisionBackbone
from .frame_normaliser import FrameNormaliser

__all__ = ['FrameEncoder']


class FrameEncoder(nn.Module):
    """A trained recognizer's image tower for deployment: one frame in,
    its embedding out, so that a video's frames are embedded once and its
    windows scored from the embeddings (:class:`WindowClassifier`).

    Args:
        model (nn.Module): A recognizer whose backbone embeds frames one by
            one (:class:`CLIPVisionBackbone`).

    Inputs are ``(N, 3, H, W)`` RGB frames in 0..255 (float); outputs
    ``(N, D)`` frame embeddings.
    """

    def __init__(self, model: nn.Module) -> None:
        super().__init__()
        if not isinstance(model.backbone, CLIPVisionBackbone):
            raise TypeError(
                f'{type(self).__name__} needs a backbone that embeds frames '
                f'one by one (CLIPVisionBackbone), got '
                f'{type(model.backbone).__name__}: export whole clips '
                '(ClipClassifier) instead')
        self.normalise = FrameNormaliser(model)
        self.backbone = model.backbone
        self.eval()

    def forward(self, frames: torch.Tensor) -> torch.Tensor:
        # One frame per clip: (N, 3, 1, H, W) in, (N, 1, D) out.
        return self.backbone(self.normalise(frames)[:, :, None])[:, 0]
