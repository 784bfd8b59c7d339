"""Running the frozen CLIP image tower once over a dataset's clips."""
import copy
import os
import os.path as osp
import random
import socket
import time
import uuid
import zlib
from contextlib import ExitStack
from typing import Dict, List, Optional, Sequence, Set, Tuple

import numpy as np
import torch
from mmaction.registry import DATASETS, MODELS
from mmengine.config import Config
from mmengine.dataset import Compose
from mmengine.dist import barrier, broadcast_object_list, get_dist_info
from mmengine.registry import init_default_scope
from mmengine.utils import ProgressBar

from ..datasets import FeatureJournal, FeatureStore
from ..utils import FolderLock

__all__ = [
    'ClipViews', 'build_extraction_model', 'collect_clips', 'extract_features'
]


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


class ClipViews(torch.utils.data.Dataset):
    """Views of clips as ``(C, T, H, W)`` uint8: view 0 from the test
    pipeline, views 1..K from the training pipeline. The augmentation of
    view ``v`` of a clip is seeded by ``(seed, clip key, v)``, so the same
    view comes out whenever and with whichever others it is made."""

    def __init__(self, items: List[Tuple[str, int]], infos: Dict[str, dict],
                 test_pipeline: list, train_pipeline: list,
                 seed: int) -> None:
        self.items, self.infos = items, infos
        self.test_pipeline = Compose(test_pipeline)
        self.train_pipeline = Compose(train_pipeline)
        self.seed = seed

    def __len__(self) -> int:
        return len(self.items)

    def __getitem__(self, index: int) -> Tuple[str, int, torch.Tensor]:
        key, view = self.items[index]
        state = (self.seed + zlib.crc32(key.encode()) +
                 1_000_003 * view) % 2**32
        np.random.seed(state)
        random.seed(state)
        pipeline = self.test_pipeline if view == 0 else self.train_pipeline
        inputs = pipeline(copy.deepcopy(self.infos[key]))['inputs']
        if inputs.shape[0] != 1:
            raise ValueError('feature extraction needs one view per '
                             f'pipeline call (num_clips=1), got '
                             f'{inputs.shape[0]}')
        return key, view, inputs


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


def _raise_on_every_rank(failure: Optional[Exception]) -> None:
    """Stop every rank of a distributed job when rank 0 has failed."""
    message = [None if failure is None else str(failure)]
    broadcast_object_list(message)
    if failure is not None:
        raise failure
    if message[0] is not None:
        raise RuntimeError(f'rank 0 stopped the extraction: {message[0]}')


def _collate(batch):
    keys, views, inputs = zip(*batch)
    return list(zip(keys, views)), torch.stack(inputs)


