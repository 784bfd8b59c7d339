"""A small facial-expression-like video dataset, drawn procedurally.

Cartoon faces whose mouth, brows and eyes move over a clip. Each class is an
expression *forming* or the same expression *fading*: the fading clips are
the forming clips played backwards, so only the order of the frames tells
them apart. Faces vary a little in position, size, skin and background
colour (little, because the demo's CLIP is random-init and frozen), and
every frame has pixel noise. Everything is drawn from one seed, so the same
call writes the same files.
"""
import os
import os.path as osp
from typing import Dict, Sequence, Tuple

import cv2
import numpy as np

from ..utils import staging_folder

__all__ = ['DEMO_CLASSES', 'draw_face', 'generate_demo_faces']

#: Expressions and the face parameters at their peak; the neutral face has
#: all parameters at 0.
_EXPRESSIONS = {
    'smile': dict(mouth_curve=1.0, eye_open=-0.4, brow_raise=0.0,
                  mouth_open=0.2),
    'frown': dict(mouth_curve=-1.0, eye_open=-0.2, brow_raise=-1.0,
                  mouth_open=0.0),
    'surprise': dict(mouth_curve=0.0, eye_open=1.0, brow_raise=1.0,
                     mouth_open=1.0),
}
#: Class names, in label order.
DEMO_CLASSES = tuple(f'{name} {phase}' for name in _EXPRESSIONS
                     for phase in ('forming', 'fading'))


def draw_face(size: int, params: Dict[str, float], layout: Dict,
              rng: np.random.Generator) -> np.ndarray:
    """Draw one frame of a cartoon face.

    Args:
        size (int): Frame height and width in pixels.
        params (dict): ``mouth_curve``, ``eye_open``, ``brow_raise`` and
            ``mouth_open``, each in [-1, 1] (0 is neutral).
        layout (dict): ``centre`` (x, y), ``radius`` and the ``skin`` and
            ``background`` colours (BGR) of the clip.
        rng (np.random.Generator): Source of the pixel noise.

    Returns:
        np.ndarray: A ``(size, size, 3)`` uint8 BGR image.
    """
    image = np.empty((size, size, 3), np.uint8)
    image[:] = layout['background']
    cx, cy = layout['centre']
    r = layout['radius']
    dark = (40, 30, 30)
    thick = max(1, round(r / 8))
    cv2.ellipse(image, (round(cx), round(cy)), (round(r * 0.8), round(r)), 0,
                0, 360, layout['skin'], -1, cv2.LINE_AA)
    eye_h = r * (0.13 + 0.09 * params['eye_open'])
    for side in (-1, 1):
        ex, ey = cx + side * r * 0.35, cy - r * 0.2
        cv2.ellipse(image, (round(ex), round(ey)),
                    (round(r * 0.14), max(1, round(eye_h))), 0, 0, 360, dark,
                    -1, cv2.LINE_AA)
        by = ey - r * (0.28 + 0.15 * params['brow_raise'])
        inner = by - r * 0.12 * min(params['brow_raise'], 0)  # knitted
        cv2.line(image, (round(ex + side * r * 0.18), round(by)),
                 (round(ex - side * r * 0.18), round(inner)), dark, thick,
                 cv2.LINE_AA)
    xs = np.linspace(-r * 0.45, r * 0.45, 15)
    curve = params['mouth_curve'] * r * 0.3 * (1 - (xs / (r * 0.45))**2)
    my = cy + r * 0.45
    upper = np.stack([cx + xs, my + curve], 1)
    lower = upper + [0, r * 0.35 * max(params['mouth_open'], 0) + thick]
    mouth = np.concatenate([upper, lower[::-1]]).round().astype(np.int32)
    cv2.fillPoly(image, [mouth], dark, cv2.LINE_AA)
    noise = rng.normal(0, 6, image.shape)
    return np.clip(image + noise, 0, 255).astype(np.uint8)


def _progress(frames: int, rng: np.random.Generator) -> np.ndarray:
    """Expression intensity over a clip: neutral, a smooth onset, a hold."""
    start = rng.uniform(0.0, 0.25)
    end = rng.uniform(0.6, 0.9)
    t = np.clip((np.linspace(0, 1, frames) - start) / (end - start), 0, 1)
    return t * t * (3 - 2 * t)


def _clip_frames(expression: Dict[str, float], size: int,
                 rng: np.random.Generator) -> np.ndarray:
    frames = int(rng.integers(12, 25))
    # Small nuisance ranges: a frozen random-init CLIP is not invariant to
    # them (see docs/design.md), so large shifts would drown the expression.
    shift = size * 0.03
    layout = dict(
        centre=tuple(size / 2 + rng.uniform(-shift, shift, 2)),
        radius=size * rng.uniform(0.37, 0.41),
        skin=tuple(int(c) for c in rng.integers(130, 191, 3)),
        background=tuple(int(c) for c in rng.integers(100, 161, 3)))
    peak = rng.uniform(0.7, 1.0)
    return np.stack([
        draw_face(size, {k: v * p * peak
                         for k, v in expression.items()}, layout, rng)
        for p in _progress(frames, rng)
    ])


def _write_split(root: str, split: str, clips_per_class: int, size: int,
                 rng: np.random.Generator) -> None:
    lines = []
    for index in range(clips_per_class):
        for e, expression in enumerate(_EXPRESSIONS.values()):
            forming = _clip_frames(expression, size, rng)
            for phase, frames in enumerate((forming, forming[::-1])):
                label = 2 * e + phase
                name = f'{split}/{label}_{index:03d}'
                os.makedirs(osp.join(root, name))
                for i, frame in enumerate(frames, 1):
                    cv2.imwrite(
                        osp.join(root, name, f'img_{i:05d}.jpg'), frame,
                        [cv2.IMWRITE_JPEG_QUALITY, 95])
                lines.append(f'{name} {len(frames)} {label}\n')
    with open(osp.join(root, f'{split}.txt'), 'w') as f:
        f.writelines(lines)


def generate_demo_faces(root: str,
                        splits: Sequence[Tuple[str, int]] = (('train', 40),
                                                             ('val', 10)),
                        size: int = 64,
                        seed: int = 0) -> str:
    """Write the demo dataset in MMAction2's rawframe layout, if missing.

    ``root/<split>/<label>_<index>/img_00001.jpg ...`` and one list file
    ``root/<split>.txt`` per split with ``<frame dir> <frames> <label>``
    lines. The tree is written to a temporary folder and moved into place,
    so concurrent callers (data loader workers, several GPUs) never see a
    half-written tree.

    Args:
        root (str): Folder of the dataset.
        splits (sequence[tuple[str, int]]): Split names and clips per class.
            Defaults to 40 training and 10 validation clips per class.
        size (int): Frame size in pixels. Defaults to 64.
        seed (int): Random seed. Defaults to 0.

    Returns:
        str: ``root``.
    """
    if osp.isdir(root):
        return root
    with staging_folder(root) as tmp:
        rng = np.random.default_rng(seed)
        for split, clips_per_class in splits:
            _write_split(tmp, split, clips_per_class, size, rng)
        try:
            os.rename(tmp, root)
        except OSError:
            if not osp.isdir(root):  # not another writer's finished tree
                raise
    return root
