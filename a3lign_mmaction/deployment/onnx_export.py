import json
import os
import os.path as osp
from typing import Dict, Sequence

import torch
import torch.nn as nn

from ..models.backbones import CLIPVisionBackbone
from ..utils import without_mha_fastpath
from .clip_classifier import ClipClassifier
from .frame_encoder import FrameEncoder
from .window_classifier import WindowClassifier

__all__ = ['export_onnx']


def _export(module: nn.Module, example: torch.Tensor, path: str,
            names: Sequence[str], opset: int, metadata: dict) -> str:
    """One graph, its first axis free, with ``metadata`` in the file."""
    import onnx

    with without_mha_fastpath(), torch.no_grad():
        torch.onnx.export(
            module.cpu(), (example, ),
            path,
            dynamo=False,
            input_names=[names[0]],
            output_names=[names[1]],
            dynamic_axes=dict.fromkeys(names, {0: 'batch'}),
            opset_version=opset)
    exported = onnx.load(path)
    onnx.helper.set_model_props(exported, metadata)
    onnx.save(exported, path)
    return path


def export_onnx(model: nn.Module,
                classes: Sequence[str],
                out_dir: str,
                frames: int = 16,
                image_size: int = 224,
                opset: int = 17) -> Dict[str, str]:
    """Write a recognizer as ONNX graphs into ``out_dir``.

    For a backbone that embeds frames one by one (a CLIP image tower), two
    graphs, so that each frame of a video is embedded once and its
    windows are scored from the embeddings:

    - ``frame_encoder.onnx`` (:class:`FrameEncoder`): ``frames``,
      ``(N, 3, H, W)`` float RGB in 0..255, to ``embeddings``, ``(N, D)``;
    - ``window_classifier.onnx`` (:class:`WindowClassifier`):
      ``embeddings``, ``(N, T, D)``, to ``probabilities``, ``(N, C)``.

    For another backbone (X3D), one graph of whole clips,
    ``clip_classifier.onnx`` (:class:`ClipClassifier`): ``frames``,
    ``(N, T, 3, H, W)``, to ``probabilities``. ``N`` is free in each. The
    class names are in each file's metadata (``classes``, a JSON list),
    with ``frames`` and ``image_size``.

    Needs the ``deploy`` extra (``onnx``; ``onnxruntime`` to run it).

    Args:
        model (nn.Module): A recognizer with a CLIP text head, weights
            loaded.
        classes (sequence[str]): Class names in label order.
        out_dir (str): Folder of the ``.onnx`` files; made if missing.
        frames (int): ``T``. Defaults to 16.
        image_size (int): ``H = W``. Defaults to 224.
        opset (int): ONNX opset. Defaults to 17.

    Returns:
        dict[str, str]: Graph name (the file name without ``.onnx``) to
        its path.
    """
    os.makedirs(out_dir, exist_ok=True)
    metadata = dict(
        classes=json.dumps(list(classes)),
        frames=str(frames),
        image_size=str(image_size))
    image = torch.zeros(1, 3, image_size, image_size)
    if not isinstance(model.backbone, CLIPVisionBackbone):
        clips = image[:, None].expand(-1, frames, -1, -1, -1)
        path = osp.join(out_dir, 'clip_classifier.onnx')
        return dict(
            clip_classifier=_export(ClipClassifier(model, classes), clips,
                                    path, ('frames', 'probabilities'),
                                    opset, metadata))
    embeddings = torch.zeros(1, frames, model.backbone.embed_dim)
    return dict(
        frame_encoder=_export(FrameEncoder(model), image,
                              osp.join(out_dir, 'frame_encoder.onnx'),
                              ('frames', 'embeddings'), opset, metadata),
        window_classifier=_export(
            WindowClassifier(model, classes), embeddings,
            osp.join(out_dir, 'window_classifier.onnx'),
            ('embeddings', 'probabilities'), opset, metadata))
