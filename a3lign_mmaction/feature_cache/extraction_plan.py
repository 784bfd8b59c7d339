"""What an extraction makes: every view of every clip the config's folds
use, and the image tower that embeds them."""
import copy
import os.path as osp
from typing import Dict, NamedTuple, Optional, Sequence, Set, Tuple

import torch
from mmaction.registry import DATASETS, MODELS
from mmengine.config import Config

__all__ = [
    'ExtractionPlan', 'build_extraction_model', 'collect_clips',
    'plan_extraction'
]


class ExtractionPlan(NamedTuple):
    """The clips of an extraction and what its store records.

    ``infos`` maps a clip's key (its frame folder relative to the
    dataset root) to its data info, ``needed`` to the views it needs (0:
    the test view, 1..K: training views), and ``store_info`` is what
    :meth:`FeatureStore.add` records of the dataset root, the tower, the
    pipelines and the precision.
    """

    infos: Dict[str, dict]
    needed: Dict[str, list]
    store_info: dict


def collect_clips(
    cfg: Config,
    folds: Optional[Sequence[int]] = None
) -> Tuple[str, Dict[str, dict], Dict[str, Set[str]]]:
    """Every clip of a config's train and test datasets, over folds.

    Args:
        cfg (Config): A training config.
        folds (sequence[int], optional): Folds to gather, for datasets with
            folds. Defaults to None (the fold the config sets).

    Returns:
        tuple[str, dict, dict]: The dataset root, ``{key: data info}``
        keyed by frame folder relative to the root (a clip in several folds
        or splits appears once), and ``{key: splits}``, the splits
        (``'train'``, ``'test'``) each clip is in over those folds.
    """
    clips: Dict[str, dict] = {}
    splits: Dict[str, Set[str]] = {}
    roots = set()
    for split in ('train', 'test'):
        dataset_cfg = copy.deepcopy(cfg[f'{split}_dataloader'].dataset)
        dataset_cfg.pipeline = []
        for fold in folds or [dataset_cfg.get('fold')]:
            if fold is not None:
                dataset_cfg.fold = fold
            dataset = DATASETS.build(dataset_cfg)
            roots.add(osp.abspath(dataset.data_root))
            for index in range(len(dataset)):
                info = dataset.get_data_info(index)
                key = osp.relpath(info['frame_dir'], dataset.data_root)
                clips.setdefault(key, info)
                splits.setdefault(key, set()).add(split)
    if len(roots) != 1:
        raise ValueError(f'train and test datasets have different roots: '
                         f'{sorted(roots)}; one store needs one root')
    return roots.pop(), clips, splits


def build_extraction_model(cfg: Config) -> Tuple[torch.nn.Module, dict]:
    """The config's model, with the image tower its training run builds.

    A CLIP loaded from ``model.clip.checkpoint`` is the same in every
    build; a random-init one is drawn with ``randomness.seed``, as the
    runner seeds it before building the model, so that a store made by it
    is the tower training checks against (:class:`FeatureStoreHook`).

    Args:
        cfg (Config): A training config.

    Returns:
        tuple[nn.Module, dict]: The model, and what the feature store
        records of its tower: ``arch``, ``checkpoint``, ``model_seed`` and
        ``tower`` (the fingerprint).
    """
    clip_cfg = cfg.model.get('clip', {})
    seed = cfg.get('randomness', {}).get('seed')
    if not clip_cfg.get('checkpoint') and seed is None:
        raise ValueError(
            'the config\'s CLIP is random-init (no model.clip.checkpoint) '
            'and randomness.seed is not set, so its image tower cannot be '
            'built again for training: set randomness=dict(seed=0) in the '
            'config, or model.clip.checkpoint to a weight file.')
    with torch.random.fork_rng(devices=[]):
        if seed is not None:
            torch.manual_seed(seed)
        model = MODELS.build(cfg.model)
    return model, dict(
        arch=str(clip_cfg.get('arch')),
        checkpoint=str(clip_cfg.get('checkpoint')),
        model_seed=seed,
        tower=model.backbone.fingerprint())


def plan_extraction(cfg: Config, views: int, folds: Optional[Sequence[int]],
                    bf16: bool, seed: int) -> Tuple[ExtractionPlan,
                                                    torch.nn.Module]:
    """The views to make over ``folds`` and the model to make them with.

    Test clips need the test view, training clips the ``views`` training
    views (a clip in both splits over the folds needs both).

    Returns:
        tuple[ExtractionPlan, nn.Module]: The plan and the model.
    """
    data_root, infos, splits = collect_clips(cfg, folds)
    needed = {
        key: ([0] if 'test' in split else []) +
        (list(range(1, views + 1)) if 'train' in split else [])
        for key, split in splits.items()
    }
    model, tower_info = build_extraction_model(cfg)
    store_info = dict(
        data_root=data_root,
        **tower_info,
        precision='bf16' if bf16 else 'fp32',
        seed=seed,
        preprocessor=repr(cfg.model.data_preprocessor),
        train_pipeline=repr(cfg.train_dataloader.dataset.pipeline),
        test_pipeline=repr(cfg.test_dataloader.dataset.pipeline))
    return ExtractionPlan(infos, needed, store_info), model
