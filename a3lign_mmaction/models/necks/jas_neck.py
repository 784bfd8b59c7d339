from typing import Dict, List, Optional, Tuple

import torch
import torch.nn as nn
import torch.nn.functional as F
from mmaction.registry import MODELS
from mmaction.utils import OptSampleList
from mmengine.logging import print_log
from mmengine.model import BaseModule

__all__ = ['JASNeck']


@MODELS.register_module()
class JASNeck(BaseModule):
    """Joint Alignment Synchronizer of A³lign-DFER.

    A video dynamic encoder turns the ``T`` frame embeddings of a clip into
    one video embedding; a text dynamic encoder turns the ``S`` sentence
    embeddings of a class (from the MAT head) into one class embedding.
    Frame ``t`` and sentence ``t`` share one learned time embedding, so the
    two sequences live on one time axis (``S`` must equal ``T``).

    The video path is saved with the weights (the state dict's
    ``_extra_state``, the path's name as a uint8 tensor), so a checkpoint
    saved in BAP stage 1 is scored through the temporal mean wherever it
    is loaded, as it was validated.

    As an MMAction2 neck it returns ``(features, {})``, features of shape
    ``(N, D, 1, 1, 1)``, so a stock head can follow it; it accepts
    ``(N, T, C)`` frame embeddings or ``(N, C, T, H, W)`` feature maps
    (pooled over space) and projects ``C`` to ``D`` when they differ.

    Args:
        embed_dim (int): Joint embedding size ``D``.
        num_frames (int): Frames per clip ``T``. Defaults to 16.
        num_sentences (int, optional): Sentences per class ``S``; must
            equal ``num_frames``. None builds the video side only, for a
            head with one text per class (:class:`PromptHead`). Defaults to
            16.
        in_channels (int, optional): Width ``C`` of the input features.
            Defaults to None (``embed_dim``).
        share_weights (bool): Use one encoder for both modalities.
            Defaults to False.
        normalize_inputs (bool): L2-normalise frame and sentence embeddings
            before the time embedding is added, so that both modalities
            (whose CLIP embeddings differ in norm) meet the shared time
            axis at one scale. Defaults to True.
        video_path (str): ``'encoder'`` (the video dynamic encoder) or
            ``'mean'`` (temporal mean, BAP stage 1). Defaults to
            ``'encoder'``.
        encoder (dict): Config of the encoders, a
            :class:`TemporalTransformer` by default (depth 1, 8 heads).
        init_cfg (dict, optional): Initialisation config. Defaults to None.
    """

    #: The paths a clip's frame embeddings can take to the video feature.
    VIDEO_PATHS = ('mean', 'encoder')
    #: The side of the alignment each parameter group serves.
    SIDES = dict(
        text_encoder=('text', ),
        video_encoder=('video', ),
        time_embed=('text', 'video'),
        video_proj=('video', ))

    def __init__(self,
                 embed_dim: int,
                 num_frames: int = 16,
                 num_sentences: Optional[int] = 16,
                 in_channels: Optional[int] = None,
                 share_weights: bool = False,
                 normalize_inputs: bool = True,
                 video_path: str = 'encoder',
                 encoder: dict = dict(type='TemporalTransformer'),
                 init_cfg: Optional[dict] = None) -> None:
        super().__init__(init_cfg=init_cfg)
        if num_sentences not in (None, num_frames):
            raise ValueError(
                f'JASNeck aligns sentence t with frame t, so the number of '
                f'sentences per class (num_sentences={num_sentences}) must '
                f'equal the number of frames per clip '
                f'(num_frames={num_frames}).')
        self.embed_dim = embed_dim
        self.num_frames = num_frames
        self.num_sentences = num_sentences
        self.in_channels = in_channels or embed_dim
        self.proj = (
            nn.Linear(self.in_channels, embed_dim)
            if self.in_channels != embed_dim else nn.Identity())
        self.time_embed = nn.Parameter(torch.zeros(1, num_frames, embed_dim))
        nn.init.trunc_normal_(self.time_embed, std=0.02)
        encoder = dict(encoder, embed_dim=embed_dim)
        self.video_encoder = MODELS.build(encoder)
        self.text_encoder = (
            None if num_sentences is None else
            self.video_encoder if share_weights else MODELS.build(encoder))
        self.share_weights = share_weights
        self.normalize_inputs = normalize_inputs
        self.video_path = video_path

    @property
    def video_path(self) -> str:
        """str: ``'encoder'`` or ``'mean'``."""
        return self._video_path

    @video_path.setter
    def video_path(self, path: str) -> None:
        self.check_video_path(path)
        self._video_path = path

    @classmethod
    def check_video_path(cls, path: str, where: str = '') -> None:
        """Raise a ``ValueError`` listing :attr:`VIDEO_PATHS` if ``path``
        is not one of them; ``where`` is added to the message."""
        if path not in cls.VIDEO_PATHS:
            raise ValueError(f'video_path must be one of '
                             f'{cls.VIDEO_PATHS}, got {path!r}{where}')

    def get_extra_state(self) -> torch.Tensor:
        """The video path, as the uint8 bytes of its name."""
        return torch.tensor(list(self.video_path.encode()), dtype=torch.uint8)

    def set_extra_state(self, state: torch.Tensor) -> None:
        """Restore the video path saved by :meth:`get_extra_state`."""
        path = bytes(state.tolist()).decode()
        if path != self.video_path:
            print_log(
                f'JASNeck: video path {path!r} from the state dict (the '
                'path it was trained and validated with)',
                logger='current')
        self.video_path = path

    def _normalize(self, x: torch.Tensor) -> torch.Tensor:
        return F.normalize(x, dim=-1) if self.normalize_inputs else x

    def _check_length(self, x: torch.Tensor, what: str) -> None:
        if x.shape[1] != self.num_frames:
            raise ValueError(
                f'JASNeck was built for {self.num_frames} time steps, got '
                f'{x.shape[1]} {what}')

    def encode_video(self, x: torch.Tensor) -> torch.Tensor:
        """``(N, T, C)`` or ``(N, C, T, H, W)`` features to ``(N, D)``."""
        if x.dim() == 5:
            x = x.mean(dim=(3, 4)).transpose(1, 2)
        self._check_length(x, 'frames')
        x = self._normalize(self.proj(x))
        if self.video_path == 'mean':
            return x.mean(dim=1)
        return self.video_encoder(x + self.time_embed.to(x.dtype))

    def encode_text(self, sentences: torch.Tensor) -> torch.Tensor:
        """``(C, S, D)`` sentence embeddings to ``(C, D)`` class embeddings.
        """
        if self.text_encoder is None:
            raise ValueError('this JASNeck was built without a text side '
                             '(num_sentences=None)')
        self._check_length(sentences, 'sentences')
        sentences = self._normalize(sentences)
        return self.text_encoder(sentences +
                                 self.time_embed.to(sentences.dtype))

    def parameter_groups(self) -> Dict[str, List[nn.Parameter]]:
        """The neck's parameters by group; :attr:`SIDES` says which side of
        the alignment each group serves."""
        return dict(
            text_encoder=[] if self.text_encoder is None else list(
                self.text_encoder.parameters()),
            video_encoder=list(self.video_encoder.parameters()),
            time_embed=[self.time_embed],
            video_proj=list(self.proj.parameters()))

    def text_parameters(self) -> List[nn.Parameter]:
        """The parameters of the text side, which :meth:`encode_text`
        depends on."""
        groups = self.parameter_groups()
        return [
            p for name, sides in self.SIDES.items() if 'text' in sides
            for p in groups[name]
        ]

    def forward(
        self,
        x: torch.Tensor,
        data_samples: OptSampleList = None
    ) -> Tuple[torch.Tensor, Dict[str, torch.Tensor]]:
        """Encode clips; see :meth:`encode_video`.

        Returns:
            tuple[torch.Tensor, dict]: ``(N, D, 1, 1, 1)`` video embeddings
            and an empty dict of auxiliary losses.
        """
        return self.encode_video(x)[..., None, None, None], dict()
