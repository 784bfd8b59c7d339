from typing import Sequence

import torch
import torch.nn as nn

from ..models.heads import CLIPTextHead

__all__ = ['WindowClassifier']


class WindowClassifier(nn.Module):
    """The part of a trained recognizer after its backbone, for deployment:
    frame features in, class probabilities out.

    At inference the text side of A³lign-DFER does not depend on the input,
    so the head's class embeddings are computed once, here, and kept as a
    constant: what remains is the neck's video path and the head's
    scoring.

    Args:
        model (nn.Module): A recognizer with a :class:`CLIPTextHead` (MAT
            or prompt head), in the state it scores with (weights loaded,
            video path set).
        classes (sequence[str]): The class names, in label order.

    Inputs are the backbone's features, ``(N, T, D)`` frame embeddings for
    a CLIP image tower; outputs ``(N, C)`` class probabilities.
    """

    def __init__(self, model: nn.Module, classes: Sequence[str]) -> None:
        super().__init__()
        if not isinstance(model.cls_head, CLIPTextHead):
            raise TypeError(
                f'{type(self).__name__} needs a head that scores in CLIP\'s '
                'space (a CLIPTextHead: MATHead, PromptHead), got '
                f'{type(model.cls_head).__name__}')
        self.classes = list(classes)
        self.neck = model.neck
        self.head = model.cls_head
        with torch.no_grad():
            self.register_buffer('class_embeddings',
                                 self.head.class_embeddings().clone())
        self.eval()

    def forward(self, features: torch.Tensor) -> torch.Tensor:
        if self.neck is not None:
            features = self.neck(features)[0]
        logits = self.head.score(features, self.class_embeddings)
        return logits.softmax(dim=-1)
