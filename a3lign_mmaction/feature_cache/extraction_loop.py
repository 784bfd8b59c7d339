"""The loop that runs the image tower over clip views and stores what it
gives."""
import time
from typing import Callable, List, Optional, Tuple

import torch

from ..utils import TaskProgress

__all__ = ['embed_views']


def embed_views(loader: torch.utils.data.DataLoader, preprocessor,
                tower: torch.nn.Module, write: Callable, device: str,
                bf16: bool, bar: TaskProgress) -> float:
    """Embed every batch of ``loader`` and hand it to ``write``.

    The device works on a batch while the host stores the previous one (a
    synchronous disk flush) instead of idling.

    Args:
        loader (DataLoader): Yields ``(items, inputs)``: ``(clip key,
            view)`` pairs and their ``(N, C, T, H, W)`` uint8 views.
        preprocessor: The model's data preprocessor.
        tower (nn.Module): The image tower, on ``device``.
        write (callable): Takes the items and their ``(N * T, D)`` float32
            embeddings (:meth:`FeatureStore.write` or
            :meth:`FeatureJournal.append`).
        device (str): Where the tower runs.
        bf16 (bool): Whether the tower has bf16 weights.
        bar (TaskProgress): Advanced by every stored view.

    Returns:
        float: Seconds the loop took.
    """
    cuda = device.startswith('cuda')

    def save(items: List[Tuple[str, int]], embeddings: torch.Tensor,
             copied: Optional[torch.cuda.Event]) -> None:
        if copied is not None:
            copied.synchronize()
        write(items, embeddings.numpy())
        bar.update(len(items))

    start = time.perf_counter()
    pending = None
    with torch.no_grad():
        for items, inputs in loader:
            x, _ = preprocessor.preprocess(
                list(inputs.to(device, non_blocking=True)), None)
            x = x.flatten(0, 1)
            if bf16:
                x = x.to(torch.bfloat16)
            embeddings = tower(x).float().to('cpu', non_blocking=True)
            copied = torch.cuda.Event() if cuda else None
            if copied is not None:
                copied.record()
            if pending is not None:
                save(*pending)
            pending = items, embeddings, copied
    if pending is not None:
        save(*pending)
    return time.perf_counter() - start
