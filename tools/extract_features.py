"""Run a config's frozen CLIP image tower once over its dataset's clips.

Usage::

    python tools/extract_features.py CONFIG --store DIR [--views 4]
        [--folds 1 2 3 4 5] [--batch-size 32] [--num-workers 8]
        [--device cuda] [--no-bf16] [--cfg-options ...]
    python tools/extract_features.py CONFIG --store DIR --verify [--repair]
    bash tools/dist_extract.sh CONFIG GPUS --store DIR [options]
    bash tools/slurm_extract.sh PARTITION JOB_NAME CONFIG --store DIR [options]

Stores per-frame embeddings (fp16) in a memory-mapped feature store, which
the ``*_cached.py`` configs train from: the test-time view of each test
clip and ``--views`` augmented training views of each training clip, over
the config's fold or the ``--folds`` given. A view shared by folds is
extracted once, and rerunning skips the views already stored, so an
interrupted run continues and a later fold extracts only what it adds.
Several processes, on one node or on several sharing the store's file
system, split the views between them (``--launcher``, set by the dist and
slurm scripts). ``--verify`` checks every stored view against its
checksum and exits with status 1 if some are damaged; ``--repair`` also
unmarks them, so that the next extraction writes them again.
"""
import argparse
import sys

import torch
from mmengine.config import DictAction
from mmengine.dist import get_dist_info, init_dist

from a3lign_mmaction.feature_cache import FeatureStore, extract_features
from a3lign_mmaction.utils import FolderLock, load_config


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('config', help='a training config (not *_cached)')
    parser.add_argument('--store', required=True, help='feature store folder')
    parser.add_argument(
        '--views', type=int, default=4,
        help='augmented training views per clip (K)')
    parser.add_argument(
        '--folds', type=int, nargs='+',
        help='folds to gather (datasets with folds); default: the config\'s')
    parser.add_argument(
        '--batch-size', type=int, default=32,
        help='clip views per forward pass')
    parser.add_argument('--num-workers', type=int, default=8)
    parser.add_argument(
        '--device', default='cuda' if torch.cuda.is_available() else 'cpu')
    parser.add_argument(
        '--no-bf16', action='store_true',
        help='run the tower in fp32 (default on GPUs: bf16 weights)')
    parser.add_argument(
        '--dtype', default='float16', choices=('float16', 'float32'),
        help='storage dtype')
    parser.add_argument('--seed', type=int, default=0)
    parser.add_argument(
        '--verify',
        action='store_true',
        help='check every stored view against its checksum instead of '
        'extracting')
    parser.add_argument(
        '--repair',
        action='store_true',
        help='with --verify: unmark the damaged views, for the next '
        'extraction to write again')
    parser.add_argument(
        '--launcher',
        choices=('none', 'pytorch', 'slurm'),
        default='none',
        help='run as one rank of a distributed job (tools/dist_extract.sh, '
        'tools/slurm_extract.sh)')
    parser.add_argument('--cfg-options', nargs='+', action=DictAction)
    return parser.parse_args()


def verify(store: str, repair: bool) -> int:
    """Check a store; the exit status: 1 if views are damaged."""
    features = FeatureStore(store)
    if not len(features):
        sys.exit(f'no feature store at {store}')
    with FolderLock(store, 'feature store'):
        damaged = features.verify()
        for key, view, problem in damaged[:20]:
            print(f'view {view} of clip {key!r} {problem}')
        if len(damaged) > 20:
            print(f'... and {len(damaged) - 20} more')
        if damaged and repair:
            features.forget((key, view) for key, view, _ in damaged)
    print(f'{len(features)} clips in {store}: {len(damaged)} damaged views' +
          ('; unmarked: run the same command without --verify --repair '
           'to extract them again' if damaged and repair else
           '; --repair unmarks them for extraction' if damaged else ''))
    return 1 if damaged else 0


def main() -> None:
    args = parse_args()
    if args.verify:
        sys.exit(verify(args.store, args.repair))
    cfg = load_config(args.config, args.cfg_options)
    if args.launcher != 'none':
        init_dist(args.launcher,
                  backend='nccl' if args.device.startswith('cuda') else 'gloo')
    result = extract_features(
        cfg, args.store, views=args.views, folds=args.folds,
        batch_size=args.batch_size, num_workers=args.num_workers,
        device=args.device, bf16=False if args.no_bf16 else None,
        dtype=args.dtype, seed=args.seed)
    rank, world_size = get_dist_info()
    print(('' if world_size == 1 else f'rank {rank}: ') +
          f'{result["clips"]} clips, {result["views"]} views in {args.store}; '
          f'extracted {result["extracted"]} views now ({result["frames"]} '
          f'frames in {result["seconds"]:.1f} s, '
          f'{result["frames_per_s"]:.0f} frames/s)')


if __name__ == '__main__':
    main()
