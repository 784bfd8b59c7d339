from typing import Dict

import torch
from mmaction.models import ActionDataPreprocessor
from mmaction.registry import MODELS

__all__ = ['EmbeddingDataPreprocessor']


@MODELS.register_module()
class EmbeddingDataPreprocessor(ActionDataPreprocessor):
    """Data preprocessor for stored frame embeddings (the feature cache),
    which treats frames as ``ActionDataPreprocessor`` does.

    Stored embeddings need no normalisation, so a batch of them only has
    to reach the device: this stacks the clips' ``(views, T, D)`` inputs
    on the host and moves them in one copy, as fp32. The data samples stay
    on the host; MMAction2's heads move the stacked labels themselves.
    ``ActionDataPreprocessor`` would move every clip's inputs and every
    data sample on its own, two small copies per clip in each step.

    A model trained from a store keeps its CLIP image tower, so it can
    score frames too: the cached configs keep the frame configs' ``mean``,
    ``std`` and ``format_shape``, and MMAction2's inference API and demos
    run them on videos (their ``test_pipeline`` decodes frames).

    Args:
        non_blocking (bool): Copy embeddings to the device asynchronously
            (from pinned memory). Defaults to False.
        **kwargs: Arguments of ``ActionDataPreprocessor`` for frames
            (``mean`` and ``std`` at least); without them frames are
            refused.
    """

    def __init__(self, non_blocking: bool = False, **kwargs) -> None:
        super().__init__(**kwargs)
        self._non_blocking = non_blocking

    def forward(self, data: Dict, training: bool = False) -> Dict:
        """Stack and move embeddings, or normalise frames.

        Args:
            data (dict): A data loader batch: ``inputs``, a list of
                ``(views, T, D)`` embeddings (or one stacked tensor) or of
                ``(views, C, T, H, W)`` frames, and ``data_samples``.
            training (bool): Whether the batch is for training.

        Returns:
            dict: ``inputs``, for embeddings ``(N, views, T, D)`` fp32 on
            the device with the data samples as they were, for frames as
            ``ActionDataPreprocessor`` returns them.
        """
        inputs = data['inputs']
        if inputs[0].dim() != 3:
            if not self._enable_normalize:
                raise ValueError(
                    'EmbeddingDataPreprocessor got inputs of shape '
                    f'{tuple(inputs[0].shape)} per clip, not stored '
                    '(views, T, D) embeddings, and has no mean and std to '
                    'normalise frames with: give it those of the frame '
                    'config, as the *_cached configs do.')
            return super().forward(data, training)
        if not isinstance(inputs, torch.Tensor):
            inputs = torch.stack(list(inputs))
        inputs = inputs.to(self.device, non_blocking=self._non_blocking)
        return dict(
            inputs=inputs.float(), data_samples=data.get('data_samples'))
