from typing import Sequence

import torch
import torch.nn as nn

from ..models.heads import CLIPTextHead

__all__ = ['ClipClassifier']


class ClipClassifier(nn.Module):
    """A trained recognizer as one function for deployment: frames in,
    class probabilities out.

    At inference the text side of A³lign-DFER does not depend on the input,
    so the head's class embeddings are computed once, here, and kept as
    a constant: what remains is the data preprocessor's normalisation, the
    image tower, the neck's video path and the head's scoring.

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
        if not isinstance(model.cls_head, CLIPTextHead):
            raise TypeError(
                f'ClipClassifier needs a head that scores in CLIP\'s space '
                f'(a CLIPTextHead: MATHead, PromptHead), got '
                f'{type(model.cls_head).__name__}')
        self.classes = list(classes)
        self.backbone = model.backbone
        self.neck = model.neck
        self.head = model.cls_head
        preprocessor = model.data_preprocessor
        self.register_buffer('mean', preprocessor.mean.view(1, 1, 3, 1, 1))
        self.register_buffer('std', preprocessor.std.view(1, 1, 3, 1, 1))
        with torch.no_grad():
            self.register_buffer('class_embeddings',
                                 self.head.class_embeddings().clone())
        self.eval()

    def forward(self, frames: torch.Tensor) -> torch.Tensor:
        x = ((frames - self.mean) / self.std).transpose(1, 2)
        x = self.backbone(x)
        if self.neck is not None:
            x = self.neck(x)[0]
        logits = self.head.score(x, self.class_embeddings)
        return logits.softmax(dim=-1)
