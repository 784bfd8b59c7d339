"""Building open_clip CLIP models offline, with weights from local files."""
import difflib
from typing import Dict, Optional, Union

import torch

from .checkpoint import guess_clip_arch, load_clip_checkpoint

__all__ = ['build_clip', 'clip_arch_config']

_LISTED_KEYS = 10


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


def _list(keys) -> str:
    keys = sorted(keys)
    shown = ', '.join(keys[:_LISTED_KEYS])
    more = len(keys) - _LISTED_KEYS
    return shown + (f', ... ({more} more)' if more > 0 else '')


def _check_compatible(model: torch.nn.Module,
                      state_dict: Dict[str, torch.Tensor], arch: object,
                      path: str) -> None:
    expected = model.state_dict()
    missing = expected.keys() - state_dict.keys()
    unexpected = state_dict.keys() - expected.keys()
    mismatched = [
        f'{key}: file {tuple(state_dict[key].shape)} vs model '
        f'{tuple(expected[key].shape)}'
        for key in sorted(expected.keys() & state_dict.keys())
        if expected[key].shape != state_dict[key].shape
    ]
    if not (missing or unexpected or mismatched):
        return
    lines = [f'CLIP weights in {path} do not fit architecture {arch!r}.']
    if missing:
        lines.append(f'Missing keys ({len(missing)}): {_list(missing)}')
    if unexpected:
        lines.append(
            f'Unexpected keys ({len(unexpected)}): {_list(unexpected)}')
    if mismatched:
        lines.append(f'Shape mismatches ({len(mismatched)}): ' +
                     '; '.join(mismatched[:_LISTED_KEYS]))
    lines.append(guess_clip_arch(state_dict))
    raise ValueError('\n'.join(lines))


def build_clip(arch: Union[str, dict],
               checkpoint: Optional[str] = None,
               sha256: Optional[str] = None,
               quick_gelu: Optional[bool] = None) -> torch.nn.Module:
    """Build an open_clip ``CLIP`` in fp32, offline, in eval mode.

    Args:
        arch (str | dict): See :func:`clip_arch_config`.
        checkpoint (str, optional): A local weight file, see
            :func:`load_clip_checkpoint`. Defaults to None (random init).
        sha256 (str, optional): Expected SHA-256 of ``checkpoint``.
            Defaults to None (not checked).
        quick_gelu (bool, optional): Use QuickGELU, as OpenAI's models were
            trained with. Defaults to None: on for OpenAI's TorchScript
            archives and for configs that ask for it (``*-quickgelu``),
            off otherwise. Set it for OpenAI weights saved as a state dict.

    Returns:
        open_clip.CLIP: The model.
    """
    from open_clip.model import CLIP
    cfg = clip_arch_config(arch)
    state_dict, fmt = (
        load_clip_checkpoint(checkpoint, sha256) if checkpoint else
        (None, None))
    cfg_quick_gelu = cfg.pop('quick_gelu', False)
    if quick_gelu is None:
        quick_gelu = cfg_quick_gelu or fmt == 'openai-torchscript'
    cfg.pop('custom_text', None)
    model = CLIP(**cfg, quick_gelu=quick_gelu)
    if state_dict is not None:
        scale = state_dict.get('logit_scale')
        if scale is not None and scale.numel() == 1:
            state_dict = {
                **state_dict, 'logit_scale':
                state_dict['logit_scale'].reshape(model.logit_scale.shape)
            }
        _check_compatible(model, state_dict, arch, checkpoint)
        model.load_state_dict(state_dict)
    return model.eval()
