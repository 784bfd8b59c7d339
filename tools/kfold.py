"""Train and test every fold of a config; report UAR/WAR per fold and mean.

Usage::

    python tools/kfold.py CONFIG [--folds 1 2 3 4 5] [--work-dir DIR]
        [--gpus N [--launcher pytorch|slurm] [--partition P]] [--force]
        [-- extra tools/train.py and tools/test.py options]

Each fold trains with ``tools/train.py`` in ``WORK_DIR/fold_K`` (the fold
set on the train, val and test datasets) and is tested with
``tools/test.py`` twice: on its best-UAR checkpoint (in ``test_best/``)
and on its last one (``test_last/``); each test writes the per-clip
``predictions.csv`` and the confusion matrix. The table of UAR and WAR
per fold for both checkpoints, with mean and standard deviation over the
folds, goes to ``WORK_DIR/kfold_results.md`` and ``.csv`` (which adds
macro and weighted F1). The best checkpoint is chosen on the fold's test
split, because the DFER datasets have no validation split; the last one
involves no choice. Rerunning continues: finished folds are read back, an
interrupted fold resumes from its last checkpoint. Each fold's folder
records a digest of its settings (the merged config, with the
environment variables it reads, and the options); a rerun with other
settings is refused, or with ``--force`` trains the fold again from
scratch.

A fold's folder is locked while its run lasts (``fold_K/.lock``, held by
the training and test processes too): a second ``kfold`` on that fold
stops, even one started after this one was killed while its training
went on. SIGTERM, SIGINT and SIGHUP are passed on to the running
``train.py`` or ``test.py``, and ``kfold`` exits when it has ended. A
progress bar over the folds' steps (the training and the two tests of
each) with the time left is printed after each step.
"""
import argparse
import csv
import glob
import hashlib
import json
import os
import os.path as osp
import shutil
import signal
import subprocess
import sys
from typing import Dict, List, Tuple

import numpy as np
from mmaction.registry import DATASETS
from mmengine.config import DictAction

from a3lign_mmaction.utils import (FolderBusyError, FolderLock, TaskProgress,
                                   latest_test_metrics, load_config)

TOOLS = osp.dirname(osp.abspath(__file__))
METRICS = ('UAR', 'WAR', 'F1_macro', 'F1_weighted')
CHECKPOINTS = ('best', 'last')
#: Steps of a fold on the progress bar: the training, a test per checkpoint.
STEPS = 1 + len(CHECKPOINTS)
#: Under the table: what the two checkpoints are.
CHECKPOINT_NOTE = (
    'best: the checkpoint with the highest UAR on the fold\'s test split, '
    'which also serves for validation, since the dataset has no validation '
    'split; last: the last epoch\'s.')


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('config', help='config of a dataset with folds')
    parser.add_argument(
        '--folds', type=int, nargs='+', default=[1, 2, 3, 4, 5])
    parser.add_argument(
        '--work-dir',
        help='default: ./work_dirs/<config name>_kfold')
    parser.add_argument(
        '--gpus',
        type=int,
        default=0,
        help='train and test each fold on this many GPUs, with '
        'tools/dist_*.sh (torchrun on this node) or tools/slurm_*.sh '
        '(default: one process)')
    parser.add_argument(
        '--launcher',
        choices=('pytorch', 'slurm'),
        default='pytorch',
        help='with --gpus: torchrun, or srun (GPUS_PER_NODE, '
        'CPUS_PER_TASK and SRUN_ARGS as for tools/slurm_train.sh)')
    parser.add_argument(
        '--partition', help='the SLURM partition, for --launcher slurm')
    parser.add_argument(
        '--force',
        action='store_true',
        help='train again, from scratch, the folds whose folder holds a run '
        'with other settings (by default such folds are refused)')
    parser.epilog = ('Options after -- go to tools/train.py and '
                     'tools/test.py, e.g. -- --cfg-options '
                     'model.clip.checkpoint=ViT-L-14.pt')
    argv = sys.argv[1:]
    split = argv.index('--') if '--' in argv else len(argv)
    args = parser.parse_args(argv[:split])
    args.extra = argv[split + 1:]
    if args.launcher == 'slurm' and not (args.gpus and args.partition):
        parser.error('--launcher slurm needs --gpus and --partition')
    if args.work_dir is None:
        name = osp.splitext(osp.basename(args.config))[0]
        args.work_dir = osp.join('work_dirs', f'{name}_kfold')
    return args


def fold_options(fold: int, extra: List[str]) -> List[str]:
    """``--cfg-options`` that set the fold, merged with the user's."""
    options = [
        f'{loader}.dataset.fold={fold}'
        for loader in ('train_dataloader', 'val_dataloader',
                       'test_dataloader')
    ]
    extra = list(extra)
    if '--cfg-options' in extra:
        at = extra.index('--cfg-options') + 1
        extra[at:at] = options
        return extra
    return extra + ['--cfg-options'] + options


#: Signals passed on to the running child.
FORWARDED = (signal.SIGTERM, signal.SIGINT, signal.SIGHUP)


