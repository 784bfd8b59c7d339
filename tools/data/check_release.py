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
The exit status is 1 when anything was reported.
"""
import argparse
import collections
from typing import List, Optional

from mmaction.registry import DATASETS
from mmengine.config import DictAction

from a3lign_mmaction.utils import load_config


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
    expected = getattr(dataset, 'FOLD_SIZES', {}).get(fold)
    if expected:
        size = expected[('train', 'test').index(split)]
        if size != len(dataset):
            return [f'{name}: {len(dataset)} clips, the release has {size}']
    return []


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
