"""CLIP's text transformer, fed with learned token embeddings."""
from typing import Optional

import torch
import torch.nn as nn

__all__ = ['CLIPTextTower']


class CLIPTextTower(nn.Module):
    """The frozen text tower of a CLIP, taking embeddings instead of tokens.

    Each prompt of ``L`` embeddings runs as ``[SOS] + prompt + [EOS]`` with
    CLIP's positional embedding and causal mask; the output at ``[EOS]``
    goes through ``ln_final`` and ``text_projection``. Rows may be shorter
    than the prompt tensor (``lengths``), so learned tokens can be followed
    by the words of a text (:meth:`embed_words`), as in CoOp.

    The token embedding table is kept off the module (not a parameter, a
    buffer or part of the state dict): heads read words from it while they
    are built (:meth:`embed_words`) and store what
    they need as their own buffers.

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
        self._tokenizer = tokenizer
        self._token_table = table
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

    def embed_words(self, text: str) -> torch.Tensor:
        """The token embeddings of a text, without ``[SOS]`` and ``[EOS]``.

        Args:
            text (str): The text, tokenized as CLIP does.

        Returns:
            torch.Tensor: ``(n, W)`` embeddings of its ``n`` tokens.
        """
        tokens = self._tokenizer.encode(text)
        if len(tokens) + 2 > self.context_length:
            raise ValueError(
                f'{text!r} is {len(tokens)} tokens long; the text tower '
                f'takes {self.context_length - 2} between [SOS] and [EOS].')
        return self._token_table[tokens].clone()

    def forward(self,
                prompts: torch.Tensor,
                context_length: Optional[int] = None,
                lengths: Optional[torch.Tensor] = None) -> torch.Tensor:
        """Encode prompts of token embeddings.

        Args:
            prompts (torch.Tensor): ``(N, L, W)`` token embeddings.
            context_length (int, optional): Positions to run, padded after
                ``[EOS]``. Defaults to None: the longest row plus 2, the
                fewest that give the same result, since the causal mask
                keeps later positions from reaching ``[EOS]``.
            lengths (torch.Tensor, optional): ``(N,)`` tokens of each row
                (at most ``L``); ``[EOS]`` follows them and the rest of the
                row is padding. Defaults to None (all ``L``).

        Returns:
            torch.Tensor: ``(N, D)`` text embeddings.
        """
        num, length, width = prompts.shape
        if lengths is None:
            lengths = torch.full((num, ), length)
        eos = lengths.to(prompts.device) + 1
        longest = int(lengths.max()) if num else length
        context_length = context_length or longest + 2
        if not longest + 1 < context_length <= self.context_length:
            raise ValueError(
                f'{longest} prompt tokens need {longest + 2} of the text '
                f'tower\'s {self.context_length} positions; got a context '
                f'of {context_length}.')
        x = torch.cat([
            self.sos_embedding.expand(num, 1, width).to(prompts.dtype),
            prompts[:, :context_length - 1],
            prompts.new_zeros(num, max(context_length - length - 1, 0),
                              width)
        ], 1)
        at_eos = torch.arange(context_length, device=x.device) == eos[:, None]
        x = torch.where(at_eos[..., None],
                        self.eos_embedding.to(x.dtype), x)
        x = x + self.positional_embedding[:context_length].to(x.dtype)
        mask = torch.full((context_length, context_length),
                          float('-inf'),
                          device=x.device,
                          dtype=x.dtype).triu_(1)
        x = self.transformer(x, attn_mask=mask)
        x = self.ln_final(x[torch.arange(num, device=x.device), eos])
        if isinstance(self.text_projection, nn.Linear):
            return self.text_projection(x)
        return x @ self.text_projection
