"""Reading CLIP weight files in the formats users have on disk."""
import collections
import functools
import hashlib
import io
import json
import os
import os.path as osp
import pickle
import zipfile
from typing import Any, Dict, List, Optional, Tuple

import torch

__all__ = [
    'KNOWN_SHA256', 'OPEN_CLIP_FILES', 'clear_clip_checkpoint_cache',
    'describe_clip_state_dict', 'file_sha256', 'guess_clip_arch',
    'load_clip_checkpoint', 'read_open_clip_config', 'resolve_clip_checkpoint'
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
    'CLIP weights cannot be downloaded by this plugin. Use a file you '
    'already have: OpenAI\'s released TorchScript archive (e.g. '
    '~/.cache/clip/ViT-L-14.pt, written by `clip.load`), an open_clip '
    'checkpoint (open_clip_pytorch_model.bin or open_clip_model.safetensors '
    'from the Hugging Face Hub, e.g. timm/vit_large_patch14_clip_224.openai) '
    'or a state dict saved with torch.save.')

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


def _is_torchscript(path: str) -> bool:
    if not zipfile.is_zipfile(path):
        return False
    with zipfile.ZipFile(path) as archive:
        return any(
            name.endswith('/constants.pkl') for name in archive.namelist())


_STORAGE_DTYPES = {
    'FloatStorage': torch.float32,
    'HalfStorage': torch.float16,
    'BFloat16Storage': torch.bfloat16,
    'DoubleStorage': torch.float64,
    'LongStorage': torch.int64,
    'IntStorage': torch.int32,
    'ShortStorage': torch.int16,
    'CharStorage': torch.int8,
    'ByteStorage': torch.uint8,
    'BoolStorage': torch.bool,
}


class _UnsafeArchiveError(ValueError):
    """A TorchScript archive that cannot be read as data only."""


class _ScriptObject:
    """Stands in for a TorchScript module while its archive is read: it
    keeps the module's attributes and runs none of its code."""

    def __setstate__(self, state: dict) -> None:
        self.attributes = state


def _rebuild_tensor(storage: torch.Tensor, offset: int, size: tuple,
                    stride: tuple, *args: Any) -> torch.Tensor:
    return storage.as_strided(size, stride, offset)


def _rebuild_parameter(data: torch.Tensor, *args: Any) -> torch.Tensor:
    return data


class _ArchiveUnpickler(pickle.Unpickler):
    """Reads the module tree of a TorchScript archive as data: modules
    become :class:`_ScriptObject` and tensors are read from the archive's
    storages; any other object is refused, so no code in the archive
    runs (``torch.jit.load`` would compile and run its TorchScript)."""

    _ALLOWED = {
        ('torch._utils', '_rebuild_tensor'): _rebuild_tensor,
        ('torch._utils', '_rebuild_tensor_v2'): _rebuild_tensor,
        ('torch._utils', '_rebuild_parameter'): _rebuild_parameter,
    }

    #: A compressed entry may inflate to this many times its size (plus
    #: 1 MiB): torch stores an archive's entries uncompressed, and a small
    #: file that inflates to gigabytes would fill the memory.
    MAX_INFLATION = 100

    def __init__(self, archive: zipfile.ZipFile, prefix: str,
                 path: str) -> None:
        self.archive, self.prefix, self.path = archive, prefix, path
        super().__init__(io.BytesIO(self._read(prefix + 'data.pkl')))
        self.storages: Dict[str, torch.Tensor] = {}

    def _read(self, name: str) -> bytes:
        info = self.archive.getinfo(name)
        if info.compress_type != zipfile.ZIP_STORED and info.file_size > (
                self.MAX_INFLATION * info.compress_size + 2**20):
            raise _UnsafeArchiveError(
                f'{self.path}: {name} would inflate from '
                f'{info.compress_size} to {info.file_size} bytes; a '
                'TorchScript archive stores its entries uncompressed, so it '
                'is not read.')
        return self.archive.read(name)

    def find_class(self, module: str, name: str) -> Any:
        # Each object is made for this call, so that a BUILD in the file
        # can change only it, not a class or function of this process.
        if module.startswith('__torch__'):
            return type('_ScriptObject', (_ScriptObject, ), {})
        if module == 'torch' and name in _STORAGE_DTYPES:
            return _STORAGE_DTYPES[name]
        if (module, name) == ('collections', 'OrderedDict'):
            return type('OrderedDict', (collections.OrderedDict, ), {})
        if (module, name) in self._ALLOWED:
            function = self._ALLOWED[module, name]
            return lambda *args: function(*args)
        raise _UnsafeArchiveError(
            f'{self.path} is a TorchScript archive that holds more than '
            f'modules and tensors ({module}.{name}); it is not read, since '
            'reading it would run code from the file. If you trust the '
            'file, save its weights as a state dict and use that: python '
            '-c "import torch; torch.save(torch.jit.load(\'IN.pt\', '
            'map_location=\'cpu\').state_dict(), \'OUT.pth\')"')

    def persistent_load(self, pid: tuple) -> torch.Tensor:
        _, dtype, key, _, _ = pid
        if key not in self.storages:
            data = bytearray(self._read(f'{self.prefix}data/{key}'))
            self.storages[key] = torch.frombuffer(
                data, dtype=dtype) if data else torch.empty(0, dtype=dtype)
        return self.storages[key]


