"""Write a stand-in for the DFEW release, for timing without the dataset.

Usage::

    python tools/analysis/make_dfew_standin.py ROOT [--clips N]
        [--workers 8]

Writes ``ROOT`` in DFEW's release layout (``Clip/clip_224x224/<id>/`` with
16 to 40 noisy 224x224 JPEG frames per clip, and the five folds' split
files in ``EmoLabel_DataSplit``), so that ``tools/extract_features.py`` and
the ``*_cached.py`` configs can be timed on a machine without DFEW, e.g.::

    python tools/analysis/make_dfew_standin.py /tmp/dfew --clips 2000
    DFEW_ROOT=/tmp/dfew python tools/extract_features.py \\
        configs/a3lign_dfew.py --store /tmp/store --folds 1 2 3 4 5 \\
        --cfg-options model.clip.checkpoint=None

The frames are random, so accuracies mean nothing; only the times do.
"""
import argparse
import os
import os.path as osp
from multiprocessing import Pool
from typing import Tuple

import cv2
import numpy as np

from a3lign_mmaction.datasets import DFEWDataset

FOLDS = DFEWDataset.NUM_FOLDS


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('root')
    parser.add_argument(
        '--clips',
        type=int,
        default=DFEWDataset.NUM_CLIPS,
        help="default: DFEW's clip count")
    parser.add_argument('--workers', type=int, default=os.cpu_count())
    return parser.parse_args()


def write_clip(args: Tuple[str, int, int]) -> None:
    """Frames of one clip: a smooth random image plus per-frame noise."""
    root, clip_id, frames = args
    folder = osp.join(root, 'Clip', 'clip_224x224', f'{clip_id:05d}')
    os.makedirs(folder, exist_ok=True)
    rng = np.random.default_rng(clip_id)
    base = cv2.resize(
        rng.integers(0, 256, (28, 28, 3), dtype=np.uint8), (224, 224))
    for index in range(1, frames + 1):
        noise = rng.integers(-20, 21, base.shape)
        frame = np.clip(base + noise, 0, 255).astype(np.uint8)
        cv2.imwrite(osp.join(folder, f'{index:05d}.jpg'), frame)


def main() -> None:
    args = parse_args()
    rng = np.random.default_rng(0)
    labels = rng.integers(1, 8, args.clips)  # 1-based, as in DFEW
    frames = rng.integers(16, 41, args.clips)
    ids = np.arange(1, args.clips + 1)
    for fold in range(1, FOLDS + 1):
        test = (ids - 1) * FOLDS // args.clips == fold - 1
        for split, chosen in (('train', ~test), ('test', test)):
            folder = osp.join(args.root, 'EmoLabel_DataSplit',
                              f'{split}(single-labeled)')
            os.makedirs(folder, exist_ok=True)
            with open(osp.join(folder, f'set_{fold}.csv'), 'w') as f:
                f.write('video_name,label\n')
                f.writelines(f'{i},{label}\n'
                             for i, label in zip(ids[chosen], labels[chosen]))
    with Pool(args.workers) as pool:
        pool.map(
            write_clip, [(args.root, int(i), int(n))
                         for i, n in zip(ids, frames)],
            chunksize=16)
    print(f'{args.clips} clips, {int(frames.sum())} frames in {args.root}')


if __name__ == '__main__':
    main()
