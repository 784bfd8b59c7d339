"""Reading CLIP weight files in the formats users have on disk."""
import functools
import hashlib
import json
import os
import os.path as osp
from typing import Dict, Optional, Tuple

import torch

from .torchscript_reader import (UnsafeArchiveError, is_torchscript,
                                 read_torchscript)

__all__ = [
    'KNOWN_SHA256', 'OPEN_CLIP_CONFIG', 'OPEN_CLIP_FILES', 'WEIGHTS_HINT',
    'clear_clip_checkpoint_cache', 'file_sha256', 'load_clip_checkpoint',
    'read_open_clip_config', 'resolve_clip_checkpoint'
]

#: SHA-256 of OpenAI's released TorchScript archives.
KNOWN_SHA256 = {
    '40d365715913c9da98579312b702a82c18be219cc2a73407c4526f58eba950af':
    'OpenAI ViT-B/32 (ViT-B-32.pt)',
    '5806e77cd80f8b59890b7e101eabd078d9fb84e6937f9e85e4ecb61988df416f':
    'OpenAI ViT-B/16 (ViT-B-16.pt)',
    'b8cca3fd41ae0c99ba7e8951adf17d267cdb84cd88be6f7c2e0eca1737a03836':
    'OpenAI ViT-L/14 (ViT-L-14.pt)',
}

WEIGHTS_HINT = (
    'Give a file you have: OpenAI\'s released TorchScript archive (e.g. '
    '~/.cache/clip/ViT-L-14.pt, written by `clip.load`), an open_clip '
    'checkpoint (open_clip_pytorch_model.bin or open_clip_model.safetensors '
    'from the Hugging Face Hub, e.g. timm/vit_large_patch14_clip_224.openai) '
    'or a state dict saved with torch.save; or a name open_clip downloads: '
    'one of its pretrained tags of the architecture (e.g. openai) or '
    'hf-hub:ORG/NAME (docs/clip_weights.md).')

#: Weight files of an open_clip model folder (a Hugging Face Hub download),
#: in the order they are looked for, and the config beside them.
OPEN_CLIP_FILES = ('open_clip_model.safetensors',
                   'open_clip_pytorch_model.bin')
OPEN_CLIP_CONFIG = 'open_clip_config.json'

# Keys OpenAI's TorchScript archives carry besides the weights; `attn_mask`
# is a non-persistent buffer that TorchScript serialises all the same.
_NON_WEIGHT_KEYS = ('input_resolution', 'context_length', 'vocab_size',
                    'attn_mask')
_NESTED_KEYS = ('state_dict', 'model')


def file_sha256(path: str, chunk_size: int = 1 << 20) -> str:
    """SHA-256 of a file, read in chunks.

    Args:
        path (str): The file.
        chunk_size (int): Bytes read at a time. Defaults to 1 MiB.

    Returns:
        str: The hex digest.
    """
    digest = hashlib.sha256()
    with open(path, 'rb') as f:
        for chunk in iter(lambda: f.read(chunk_size), b''):
            digest.update(chunk)
    return digest.hexdigest()


def _unwrap(checkpoint: object, path: str) -> Dict[str, torch.Tensor]:
    """Find the state dict in a checkpoint and strip a DDP prefix."""
    while isinstance(checkpoint, dict):
        nested = [key for key in _NESTED_KEYS if key in checkpoint]
        if not nested or isinstance(checkpoint[nested[0]], torch.Tensor):
            break
        checkpoint = checkpoint[nested[0]]
    if not isinstance(checkpoint, dict) or not all(
            isinstance(value, torch.Tensor) for value in checkpoint.values()):
        raise ValueError(
            f'{path} holds no CLIP state dict: expected a mapping from '
            'parameter names to tensors, at the top level or under '
            f'{" or ".join(map(repr, _NESTED_KEYS))}, got '
            f'{type(checkpoint).__name__}.')
    if all(key.startswith('module.') for key in checkpoint):
        checkpoint = {key[7:]: value for key, value in checkpoint.items()}
    return checkpoint


def _read(path: str) -> Tuple[Dict[str, torch.Tensor], str]:
    if not osp.getsize(path):
        raise ValueError(f'{path} is empty (0 bytes), not a CLIP weight '
                         f'file. {WEIGHTS_HINT}')
    try:
        if path.endswith('.safetensors'):
            from safetensors.torch import load_file
            return load_file(path, device='cpu'), 'safetensors'
        if is_torchscript(path):
            return read_torchscript(path), 'openai-torchscript'
        checkpoint = torch.load(path, map_location='cpu', weights_only=True)
    except UnsafeArchiveError:
        raise
    except Exception as error:  # torch, zipfile and safetensors errors
        first_line = (str(error).strip() or 'no message').splitlines()[0]
        raise ValueError(
            f'{path} could not be read as a CLIP weight file '
            f'({type(error).__name__}: {first_line}). It '
            'may be truncated or corrupt, or not a weight file at all. '
            f'{WEIGHTS_HINT}') from error
    return _unwrap(checkpoint, path), 'state-dict'