def _module_tensors(module: _ScriptObject,
                    prefix: str = '') -> Dict[str, torch.Tensor]:
    tensors = {}
    for name, value in module.attributes.items():
        if isinstance(value, torch.Tensor):
            tensors[prefix + name] = value
        elif isinstance(value, _ScriptObject):
            tensors.update(_module_tensors(value, f'{prefix}{name}.'))
    return tensors


def _read_torchscript(path: str) -> Dict[str, torch.Tensor]:
    """The tensors of a TorchScript archive's modules, by state dict key,
    read without running the archive's code."""
    with zipfile.ZipFile(path) as archive:
        data, = (name for name in archive.namelist()
                 if name.endswith('data.pkl') and name.count('/') == 1)
        root = _ArchiveUnpickler(archive, data[:-len('data.pkl')],
                                 path).load()
    if not isinstance(root, _ScriptObject):
        raise ValueError(f'{path} holds no TorchScript module.')
    return _module_tensors(root)


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
        if _is_torchscript(path):
            return _read_torchscript(path), 'openai-torchscript'
        checkpoint = torch.load(path, map_location='cpu', weights_only=True)
    except _UnsafeArchiveError:
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
        str: The real path of the weight file.
    """
    path = osp.realpath(osp.expanduser(path))
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


def _layer_count(state_dict: Dict[str, torch.Tensor], prefix: str) -> int:
    return len({
        key[len(prefix):].split('.')[0]
        for key in state_dict if key.startswith(prefix)
    })


def describe_clip_state_dict(
        state_dict: Dict[str, torch.Tensor]) -> Optional[dict]:
    """Read the architecture of a ViT CLIP from its weight shapes.

    Args:
        state_dict (dict): Weights in OpenAI / open_clip naming.

    Returns:
        dict | None: An open_clip model config (``embed_dim``,
        ``vision_cfg``, ``text_cfg``), or None if the weights are not those
        of a ViT CLIP with open_clip's built-in text tower.
    """
    try:
        conv = state_dict['visual.conv1.weight']
        grid = state_dict['visual.positional_embedding'].shape[0] - 1
        text_width = state_dict['ln_final.weight'].shape[0]
        return dict(
            embed_dim=state_dict['text_projection'].shape[1],
            vision_cfg=dict(
                image_size=conv.shape[-1] * round(grid**0.5),
                layers=_layer_count(state_dict,
                                    'visual.transformer.resblocks.'),
                width=conv.shape[0],
                patch_size=conv.shape[-1]),
            text_cfg=dict(
                context_length=state_dict['positional_embedding'].shape[0],
                vocab_size=state_dict['token_embedding.weight'].shape[0],
                width=text_width,
                layers=_layer_count(state_dict, 'transformer.resblocks.')))
    except KeyError:
        return None


def _shape_signature(cfg: dict) -> tuple:
    vision, text = cfg['vision_cfg'], cfg['text_cfg']
    return (cfg['embed_dim'], vision.get('image_size'), vision.get('layers'),
            vision.get('width'), vision.get('patch_size'),
            text.get('context_length', 77), text.get('vocab_size', 49408),
            text.get('width'), text.get('layers'))


def guess_clip_arch(state_dict: Dict[str, torch.Tensor]) -> str:
    """Say which open_clip architecture weights seem to belong to.

    Args:
        state_dict (dict): Weights in OpenAI / open_clip naming.

    Returns:
        str: A sentence naming the matching open_clip architectures and the
        dimensions read from the weights.
    """
    import open_clip
    described = describe_clip_state_dict(state_dict)
    if described is None:
        return ('The file does not look like a ViT CLIP with open_clip\'s '
                'built-in text tower.')
    signature = _shape_signature(described)
    names: List[str] = []
    for name in open_clip.list_models():
        cfg = open_clip.get_model_config(name)
        base = name.replace('-quickgelu', '')
        if (cfg and 'vision_cfg' in cfg and 'text_cfg' in cfg
                and base not in names
                and isinstance(cfg['vision_cfg'].get('layers'), int)
                and _shape_signature(cfg) == signature):
            names.append(base)
    vision, text = described['vision_cfg'], described['text_cfg']
    dims = (f'embed dim {described["embed_dim"]}; image tower: '
            f'{vision["layers"]} layers, width {vision["width"]}, patch '
            f'{vision["patch_size"]}, image size {vision["image_size"]}; '
            f'text tower: {text["layers"]} layers, width {text["width"]}, '
            f'context length {text["context_length"]}')
    if names:
        return (f'The file seems to be a {" / ".join(names)} checkpoint '
                f'({dims}).')
    return (f'The file matches no open_clip architecture by name ({dims}); '
            'pass these numbers as an architecture dict.')
