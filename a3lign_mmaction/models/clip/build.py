"""Building open_clip CLIP models, with weights from local files or
downloaded by open_clip by name."""
import difflib
import logging
from typing import Dict, Optional, Tuple, Union

import torch
from mmengine.logging import print_log

from ...utils import describe_key_mismatch
from .arch_diagnosis import guess_clip_arch
from .pretrained_names import download_clip_weights, is_clip_weights_name
from .weight_files import (OPEN_CLIP_CONFIG, load_clip_checkpoint,
                           read_open_clip_config, resolve_clip_checkpoint)

__all__ = ['build_clip', 'clip_arch_config', 'uses_quick_gelu']


def clip_arch_config(arch: Union[str, dict]) -> dict:
    """The open_clip model config of an architecture.

    Args:
        arch (str | dict): An open_clip model name (``'ViT-B-32'``,
            ``'ViT-B-16'``, ``'ViT-L-14'``, ...) or an inline config with
            ``embed_dim``, ``vision_cfg`` and ``text_cfg`` (and optionally
            ``quick_gelu``), as in open_clip's ``model_configs/*.json``.

    Returns:
        dict: A copy of the config.
    """
    import open_clip
    if isinstance(arch, str):
        cfg = open_clip.get_model_config(arch)
        if cfg is None:
            close = difflib.get_close_matches(arch, open_clip.list_models())
            raise ValueError(f'Unknown open_clip architecture {arch!r}' + (
                f'; did you mean {", ".join(close)}?' if close else '.'))
    else:
        cfg = dict(arch)
        missing = {'embed_dim', 'vision_cfg', 'text_cfg'} - set(cfg)
        if missing:
            raise ValueError(f'CLIP architecture dict lacks {sorted(missing)}')
    if cfg.get('custom_text') or 'hf_model_name' in cfg['text_cfg']:
        raise ValueError(
            f'CLIP architecture {arch!r} has a custom (Hugging Face) text '
            'tower; only the built-in CLIP text transformer is supported.')
    return {
        **cfg, 'vision_cfg': dict(cfg['vision_cfg']),
        'text_cfg': dict(cfg['text_cfg'])
    }


def _check_compatible(model: torch.nn.Module,
                      state_dict: Dict[str, torch.Tensor], arch: object,
                      path: str) -> None:
    lines = describe_key_mismatch(
        {k: v.shape
         for k, v in model.state_dict().items()},
        {k: v.shape
         for k, v in state_dict.items()})
    if lines:
        raise ValueError('\n'.join(
            [f'CLIP weights in {path} do not fit architecture {arch!r}.',
             *lines, guess_clip_arch(state_dict)]))


def uses_quick_gelu(module: torch.nn.Module) -> bool:
    """Whether an open_clip model or tower runs QuickGELU (OpenAI's
    activation) rather than GELU."""
    from open_clip.transformer import QuickGELU
    return any(isinstance(m, QuickGELU) for m in module.modules())


def _choose_quick_gelu(given: Optional[bool], cfg: dict, arch: object,
                       path: Optional[str], fmt: Optional[str],
                       named: Optional[Tuple[bool, str]]) -> bool:
    """Whether to build with QuickGELU: ``given``, else the weight file's
    own metadata (``named``: what the pretrained config of downloaded
    weights says), else the architecture config, else not. With a weight
    file, the choice and its source are logged."""
    if named is not None:
        metadata = named
    elif fmt == 'openai-torchscript':
        metadata = True, "OpenAI's TorchScript archive"
    else:
        model_cfg = read_open_clip_config(path) if path else None
        metadata = None if model_cfg is None else (
            bool(model_cfg.get('quick_gelu', False)),
            f'{OPEN_CLIP_CONFIG} beside the weights')
    if given is not None:
        if metadata is not None and metadata[0] != given:
            print_log(
                f'CLIP: model.clip.quick_gelu={given} overrides the '
                f'{metadata[1]}, which says quick_gelu={metadata[0]}.',
                logger='current',
                level=logging.WARNING)
        chosen, source = given, 'model.clip.quick_gelu'
    elif metadata is not None:
        chosen, source = metadata
    elif 'quick_gelu' in cfg:
        chosen = bool(cfg['quick_gelu'])
        source = f'the architecture config {arch!r}'
    else:
        if path is not None:
            print_log(
                f'CLIP: {path} does not say which activation its model was '
                'trained with; assuming GELU. OpenAI\'s CLIP weights need '
                'QuickGELU: set model.clip.quick_gelu=True for them (or use '
                f'the TorchScript archive, or keep the {OPEN_CLIP_CONFIG} '
                'beside an open_clip file).',
                logger='current',
                level=logging.WARNING)
        return False
    if path is not None:
        print_log(
            f'CLIP: {"QuickGELU" if chosen else "GELU"}, from {source}.',
            logger='current')
    return chosen


