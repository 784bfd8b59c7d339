"""Time one full cached DFEW fold, extraction included, without DFEW.

Usage::

    python tools/analysis/time_dfew_fold.py [--work-dir work_dirs/time_fold]
        [--config configs/a3lign_dfew_cached.py]
        [--extract-config configs/a3lign_dfew.py] [--clips N]
        [--fold 1] [--views 4] [--num-workers 8] [--clip-checkpoint FILE]

Writes a stand-in DFEW tree (``make_dfew_standin.py``) and, unless
``--clip-checkpoint`` names real weights, a file of random CLIP weights of
the config's architecture, so that the run reads weights and writes
checkpoints as a user's does; both are kept in the work dir for the next
run. Then, from scratch each time, it extracts the views the fold uses and
trains the cached config through MMEngine's runner, and prints the time of
each part (training split into each BAP stage's steps, data waits,
validation and the rest), the total, and the time per fold when all five
folds share one extraction. The frames are random, so the accuracy means
nothing.

With ``--clips N`` below DFEW's 11,697 it also projects each part to the
full dataset: the parts that run per clip view (the extraction loop, the
training and validation steps) scale with the number of clips; the parts
that do not (building the model and the store, starting the runner,
checkpoints, the ends of epochs) are held fixed. A full fold is projected
to take longer than one 10-minute call of a lent GPU
(``docs/benchmarks.md``); ``--clips 4000`` is sized to fit one.
"""
import argparse
import os
import os.path as osp
import shutil
import subprocess
import sys
import time
from typing import Tuple

import torch
from mmengine.config import Config
from mmengine.runner import Runner

from a3lign_mmaction.datasets import DFEWDataset
from a3lign_mmaction.engine import BAPHook
from a3lign_mmaction.feature_cache import extract_features
from a3lign_mmaction.models.clip import build_clip

FOLDS = DFEWDataset.NUM_FOLDS


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('--work-dir', default='work_dirs/time_fold')
    parser.add_argument('--config', default='configs/a3lign_dfew_cached.py')
    parser.add_argument(
        '--extract-config', default='configs/a3lign_dfew.py',
        help='the end-to-end config the cached one trains like')
    parser.add_argument('--clips', type=int, default=DFEWDataset.NUM_CLIPS)
    parser.add_argument('--fold', type=int, default=1)
    parser.add_argument('--views', type=int, default=4)
    parser.add_argument(
        '--num-workers', type=int, default=8,
        help='extraction data loader processes')
    parser.add_argument('--clip-checkpoint', help='real CLIP weights')
    return parser.parse_args()


def timed(what: str, step, *args, **kwargs):
    """Run ``step`` and print how long it took; return its result and the
    seconds."""
    start = time.perf_counter()
    result = step(*args, **kwargs)
    seconds = time.perf_counter() - start
    print(f'{what}: {seconds:.1f} s', flush=True)
    return result, seconds


def report_parts(runner: Runner, training: float) -> Tuple[float, float]:
    """Split the training time into steps per BAP stage, data waits,
    validation steps and the rest, from the times MMEngine's
    ``IterTimerHook`` records for every iteration; return the seconds of
    the steps (training and validation) and of the rest."""
    hub = runner.message_hub
    steps, waits = (hub.get_scalar(f'train/{key}').data[0]
                    for key in ('time', 'data_time'))
    validation = hub.get_scalar('val/time').data[0].sum()
    per_epoch = len(runner.train_dataloader)
    stages = ''
    for hook in runner.hooks:
        if isinstance(hook, BAPHook):
            stages = ' (' + ', '.join(
                f'stage {spec.get("stage", index + 1)} '
                f'{steps[start * per_epoch:end * per_epoch].sum():.1f} s'
                for index, (spec, start, end) in enumerate(
                    zip(hook.stages, [0, *hook.ends], hook.ends))) + ')'
    print(f'  train steps: {steps.sum():.1f} s{stages}, of which '
          f'waiting for data {waits.sum():.1f} s')
    print(f'  validation steps: {validation:.1f} s')
    print(f'  the rest (runner start, metrics, checkpoints, epoch ends): '
          f'{training - steps.sum() - validation:.1f} s')
    return steps.sum() + validation, training - steps.sum() - validation


def fold_times(extraction: float, training: float, share: float) -> str:
    return (f'one fold: {(extraction + training) / 60:.1f} min (extraction '
            f'{extraction / 60:.1f} + training {training / 60:.1f}); per '
            f'fold when five share one extraction: '
            f'{(share + training) / 60:.1f} min')


def main() -> None:
    args = parse_args()
    work_dir = osp.abspath(args.work_dir)
    root = osp.join(work_dir, 'dfew')
    if not osp.isdir(root):
        timed('stand-in DFEW tree', subprocess.run, [
            sys.executable,
            osp.join(osp.dirname(osp.abspath(__file__)),
                     'make_dfew_standin.py'), root, '--clips',
            str(args.clips), '--workers',
            str(os.cpu_count())
        ], check=True)
    clip_file = args.clip_checkpoint or osp.join(work_dir, 'clip.pt')
    # The configs read these when they are loaded.
    os.environ.update(
        DFEW_ROOT=root,
        FEATURE_STORE=osp.join(work_dir, 'store'),
        FOLD=str(args.fold),
        CLIP_CHECKPOINT=clip_file)
    for scratch in ('store', 'train'):
        shutil.rmtree(osp.join(work_dir, scratch), ignore_errors=True)
    extract_cfg = Config.fromfile(args.extract_config)
    if not osp.isfile(clip_file):
        torch.manual_seed(0)
        torch.save(
            build_clip(extract_cfg.model.clip.arch).state_dict(), clip_file)

    result, extraction = timed(
        'extraction', extract_features, extract_cfg,
        os.environ['FEATURE_STORE'], views=args.views, folds=[args.fold],
        num_workers=args.num_workers,
        device='cuda' if torch.cuda.is_available() else 'cpu')
    print(f'  {result["extracted"]} of the fold\'s {result["views"]} clip '
          f'views, {result["frames_per_s"]:.0f} frames/s')

    cfg = Config.fromfile(args.config)
    cfg.work_dir = osp.join(work_dir, 'train')
    runner = Runner.from_cfg(cfg)
    _, training = timed('training (with validation)', runner.train)
    steps, rest = report_parts(runner, training)

    # Five folds use every view of every clip once between them, and one
    # extraction setup.
    share_of = args.clips * (args.views + 1) / max(result['views'], 1) / FOLDS
    setup, loop = extraction - result['seconds'], result['seconds']
    print('measured: ' + fold_times(extraction, training,
                                    setup / FOLDS + loop * share_of))
    if args.clips == DFEWDataset.NUM_CLIPS:
        return
    scale = DFEWDataset.NUM_CLIPS / args.clips
    print(f'projected to {DFEWDataset.NUM_CLIPS} clips (x{scale:.2f} on '
          f'the extraction loop {loop:.1f} s and the training and '
          f'validation steps {steps:.1f} s; held fixed: extraction setup '
          f'{setup:.1f} s, the rest of training {rest:.1f} s): ' +
          fold_times(setup + loop * scale, steps * scale + rest,
                     setup / FOLDS + loop * scale * share_of))


if __name__ == '__main__':
    main()
