from typing import Dict, Tuple

import torch
import torch.nn.functional as F
from mmaction.registry import MODELS
from mmaction.utils import OptSampleList
from mmengine.model import BaseModule

__all__ = ['TemporalMeanNeck']


@MODELS.register_module()
class TemporalMeanNeck(BaseModule):
    """The mean of a clip's frame embeddings: the video side of zero-shot
    CLIP, of a linear probe and of A³lign-DFER without JAS.

    It has no parameters and ignores the order of the frames. As an
    MMAction2 neck it returns ``(features, {})``, features of shape
    ``(N, D, 1, 1, 1)``, so a stock head can follow it.

    Args:
        normalize_inputs (bool): L2-normalise each frame embedding before
            the mean, as :class:`JASNeck` does. Defaults to True.
    """

    def __init__(self, normalize_inputs: bool = True) -> None:
        super().__init__()
        self.normalize_inputs = normalize_inputs

    def forward(
        self,
        x: torch.Tensor,
        data_samples: OptSampleList = None
    ) -> Tuple[torch.Tensor, Dict[str, torch.Tensor]]:
        """Average over time.

        Args:
            x (torch.Tensor): ``(N, T, D)`` frame embeddings or
                ``(N, D, T, H, W)`` feature maps (pooled over space first).

        Returns:
            tuple[torch.Tensor, dict]: ``(N, D, 1, 1, 1)`` video embeddings
            and an empty dict of auxiliary losses.
        """
        if x.dim() == 5:
            x = x.mean(dim=(3, 4)).transpose(1, 2)
        if self.normalize_inputs:
            x = F.normalize(x, dim=-1)
        return x.mean(dim=1)[..., None, None, None], dict()
