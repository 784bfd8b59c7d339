import copy
import random
import zlib
from typing import Dict, List, Tuple

import numpy as np
import torch
from mmengine.dataset import Compose

__all__ = ['ExtractionViews']


class ExtractionViews(torch.utils.data.Dataset):
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
