"""Export a trained model to ONNX: frames in, class probabilities out.

Usage::

    python tools/deployment/export_onnx.py CONFIG CHECKPOINT
        [--out model.onnx] [--opset 17] [--cfg-options ...]

The text side is constant at inference, so the graph is the image tower,
the neck's video path and the MAT head's scoring against a fixed class
embedding matrix. Input ``frames``: ``(N, T, 3, H, W)`` float RGB face
crops in 0..255, as the test pipeline decodes them; output
``probabilities``: ``(N, C)``. The class names are in the file's metadata.
Needs ``pip install -e '.[deploy]'``.
"""
import argparse

from mmaction.apis import init_recognizer
from mmengine.config import DictAction

from a3lign_mmaction.datasets import class_names
from a3lign_mmaction.deployment import export_onnx
from a3lign_mmaction.utils import load_config


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('config')
    parser.add_argument('checkpoint')
    parser.add_argument('--out', default='model.onnx')
    parser.add_argument('--opset', type=int, default=17)
    parser.add_argument('--cfg-options', nargs='+', action=DictAction)
    return parser.parse_args()


def main() -> None:
    args = parse_args()
    cfg = load_config(args.config, args.cfg_options)
    model = init_recognizer(cfg, args.checkpoint, device='cpu')
    # A CLIP tower states its size; another backbone (X3D) takes the
    # frames the test pipeline makes.
    size = getattr(model.backbone, 'image_size', (None, ))[0] or next(
        step['size'] for step in cfg.test_pipeline
        if step['type'] == 'ViewCrops')
    classes = class_names(cfg, model.cls_head.num_classes)
    export_onnx(
        model,
        classes,
        args.out,
        frames=model.neck.num_frames,
        image_size=size,
        opset=args.opset)
    print(f'{args.out}: {len(classes)} classes ({", ".join(classes)}), '
          f'{model.neck.num_frames} frames of {size} px')


if __name__ == '__main__':
    main()