def run(command: List[str], lock: FolderLock) -> None:
    """Run a child that holds the fold's lock with us; a forwarded signal
    that ends it ends this process, with the status ``128 + signal``."""
    print('+', ' '.join(command), flush=True)
    child = None
    # A signal that comes before the child exists is passed on once it does.
    early = []

    def forward(signum: int, frame) -> None:
        if child is None:
            early.append(signum)
        else:
            child.send_signal(signum)

    previous = {sig: signal.signal(sig, forward) for sig in FORWARDED}
    try:
        # Its own session: a terminal's Ctrl-C reaches it once, from here.
        child = subprocess.Popen(
            command, pass_fds=[lock.fd], start_new_session=True)
        for signum in early:
            child.send_signal(signum)
        status = child.wait()
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
    if status < 0:
        print(f'{command[1]} ended by {signal.Signals(-status).name}',
              flush=True)
        sys.exit(128 - status)
    if status:
        raise subprocess.CalledProcessError(status, command)


def tool(name: str, args: argparse.Namespace, *tool_args: str) -> List[str]:
    """The command of ``tools/{name}.py CONFIG ...``, or of its launcher
    script for ``--gpus``: ``tools/dist_{name}.sh CONFIG [CHECKPOINT] GPUS
    ...`` or ``tools/slurm_{name}.sh PARTITION JOB CONFIG ...`` (which reads
    the number of GPUs from ``GPUS``, set by :func:`main`)."""
    if not args.gpus:
        return [
            sys.executable,
            osp.join(TOOLS, f'{name}.py'), args.config, *tool_args
        ]
    if args.launcher == 'slurm':
        job = f'{osp.basename(args.work_dir.rstrip(os.sep))}_{name}'
        return [
            'bash',
            osp.join(TOOLS, f'slurm_{name}.sh'), args.partition, job,
            args.config, *tool_args
        ]
    positional = 1 if name == 'test' else 0  # the checkpoint
    return [
        'bash',
        osp.join(TOOLS, f'dist_{name}.sh'), args.config,
        *tool_args[:positional],
        str(args.gpus), *tool_args[positional:]
    ]


def pick_checkpoint(fold_dir: str, which: str) -> str:
    """The fold's best-UAR or last checkpoint; where a run kept no best
    one, the last, and it says so."""
    best = sorted(glob.glob(osp.join(fold_dir, 'best_*.pth')))
    if which == 'best' and best:
        return best[-1]
    if which == 'best':
        print(f'{fold_dir}: no best_*.pth (the config keeps none: '
              'default_hooks.checkpoint.save_best); the best row tests the '
              'last checkpoint', file=sys.stderr, flush=True)
    with open(osp.join(fold_dir, 'last_checkpoint')) as f:
        return f.read().strip()


def read_test_metrics(test_dir: str) -> Dict[str, float]:
    """The metrics of the newest ``tools/test.py`` run in ``test_dir``."""
    metrics = latest_test_metrics(test_dir)
    return {key: float(metrics[key]) for key in METRICS}


def settings_digest(config: str, options: List[str]) -> str:
    """SHA-256 of what a fold trains with: the config merged with its
    ``--cfg-options`` (and the environment variables it reads), and the
    other options of tools/train.py and tools/test.py."""
    parser = argparse.ArgumentParser(add_help=False)
    parser.add_argument('--cfg-options', nargs='+', action=DictAction)
    known, others = parser.parse_known_args(options)
    cfg = load_config(config, known.cfg_options)
    text = repr(sorted(cfg.to_dict().items())) + repr(others)
    return hashlib.sha256(text.encode()).hexdigest()


def fold_settings(config: str, fold: int,
                  extra: List[str]) -> Tuple[List[str], str]:
    """A fold's options for tools/train.py and test.py, and the digest of
    its settings. ``FOLD`` is set to the fold here, for the digest and for
    the children, which the configs' ``fold`` then agrees with; a FOLD
    left in the user's environment is no other setting."""
    os.environ['FOLD'] = str(fold)
    options = fold_options(fold, extra)
    return options, settings_digest(config, options)


def check_settings(fold_dir: str, digest: str, force: bool) -> None:
    """Record the fold's settings; exit if the folder holds a run with
    other settings, or with ``force`` remove that run."""
    record = osp.join(fold_dir, 'kfold_settings.sha256')
    if osp.isfile(record):
        with open(record) as f:
            recorded = f.read().strip()
        if recorded != digest:
            if not force:
                sys.exit(f'error: {fold_dir} holds a run with other settings '
                         '(config, environment variables or options differ '
                         f'from {record}); use another --work-dir, or '
                         '--force to train the fold again from scratch')
            print(f'--force: removing the run in {fold_dir}, which had '
                  'other settings', flush=True)
            for entry in os.listdir(fold_dir):
                path = osp.join(fold_dir, entry)
                if entry == FolderLock.NAME:
                    continue  # held by this process
                if osp.isdir(path) and not osp.islink(path):
                    shutil.rmtree(path)
                else:
                    os.remove(path)
    os.makedirs(fold_dir, exist_ok=True)
    with open(record, 'w') as f:
        f.write(digest + '\n')


