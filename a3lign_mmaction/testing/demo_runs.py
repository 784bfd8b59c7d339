"""The demo config cut to seconds of training, and what a run logged."""
import glob
import json
import os.path as osp
from typing import Dict, Optional, Sequence, Union

from mmengine.config import Config

from ..engine import bap_schedule
from .configs import load_config

__all__ = [
    'DEMO_SPLITS', 'THREE_STAGES', 'logged_validation', 'set_bap_stages',
    'short_demo_config'
]

#: One epoch of each BAP stage.
THREE_STAGES = [
    dict(epochs=1, stage=1),
    dict(epochs=1, stage=2),
    dict(epochs=1, stage=3)
]
#: 4 training and 2 validation clips per class of the demo faces.
DEMO_SPLITS = (('train', 4), ('val', 2))


def set_bap_stages(cfg: Config, stages: Sequence[Union[int, dict]]) -> None:
    """Cut a BAP config's schedule to ``stages`` (see
    :func:`~a3lign_mmaction.engine.bap_schedule`)."""
    train_cfg, cfg.param_scheduler, cfg.custom_hooks = bap_schedule(
        stages, cfg.custom_hooks)
    cfg.train_cfg.update(train_cfg)


def short_demo_config(demo_root: str,
                      work_dir: str,
                      stages: Optional[Sequence[Union[int, dict]]] = (
                          THREE_STAGES),
                      name: str = 'a3lign_demo.py') -> Config:
    """A demo config on the clips of :data:`DEMO_SPLITS` in ``demo_root``,
    cut to ``stages`` (BAP) or to one epoch (``stages=None``), with no
    loader workers, deterministic, a checkpoint every epoch and no
    validation while training."""
    cfg = load_config(name)
    for loader in ('train_dataloader', 'val_dataloader', 'test_dataloader'):
        cfg[loader].update(num_workers=0, persistent_workers=False,
                           batch_size=8)
        cfg[loader].dataset.update(
            data_root=demo_root, splits=DEMO_SPLITS)
    # Test-time sampling in training too: the same batches in every run.
    cfg.train_dataloader.dataset.pipeline = cfg.val_dataloader.dataset.pipeline
    if stages is None:
        cfg.train_cfg.max_epochs = 1
    else:
        set_bap_stages(cfg, stages)
    cfg.train_cfg.val_interval = 100
    cfg.default_hooks.checkpoint.update(interval=1, save_best=None)
    cfg.randomness = dict(seed=0, deterministic=True)
    cfg.work_dir = str(work_dir)
    return cfg


def logged_validation(work_dir: str) -> Dict[int, dict]:
    """Validation metrics by epoch, from the ``scalars.json`` of the one
    training run in ``work_dir``."""
    path, = glob.glob(osp.join(work_dir, '*', 'vis_data', 'scalars.json'))
    with open(path) as f:
        records = [json.loads(line) for line in f]
    return {r['step']: r for r in records if 'UAR' in r}
