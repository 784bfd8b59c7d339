import math
from typing import Dict, List, Optional, Tuple

import torch
import torch.nn as nn
import torch.nn.functional as F
from mmaction.models.heads import BaseHead

from ..clip import CLIPTextTower, build_clip

__all__ = ['CLIPTextHead']


class CLIPTextHead(BaseHead):
    """Base of the heads that score clips against class embeddings in
    CLIP's joint space.

    Logits are the cosine similarity of a video embedding and each class
    embedding over a temperature. A subclass says how the ``(C, D)`` class
    embeddings are made (:meth:`encode_classes`) and what they depend on
    (:meth:`class_dependencies`).

    Class embeddings do not depend on the clips: while no gradient is
    needed for them (eval, or a stage that freezes the text side) they are
    computed once and reused. They are computed afresh after every call of
    :meth:`train` or ``eval()`` (MMEngine's loops make one at the start of
    every training epoch and every validation and test run) and whenever a
    tensor they depend on is changed in place (its version counter).

    Args:
        num_classes (int): Number of classes ``C``.
        in_channels (int): Size ``D`` of the video embeddings; must equal
            the text tower's output size.
        clip (dict, optional): Arguments of :func:`build_clip` for a head
            that builds its own text tower.
        text_tower (CLIPTextTower, optional): A built text tower, as
            handed over by :class:`CLIPRecognizer`. Exactly one of ``clip``
            and ``text_tower`` is given.
        temperature (float): Initial temperature. Defaults to 0.01.
        learnable_temperature (bool): Learn the temperature (as a log
            scale). Defaults to False.
        cache_class_embeddings (bool): Reuse the class embeddings while
            nothing they depend on changes. Defaults to True.
        average_clips (str): How views are averaged in testing.
            Defaults to ``'prob'``.
        **kwargs: Other arguments of :class:`BaseHead`.
    """

    def __init__(self,
                 num_classes: int,
                 in_channels: int,
                 clip: Optional[dict] = None,
                 text_tower: Optional[CLIPTextTower] = None,
                 temperature: float = 0.01,
                 learnable_temperature: bool = False,
                 cache_class_embeddings: bool = True,
                 average_clips: str = 'prob',
                 **kwargs) -> None:
        super().__init__(
            num_classes, in_channels, average_clips=average_clips, **kwargs)
        name = type(self).__name__
        if (clip is None) == (text_tower is None):
            raise ValueError(f'{name} needs exactly one of `clip` (a '
                             'build_clip config) and `text_tower`.')
        self.text_tower = text_tower or CLIPTextTower(build_clip(**clip))
        if self.text_tower.embed_dim != in_channels:
            raise ValueError(
                f'{name} in_channels={in_channels}, but the CLIP text tower '
                f'gives embeddings of size {self.text_tower.embed_dim}.')
        log_scale = torch.tensor(math.log(1 / temperature))
        if learnable_temperature:
            self.log_scale = nn.Parameter(log_scale)
        else:
            self.register_buffer('log_scale', log_scale)
        self.cache_class_embeddings = cache_class_embeddings
        self._cache: Optional[Tuple[tuple, torch.Tensor]] = None

    def parameter_groups(self) -> Dict[str, List[nn.Parameter]]:
        """The head's trainable parameters by group: ``temperature`` (if
        learnable)."""
        temperature = [self.log_scale] if isinstance(
            self.log_scale, nn.Parameter) else []
        return dict(temperature=temperature)

    def train(self, mode: bool = True) -> 'CLIPTextHead':
        """Set the mode and drop the cached class embeddings.

        Not every change of the weights bumps their version counters:
        fused optimizers (``SGD(fused=True)``) and MMEngine's ``EMAHook``
        (``.data.copy_``) do not. The loops set the mode after such changes
        and before they run the model, so this keeps every run exact.
        """
        self._cache = None
        return super().train(mode)

    def init_weights(self) -> None:
        """Keep the weights as built: CLIP's, and the prompts' own
        initialisation."""

    def encode_classes(self) -> torch.Tensor:
        """Compute the class embeddings (see :meth:`class_embeddings`).

        Returns:
            torch.Tensor: ``(C, D)`` class embeddings.
        """
        raise NotImplementedError

    def class_dependencies(self) -> List[torch.Tensor]:
        """The tensors :meth:`encode_classes` reads.

        Returns:
            list[torch.Tensor]: The tensors, by default the text tower's
            parameters.
        """
        return list(self.text_tower.parameters())

    def class_embeddings(self) -> torch.Tensor:
        """Class embeddings, reused while nothing they depend on changes.

        Returns:
            torch.Tensor: ``(C, D)`` class embeddings.
        """
        params = self.class_dependencies()
        if not self.cache_class_embeddings or (
                torch.is_grad_enabled()
                and any(p.requires_grad for p in params)):
            self._cache = None
            return self.encode_classes()
        # Every in-place update (optimizer step, load_state_dict) bumps a
        # tensor's version counter.
        key = (self.log_scale.device, self.log_scale.dtype,
               tuple((id(p), p._version) for p in params))
        if self._cache is None or self._cache[0] != key:
            with torch.no_grad():
                self._cache = (key, self.encode_classes())
        return self._cache[1]

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