def advance(bar: TaskProgress, steps: int = 1) -> None:
    """Move the k-fold progress bar on, on a line of its own between the
    tools' output."""
    bar.update(steps)
    bar.close()


def run_fold(args: argparse.Namespace, fold: int,
             bar: TaskProgress) -> Dict[str, Dict[str, float]]:
    """Train a fold and test its best and last checkpoints, each a step of
    ``bar``.

    Returns:
        dict: For ``'best'`` and ``'last'``, the test metrics and the
        checkpoint.
    """
    fold_dir = osp.join(args.work_dir, f'fold_{fold}')
    with FolderLock(fold_dir, 'k-fold fold folder') as lock:
        return train_and_test(args, fold, fold_dir, lock, bar)


def train_and_test(args: argparse.Namespace, fold: int, fold_dir: str,
                   lock: FolderLock,
                   bar: TaskProgress) -> Dict[str, Dict[str, float]]:
    """:func:`run_fold` in the locked fold folder."""
    options, digest = fold_settings(args.config, fold, args.extra)
    check_settings(fold_dir, digest, args.force)
    done = osp.join(fold_dir, 'test_metrics.json')
    if osp.isfile(done):
        with open(done) as f:
            results = json.load(f)
        if set(results) == set(CHECKPOINTS):
            print(f'fold {fold}: finished before, reading {done}',
                  flush=True)
            advance(bar, STEPS)
            return results
    # --resume continues an interrupted fold and starts a new one afresh.
    run(tool('train', args, '--work-dir', fold_dir, '--resume', *options),
        lock)
    advance(bar)
    results = {}
    for which in CHECKPOINTS:
        checkpoint = pick_checkpoint(fold_dir, which)
        test_dir = osp.join(fold_dir, f'test_{which}')
        run(tool('test', args, checkpoint, '--work-dir', test_dir, *options),
            lock)
        results[which] = dict(
            read_test_metrics(test_dir), checkpoint=checkpoint)
        advance(bar)
    with open(done, 'w') as f:
        json.dump(results, f, indent=2)
    return results


def summarise(results: Dict[int, Dict[str, Dict[str, float]]],
              work_dir: str) -> str:
    """Write the per-fold and mean ± std tables as Markdown and CSV."""
    # values[fold, checkpoint, metric]
    values = np.array([[[results[f][c][m] for m in METRICS]
                        for c in CHECKPOINTS] for f in results])
    mean = values.mean(0)
    std = values.std(0, ddof=1) if len(values) > 1 else np.zeros_like(mean)
    shown = [(c, m) for c in range(len(CHECKPOINTS)) for m in range(2)]
    header = ['fold'] + [
        f'{CHECKPOINTS[c]} {METRICS[m]} (%)' for c, m in shown
    ]
    rows = [[str(f), *(f'{row[c, m]:.2f}' for c, m in shown)]
            for f, row in zip(results, values)]
    rows.append([
        'mean ± std',
        *(f'{mean[c, m]:.2f} ± {std[c, m]:.2f}' for c, m in shown)
    ])
    lines = ['| ' + ' | '.join(header) + ' |',
             '|' + '---|' * len(header)]
    lines += ['| ' + ' | '.join(row) + ' |' for row in rows]
    table = '\n'.join(lines) + '\n\n' + CHECKPOINT_NOTE
    with open(osp.join(work_dir, 'kfold_results.md'), 'w') as f:
        f.write(table + '\n')
    with open(osp.join(work_dir, 'kfold_results.csv'), 'w',
              newline='') as f:
        writer = csv.writer(f)
        writer.writerow(['fold', 'checkpoint', *METRICS])
        for c, which in enumerate(CHECKPOINTS):
            for fold, row in zip(results, values):
                writer.writerow([fold, which, *(f'{v:.4f}' for v in row[c])])
            writer.writerow(['mean', which, *(f'{v:.4f}' for v in mean[c])])
            writer.writerow(['std', which, *(f'{v:.4f}' for v in std[c])])
    return table


def check_folds(config: str, folds: List[int]) -> None:
    """Exit before any training when a fold is not one of the config's
    dataset."""
    dataset = load_config(config, None).train_dataloader.dataset
    kind = DATASETS.get(dataset['type'])
    num_folds = getattr(kind, 'NUM_FOLDS', None)
    if num_folds is None:
        sys.exit(f'error: {config}: {dataset["type"]} has no folds')
    wrong = [fold for fold in folds if fold not in range(1, num_folds + 1)]
    if wrong:
        sys.exit(f'error: {dataset["type"]} has folds 1..{num_folds}; '
                 f'--folds names {" ".join(map(str, wrong))}')


def main() -> None:
    args = parse_args()
    check_folds(args.config, args.folds)
    if args.launcher == 'slurm':
        os.environ['GPUS'] = str(args.gpus)
    os.makedirs(args.work_dir, exist_ok=True)
    bar = TaskProgress(len(args.folds) * STEPS)
    bar.close()
    try:
        results = {fold: run_fold(args, fold, bar) for fold in args.folds}
    except FolderBusyError as error:
        sys.exit(f'error: {error}')
    print(summarise(results, args.work_dir))


if __name__ == '__main__':
    main()
