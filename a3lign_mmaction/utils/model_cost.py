"""What a config's model costs: trainable parameters and FLOPs per view."""
from typing import List

import torch
import torch.nn as nn
from mmengine.analysis import get_model_complexity_info
from mmengine.config import Config

from .mha_fastpath import without_mha_fastpath

__all__ = ['count_view_flops', 'trainable_parameters', 'view_shape']


def view_shape(cfg: Config) -> List[int]:
    """One view of the clips the config's ``test_pipeline`` makes of a
    video (also for the cached configs, whose test loader reads stored
    embeddings): ``[1, 3, T, H, W]``, T the sampler's ``clip_len``."""
    frames, size = cfg.get('clip_len', 16), [224, 224]
    for step in cfg.test_pipeline:
        if step['type'] == 'ViewCrops':
            size = [step['size']] * 2
        elif step['type'] == 'Resize':
            size = list(step['scale'])[::-1]
        elif step['type'] == 'SegmentSampleFrames':
            frames = step['clip_len']
    return [1, 3, frames, *size]


def trainable_parameters(model: nn.Module) -> int:
    """Parameters that train in some part of the recipe: for a BAP model
    as built, before a stage is set, the union of its stages."""
    return sum(p.numel() for p in model.parameters() if p.requires_grad)


def count_view_flops(model: nn.Module, shape: List[int]) -> int:
    """FLOPs (multiply-adds) of one view, as MMAction2's
    ``tools/analysis_tools/get_flops.py`` counts them: the model's
    ``extract_feat`` (backbone and neck) on one batch of a ``shape`` input,
    attention on its regular path so that the counter sees its
    projections.

    Args:
        model (nn.Module): An MMAction2 recognizer.
        shape (list[int]): ``[1, 3, T, H, W]``, as from :func:`view_shape`.

    Returns:
        int: The FLOPs.
    """

    class Features(nn.Module):

        def __init__(self) -> None:
            super().__init__()
            self.model = model

        def forward(self, x: torch.Tensor) -> torch.Tensor:
            return self.model.extract_feat(x)[0]

    with without_mha_fastpath(), torch.no_grad():
        info = get_model_complexity_info(
            Features().eval(),
            inputs=(torch.zeros(1, *shape), ),
            show_table=False,
            show_arch=False)
    return int(info['flops'])