@functools.lru_cache(maxsize=1)
def _read_cached(path: str, mtime_ns: int,
                 size: int) -> Tuple[Dict[str, torch.Tensor], str]:
    return _read(path)


def clear_clip_checkpoint_cache() -> None:
    """Forget the weight file kept in memory by
    :func:`load_clip_checkpoint`."""
    _read_cached.cache_clear()


def resolve_clip_checkpoint(path: str) -> str:
    """The weight file that ``path`` names.

    Args:
        path (str): A weight file, or an open_clip model folder (as
            downloaded from the Hugging Face Hub) holding one of
            :data:`OPEN_CLIP_FILES`.

    Returns:
        str: The absolute path of the weight file (a link is not
        followed: the config beside it is the one beside the link, as in
        the Hugging Face cache, where weights link to blobs).
    """
    path = osp.abspath(osp.expanduser(path))
    if not osp.isdir(path):
        return path
    for name in OPEN_CLIP_FILES:
        if osp.isfile(osp.join(path, name)):
            return osp.join(path, name)
    raise FileNotFoundError(
        f'CLIP weight folder {path} holds none of '
        f'{", ".join(OPEN_CLIP_FILES)}: name the weight file itself, or a '
        f'folder downloaded from the Hugging Face Hub. {WEIGHTS_HINT}')


def read_open_clip_config(path: str) -> Optional[dict]:
    """The model config in the ``open_clip_config.json`` beside an
    open_clip weight file, as the Hugging Face Hub ships them.

    Args:
        path (str): A ``.bin`` or ``.safetensors`` weight file.

    Returns:
        dict | None: The config's ``model_cfg`` (``quick_gelu``,
        ``vision_cfg``, ...), or None where there is no such file or
        ``path`` is of another kind.
    """
    config = osp.join(osp.dirname(path), OPEN_CLIP_CONFIG)
    if not path.endswith(('.bin', '.safetensors')) or not osp.isfile(config):
        return None
    try:
        with open(config, encoding='utf-8') as f:
            model_cfg = json.load(f)['model_cfg']
    except (ValueError, KeyError, TypeError) as error:
        raise ValueError(
            f'{config} is not an open_clip model config: expected JSON with '
            f'a "model_cfg" object ({type(error).__name__}: {error}). Fix or '
            'remove it, and set model.clip.quick_gelu yourself.') from error
    if not isinstance(model_cfg, dict):
        raise ValueError(f'{config}: "model_cfg" is not an object.')
    return model_cfg


def load_clip_checkpoint(
        path: str,
        sha256: Optional[str] = None) -> Tuple[Dict[str, torch.Tensor], str]:
    """Read a CLIP weight file from a local path.

    Supported: OpenAI's TorchScript archives, plain state dicts (also nested
    under ``state_dict`` or ``model``, with or without a ``module.`` prefix)
    saved by ``torch.save`` and open_clip's ``.bin`` / ``.safetensors``
    checkpoints. The most recently read file is kept in memory, so that
    modules which use different towers of one CLIP read it once; call
    :func:`clear_clip_checkpoint_cache` to release it.

    Args:
        path (str): The weight file, or an open_clip model folder (see
            :func:`resolve_clip_checkpoint`).
        sha256 (str, optional): Expected SHA-256 of the file. Defaults to
            None (not checked).

    Returns:
        tuple[dict, str]: The state dict (OpenAI's non-weight entries
        removed; do not modify it in place) and the format, one of
        ``'openai-torchscript'``, ``'state-dict'`` and ``'safetensors'``.
    """
    path = resolve_clip_checkpoint(path)
    if not osp.isfile(path):
        raise FileNotFoundError(f'CLIP weight file not found: {path}. '
                                f'{WEIGHTS_HINT}')
    if sha256 is not None:
        actual = file_sha256(path)
        if actual != sha256.lower():
            known = KNOWN_SHA256.get(actual)
            raise ValueError(
                f'SHA-256 of {path} is {actual}, expected {sha256}' +
                (f'; the file is {known}.' if known else
                 '; the file is incomplete, corrupt or another release.'))
    stat = os.stat(path)
    state_dict, fmt = _read_cached(path, stat.st_mtime_ns, stat.st_size)
    weights = {
        key: value
        for key, value in state_dict.items() if key not in _NON_WEIGHT_KEYS
    }
    return weights, fmt
