from typing import Dict

import torch
from mmaction.registry import MODELS
from mmengine.model import BaseDataPreprocessor

__all__ = ['EmbeddingDataPreprocessor']


@MODELS.register_module()
class EmbeddingDataPreprocessor(BaseDataPreprocessor):
    """Data preprocessor for stored frame embeddings (the feature cache).

    Stored embeddings need no normalisation, so a batch of them only has
    to reach the device: this stacks the clips' ``(views, T, D)`` inputs
    on the host and moves them in one copy, as fp32. The data samples stay
    on the host; MMAction2's heads move the stacked labels themselves.
    ``ActionDataPreprocessor`` would move every clip's inputs and every
    data sample on its own, two small copies per clip in each step.

    Args:
        non_blocking (bool): Copy to the device asynchronously (from pinned
            memory). Defaults to False.
    """

    def forward(self, data: Dict, training: bool = False) -> Dict:
        """Stack and move the inputs.

        Args:
            data (dict): A data loader batch: ``inputs``, a list of
                ``(views, T, D)`` tensors (or one stacked tensor), and
                ``data_samples``.
            training (bool): Unused; embeddings are not augmented here.

        Returns:
            dict: ``inputs`` ``(N, views, T, D)`` fp32 on the device, and
            the data samples as they were.
        """
        inputs = data['inputs']
        if not isinstance(inputs, torch.Tensor):
            inputs = torch.stack(list(inputs))
        inputs = inputs.to(self.device, non_blocking=self._non_blocking)
        return dict(
            inputs=inputs.float(), data_samples=data.get('data_samples'))
