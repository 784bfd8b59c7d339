import hashlib
from typing import Optional, Tuple

import torch
import torch.nn as nn
from mmaction.registry import MODELS
from mmengine.model import BaseModule

from ..clip import build_clip, uses_quick_gelu

__all__ = ['CLIPVisionBackbone']


@MODELS.register_module()
class CLIPVisionBackbone(BaseModule):
    """CLIP's image tower applied to every frame of a clip.

    Frozen by default, as in A³lign-DFER: no gradients, no stored
    activations, and eval mode even when the model trains. The last
    ``trainable_blocks`` transformer blocks (and the layers after them) can
    be fine-tuned instead.

    Args:
        clip (dict, optional): Arguments of :func:`build_clip` (``arch``,
            ``checkpoint``, ...) for a backbone that builds its own CLIP.
        visual (nn.Module, optional): A built open_clip image tower, as
            handed over by :class:`CLIPRecognizer`. Exactly one of
            ``clip`` and ``visual`` is given.
        trainable_blocks (int): How many of the last transformer blocks
            train; -1 for the whole tower. Defaults to 0 (frozen).
        init_cfg (dict, optional): Initialisation config. Defaults to None.
    """

    def __init__(self,
                 clip: Optional[dict] = None,
                 visual: Optional[nn.Module] = None,
                 trainable_blocks: int = 0,
                 init_cfg: Optional[dict] = None) -> None:
        super().__init__(init_cfg=init_cfg)
        if (clip is None) == (visual is None):
            raise ValueError('CLIPVisionBackbone needs exactly one of `clip` '
                             '(a build_clip config) and `visual`.')
        self.visual = visual if visual is not None else build_clip(
            **clip).visual
        self.trainable_blocks = trainable_blocks
        self._freeze()

    @property
    def embed_dim(self) -> int:
        """int: Size ``D`` of the frame embeddings."""
        return self.visual.output_dim

    @property
    def image_size(self) -> Tuple[int, int]:
        """tuple[int, int]: ``(H, W)`` of the frames the tower takes
        (open_clip's ResNet towers keep one int, its ViTs a pair)."""
        size = self.visual.image_size
        return tuple(size) if isinstance(size, (tuple, list)) else (size,
                                                                    size)

    def fingerprint(self) -> str:
        """SHA-256 of the image tower: its activation and every tensor of
        its state dict (name, dtype, shape, bytes).

        A feature store records it (``tools/extract_features.py``), and a
        model trained from the store checks that its own tower made it
        (:class:`FeatureStoreHook`).

        Returns:
            str: The hex digest.
        """
        digest = hashlib.sha256(
            f'quick_gelu={uses_quick_gelu(self.visual)}'.encode())
        for name, tensor in self.visual.state_dict().items():
            tensor = tensor.detach().cpu().contiguous()
            digest.update(
                f'{name}:{tensor.dtype}{tuple(tensor.shape)}'.encode())
            digest.update(tensor.reshape(-1).view(torch.uint8).numpy())
        return digest.hexdigest()

    def _freeze(self) -> None:
        self.visual.requires_grad_(False)
        if self.trainable_blocks == 0:
            return
        if self.trainable_blocks < 0:
            self.visual.requires_grad_(True)
            return
        blocks = self.visual.transformer.resblocks
        if self.trainable_blocks > len(blocks):
            raise ValueError(f'trainable_blocks={self.trainable_blocks}, but '
                             f'the tower has {len(blocks)} blocks.')
        blocks[-self.trainable_blocks:].requires_grad_(True)
        for name, param in self.visual.named_parameters():
            if not name.startswith(('transformer.', 'conv1.', 'ln_pre.',
                                    'class_embedding', 'positional_')):
                param.requires_grad_(True)  # ln_post, proj

    def init_weights(self) -> None:
        """Keep CLIP's weights: nothing to initialise."""

    def train(self, mode: bool = True) -> 'CLIPVisionBackbone':
        """Set the mode; the CLIP tower (no dropout, no BN) stays in eval."""
        super().train(mode)
        self.visual.eval()
        return self

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        """Embed every frame.

        Args:
            x (torch.Tensor): ``(N, C, T, H, W)`` frames, or ``(N, T, D)``
                frame embeddings computed before (e.g. by a feature cache),
                which are returned as they are.

        Returns:
            torch.Tensor: ``(N, T, D)`` frame embeddings.
        """
        if x.dim() == 3:
            if x.shape[-1] != self.embed_dim:
                raise ValueError(
                    f'precomputed frame embeddings of width {x.shape[-1]} '
                    f'given to a CLIP tower of width {self.embed_dim}')
            return x
        size = self.image_size
        if tuple(x.shape[-2:]) != size:
            raise ValueError(
                f'frames of {x.shape[-1]}x{x.shape[-2]} px given to a CLIP '
                f'tower built for {size[1]}x{size[0]}: resize the frames to '
                f'{size[1]} px in the pipelines, or build the tower for '
                f'your size with model.clip.image_size={x.shape[-1]} (the '
                'DFER configs set both from image_size: '
                'docs/training.md#frame-size-and-clip-length).')
        num, channels, frames = x.shape[:3]
        frames_first = x.transpose(1, 2).reshape(num * frames, channels,
                                                 *x.shape[3:])
        with torch.set_grad_enabled(torch.is_grad_enabled()
                                    and self.trainable_blocks != 0):
            embeddings = self.visual(frames_first)
        return embeddings.view(num, frames, -1)
