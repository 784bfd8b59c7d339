"""One table across training runs: each recipe's UAR and WAR, parameters,
FLOPs and time, one column group per dataset.

Usage::

    python tools/analysis/compare_runs.py WORK_DIR [WORK_DIR ...]
        [--out work_dirs/compare_runs] [--no-flops]

A WORK_DIR is the work dir of a ``tools/train.py`` run, or a folder of
them (``tools/kfold.py``'s ``fold_K``), or the work dir of a
``tools/test.py`` run of a recipe that needs no training
(``tools/test.py configs/zeroshot-clip_dfew.py none --work-dir DIR``),
whose test scores stand for both checkpoints. The recipe and the dataset of a
run are read from the name of the config it saved in its work dir, by the
configs' naming scheme ``<recipe>_<dataset>[_<variant>].py``
(docs/benchmark.md): one row per recipe and variant, one column group per
dataset. Runs of one row and dataset (folds, seeds) give mean ± std.

For each dataset, ``OUT.md`` and ``OUT.csv`` hold:

- UAR and WAR of the best checkpoint (the epoch of the highest validation
  UAR, which ``CheckpointHook`` keeps as ``best_UAR_*.pth``) and of the
  last validated epoch, as validation logged them; ``tools/test.py``
  scores the same checkpoints with the same numbers;
- trainable parameters: those that train in some stage of the recipe;
- FLOPs per view: the image tower and neck on one view of the test
  pipeline, as ``tools/analysis/get_flops.py`` counts them;
- seconds per training epoch: MMEngine's logged iteration time times the
  iterations per epoch, validation not included.

Parameters and FLOPs come from the model the saved config builds, so its
CLIP weight file must be where the config says (``--no-flops`` leaves the
FLOPs out, ``--cfg-options model.clip.checkpoint=None`` counts with a
random-init CLIP).
"""
import argparse
import csv
import glob
import json
import os
import os.path as osp
import re
from collections import defaultdict
from typing import Dict, List, Optional

import numpy as np
from mmaction.registry import MODELS
from mmengine.config import Config, DictAction
from mmengine.registry import init_default_scope

from a3lign_mmaction.utils import (count_view_flops, latest_test_metrics,
                                   metrics_files, trainable_parameters,
                                   view_shape)

#: ``<recipe>_<dataset>[_<variant>]``, the configs' naming scheme.
CONFIG_NAME = re.compile(r'^(?P<recipe>[^_]+)_(?P<dataset>[^_]+)'
                         r'(?:_(?P<variant>.+))?\.py$')
SCORES = ('UAR best', 'WAR best', 'UAR last', 'WAR last')


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('work_dirs', nargs='+', metavar='WORK_DIR')
    parser.add_argument(
        '--out',
        default='work_dirs/compare_runs',
        help='write OUT.md and OUT.csv (default: %(default)s)')
    parser.add_argument(
        '--no-flops', action='store_true', help='leave the FLOPs out')
    parser.add_argument(
        '--cfg-options',
        nargs='+',
        action=DictAction,
        help='change the saved configs before their models are built')
    return parser.parse_args()


def is_run(path: str) -> bool:
    return bool(
        glob.glob(osp.join(path, '*', 'vis_data', 'scalars.json'))
        or metrics_files(path))


def find_runs(work_dir: str) -> List[str]:
    """``work_dir`` if it is a training run, else the runs in it."""
    if is_run(work_dir):
        return [work_dir]
    runs = sorted(path for path in glob.glob(osp.join(work_dir, '*'))
                  if is_run(path))
    if not runs:
        raise SystemExit(
            f'error: no run in {work_dir}: expected the work dir of '
            'tools/train.py (TIMESTAMP/vis_data/scalars.json in it) or of '
            'tools/test.py (TIMESTAMP/TIMESTAMP.json), or a folder of them '
            '(tools/kfold.py\'s fold_K)')
    return runs


def saved_config(run: str) -> str:
    """The config a run saved in its work dir, named by the scheme."""
    names = [
        path for path in glob.glob(osp.join(run, '*.py'))
        if CONFIG_NAME.match(osp.basename(path))
    ]
    if len(names) != 1:
        raise SystemExit(
            f'error: {run} holds {len(names)} configs named '
            '<recipe>_<dataset>[_<variant>].py; expected the one its '
            'training saved')
    return names[0]


def read_scalars(run: str) -> List[dict]:
    """The logged scalars of a run, resumed parts in order."""
    records = []
    for path in sorted(
            glob.glob(osp.join(run, '*', 'vis_data', 'scalars.json'))):
        with open(path) as f:
            records += [json.loads(line) for line in f if line.strip()]
    return records


