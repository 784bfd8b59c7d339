from typing import Iterable

from mmaction.registry import DATA_SAMPLERS
from mmengine.dist import get_world_size
from mmengine.logging import print_log
from torch.utils.data import BatchSampler

__all__ = ['TotalBatchSampler']


@DATA_SAMPLERS.register_module()
class TotalBatchSampler(BatchSampler):
    """Batches that make up ``batch_size`` clips over all processes together.

    MMEngine's ``batch_size`` is per process, so a recipe trained on N GPUs
    takes N times the batch at the same learning rate. With this batch
    sampler the data loader's ``batch_size`` is the total: each of N
    processes takes ``batch_size / N`` clips per step, and the recipe
    (A³lign-DFER: 64 clips per SGD step) holds on any number of GPUs.
    MMEngine's ``auto_scale_lr``, which assumes per-process batches, does
    not apply.

    Use it in a data loader config:
    ``batch_size=64, batch_sampler=dict(type='TotalBatchSampler')``.

    Args:
        sampler (Iterable): The process's sampler, e.g. MMEngine's
            ``DefaultSampler``.
        batch_size (int): Clips per step over all processes.
        drop_last (bool): Drop a last, smaller batch. Defaults to False.
    """

    def __init__(self,
                 sampler: Iterable,
                 batch_size: int,
                 drop_last: bool = False) -> None:
        world_size = get_world_size()
        if batch_size % world_size:
            raise ValueError(
                f'A total batch of {batch_size} clips does not split evenly '
                f'over {world_size} processes: run on a number of GPUs that '
                f'divides it, or set train_dataloader.batch_size to a '
                f'multiple of {world_size}.')
        if world_size > 1:
            print_log(
                f'Total batch {batch_size}: {batch_size // world_size} clips '
                f'in each of {world_size} processes.',
                logger='current')
        super().__init__(sampler, batch_size // world_size, drop_last)
