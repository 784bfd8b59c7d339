from typing import Dict, List, Optional

import torch
import torch.nn as nn
from mmaction.registry import MODELS

from .clip_text_head import CLIPTextHead

__all__ = ['MATHead']


@MODELS.register_module()
class MATHead(CLIPTextHead):
    """Multi-Dimensional Alignment Token head of A³lign-DFER.

    A learnable tensor ``(C, S, L, W)`` holds, for each of ``C`` classes,
    ``S`` sentences of ``L`` token embeddings that replace the label text.
    Every sentence runs through CLIP's frozen text tower (gradients flow
    through it into the tokens); a text dynamic encoder turns the ``S``
    sentence embeddings of a class into one class embedding, or they are
    averaged without one. :class:`CLIPRecognizer` links the JAS neck as
    that encoder when it builds the model (:meth:`link_text_encoder`).
    Logits are the cosine similarity of video and class embeddings over a
    temperature, and class embeddings are reused while nothing they depend
    on changes (:class:`CLIPTextHead`). All the head's parameters are on
    the text side of the alignment (:meth:`parameter_groups`).

    Args:
        num_classes (int): Number of classes ``C``.
        in_channels (int): Size ``D`` of the video embeddings; must equal
            the text tower's output size.
        num_sentences (int): Sentences per class ``S``. Defaults to 16.
        num_tokens (int): Tokens per sentence ``L``. Defaults to 64.
        context_length (int, optional): Positions the text tower runs.
            Defaults to None (``L + 2``, which gives the same result as
            CLIP's 77).
        init_std (float): Std of the token initialisation. Defaults to 0.02.
        **kwargs: Other arguments of :class:`CLIPTextHead`: the text
            tower (``clip`` or ``text_tower``), ``temperature``,
            ``learnable_temperature``, ``cache_class_embeddings``,
            ``average_clips``, ...
    """

    def __init__(self,
                 num_classes: int,
                 in_channels: int,
                 num_sentences: int = 16,
                 num_tokens: int = 64,
                 context_length: Optional[int] = None,
                 init_std: float = 0.02,
                 **kwargs) -> None:
        super().__init__(num_classes, in_channels, **kwargs)
        if num_tokens + 2 > self.text_tower.context_length:
            raise ValueError(
                f'num_tokens={num_tokens} does not fit the text tower\'s '
                f'{self.text_tower.context_length} positions with [SOS] and '
                '[EOS].')
        self.num_sentences = num_sentences
        self.num_tokens = num_tokens
        self.context_length = context_length
        self.init_std = init_std
        self.prompts = nn.Parameter(
            torch.empty(num_classes, num_sentences, num_tokens,
                        self.text_tower.width))
        nn.init.normal_(self.prompts, std=init_std)
        self.text_encoder: Optional[nn.Module] = None

    def link_text_encoder(self, encoder: nn.Module) -> None:
        """Turn each class's sentence embeddings into its class embedding
        with ``encoder``, a module with ``encode_text`` (``(C, S, D) -> (C,
        D)``), ``text_parameters()`` (what ``encode_text`` depends on) and
        ``num_sentences`` (``S``), such as :class:`JASNeck`.

        The encoder stays a module of its owner, not of the head: its
        weights are saved once, with the owner's.
        """
        if encoder.num_sentences != self.num_sentences:
            raise ValueError(
                f'MATHead has num_sentences={self.num_sentences} sentences '
                f'per class but its text encoder '
                f'({type(encoder).__name__}) aligns '
                f'{encoder.num_sentences}: set model.cls_head.num_sentences='
                f'{encoder.num_sentences} (or the neck\'s num_frames and '
                f'num_sentences to {self.num_sentences}, with as many frames '
                'per clip in the pipelines).')
        object.__setattr__(self, 'text_encoder', encoder)
        self._cache = None

    def parameter_groups(self) -> Dict[str, List[nn.Parameter]]:
        """The head's trainable parameters by group: ``prompts`` (the
        tokens) and ``temperature`` (if learnable); both text side."""
        return dict(super().parameter_groups(), prompts=[self.prompts])

    def sentence_embeddings(self) -> torch.Tensor:
        """Run every (class, sentence) row through the text tower.

        Returns:
            torch.Tensor: ``(C, S, D)`` sentence embeddings.
        """
        num_classes, num_sentences = self.prompts.shape[:2]
        rows = self.prompts.flatten(0, 1)
        embeddings = self.text_tower(rows, self.context_length)
        return embeddings.view(num_classes, num_sentences, -1)

    def class_dependencies(self) -> List[torch.Tensor]:
        """The tokens, the text tower and the linked text encoder's text
        side."""
        params = [self.prompts, *super().class_dependencies()]
        if self.text_encoder is not None:
            params += list(self.text_encoder.text_parameters())
        return params

    def encode_classes(self) -> torch.Tensor:
        """Class embeddings through the linked text encoder or, without
        one, the mean over each class's sentences.

        Returns:
            torch.Tensor: ``(C, D)`` class embeddings.
        """
        sentences = self.sentence_embeddings()
        if self.text_encoder is None:
            return sentences.mean(dim=1)
        return self.text_encoder.encode_text(sentences)
