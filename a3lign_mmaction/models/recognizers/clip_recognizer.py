import hashlib
import logging
from typing import Dict, List, Optional, Tuple, Union

import torch
from mmaction.models.recognizers import Recognizer3D
from mmaction.registry import MODELS
from mmaction.utils import OptSampleList
from mmengine.logging import print_log

from ..backbones import CLIPVisionBackbone
from ..clip import (CLIPTextTower, build_clip, clear_clip_checkpoint_cache,
                    uses_quick_gelu)
from ..heads import MATHead
from ..necks import JASNeck

__all__ = ['CLIPRecognizer']

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


@MODELS.register_module()
class CLIPRecognizer(Recognizer3D):
    """The A³lign-DFER recognizer: one CLIP, shared by backbone and head.

    It builds the CLIP of ``clip`` once, hands its image tower to a
    :class:`CLIPVisionBackbone` and its text tower to a :class:`MATHead`,
    and gives the head the JAS neck's text dynamic encoder. Other backbones
    and heads are built as configured.

    Training stages (BAP) are set with :meth:`set_stage`: a stage names the
    parameter groups that train and the video path of the JAS neck. Groups:
    ``prompts`` (MAT), ``temperature`` (if learnable), ``head`` (a head
    other than MAT), ``text_encoder``,
    ``video_encoder``, ``time_embed`` (shared by both encoders),
    ``video_proj`` (the neck's input projection) and ``backbone`` (the
    backbone parameters that were trainable when it was built: none for a
    frozen CLIP tower).

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
            them from. Without them a checkpoint holds the trained modules
            and a fingerprint of the CLIP weights; loading it keeps the
            model's own CLIP weights and refuses other weights than those
            it was trained with. A state dict with CLIP weights loads as
            usual.
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
                 **kwargs) -> None:
        backbone, cls_head = dict(backbone), dict(cls_head)
        if clip is not None:
            model = build_clip(**clip)
            clear_clip_checkpoint_cache()
            embed_dim = model.visual.output_dim
            if self._is(backbone, CLIPVisionBackbone):
                backbone.setdefault('visual', model.visual)
            if self._is(cls_head, MATHead):
                cls_head.setdefault('text_tower', CLIPTextTower(model))
                cls_head.setdefault('in_channels', embed_dim)
            if neck is not None and self._is(neck, JASNeck):
                neck = dict(neck)
                neck.setdefault('embed_dim', embed_dim)
        super().__init__(backbone, cls_head=cls_head, neck=neck, **kwargs)
        self._check_sentences_match_frames()
        self.stages = {int(k): v for k, v in (stages or BAP_STAGES).items()}
        self._backbone_trainable = [
            p for p in self.backbone.parameters() if p.requires_grad
        ]
        self.current_stage: Union[int, dict, None] = None
        self._frozen_clip_keys = self._find_frozen_clip_keys()
        if save_frozen_clip is None:
            save_frozen_clip = not (clip or {}).get('checkpoint')
        if not save_frozen_clip:
            self.register_state_dict_post_hook(self._drop_frozen_clip)
        self.register_load_state_dict_pre_hook(self._restore_frozen_clip)
        self._log_parameter_table()
        if stage is not None:
            self.set_stage(stage)

    @staticmethod
    def _is(cfg: dict, cls: type) -> bool:
        kind = cfg.get('type')
        kind = MODELS.get(kind) if isinstance(kind, str) else kind
        return isinstance(kind, type) and issubclass(kind, cls)

    def _check_sentences_match_frames(self) -> None:
        """JAS aligns sentence t with frame t: MAT needs as many sentences
        per class as JAS has time steps."""
        if self._jas is None or not isinstance(self.cls_head, MATHead):
            return
        sentences, frames = self.cls_head.num_sentences, self._jas.num_frames
        if sentences != frames:
            raise ValueError(
                f'MATHead has num_sentences={sentences} sentences per class '
                f'but JASNeck aligns them with num_frames={frames} frames: '
                f'set model.cls_head.num_sentences={frames} (or the neck\'s '
                f'num_frames and num_sentences to {sentences}, with as many '
                'frames per clip in the pipelines).')

    def _find_frozen_clip_keys(self) -> List[str]:
        """State dict keys of the CLIP towers' tensors that never train."""
        prefixes = tuple(
            name + ('.visual.' if isinstance(module, CLIPVisionBackbone)
                    else '.')
            for name, module in self.named_modules()
            if isinstance(module, (CLIPVisionBackbone, CLIPTextTower)))
        trainable_ids = {id(p) for p in self._backbone_trainable}
        trainable = {
            name
            for name, param in self.named_parameters()
            if id(param) in trainable_ids
        }
        # Before the hooks are registered: every persistent tensor.
        return sorted(key for key in self.state_dict()
                      if key.startswith(prefixes) and key not in trainable)

    def _clip_activations(self) -> Tuple[bool, ...]:
        """Whether each CLIP tower of the model runs QuickGELU."""
        return tuple(
            uses_quick_gelu(module) for module in self.modules()
            if isinstance(module, (CLIPVisionBackbone, CLIPTextTower)))

    def _clip_fingerprint(
            self,
            tensors: Dict[str, torch.Tensor],
            activations: Optional[Tuple[bool, ...]] = None) -> torch.Tensor:
        """SHA-256 of the CLIP towers' activations and the frozen CLIP
        tensors' names, shapes and first values (at fp16 precision), as 32
        uint8. ``activations=None`` gives the digest of checkpoints saved
        before the activations were part of it."""
        digest = hashlib.sha256()
        if activations is not None:
            digest.update(f'quick_gelu={activations}'.encode())
        for key in self._frozen_clip_keys:
            tensor = tensors[key].detach()
            digest.update(f'{key}{tuple(tensor.shape)}'.encode())
            digest.update(
                tensor.flatten()[:64].half().cpu().numpy().tobytes())
        return torch.frombuffer(bytearray(digest.digest()), dtype=torch.uint8)

    # The hooks are static: torch marks a hook registered through its public
    # API with an attribute, which a bound method cannot take.
    @staticmethod
    def _drop_frozen_clip(module: 'CLIPRecognizer',
                          state_dict: Dict[str, torch.Tensor], prefix: str,
                          local_metadata: dict) -> None:
        """State dict post-hook: frozen CLIP weights out, fingerprint in."""
        tensors = {
            key: state_dict.pop(prefix + key)
            for key in module._frozen_clip_keys
        }
        state_dict[prefix + 'clip_fingerprint'] = module._clip_fingerprint(
            tensors, module._clip_activations())

    @staticmethod
    def _restore_frozen_clip(module: 'CLIPRecognizer',
                             state_dict: Dict[str, torch.Tensor], prefix: str,
                             *args) -> None:
        """Load pre-hook: a state dict without CLIP weights gets the
        model's own, if they are the ones it was trained with."""
        fingerprint = state_dict.pop(prefix + 'clip_fingerprint', None)
        if fingerprint is None:
            return
        tensors = {
            **dict(module.named_parameters()),
            **dict(module.named_buffers())
        }
        activations = module._clip_activations()

        def matches(activations: Optional[Tuple[bool, ...]]) -> bool:
            return torch.equal(fingerprint.cpu(),
                               module._clip_fingerprint(tensors, activations))

        if not matches(activations):
            ours = 'QuickGELU' if any(activations) else 'GELU'
            if matches(tuple(not a for a in activations)):
                theirs = 'GELU' if any(activations) else 'QuickGELU'
                raise ValueError(
                    f'This checkpoint was trained with CLIP running {theirs}'
                    f', but the model\'s CLIP runs {ours} (the CLIP weights '
                    'are the same): set '
                    f'model.clip.quick_gelu={not any(activations)}.')
            if not matches(None):
                raise ValueError(
                    'This checkpoint was trained with other CLIP weights '
                    'than the model has: set model.clip.checkpoint to the '
                    'CLIP weight file it was trained with.')
            print_log(
                'This checkpoint does not record which activation its CLIP '
                'ran (saved by an older version); its CLIP weights match. '
                f'Using the model\'s: {ours}.',
                logger='current',
                level=logging.WARNING)
        for key in module._frozen_clip_keys:
            state_dict.setdefault(prefix + key, tensors[key])

    @property
    def _jas(self) -> Optional[JASNeck]:
        return self.neck if isinstance(self.neck, JASNeck) else None

    def parameter_groups(self) -> Dict[str, List[torch.nn.Parameter]]:
        """The parameters of each stage group (see the class docstring)."""
        groups = dict(
            prompts=[], temperature=[], head=[], text_encoder=[],
            video_encoder=[], time_embed=[], video_proj=[],
            backbone=list(self._backbone_trainable))
        if isinstance(self.cls_head, MATHead):
            groups['prompts'].append(self.cls_head.prompts)
            if isinstance(self.cls_head.log_scale, torch.nn.Parameter):
                groups['temperature'].append(self.cls_head.log_scale)
        else:
            groups['head'] = list(self.cls_head.parameters())
        if self._jas is not None:
            groups['text_encoder'] = list(self._jas.text_encoder.parameters())
            groups['video_encoder'] = list(
                self._jas.video_encoder.parameters())
            groups['time_embed'] = [self._jas.time_embed]
            groups['video_proj'] = list(self._jas.proj.parameters())
        elif self.with_neck:
            groups['video_proj'] = list(self.neck.parameters())
        return groups

    def set_stage(self, stage: Union[int, dict]) -> None:
        """Switch the trainable parameters and the video path.

        Args:
            stage (int | dict): A key of ``stages``, or a stage dict
                ``dict(train=[groups], video_path='mean' | 'encoder')``.
                It becomes :attr:`current_stage`.
        """
        spec = self.stages[stage] if isinstance(stage, int) else stage
        groups = self.parameter_groups()
        unknown = set(spec['train']) - set(groups)
        if unknown:
            raise ValueError(f'unknown parameter groups {sorted(unknown)}; '
                             f'known: {sorted(groups)}')
        trainable = {
            id(p)
            for name in spec['train'] for p in groups[name]
        }
        for params in groups.values():
            for param in params:
                param.requires_grad_(id(param) in trainable)
        if self._jas is not None and 'video_path' in spec:
            self._jas.video_path = spec['video_path']
        self.current_stage = stage

    def parameter_table(self,
                        stages: Optional[Dict[object, dict]] = None) -> str:
        """A table of parameters per group and whether each stage trains it.

        Args:
            stages (dict, optional): Column title to stage dict. Defaults to
                None (``self.stages``, titled ``stage N``).

        Returns:
            str: The table, one line per group with parameters, then the
            fixed parameters of each module and the total.
        """
        if stages is None:
            stages = {f'stage {k}': v for k, v in self.stages.items()}
        groups = self.parameter_groups()
        header = ['module', 'parameters', *map(str, stages)]
        rows = [header]
        for name, params in groups.items():
            count = sum(p.numel() for p in params)
            if count:
                rows.append([name, f'{count:,}'] + [
                    'train' if name in spec['train'] else 'frozen'
                    for spec in stages.values()
                ])
        grouped = {id(p) for params in groups.values() for p in params}
        for name, module in self.named_children():
            rest = sum(p.numel() for p in module.parameters()
                       if id(p) not in grouped)
            if rest:
                rows.append([f'{name} (fixed)', f'{rest:,}'] +
                            ['frozen'] * len(stages))
        total = sum(p.numel() for p in self.parameters())
        rows.append(['total', f'{total:,}'] + [''] * len(stages))
        widths = [max(len(row[i]) for row in rows) for i in range(len(header))]
        lines = [
            '  '.join(cell.ljust(width)
                      for cell, width in zip(row, widths)).rstrip()
            for row in rows
        ]
        lines.insert(1, '  '.join('-' * width for width in widths))
        return '\n'.join(lines)

    def _log_parameter_table(self) -> None:
        print_log('Parameters of ' + type(self).__name__ + ':\n' +
                  self.parameter_table(), logger='current')

    def extract_feat(self,
                     inputs: torch.Tensor,
                     stage: str = 'neck',
                     data_samples: OptSampleList = None,
                     test_mode: bool = False) -> tuple:
        """See :meth:`Recognizer3D.extract_feat`; also hands the JAS neck's
        text encoder to the head (in its keyword arguments)."""
        x, kwargs = super().extract_feat(
            inputs,
            stage='neck' if stage == 'head' else stage,
            data_samples=data_samples,
            test_mode=test_mode)
        if self._jas is not None and isinstance(self.cls_head, MATHead):
            kwargs['text_encoder'] = self._jas.encode_text
        if stage == 'head' and not test_mode:
            x = self.cls_head(x, **kwargs)
        return x, kwargs
