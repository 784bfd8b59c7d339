from typing import Dict, List

import torch
import torch.nn as nn
import torch.nn.functional as F
from mmaction.registry import MODELS

from .class_texts import ClassTexts, read_class_texts
from .clip_text_head import CLIPTextHead

__all__ = ['PromptHead']


@MODELS.register_module()
class PromptHead(CLIPTextHead):
    """Class embeddings from texts, after learned context tokens (CoOp).

    Each text of a class runs through CLIP's frozen text tower as
    ``[SOS] + M context tokens + the text's words + [EOS]``; gradients flow
    through the tower into the context tokens. A class with several texts
    gets the mean of their normalised embeddings. The context is one set of
    ``M`` tokens for all classes, or one per class (``class_specific``).
    The head's recipes (docs/benchmark.md):

    - CoOp on class names, one set of 16 tokens: A³lign-DFER without MAT;
    - 8 class-specific tokens before a description of each class:
      DFER-CLIP;
    - no tokens (``num_tokens=0``) and several hand-written texts per
      class: zero-shot CLIP.

    Args:
        num_classes (int): Number of classes ``C``.
        in_channels (int): Size ``D`` of the video embeddings; must equal
            the text tower's output size.
        class_texts (str | sequence): The texts of each class, in label
            order: a list (an entry a text or a list of texts), or a text
            file by path or shipped name (:func:`read_class_texts`).
        num_tokens (int): Learned context tokens ``M``. Defaults to 16.
        class_specific (bool): One context per class instead of one for
            all. Defaults to False.
        init_std (float): Std of the context initialisation. Defaults to
            0.02.
        **kwargs: The text tower (``clip`` or ``text_tower``) and the
            scoring options (``temperature``, ...) of
            :class:`CLIPTextHead`.
    """

    def __init__(self,
                 num_classes: int,
                 in_channels: int,
                 class_texts: ClassTexts,
                 num_tokens: int = 16,
                 class_specific: bool = False,
                 init_std: float = 0.02,
                 **kwargs) -> None:
        super().__init__(num_classes, in_channels, **kwargs)
        texts = read_class_texts(class_texts, num_classes)
        words = [self.text_tower.embed_words(t) for item in texts
                 for t in item]
        longest = num_tokens + max(len(w) for w in words) + 2
        if longest > self.text_tower.context_length:
            raise ValueError(
                f'{num_tokens} context tokens and the longest class text '
                f'need {longest} positions; the text tower has '
                f'{self.text_tower.context_length}. Shorten the texts or use '
                'fewer tokens.')
        self.num_tokens = num_tokens
        self.class_specific = class_specific
        # The words as the tower embedded them when the head was trained.
        self.register_buffer(
            'words', nn.utils.rnn.pad_sequence(words, batch_first=True))
        self.register_buffer('word_lengths',
                             torch.tensor([len(w) for w in words]))
        self.register_buffer(
            'text_class',
            torch.tensor([c for c, item in enumerate(texts) for _ in item]))
        self.prompts = nn.Parameter(
            torch.empty(num_classes if class_specific else 1, num_tokens,
                        self.text_tower.width))
        nn.init.normal_(self.prompts, std=init_std)
        self.prompts.requires_grad_(num_tokens > 0)

    def parameter_groups(self) -> Dict[str, List[nn.Parameter]]:
        """The head's trainable parameters by group: ``prompts`` (the
        context tokens, none for ``num_tokens=0``) and ``temperature`` (if
        learnable); both text side."""
        prompts = [self.prompts] if self.num_tokens else []
        return dict(super().parameter_groups(), prompts=prompts)

    def class_dependencies(self) -> List[torch.Tensor]:
        """The context tokens, the words and the text tower."""
        return [self.prompts, self.words, *super().class_dependencies()]

    def encode_classes(self) -> torch.Tensor:
        """The mean of each class's normalised text embeddings.

        Returns:
            torch.Tensor: ``(C, D)`` class embeddings.
        """
        context = self.prompts[self.text_class if self.class_specific else
                               torch.zeros_like(self.text_class)]
        rows = torch.cat([context, self.words.to(context.dtype)], dim=1)
        texts = F.normalize(
            self.text_tower(rows, lengths=self.num_tokens + self.word_lengths),
            dim=-1)
        classes = texts.new_zeros(self.num_classes, texts.shape[1])
        classes.index_add_(0, self.text_class, texts)
        return classes / torch.bincount(
            self.text_class, minlength=self.num_classes)[:, None]
