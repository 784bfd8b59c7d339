import math
from typing import Dict, List, Optional, Tuple

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
    through it into the tokens); a text dynamic encoder turns the ``S``
    sentence embeddings of a class into one class embedding, or they are
    averaged without one. :class:`CLIPRecognizer` links the JAS neck as
    that encoder when it builds the model (:meth:`link_text_encoder`).
    Logits are the cosine similarity of video and class embeddings over a
    temperature. All the head's parameters are on the text side of the
    alignment (:meth:`parameter_groups`).

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
        temperature = [self.log_scale] if isinstance(
            self.log_scale, nn.Parameter) else []
        return dict(prompts=[self.prompts], temperature=temperature)

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

    def class_embeddings(self) -> torch.Tensor:
        """Class embeddings, reused while nothing they depend on changes.

        Returns:
            torch.Tensor: ``(C, D)`` class embeddings, through the linked
            text encoder or, without one, the mean over sentences.
        """
        encoder = self.text_encoder
        params = [self.prompts, *self.text_tower.parameters()]
        if encoder is not None:
            params += list(encoder.text_parameters())
        if not self.cache_class_embeddings or (
                torch.is_grad_enabled()
                and any(p.requires_grad for p in params)):
            self._cache = None
            return self._encode()
        # Every in-place update (optimizer step, load_state_dict) bumps a
        # tensor's version counter.
        key = (id(encoder), self.prompts.device, self.prompts.dtype,
               tuple((id(p), p._version) for p in params))
        if self._cache is None or self._cache[0] != key:
            with torch.no_grad():
                self._cache = (key, self._encode())
        return self._cache[1]

    def _encode(self) -> torch.Tensor:
        sentences = self.sentence_embeddings()
        if self.text_encoder is None:
            return sentences.mean(dim=1)
        return self.text_encoder.encode_text(sentences)

    def forward(self, x: torch.Tensor, **kwargs) -> torch.Tensor:
        """Score video embeddings against every class.

        Args:
            x (torch.Tensor): ``(N, D)`` video embeddings, or ``(N, D, ...)``
                with singleton trailing dimensions (a neck's output).

        Returns:
            torch.Tensor: ``(N, C)`` fp32 logits.
        """
        return self.score(x, self.class_embeddings())

    def score(self, x: torch.Tensor, classes: torch.Tensor) -> torch.Tensor:
        """Logits of video embeddings against given class embeddings (see
        :meth:`forward`; an exported model passes them as a constant).

        Args:
            x (torch.Tensor): ``(N, D, ...)`` video embeddings.
            classes (torch.Tensor): ``(C, D)`` class embeddings.

        Returns:
            torch.Tensor: ``(N, C)`` fp32 logits.
        """
        videos = F.normalize(x.flatten(1), dim=-1)
        classes = F.normalize(classes, dim=-1)
        logits = videos @ classes.to(videos.dtype).t()
        # fp32 under autocast too: the loss and BaseHead's accuracy (numpy)
        # need it.
        return logits.float() * self.log_scale.exp()