def extract_features(cfg: Config,
                     store: str,
                     views: int = 4,
                     folds: Optional[Sequence[int]] = None,
                     batch_size: int = 32,
                     num_workers: int = 4,
                     device: str = 'cuda',
                     bf16: Optional[bool] = None,
                     dtype: str = 'float16',
                     seed: int = 0,
                     progress: bool = True) -> Dict[str, float]:
    """Store the frozen image tower's frame embeddings of the clips' views.

    Test clips get the test view, training clips the ``views`` training
    views, over the given folds (all five folds: every view of every
    clip). Views already in ``store`` are skipped, so an interrupted run
    continues and the folds of a dataset share one extraction. The store
    is locked while the function runs (:class:`FolderLock`): a second
    extraction into it stops. Views from another tower, pipeline or
    precision than the store holds are refused.

    In a distributed job (``torch.distributed`` initialised, e.g. by
    ``tools/dist_extract.sh``), every rank runs this function: rank 0
    locks the store and lays it out, each rank makes every
    ``world_size``-th of the missing views into its own
    :class:`FeatureJournal`, and rank 0 merges the journals at the end, so
    the ranks share nothing but the store's folder. A rerun after a
    failure merges the journals left behind and makes the views still
    missing.

    Args:
        cfg (Config): A training config (model, train and test datasets).
        store (str): Feature store folder.
        views (int): Augmented training views per clip (K); the test view
            comes on top. Defaults to 4.
        folds (sequence[int], optional): See :func:`collect_clips`.
        batch_size (int): Clip views per forward pass. Defaults to 32.
        num_workers (int): Data loading processes. Defaults to 4.
        device (str): Defaults to ``'cuda'``.
        bf16 (bool, optional): Run the tower with bf16 weights. Defaults to
            None (on CUDA devices that support bf16).
        dtype (str): Storage dtype. Defaults to ``'float16'``.
        seed (int): Seed of the augmentations. Defaults to 0.
        progress (bool): Show a progress bar. Defaults to True.

    Returns:
        dict: ``clips`` and ``views`` (the clip views these folds use),
        ``extracted`` (views made in this run, by this rank), ``frames``
        and ``seconds`` of this run, and ``frames_per_s``.
    """
    init_default_scope(cfg.get('default_scope', 'mmaction'))
    cuda = device.startswith('cuda')
    if bf16 is None:
        bf16 = cuda and torch.cuda.is_bf16_supported()
    data_root, infos, splits = collect_clips(cfg, folds)
    needed = {
        key: ([0] if 'test' in split else []) +
        (list(range(1, views + 1)) if 'train' in split else [])
        for key, split in splits.items()
    }
    model, tower_info = build_extraction_model(cfg)
    tower = model.backbone.to(device).eval()
    if bf16:
        tower.to(torch.bfloat16)
    preprocessor = model.data_preprocessor.to(device)
    frames = cfg.model.neck.get('num_frames', 16)
    info = dict(
        data_root=data_root,
        **tower_info,
        precision='bf16' if bf16 else 'fp32',
        seed=seed,
        preprocessor=repr(cfg.model.data_preprocessor),
        train_pipeline=repr(cfg.train_dataloader.dataset.pipeline),
        test_pipeline=repr(cfg.test_dataloader.dataset.pipeline))
    rank, world_size = get_dist_info()
    with ExitStack() as stack:
        # Rank 0 locks the store, lays out the new clips and merges what
        # killed runs left; the other ranks of the job wait for it.
        failure = None
        if rank == 0:
            try:
                stack.enter_context(FolderLock(store, 'feature store'))
                features = FeatureStore(store)
                features.add(infos, views + 1, frames, tower.embed_dim,
                             dtype, info)
                FeatureJournal.merge(features)
            except Exception as error:
                failure = error
        _raise_on_every_rank(failure)
        features = FeatureStore(store)
        todo = features.missing(needed)[rank::world_size]
        # One process writes the store; the ranks of a distributed job
        # write their own journals, which rank 0 merges at the end.
        # Host and process id, and a random part: containers that share a
        # host name can run processes of the same id.
        write = features.write if world_size == 1 else FeatureJournal(
            features, f'{socket.gethostname()}_{os.getpid()}_'
            f'{uuid.uuid4().hex[:8]}').append
        loader = torch.utils.data.DataLoader(
            ClipViews(todo, infos, cfg.test_dataloader.dataset.pipeline,
                      cfg.train_dataloader.dataset.pipeline, seed),
            batch_size=batch_size,
            num_workers=num_workers,
            pin_memory=cuda,
            collate_fn=_collate)
        bar = ProgressBar(len(todo)) if progress and todo else None

        def save(items: List[Tuple[str, int]], embeddings: torch.Tensor,
                 copied: Optional[torch.cuda.Event]) -> None:
            if copied is not None:
                copied.synchronize()
            write(items, embeddings.numpy())
            if bar is not None:
                bar.update(len(items))

        start = time.perf_counter()
        pending = None
        with torch.no_grad():
            for items, inputs in loader:
                x, _ = preprocessor.preprocess(
                    list(inputs.to(device, non_blocking=True)), None)
                x = x.flatten(0, 1)
                if bf16:
                    x = x.to(torch.bfloat16)
                embeddings = tower(x).float().to('cpu', non_blocking=True)
                copied = torch.cuda.Event() if cuda else None
                if copied is not None:
                    copied.record()
                # The device works on this batch while the host stores the
                # previous one (a synchronous disk flush) instead of idling.
                if pending is not None:
                    save(*pending)
                pending = items, embeddings, copied
        if pending is not None:
            save(*pending)
        if bar is not None:
            bar.file.write('\n')
        seconds = time.perf_counter() - start
        barrier()
        if rank == 0 and world_size > 1:
            FeatureJournal.merge(features)
        done = len(todo) * frames
        return dict(
            clips=len(infos),
            views=sum(map(len, needed.values())),
            extracted=len(todo),
            frames=done,
            seconds=seconds,
            frames_per_s=done / seconds if seconds else 0.0)
