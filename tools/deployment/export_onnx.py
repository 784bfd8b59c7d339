"""Export a trained model to ONNX: frames in, class probabilities out.

Usage::

    python tools/deployment/export_onnx.py CONFIG CHECKPOINT
        [--out-dir work_dirs/onnx/CONFIG_NAME] [--opset 17]
        [--cfg-options ...]

The text side is constant at inference, so the graphs are the image
tower, the neck's video path and the head's scoring against a fixed class
embedding matrix. With a CLIP image tower it writes two graphs, so that a
video's frames are embedded once and its windows scored from the
embeddings: ``frame_encoder.onnx`` (``frames``: ``(N, 3, H, W)`` float
RGB face crops in 0..255 to ``embeddings``: ``(N, D)``) and
``window_classifier.onnx`` (``embeddings``: ``(N, T, D)`` to
``probabilities``: ``(N, C)``); with another backbone (X3D) one graph of
whole clips, ``clip_classifier.onnx`` (``frames``: ``(N, T, 3, H, W)``).
The class names are in the files' metadata. Needs
``pip install -e '.[deploy]'``.
"""
import argparse
import os.path as osp

from mmaction.apis import init_recognizer
from mmengine.config import DictAction

from a3lign_mmaction.datasets import class_names
from a3lign_mmaction.deployment import export_onnx
from a3lign_mmaction.engine import NO_CHECKPOINT
from a3lign_mmaction.utils import load_config, view_shape


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('config')
    parser.add_argument(
        'checkpoint',
        help=f'a trained checkpoint, or {NO_CHECKPOINT} for a recipe that '
        'needs no training (configs/zeroshot-clip_*.py)')
    parser.add_argument(
        '--out-dir', help='default: work_dirs/onnx/<config name>')
    parser.add_argument('--opset', type=int, default=17)
    parser.add_argument('--cfg-options', nargs='+', action=DictAction)
    return parser.parse_args()


def main() -> None:
    args = parse_args()
    cfg = load_config(args.config, args.cfg_options)
    model = init_recognizer(
        cfg,
        None if args.checkpoint == NO_CHECKPOINT else args.checkpoint,
        device='cpu')
    _, _, frames, size, _ = view_shape(cfg)
    classes = class_names(cfg, model.cls_head.num_classes)
    out_dir = args.out_dir or osp.join(
        'work_dirs', 'onnx',
        osp.splitext(osp.basename(args.config))[0])
    paths = export_onnx(
        model,
        classes,
        out_dir,
        frames=frames,
        image_size=size,
        opset=args.opset)
    print(f'{", ".join(paths.values())}: {len(classes)} classes '
          f'({", ".join(classes)}), {frames} frames of {size} px')


if __name__ == '__main__':
    main()
