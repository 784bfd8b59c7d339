import functools
from typing import Dict, Iterable, List, Optional, Tuple, Union

import torch
import torch.nn as nn
from mmaction.models.recognizers import Recognizer3D
from mmaction.registry import MODELS
from mmengine.logging import print_log

from ...utils import describe_key_mismatch, format_table
from ..backbones import CLIPVisionBackbone
from ..clip import (CLIPTextTower, FrozenCLIPWeights, build_clip,
                    clear_clip_checkpoint_cache)
from ..heads import CLIPTextHead, MATHead
from ..necks import JASNeck
from .parameter_table import parameter_table

__all__ = ['CLIPRecognizer']

_EXTRA_STATE = '_extra_state'


# The BAP schedule of A³lign-DFER: what trains in each stage and which
# video path is used (see docs/design.md for the parameter groups).
BAP_STAGES = {
    1: dict(
        train=('prompts', 'temperature', 'head', 'text_encoder',
               'time_embed'),
        video_path='mean'),
    2: dict(
        train=('video_encoder', 'video_proj', 'backbone'),
        video_path='encoder'),
    3: dict(
        train=('prompts', 'temperature', 'head', 'text_encoder',
               'time_embed', 'video_encoder', 'video_proj', 'backbone'),
        video_path='encoder'),
}
#: The parameter groups, in the order of the parameter table. A head or
#: neck that declares none (no ``parameter_groups``) is ``head`` or
#: ``video_proj`` as a whole.
GROUPS = ('prompts', 'temperature', 'head', 'text_encoder', 'video_encoder',
          'time_embed', 'video_proj', 'backbone')


def _shapes(items: Iterable[Tuple[str, torch.Tensor]]) -> Dict[str, tuple]:
    """Shapes by key; extra state (the JAS neck's video path, whose length
    is its name's) counts by key only."""
    return {
        key: () if key.endswith(_EXTRA_STATE) else tuple(value.shape)
        for key, value in items
    }


