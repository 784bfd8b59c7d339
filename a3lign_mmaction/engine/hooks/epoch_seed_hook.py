from typing import Optional

import numpy as np
from mmaction.registry import HOOKS
from mmengine.hooks import Hook
from mmengine.runner import set_random_seed

__all__ = ['EpochSeedHook']


@HOOKS.register_module()
class EpochSeedHook(Hook):
    """Seed the random generators at the start of every training epoch
    from the run's seed and the epoch, so that a resumed run trains as an
    uninterrupted one would, random augmentation included.

    MMEngine saves the run's seed in a checkpoint, but not the state the
    generators had reached: a resumed run draws other augmentations and
    dropout masks than the run it continues. With Python's, NumPy's and
    torch's generators (CUDA's too) seeded before each epoch, what an
    epoch draws depends on the seed and the epoch only. The data loader
    workers follow if they start with each epoch
    (``persistent_workers=False``) and are seeded by
    :func:`seed_worker`; persistent workers keep their streams across
    epochs, which a resume cannot restore.

    Args:
        seed (int, optional): Seed of the run. Defaults to None (the
            runner's, which a resume takes from the checkpoint).
    """

    priority = 'VERY_HIGH'

    def __init__(self, seed: Optional[int] = None) -> None:
        self.seed = seed

    def before_train_epoch(self, runner) -> None:
        """Seed the generators for the epoch about to start."""
        seed = runner.seed if self.seed is None else self.seed
        state = np.random.SeedSequence([seed, runner.epoch]).generate_state(1)
        set_random_seed(int(state[0]))
