import random
from types import SimpleNamespace

import numpy as np
import torch

from a3lign_mmaction.datasets import seed_worker
from a3lign_mmaction.engine import EpochSeedHook


def draws():
    return (random.random(), np.random.rand(), torch.rand(1).item())


def epoch_draws(seed, epoch, hook_seed=None):
    EpochSeedHook(hook_seed).before_train_epoch(
        SimpleNamespace(seed=seed, epoch=epoch))
    return draws()


def test_an_epoch_draws_what_its_seed_and_number_say():
    first = epoch_draws(0, 3)
    draws()  # whatever ran before (validation, another epoch)
    assert epoch_draws(0, 3) == first
    assert len({epoch_draws(0, 2), first, epoch_draws(1, 3)}) == 3
    assert epoch_draws(5, 3, hook_seed=0) == first


def test_workers_follow_the_seed_torch_gives_them():
    def worker_draws(base_seed, worker_id):
        torch.manual_seed(base_seed + worker_id)  # as torch seeds a worker
        seed_worker(worker_id)
        return draws()

    assert worker_draws(7, 0) == worker_draws(7, 0)
    assert len({worker_draws(7, 0), worker_draws(7, 1),
                worker_draws(9, 0)}) == 3
