import torch
import torch.nn as nn

__all__ = ['FrameNormaliser']


class FrameNormaliser(nn.Module):
    """The data preprocessor's normalisation of a recognizer, as a module
    that exports: ``(frames - mean) / std`` over the channel axis.

    Args:
        model (nn.Module): A recognizer whose data preprocessor has
            ``mean`` and ``std``.
        channel_axis (int): The channel axis of the frames given. Defaults
            to -3 (``(..., 3, H, W)``).
    """

    def __init__(self, model: nn.Module, channel_axis: int = -3) -> None:
        super().__init__()
        preprocessor = model.data_preprocessor
        shape = [3] + [1] * (-channel_axis - 1)
        self.register_buffer('mean', preprocessor.mean.view(shape).clone())
        self.register_buffer('std', preprocessor.std.view(shape).clone())

    def forward(self, frames: torch.Tensor) -> torch.Tensor:
        return (frames - self.mean) / self.std
