"""Running the frozen CLIP image tower once over a dataset's clips: the
plan (:mod:`.extraction_plan`), the loop (:mod:`.extraction_loop`), and the
store and journals it fills, merged by rank 0.

In a distributed job (``torch.distributed`` initialised, e.g. by
``tools/dist_extract.sh``), every rank runs :func:`extract_features`: rank 0
locks the store and lays it out, each rank makes every
``world_size``-th of the missing views into its own
:class:`FeatureJournal`, and rank 0 merges the journals at the end, so
the ranks share nothing but the store's folder. A rerun after a
failure merges the journals left behind and makes the views still
missing.
"""
import os
import socket
import uuid
from contextlib import ExitStack
from typing import Callable, Dict, Optional, Sequence

import torch
from mmengine.config import Config
from mmengine.dist import barrier, broadcast_object_list, get_dist_info
from mmengine.registry import init_default_scope

from ..utils import FolderLock, TaskProgress
from .extraction_loop import embed_views
from .extraction_plan import ExtractionPlan, plan_extraction
from .extraction_views import ExtractionViews
from .feature_journal import FeatureJournal
from .feature_store import FeatureStore

__all__ = ['extract_features']


def _raise_on_every_rank(failure: Optional[Exception]) -> None:
    """Stop every rank of a distributed job when rank 0 has failed."""
    message = [None if failure is None else str(failure)]
    broadcast_object_list(message)
    if failure is not None:
        raise failure
    if message[0] is not None:
        raise RuntimeError(f'rank 0 stopped the extraction: {message[0]}')


def _open_store(store: str, plan: ExtractionPlan, views: int, frames: int,
                dim: int, dtype: str, stack: ExitStack) -> FeatureStore:
    """Rank 0 locks the store, lays out the new clips and merges what
    killed runs left; the other ranks of the job wait for it."""
    failure = None
    if get_dist_info()[0] == 0:
        try:
            stack.enter_context(FolderLock(store, 'feature store'))
            features = FeatureStore(store)
            features.add(plan.infos, views + 1, frames, dim, dtype,
                         plan.store_info)
            FeatureJournal.merge(features)
        except Exception as error:
            failure = error
    _raise_on_every_rank(failure)
    return FeatureStore(store)


def _writer(features: FeatureStore, world_size: int) -> Callable:
    """One process writes the store; the ranks of a distributed job write
    their own journals, which rank 0 merges at the end."""
    if world_size == 1:
        return features.write
    # Host and process id, and a random part: containers that share a host
    # name can run processes of the same id.
    return FeatureJournal(
        features, f'{socket.gethostname()}_{os.getpid()}_'
        f'{uuid.uuid4().hex[:8]}').append


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
    precision than the store holds are refused. Distributed jobs: see the
    module's docstring.

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
    plan, model = plan_extraction(cfg, views, folds, bf16, seed)
    tower = model.backbone.to(device).eval()
    if bf16:
        tower.to(torch.bfloat16)
    frames = cfg.model.neck.get('num_frames', 16)
    rank, world_size = get_dist_info()
    with ExitStack() as stack:
        features = _open_store(store, plan, views, frames, tower.embed_dim,
                               dtype, stack)
        todo = features.missing(plan.needed)[rank::world_size]
        loader = torch.utils.data.DataLoader(
            ExtractionViews(todo, plan.infos,
                            cfg.test_dataloader.dataset.pipeline,
                            cfg.train_dataloader.dataset.pipeline, seed),
            batch_size=batch_size, num_workers=num_workers,
            pin_memory=cuda, collate_fn=_collate)
        bar = TaskProgress(len(todo), progress and bool(todo),
                           'extracting frame embeddings')
        seconds = embed_views(loader, model.data_preprocessor.to(device),
                              tower, _writer(features, world_size), device,
                              bf16, bar)
        bar.close()
        barrier()
        if rank == 0 and world_size > 1:
            FeatureJournal.merge(features)
    done = len(todo) * frames
    return dict(
        clips=len(plan.infos),
        views=sum(map(len, plan.needed.values())),
        extracted=len(todo),
        frames=done,
        seconds=seconds,
        frames_per_s=done / seconds if seconds else 0.0)