@MODELS.register_module()
class CLIPRecognizer(Recognizer3D):
    """The A³lign-DFER recognizer: one CLIP, shared by backbone and head.

    It builds the CLIP of ``clip`` once, hands its image tower to a
    :class:`CLIPVisionBackbone` and its text tower to a head that scores in
    CLIP's space (:class:`CLIPTextHead`: :class:`MATHead`,
    :class:`PromptHead`), and links a JAS neck with a text side to a MAT
    head as its text encoder. Other backbones and heads are built as
    configured.

    Training stages (BAP) are set with :meth:`set_stage`: a stage names the
    parameter groups that train and the video path of the JAS neck. The
    groups (:data:`GROUPS`) are the ones the head and the neck declare
    (``parameter_groups()``: MAT's ``prompts`` and ``temperature``, JAS's
    ``text_encoder``, ``video_encoder``, ``time_embed`` and
    ``video_proj``), ``head`` or ``video_proj`` for a head or neck that
    declares none, and ``backbone`` (the backbone parameters that were
    trainable when it was built: none for a frozen CLIP tower).

    Args:
        backbone (dict): Backbone config.
        cls_head (dict): Head config.
        neck (dict, optional): Neck config.
        clip (dict, optional): Arguments of :func:`build_clip`, for the
            CLIP shared by backbone and head. The JAS neck's ``embed_dim``
            and the MAT head's ``in_channels`` default to its embedding
            size.
        stages (dict, optional): Stage number to ``dict(train=[groups],
            video_path=...)``. Defaults to BAP's three stages.
        stage (int, optional): Stage to start in. Defaults to None (all
            groups train, the neck's own video path).
        save_frozen_clip (bool, optional): Keep the frozen CLIP weights in
            :meth:`state_dict` (and so in every checkpoint). Defaults to
            None: only when ``clip`` has no ``checkpoint`` file to rebuild
            them from; otherwise a checkpoint holds the trained modules and
            a fingerprint of the CLIP weights (:class:`FrozenCLIPWeights`).
        strict_loading (bool): Refuse a state dict (a checkpoint to test,
            resume or score with) whose keys or shapes differ from the
            model's, naming them, where MMEngine's loader would load what
            fits and warn. Leaving out the frozen CLIP weights is allowed;
            CLIP weights other than the ones loaded from
            ``clip.checkpoint`` are refused. False loads what fits, as
            MMEngine does (e.g. to fine-tune from a checkpoint with
            another number of classes). Defaults to True.
        **kwargs: Other arguments of :class:`Recognizer3D`.
    """

    def __init__(self,
                 backbone: dict,
                 cls_head: dict,
                 neck: Optional[dict] = None,
                 clip: Optional[dict] = None,
                 stages: Optional[Dict[int, dict]] = None,
                 stage: Optional[int] = None,
                 save_frozen_clip: Optional[bool] = None,
                 strict_loading: bool = True,
                 **kwargs) -> None:
        backbone, cls_head = dict(backbone), dict(cls_head)
        if clip is not None:
            model = build_clip(**clip)
            clear_clip_checkpoint_cache()
            embed_dim = model.visual.output_dim
            if self._is(backbone, CLIPVisionBackbone):
                backbone.setdefault('visual', model.visual)
            if self._is(cls_head, CLIPTextHead):
                cls_head.setdefault('text_tower', CLIPTextTower(model))
                cls_head.setdefault('in_channels', embed_dim)
            if neck is not None and self._is(neck, JASNeck):
                neck = dict(neck)
                neck.setdefault('embed_dim', embed_dim)
        super().__init__(backbone, cls_head=cls_head, neck=neck, **kwargs)
        if isinstance(self.cls_head, MATHead) and isinstance(
                self.neck, JASNeck) and self.neck.num_sentences is not None:
            self.cls_head.link_text_encoder(self.neck)
        self.stages = {int(k): v for k, v in (stages or BAP_STAGES).items()}
        self._backbone_trainable = [
            p for p in self.backbone.parameters() if p.requires_grad
        ]
        for number in self.stages:
            self.stage_spec(number)
        self.current_stage: Union[int, dict, None] = None
        self.frozen_clip = FrozenCLIPWeights.of(
            self, self._clip_towers(), self._backbone_trainable)
        clip_file = bool((clip or {}).get('checkpoint'))
        if save_frozen_clip is None:
            save_frozen_clip = not clip_file
        self.frozen_clip.attach(
            self,
            leave_out=not save_frozen_clip,
            keep_own=clip_file and strict_loading)
        if strict_loading:
            # After the frozen CLIP's hook, which fills in what is left out.
            self.register_load_state_dict_pre_hook(
                functools.partial(self._check_state_dict))
        print_log(
            f'Parameters of {type(self).__name__}:\n' +
            format_table(parameter_table(self)),
            logger='current')
        if stage is not None:
            self.set_stage(stage)

    def _check_state_dict(self, module: nn.Module, state_dict: dict,
                          prefix: str, *args) -> None:
        """Load pre-hook: refuse a state dict that does not fit."""
        expected = _shapes(self.state_dict(keep_vars=True).items())
        expected.pop(FrozenCLIPWeights.FINGERPRINT, None)
        tensors = dict(self.named_parameters(), **dict(self.named_buffers()))
        expected.update(
            (key, tuple(tensors[key].shape)) for key in self.frozen_clip.keys)
        given = _shapes((key[len(prefix):], value)
                        for key, value in state_dict.items()
                        if key.startswith(prefix))
        lines = describe_key_mismatch(expected, given, 'checkpoint')
        if lines:
            raise ValueError('\n'.join([
                f'The checkpoint does not fit this {type(self).__name__}: '
                'it was trained with another config or is of another '
                'model. Test, resume and score with a checkpoint of this '
                'config, or set model.strict_loading=False to load the '
                'tensors that fit (e.g. to fine-tune from it).', *lines
            ]))

    @staticmethod
    def _is(cfg: dict, cls: type) -> bool:
        kind = cfg.get('type')
        kind = MODELS.get(kind) if isinstance(kind, str) else kind
        return isinstance(kind, type) and issubclass(kind, cls)

    def _clip_towers(self) -> List[str]:
        """Names of the CLIP towers among the model's modules."""
        return [
            f'{name}.visual' if isinstance(module, CLIPVisionBackbone) else
            name for name, module in self.named_modules()
            if isinstance(module, (CLIPVisionBackbone, CLIPTextTower))
        ]

    @staticmethod
    def _declared_groups(module: nn.Module,
                         default: str) -> Dict[str, List[nn.Parameter]]:
        if hasattr(module, 'parameter_groups'):
            return module.parameter_groups()
        return {default: list(module.parameters())}

    def parameter_groups(self) -> Dict[str, List[nn.Parameter]]:
        """The parameters of each stage group (see the class docstring)."""
        groups: Dict[str, List[nn.Parameter]] = {name: [] for name in GROUPS}
        groups.update(self._declared_groups(self.cls_head, 'head'))
        if self.with_neck:
            groups.update(self._declared_groups(self.neck, 'video_proj'))
        groups['backbone'] = list(self._backbone_trainable)
        return groups

    def stage_spec(self, stage: Union[int, dict]) -> dict:
        """What a stage trains and scores with, checked.

        Args:
            stage (int | dict): A key of ``stages``, or a stage dict
                ``dict(train=[groups], video_path='mean' | 'encoder')``.

        Returns:
            dict: The stage dict.

        Raises:
            ValueError: For a stage number not in ``stages``, a group not
                among :meth:`parameter_groups`, or an unknown video path;
                the message lists the valid ones.
        """
        if isinstance(stage, int):
            if stage not in self.stages:
                raise ValueError(f'no stage {stage}; the model has stages '
                                 f'{sorted(self.stages)}')
            spec = self.stages[stage]
        else:
            spec = stage
        known = self.parameter_groups()
        unknown = sorted(set(spec['train']) - set(known))
        if unknown:
            raise ValueError(f'unknown parameter groups {unknown} in stage '
                             f'{stage}; known: {sorted(known)}')
        if spec.get('video_path') is not None:
            JASNeck.check_video_path(spec['video_path'], f' in stage {stage}')
        return dict(spec)

    def set_stage(self, stage: Union[int, dict]) -> None:
        """Switch the trainable parameters and the video path.

        Args:
            stage (int | dict): A key of ``stages``, or a stage dict
                ``dict(train=[groups], video_path='mean' | 'encoder')``.
                It becomes :attr:`current_stage`.
        """
        spec = self.stage_spec(stage)
        groups = self.parameter_groups()
        trainable = {
            id(p)
            for name in spec['train'] for p in groups[name]
        }
        for params in groups.values():
            for param in params:
                param.requires_grad_(id(param) in trainable)
        if isinstance(self.neck, JASNeck) and 'video_path' in spec:
            self.neck.video_path = spec['video_path']
        self.current_stage = stage