def read_run(run: str) -> dict:
    """Best and last validation scores and seconds per epoch of a run (a
    test-only run's test scores for both)."""
    records = read_scalars(run)
    validation = {r['step']: r for r in records if 'UAR' in r}
    if validation:
        best = max(validation.values(), key=lambda r: r['UAR'])
        last = validation[max(validation)]
    elif metrics_files(run):
        best = last = latest_test_metrics(run)
    else:
        raise SystemExit(f'error: {run} logged no validation (UAR)')
    training = [r for r in records if 'loss' in r and 'time' in r]
    seconds = None
    if training:
        per_epoch = max(r['iter'] for r in training) / max(
            r['epoch'] for r in training)
        seconds = float(np.mean([r['time'] for r in training])) * per_epoch
    return {
        'UAR best': best['UAR'],
        'WAR best': best['WAR'],
        'UAR last': last['UAR'],
        'WAR last': last['WAR'],
        's/epoch': seconds
    }


def model_cost(config: str, options: Optional[dict],
               flops: bool) -> Dict[str, Optional[int]]:
    cfg = Config.fromfile(config)
    if options:
        cfg.merge_from_dict(options)
    init_default_scope(cfg.get('default_scope', 'mmaction'))
    model = MODELS.build(cfg.model).eval()
    return dict(
        params=trainable_parameters(model),
        FLOPs=count_view_flops(model, view_shape(cfg)) if flops else None)


def mean_std(values: List[float], digits: int = 2) -> str:
    if len(values) == 1:
        return f'{values[0]:.{digits}f}'
    return f'{np.mean(values):.{digits}f} ± {np.std(values):.{digits}f}'


def collect(args: argparse.Namespace) -> Dict[str, Dict[str, dict]]:
    """``{row: {dataset: cell}}``, a cell holding every run's scores, the
    runs' mean seconds per epoch and the model's parameters and FLOPs."""
    table: Dict[str, Dict[str, dict]] = defaultdict(dict)
    for work_dir in args.work_dirs:
        for run in find_runs(work_dir):
            config = saved_config(run)
            name = CONFIG_NAME.match(osp.basename(config))
            row = name['recipe'] + (f'_{name["variant"]}'
                                    if name['variant'] else '')
            cell = table[row].setdefault(name['dataset'],
                                         dict(runs=[], config=config))
            cell['runs'].append(read_run(run))
    for cells in table.values():
        for cell in cells.values():
            cell.update(
                model_cost(cell['config'], args.cfg_options,
                           not args.no_flops))
    return table


def write(table: Dict[str, Dict[str, dict]], out: str) -> None:
    datasets = sorted({d for cells in table.values() for d in cells})
    columns = [*SCORES, 'runs', 'params', 'GFLOPs', 's/epoch']
    header = ['recipe'] + [f'{d} {c}' for d in datasets for c in columns]
    md_rows, csv_rows = [], []
    for row, cells in sorted(table.items()):
        md, flat = [row], {'recipe': row}
        for dataset in datasets:
            cell = cells.get(dataset)
            if cell is None:
                md += [''] * len(columns)
                continue
            runs = cell['runs']
            seconds = [r['s/epoch'] for r in runs if r['s/epoch']]
            md += [mean_std([r[key] for r in runs]) for key in SCORES]
            md += [
                str(len(runs)), f'{cell["params"]:,}',
                '' if cell['FLOPs'] is None else
                f'{cell["FLOPs"] / 1e9:.3f}',
                mean_std(seconds, 1) if seconds else ''
            ]
            for key in SCORES:
                values = [r[key] for r in runs]
                flat[f'{dataset}/{key}/mean'] = float(np.mean(values))
                flat[f'{dataset}/{key}/std'] = float(np.std(values))
            flat.update({
                f'{dataset}/runs': len(runs),
                f'{dataset}/params': cell['params'],
                f'{dataset}/FLOPs': cell['FLOPs'],
                f'{dataset}/s_per_epoch':
                float(np.mean(seconds)) if seconds else None
            })
        md_rows.append(md)
        csv_rows.append(flat)
    os.makedirs(osp.dirname(osp.abspath(out)), exist_ok=True)
    lines = ['| ' + ' | '.join(header) + ' |',
             '|' + '---|' * len(header)]
    lines += ['| ' + ' | '.join(row) + ' |' for row in md_rows]
    with open(f'{out}.md', 'w') as f:
        f.write('\n'.join(lines) + '\n')
    fields = list(dict.fromkeys(k for row in csv_rows for k in row))
    with open(f'{out}.csv', 'w', newline='') as f:
        writer = csv.DictWriter(f, fields)
        writer.writeheader()
        writer.writerows(csv_rows)
    print('\n'.join(lines))
    print(f'\nwritten: {out}.md, {out}.csv')


def main() -> None:
    args = parse_args()
    write(collect(args), args.out)


if __name__ == '__main__':
    main()
