import math
from typing import Callable, Optional, Tuple

import torch
import torch.nn as nn
import torch.nn.functional as F
from mmaction.models.heads import BaseHead
from mmaction.registry import MODELS

from ..clip import CLIPTextTower, build_clip

__all__ = ['MATHead']


@MODELS.register_module()
class MATHead(BaseHead):
    """Multi-Dimensional Alignment Token head of A³lign-DFER.

    A learnable tensor ``(C, S, L, W)`` holds, for each of ``C`` classes,
    ``S`` sentences of ``L`` token embeddings that replace the label text.
    Every sentence runs through CLIP's frozen text tower (gradients flow
    through it into the tokens); a text dynamic encoder (the JAS neck's,
    handed over as ``text_encoder``) turns the ``S`` sentence embeddings of
    a class into one class embedding, or they are averaged without one.
    Logits are the cosine similarity of video and class embeddings over a
    temperature.

    Class embeddings do not depend on the clips: while no gradient is
    needed for them (eval, or a stage that freezes the text side) they are
    computed once and reused. They are computed afresh after every call of
    :meth:`train` or ``eval()`` (MMEngine's loops make one at the start of
    every training epoch and every validation and test run) and whenever a
    parameter they depend on is changed in place (its version counter).

    Args:
        num_classes (int): Number of classes ``C``.
        in_channels (int): Size ``D`` of the video embeddings; must equal
            the text tower's output size.
        num_sentences (int): Sentences per class ``S``. Defaults to 16.
        num_tokens (int): Tokens per sentence ``L``. Defaults to 64.
        clip (dict, optional): Arguments of :func:`build_clip` for a head
            that builds its own text tower.
        text_tower (CLIPTextTower, optional): A built text tower, as
            handed over by :class:`CLIPRecognizer`. Exactly one of ``clip``
            and ``text_tower`` is given.
        context_length (int, optional): Positions the text tower runs.
            Defaults to None (``L + 2``, which gives the same result as
            CLIP's 77).
        temperature (float): Initial temperature. Defaults to 0.01.
        learnable_temperature (bool): Learn the temperature (as a log
            scale). Defaults to False.
        init_std (float): Std of the token initialisation. Defaults to 0.02.
        cache_class_embeddings (bool): Reuse the class embeddings while
            nothing they depend on changes (see :meth:`class_embeddings`).
            Defaults to True.
        average_clips (str): How views are averaged in testing.
            Defaults to ``'prob'``.
        **kwargs: Other arguments of :class:`BaseHead`.
    """

    def __init__(self,
                 num_classes: int,
                 in_channels: int,
                 num_sentences: int = 16,
                 num_tokens: int = 64,
                 clip: Optional[dict] = None,
                 text_tower: Optional[CLIPTextTower] = None,
                 context_length: Optional[int] = None,
                 temperature: float = 0.01,
                 learnable_temperature: bool = False,
                 init_std: float = 0.02,
                 cache_class_embeddings: bool = True,
                 average_clips: str = 'prob',
                 **kwargs) -> None:
        super().__init__(
            num_classes, in_channels, average_clips=average_clips, **kwargs)
        if (clip is None) == (text_tower is None):
            raise ValueError('MATHead needs exactly one of `clip` (a '
                             'build_clip config) and `text_tower`.')
        self.text_tower = text_tower or CLIPTextTower(build_clip(**clip))
        if self.text_tower.embed_dim != in_channels:
            raise ValueError(
                f'MATHead in_channels={in_channels}, but the CLIP text tower '
                f'gives embeddings of size {self.text_tower.embed_dim}.')
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
        log_scale = torch.tensor(math.log(1 / temperature))
        if learnable_temperature:
            self.log_scale = nn.Parameter(log_scale)
        else:
            self.register_buffer('log_scale', log_scale)
        self.cache_class_embeddings = cache_class_embeddings
        self._cache: Optional[Tuple[tuple, torch.Tensor]] = None

    def train(self, mode: bool = True) -> 'MATHead':
        """Set the mode and drop the cached class embeddings.

        Not every change of the weights bumps their version counters:
        fused optimizers (``SGD(fused=True)``) and MMEngine's ``EMAHook``
        (``.data.copy_``) do not. The loops set the mode after such changes
        and before they run the model, so this keeps every run exact.
        """
        self._cache = None
        return super().train(mode)

    def init_weights(self) -> None:
        """Keep the tokens' N(0, init_std) initialisation."""

    def sentence_embeddings(self) -> torch.Tensor:
        """Run every (class, sentence) row through the text tower.

        Returns:
            torch.Tensor: ``(C, S, D)`` sentence embeddings.
        """
        num_classes, num_sentences = self.prompts.shape[:2]
        rows = self.prompts.flatten(0, 1)
        embeddings = self.text_tower(rows, self.context_length)
        return embeddings.view(num_classes, num_sentences, -1)

    def class_embeddings(
            self,
            text_encoder: Optional[Callable] = None) -> torch.Tensor:
        """Class embeddings, reused while nothing they depend on changes.

        Args:
            text_encoder (callable, optional): ``(C, S, D) -> (C, D)``, the
                JAS neck's ``encode_text``. Defaults to None (mean over
                sentences).

        Returns:
            torch.Tensor: ``(C, D)`` class embeddings.
        """
        encoder = getattr(text_encoder, '__self__', None)
        params = [self.prompts, *self.text_tower.parameters()]
        if isinstance(encoder, nn.Module):
            # Only the parameters of the encoder's text path, where it says
            # which (JAS also holds the video encoder, trained in stage 2).
            params += list(
                getattr(encoder, 'text_parameters', encoder.parameters)())
        if not self.cache_class_embeddings or (
                torch.is_grad_enabled()
                and any(p.requires_grad for p in params)):
            self._cache = None
            return self._encode(text_encoder)
        # Every in-place update (optimizer step, load_state_dict) bumps a
        # tensor's version counter.
        key = (text_encoder, self.prompts.device, self.prompts.dtype,
               tuple((id(p), p._version) for p in params))
        if self._cache is None or self._cache[0] != key:
            with torch.no_grad():
                self._cache = (key, self._encode(text_encoder))
        return self._cache[1]

    def _encode(self, text_encoder: Optional[Callable]) -> torch.Tensor:
        sentences = self.sentence_embeddings()
        if text_encoder is None:
            return sentences.mean(dim=1)
        return text_encoder(sentences)

    def forward(self,
                x: torch.Tensor,
                text_encoder: Optional[Callable] = None,
                **kwargs) -> torch.Tensor:
        """Score video embeddings against every class.

        Args:
            x (torch.Tensor): ``(N, D)`` video embeddings, or ``(N, D, ...)``
                with singleton trailing dimensions (a neck's output).
            text_encoder (callable, optional): See :meth:`class_embeddings`.

        Returns:
            torch.Tensor: ``(N, C)`` fp32 logits.
        """
        videos = F.normalize(x.flatten(1), dim=-1)
        classes = F.normalize(self.class_embeddings(text_encoder), dim=-1)
        logits = videos @ classes.to(videos.dtype).t()
        # fp32 under autocast too: the loss and BaseHead's accuracy (numpy)
        # need it.
        return logits.float() * self.log_scale.exp()
