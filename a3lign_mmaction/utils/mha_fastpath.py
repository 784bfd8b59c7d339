import contextlib
from typing import Iterator

import torch

__all__ = ['without_mha_fastpath']


@contextlib.contextmanager
def without_mha_fastpath() -> Iterator[None]:
    """Run ``nn.MultiheadAttention`` on its regular path inside the block.

    In eval mode it takes a fused fast path, one operator that graph tools
    cannot see into: MMEngine's FLOP counter misses the attention
    projections in it, and the TorchScript ONNX exporter does not know it.
    """
    enabled = torch.backends.mha.get_fastpath_enabled()
    torch.backends.mha.set_fastpath_enabled(False)
    try:
        yield
    finally:
        torch.backends.mha.set_fastpath_enabled(enabled)
