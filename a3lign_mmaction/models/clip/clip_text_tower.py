"""CLIP's text transformer, fed with learned token embeddings."""
from typing import Optional

import torch
import torch.nn as nn

__all__ = ['CLIPTextTower']


class CLIPTextTower(nn.Module):
    """The frozen text tower of a CLIP, taking embeddings instead of tokens.

    Each prompt of ``L`` embeddings runs as ``[SOS] + prompt + [EOS]`` with
    CLIP's positional embedding and causal mask; the output at ``[EOS]``
    goes through ``ln_final`` and ``text_projection``. The token embedding
    table is not kept: only the ``[SOS]`` and ``[EOS]`` rows are.

    Args:
        clip (nn.Module): An open_clip ``CLIP`` whose text parts are taken.
    """

    def __init__(self, clip: nn.Module) -> None:
        super().__init__()
        from open_clip.tokenizer import SimpleTokenizer
        tokenizer = SimpleTokenizer()
        self.transformer = clip.transformer
        self.positional_embedding = clip.positional_embedding
        self.ln_final = clip.ln_final
        self.text_projection = clip.text_projection
        table = clip.token_embedding.weight.detach()
        self.register_buffer('sos_embedding',
                             table[tokenizer.sot_token_id].clone())
        self.register_buffer('eos_embedding',
                             table[tokenizer.eot_token_id].clone())
        self.requires_grad_(False)
        self.eval()

    @property
    def width(self) -> int:
        """int: Width ``W`` of the token embeddings."""
        return self.positional_embedding.shape[1]

    @property
    def context_length(self) -> int:
        """int: Most positions the tower can take, ``[SOS]`` and ``[EOS]``
        included."""
        return self.positional_embedding.shape[0]

    @property
    def embed_dim(self) -> int:
        """int: Size of the output embeddings."""
        if isinstance(self.text_projection, nn.Linear):
            return self.text_projection.out_features
        return self.text_projection.shape[1]

    def train(self, mode: bool = True) -> 'CLIPTextTower':
        """Keep the frozen tower in eval mode."""
        return super().train(False)

    def forward(self,
                prompts: torch.Tensor,
                context_length: Optional[int] = None) -> torch.Tensor:
        """Encode prompts of learned token embeddings.

        Args:
            prompts (torch.Tensor): ``(N, L, W)`` token embeddings.
            context_length (int, optional): Positions to run, padded after
                ``[EOS]``. Defaults to None: ``L + 2``, the fewest that give
                the same result, since the causal mask keeps later
                positions from reaching ``[EOS]``.

        Returns:
            torch.Tensor: ``(N, D)`` text embeddings.
        """
        num, length, width = prompts.shape
        eos = length + 1
        context_length = context_length or length + 2
        if not eos < context_length <= self.context_length:
            raise ValueError(
                f'{length} prompt tokens need {length + 2} of the text '
                f'tower\'s {self.context_length} positions; got a context '
                f'of {context_length}.')
        x = torch.cat([
            self.sos_embedding.expand(num, 1, width).to(prompts.dtype),
            prompts,
            self.eos_embedding.expand(num, 1, width).to(prompts.dtype),
            prompts.new_zeros(num, context_length - length - 2, width)
        ], 1)
        x = x + self.positional_embedding[:context_length].to(x.dtype)
        mask = torch.full((context_length, context_length),
                          float('-inf'),
                          device=x.device,
                          dtype=x.dtype).triu_(1)
        x = self.transformer(x, attn_mask=mask)
        x = self.ln_final(x[:, eos])
        if isinstance(self.text_projection, nn.Linear):
            return self.text_projection(x)
        return x @ self.text_projection
