"""Check that a config reads a dataset release: every fold and split.

Usage::

    python tools/data/check_release.py CONFIG [--folds 1 2 3 4 5]
        [--cfg-options KEY=VALUE ...]

For each fold (all of the dataset's by default) and split, the config's
dataset is built as training and testing would build it, and one line is
printed: the clips and their count per class. The log lines above it name
the release layout, split file and frame folder the dataset found. A
dataset that fails to build is reported with its error; where the dataset
class knows the release's sizes (DFEW), other counts are reported too.
The exit status is 1 when anything was reported. Each split read from
the release is also compared, clip by clip, with DFER-CLIP's published
list of it (``DFER_CLIP_LISTS``), which most papers train on: a note
names the clips missing from either and those labelled otherwise (the
status stays 0: a release may differ from those lists).
"""
import argparse
import collections
import os.path as osp
from typing import List, Optional, Tuple

from mmaction.registry import DATASETS
from mmengine.config import DictAction

from a3lign_mmaction.datasets import DFER_CLIP_LISTS, read_clip_list
from a3lign_mmaction.utils import load_config

#: Clips named in a note, of each kind.
LISTED = 5


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('config', help='a config of a DFER dataset')
    parser.add_argument(
        '--folds', type=int, nargs='+', help='default: all the dataset has')
    parser.add_argument('--cfg-options', nargs='+', action=DictAction)
    return parser.parse_args()


def check(dataset_cfg: dict, split: str, fold: Optional[int]) -> List[str]:
    """Build one split and print its line; returns the problems found."""
    name = f'fold {fold} {split}' if fold else split
    try:
        dataset = DATASETS.build(
            dict(dataset_cfg, split=split, fold=fold, pipeline=[]))
    except (FileNotFoundError, ValueError) as error:
        return [f'{name}: {error}']
    classes = dataset.metainfo['classes']
    counts = collections.Counter(
        dataset.get_data_info(i)['label'] for i in range(len(dataset)))
    print(f'{name}: {len(dataset)} clips; ' + ', '.join(
        f'{classes[label]} {counts[label]}' for label in range(len(classes))))
    if dataset.DFER_CLIP_LIST and not dataset.ann_file:
        print(f'{name}: {compare_with_published(dataset)}')
    expected = getattr(dataset, 'FOLD_SIZES', {}).get(fold)
    if expected:
        size = expected[('train', 'test').index(split)]
        if size != len(dataset):
            return [f'{name}: {len(dataset)} clips, the release has {size}']
    return []


def clip_key(folder: str) -> Tuple:
    """A relative clip folder, numbers as numbers (releases name clip ``1``
    as ``00001`` or ``1``)."""
    return tuple(
        int(part) if part.isdigit() else part
        for part in folder.split(osp.sep))


def compare_with_published(dataset) -> str:
    """How a split read from the release compares with DFER-CLIP's list of
    it, clip by clip."""
    name = dataset.DFER_CLIP_LIST.format(
        split=dataset.split, fold=dataset.fold)
    published = {
        clip_key(folder): (label, folder)
        for folder, _, label, _ in read_clip_list(
            osp.join(DFER_CLIP_LISTS, name))
    }
    release = {}
    for info in map(dataset.get_data_info, range(len(dataset))):
        folder = osp.relpath(info['frame_dir'], dataset.frame_root)
        release[clip_key(folder)] = info['label'], folder
    kinds = (
        ('not in the release',
         [published[k][1] for k in published if k not in release]),
        ('only in the release',
         [release[k][1] for k in release if k not in published]),
        ('labelled otherwise', [
            release[k][1] for k in release
            if k in published and published[k][0] != release[k][0]
        ]),
    )
    if not any(clips for _, clips in kinds):
        return f"the same clips and labels as DFER-CLIP's {name}"
    return f"note: differs from DFER-CLIP's {name}: " + '; '.join(
        f'{len(clips)} {what}' +
        (' (' + ', '.join(clips[:LISTED]) +
         (', ...' if len(clips) > LISTED else '') + ')' if clips else '')
        for what, clips in kinds)


def main() -> None:
    args = parse_args()
    cfg = load_config(args.config, args.cfg_options)
    dataset_cfg = dict(cfg.test_dataloader.dataset)
    for key in ('split', 'fold', 'pipeline', 'test_mode'):
        dataset_cfg.pop(key, None)
    kind = DATASETS.get(dataset_cfg['type'])
    folds = args.folds or (range(1, kind.NUM_FOLDS + 1)
                           if kind.NUM_FOLDS else [None])
    problems = [
        problem for fold in folds for split in ('train', 'test')
        for problem in check(dataset_cfg, split, fold)
    ]
    for problem in problems:
        print(f'error: {problem}')
    if problems:
        raise SystemExit(1)
    print('all splits read')


if __name__ == '__main__':
    main()
