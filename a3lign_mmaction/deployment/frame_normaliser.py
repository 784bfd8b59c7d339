import torch
import torch.nn as nn

__all__ = ['FrameNormaliser']


class FrameNormaliser(nn.Module):
    """The data preprocessor's normalisation of a recognizer, as a module
    that exports: ``(frames - mean) / std`` of ``(..., 3, H, W)`` frames.

    Args:
        model (nn.Module): A recognizer whose data preprocessor has
            ``mean`` and ``std``.
    """

    def __init__(self, model: nn.Module) -> None:
        super().__init__()
        preprocessor = model.data_preprocessor
        self.register_buffer('mean', preprocessor.mean.view(3, 1, 1).clone())
        self.register_buffer('std', preprocessor.std.view(3, 1, 1).clone())

    def forward(self, frames: torch.Tensor) -> torch.Tensor:
        return (frames - self.mean) / self.std
