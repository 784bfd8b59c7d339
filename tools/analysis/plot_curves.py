"""Training curves of a work dir: loss, learning rate and UAR/WAR per
epoch, with the BAP stage boundaries marked.

Usage::

    python tools/analysis/plot_curves.py WORK_DIR [--out WORK_DIR/curves.png]

Reads the ``scalars.json`` of the last training run in ``WORK_DIR`` and
the config it ran with (``vis_data/config.py``), and writes a PNG.
"""
import argparse
import glob
import itertools
import json
import os.path as osp
from typing import Dict, List, Tuple

import matplotlib
from mmengine.config import Config

matplotlib.use('Agg')
import matplotlib.pyplot as plt  # noqa: E402


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('work_dir')
    parser.add_argument('--out', help='default: WORK_DIR/curves.png')
    return parser.parse_args()


def last_training_run(work_dir: str) -> Tuple[str, List[dict]]:
    """The ``vis_data`` folder and records of the last run that trained."""
    for scalars in sorted(
            glob.glob(osp.join(work_dir, '*', 'vis_data', 'scalars.json')),
            reverse=True):
        with open(scalars) as f:
            records = [json.loads(line) for line in f if line.strip()]
        if any('loss' in r for r in records):
            return osp.dirname(scalars), records
    raise FileNotFoundError(
        f'{work_dir} holds no training run (no */vis_data/scalars.json with '
        'a loss); give the --work-dir of a tools/train.py run')


def stage_starts(cfg: Config) -> List[int]:
    """Epochs (0-based) at which the BAP stages after the first start."""
    for hook in cfg.get('custom_hooks', []):
        if hook['type'] == 'BAPHook':
            ends = itertools.accumulate(s['epochs'] for s in hook['stages'])
            return list(ends)[:-1]
    return []


def curves(records: List[dict]) -> Dict[str, Tuple[list, list]]:
    """x (epochs) and y of loss, lr, UAR and WAR."""
    train = [r for r in records if 'loss' in r]
    # The logger writes the last iteration of every epoch.
    per_epoch = max(r['step'] for r in train if r['epoch'] == 1)
    series = {}
    for key in ('loss', 'lr'):
        series[key] = ([r['step'] / per_epoch for r in train],
                       [r[key] for r in train])
    val = [r for r in records if 'UAR' in r]
    for key in ('UAR', 'WAR'):
        series[key] = ([r['step'] for r in val], [r[key] for r in val])
    return series


def main() -> None:
    args = parse_args()
    vis_data, records = last_training_run(args.work_dir)
    starts = stage_starts(Config.fromfile(osp.join(vis_data, 'config.py')))
    series = curves(records)
    figure, axes = plt.subplots(3, 1, figsize=(8, 9), sharex=True)
    for ax, keys, label in zip(axes, (['loss'], ['lr'], ['UAR', 'WAR']),
                               ('loss', 'learning rate', '%')):
        for key in keys:
            ax.plot(*series[key], label=key,
                    marker='o' if key in ('UAR', 'WAR') else None)
        for index, start in enumerate(starts, 2):
            ax.axvline(start, color='gray', linestyle='--')
            ax.text(start, 1, f' stage {index}', color='gray', va='top',
                    transform=ax.get_xaxis_transform())
        ax.set_ylabel(label)
        ax.legend(loc='best')
    axes[-1].set_xlabel('epoch')
    axes[0].set_title(osp.basename(osp.normpath(args.work_dir)))
    figure.tight_layout()
    out = args.out or osp.join(args.work_dir, 'curves.png')
    figure.savefig(out, dpi=100)
    print(f'{out}: {len(series["loss"][0])} training records, '
          f'{len(series["UAR"][0])} validations, BAP stages from epochs '
          f'{[0, *starts]}')


if __name__ == '__main__':
    main()
