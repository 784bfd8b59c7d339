import json
from typing import Sequence

import torch
import torch.nn as nn

from ..utils import without_mha_fastpath
from .clip_classifier import ClipClassifier

__all__ = ['export_onnx']


def export_onnx(model: nn.Module,
                classes: Sequence[str],
                path: str,
                frames: int = 16,
                image_size: int = 224,
                opset: int = 17) -> str:
    """Write a recognizer as an ONNX model (see :class:`ClipClassifier`).

    The graph takes ``frames``: ``(N, T, 3, H, W)`` float RGB frames in
    0..255 (any ``N``), and gives ``probabilities``: ``(N, C)``. The class
    names are in the file's metadata (``classes``, a JSON list), with
    ``frames`` and ``image_size``.

    Needs the ``deploy`` extra (``onnx``; ``onnxruntime`` to run it).

    Args:
        model (nn.Module): A recognizer with a MAT head, weights loaded.
        classes (sequence[str]): Class names in label order.
        path (str): Where to write the ``.onnx`` file.
        frames (int): ``T``. Defaults to 16.
        image_size (int): ``H = W``. Defaults to 224.
        opset (int): ONNX opset. Defaults to 17.

    Returns:
        str: ``path``.
    """
    import onnx

    classifier = ClipClassifier(model, classes).cpu()
    example = torch.zeros(1, frames, 3, image_size, image_size)
    with without_mha_fastpath(), torch.no_grad():
        torch.onnx.export(
            classifier, (example, ),
            path,
            dynamo=False,
            input_names=['frames'],
            output_names=['probabilities'],
            dynamic_axes=dict(
                frames={0: 'batch'}, probabilities={0: 'batch'}),
            opset_version=opset)
    exported = onnx.load(path)
    onnx.helper.set_model_props(
        exported,
        dict(classes=json.dumps(list(classes)), frames=str(frames),
             image_size=str(image_size)))
    onnx.save(exported, path)
    return path
