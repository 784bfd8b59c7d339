"""Time building a DFER dataset from a ready-made list on a generated tree.

Usage::

    python tools/analysis/benchmark_dataset_build.py LIST [--dataset DFEW]
        [--root DIR]

Writes one folder per listed clip with as many one-byte frame files as
the list says (under --root, a temporary folder by default), then prints how
long building the dataset (reading the list, listing and sorting every
clip folder) takes.
"""
import argparse
import os
import os.path as osp
import tempfile
import time

from mmengine.registry import init_default_scope

from a3lign_mmaction.datasets import (DFEWDataset, FERV39kDataset, MAFWDataset,
                                      read_clip_list)

DATASETS = dict(DFEW=DFEWDataset, FERV39K=FERV39kDataset, MAFW=MAFWDataset)


def write_tree(list_file: str, root: str) -> int:
    files = 0
    for folder, count, _, _ in read_clip_list(list_file):
        target = osp.join(root, folder)
        os.makedirs(target, exist_ok=True)
        for i in range(1, count + 1):
            # One byte: the dataset refuses empty frame files.
            with open(osp.join(target, f'{i}.jpg'), 'wb') as f:
                f.write(b'\xff')
        files += count
    return files


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('list_file')
    parser.add_argument('--dataset', choices=sorted(DATASETS),
                        default='DFEW')
    parser.add_argument('--root', help='where to write the tree')
    args = parser.parse_args()
    init_default_scope('mmaction')
    with tempfile.TemporaryDirectory() as tmp:
        root = args.root or tmp
        start = time.perf_counter()
        files = write_tree(args.list_file, root)
        print(f'wrote {files:,} frame files in '
              f'{time.perf_counter() - start:.1f} s')
        start = time.perf_counter()
        dataset = DATASETS[args.dataset](
            root, [], ann_file=args.list_file, test_mode=True)
        print(f'built {args.dataset} from {osp.basename(args.list_file)}: '
              f'{len(dataset):,} clips in '
              f'{time.perf_counter() - start:.2f} s')


if __name__ == '__main__':
    main()
