"""Reading the tensors of OpenAI's TorchScript archives without running
their code: a restricted unpickler that builds only tensors and module
records."""
import collections
import io
import pickle
import zipfile
from typing import Any, Dict

import torch

__all__ = ['UnsafeArchiveError', 'is_torchscript', 'read_torchscript']


def is_torchscript(path: str) -> bool:
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


class UnsafeArchiveError(ValueError):
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
            raise UnsafeArchiveError(
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
        raise UnsafeArchiveError(
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


def read_torchscript(path: str) -> Dict[str, torch.Tensor]:
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
