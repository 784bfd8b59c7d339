import random

import numpy as np
import torch
from mmengine.dist import get_rank
from mmengine.registry import FUNCTIONS

__all__ = ['seed_worker']


@FUNCTIONS.register_module()
def seed_worker(worker_id: int) -> None:
    """``worker_init_fn`` of a data loader: seed a worker's Python, NumPy
    and torch generators from the seed PyTorch gave it and the rank.

    PyTorch gives each worker ``base seed + worker id``, the base seed
    drawn from the main process's torch generator whenever a loader starts
    its workers. MMEngine's default ``worker_init_fn`` replaces this with
    ``seed + worker id`` (and the rank): with workers started anew in every
    epoch, every epoch then repeats the same random augmentation streams.
    This function keeps PyTorch's per-start seed and adds the rank, so the
    streams follow the main process's generator: with
    :class:`EpochSeedHook`, they are a function of the run's seed and the
    epoch, the same after a resume as without one.

    Set it with ``worker_init_fn=dict(type='seed_worker')`` in a data
    loader config.

    Args:
        worker_id (int): The worker's index (its seed already includes it).
    """
    seed = np.random.SeedSequence([torch.initial_seed(), get_rank()])
    state = seed.generate_state(2)
    random.seed(int(state[0]))
    np.random.seed(int(state[0]))
    torch.manual_seed(int(state[1]))
