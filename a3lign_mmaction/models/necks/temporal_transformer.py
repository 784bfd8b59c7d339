from typing import Optional

import torch
import torch.nn as nn
from mmaction.registry import MODELS
from mmengine.model import BaseModule

__all__ = ['TemporalTransformer']


@MODELS.register_module()
class TemporalTransformer(BaseModule):
    """A pre-norm transformer that pools a sequence into one vector.

    A learnable CLS token is put before the sequence; its output, after a
    final LayerNorm (``final_norm``), is the result. Position embeddings are
    added by the caller, so that two encoders can share one time axis.
    DFER-CLIP's temporal model is this with ``mlp_ratio=2`` and
    ``final_norm=False``.

    Args:
        embed_dim (int): Width of the sequence elements.
        depth (int): Number of transformer layers. Defaults to 1.
        num_heads (int): Attention heads. Defaults to 8.
        mlp_ratio (float): MLP width over ``embed_dim``. Defaults to 4.
        dropout (float): Dropout in the layers. Defaults to 0.
        final_norm (bool): Normalise the CLS output with a LayerNorm.
            Defaults to True.
        init_cfg (dict, optional): Initialisation config. Defaults to None.
    """

    def __init__(self,
                 embed_dim: int,
                 depth: int = 1,
                 num_heads: int = 8,
                 mlp_ratio: float = 4.,
                 dropout: float = 0.,
                 final_norm: bool = True,
                 init_cfg: Optional[dict] = None) -> None:
        super().__init__(init_cfg=init_cfg)
        if embed_dim % num_heads:
            raise ValueError(f'embed_dim {embed_dim} is not divisible by '
                             f'num_heads {num_heads}')
        self.cls_token = nn.Parameter(torch.zeros(1, 1, embed_dim))
        layer = nn.TransformerEncoderLayer(
            embed_dim,
            num_heads,
            dim_feedforward=int(embed_dim * mlp_ratio),
            dropout=dropout,
            activation='gelu',
            batch_first=True,
            norm_first=True)
        self.layers = nn.TransformerEncoder(
            layer, depth, enable_nested_tensor=False)
        self.norm = nn.LayerNorm(embed_dim) if final_norm else nn.Identity()
        nn.init.trunc_normal_(self.cls_token, std=0.02)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        """Pool ``(N, T, D)`` into ``(N, D)``."""
        cls_token = self.cls_token.expand(x.shape[0], -1, -1).to(x.dtype)
        x = self.layers(torch.cat([cls_token, x], dim=1))
        return self.norm(x[:, 0])