def build_clip(arch: Union[str, dict],
               checkpoint: Optional[str] = None,
               sha256: Optional[str] = None,
               quick_gelu: Optional[bool] = None,
               image_size: Optional[int] = None) -> torch.nn.Module:
    """Build an open_clip ``CLIP`` in fp32, offline, in eval mode.

    Args:
        arch (str | dict): See :func:`clip_arch_config`.
        checkpoint (str, optional): A local weight file or open_clip model
            folder (see :func:`load_clip_checkpoint`), or a name open_clip
            downloads once into its cache: a pretrained tag of ``arch``
            (``'openai'``, ``'laion2b_s34b_b88k'``, ...) or
            ``'hf-hub:ORG/NAME'`` (see :func:`download_clip_weights`).
            Defaults to None (random init).
        sha256 (str, optional): Expected SHA-256 of ``checkpoint``.
            Defaults to None (not checked).
        quick_gelu (bool, optional): Use QuickGELU, as OpenAI's models were
            trained with, instead of GELU. Defaults to None: what the
            weights' own metadata says (on for OpenAI's TorchScript
            archives; ``model_cfg.quick_gelu`` of the
            ``open_clip_config.json`` beside a ``.bin`` / ``.safetensors``
            file; ``quick_gelu`` of a pretrained tag's config), else what
            the architecture config says (``*-quickgelu`` names), else
            GELU. With a weight file, the log says which was
            used and why. Set it for OpenAI weights saved as a plain state
            dict.
        image_size (int, optional): Frame size of the image tower, if not
            the architecture's; the weights' positional embedding is
            interpolated (bicubic) to its grid. Defaults to None.

    Returns:
        open_clip.CLIP: The model.
    """
    from open_clip.model import CLIP, resize_pos_embed
    cfg = clip_arch_config(arch)
    named = None
    if checkpoint and is_clip_weights_name(checkpoint, arch):
        checkpoint, named = download_clip_weights(checkpoint, arch)
    path = resolve_clip_checkpoint(checkpoint) if checkpoint else None
    state_dict, fmt = (
        load_clip_checkpoint(path, sha256) if path else (None, None))
    quick_gelu = _choose_quick_gelu(quick_gelu, cfg, arch, path, fmt, named)
    cfg.pop('quick_gelu', None)
    cfg.pop('custom_text', None)
    if image_size is not None:
        cfg['vision_cfg']['image_size'] = image_size
    model = CLIP(**cfg, quick_gelu=quick_gelu)
    if state_dict is not None:
        state_dict = dict(state_dict)  # the reader's cache stays unchanged
        scale = state_dict.get('logit_scale')
        if scale is not None and scale.numel() == 1:
            state_dict['logit_scale'] = scale.reshape(
                model.logit_scale.shape)
        if image_size is not None:
            resize_pos_embed(state_dict, model)
        _check_compatible(model, state_dict, arch, path)
        model.load_state_dict(state_dict)
    return model.eval()
