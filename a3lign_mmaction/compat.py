"""Fixes for defects of the released MMAction2 / MMEngine stack.

All are applied by ``import a3lign_mmaction`` and do nothing where their
problem is absent:

* the mmaction2 1.2.0 wheel lacks ``mmaction/models/localizers/drn/``, so
  ``import mmaction.models`` fails (upstream issue 2714);
* mmengine 0.10.7 loads its checkpoints with ``torch.load`` defaults, and
  torch >= 2.6 defaults to ``weights_only=True``, which refuses the
  ``HistoryBuffer`` and numpy objects those checkpoints hold (under the
  module names of numpy 1 or 2, whichever wrote them);
* mmengine 0.10.7 calls ``torch.cuda.set_device`` when it starts a
  ``--launcher pytorch`` job, so CPU-only jobs (gloo) cannot start;
* mmaction2 1.2.0 imports its multimodal models whenever transformers
  >= 4.28 is installed, and they import names that transformers 5 removed,
  so ``import mmaction.models`` fails next to transformers 5;
* mmaction2 1.2.0's ``ColorJitter`` shifts hue in uint8 arithmetic, which
  numpy 2 refuses for a negative shift (``OverflowError``, half the draws)
  and numpy 1 wraps at 256 for a large positive one.
"""
import importlib.metadata
import importlib.util
import os.path as osp
import pickle
import sys
import types
from typing import Callable, List, Tuple, Union

import numpy as np
import torch
from packaging.version import Version

__all__ = [
    'register_drn_placeholder', 'allow_mmengine_checkpoints',
    'allow_cpu_distributed', 'skip_incompatible_multimodal',
    'fix_color_jitter_hue'
]

_DRN_MODULE = 'mmaction.models.localizers.drn'


class _MissingDRN:
    """Stands in for MMAction2's DRN localizer where the wheel lacks it."""

    def __init__(self, *args, **kwargs) -> None:
        raise ImportError(
            'DRN is missing from this mmaction2 installation (the 1.2.0 '
            'wheel does not ship mmaction/models/localizers/drn/). Install '
            'mmaction2 from source to use it.')


def register_drn_placeholder() -> bool:
    """Register a placeholder for the DRN localizer missing from the wheel.

    Must run before ``mmaction.models`` is imported. Nothing is done when
    mmaction2 is not installed, when the module is already importable or
    when the real ``drn`` folder exists.

    Returns:
        bool: Whether the placeholder was registered.
    """
    if _DRN_MODULE in sys.modules:
        return False
    spec = importlib.util.find_spec('mmaction')
    if spec is None or not spec.submodule_search_locations:
        return False
    for root in spec.submodule_search_locations:
        if osp.isfile(osp.join(root, 'models', 'localizers', 'drn',
                               'drn.py')):
            return False
    package = types.ModuleType(_DRN_MODULE)
    package.__path__ = []
    module = types.ModuleType(f'{_DRN_MODULE}.drn')
    module.DRN = _MissingDRN
    package.drn = module
    sys.modules[_DRN_MODULE] = package
    sys.modules[module.__name__] = module
    return True


def skip_incompatible_multimodal() -> bool:
    """Leave out MMAction2's multimodal models next to transformers >= 5.

    mmaction2 1.2.0 imports them (VindLU) when transformers >= 4.28 is
    installed; they import ``apply_chunking_to_forward`` from
    ``transformers.modeling_utils``, which transformers 5 no longer has.
    Turning MMAction2's ``WITH_MULTIMODAL`` off makes it register its
    placeholders instead, as without transformers. Must run before
    ``mmaction.models`` is imported.

    Returns:
        bool: Whether the multimodal models were left out.
    """
    try:
        version = importlib.metadata.version('transformers')
    except importlib.metadata.PackageNotFoundError:
        return False
    if Version(version).major < 5 or importlib.util.find_spec(
            'mmaction') is None:
        return False
    from mmaction.utils import dependency
    dependency.WITH_MULTIMODAL = False
    return True


def _history_buffer_method(owner: type, name: str) -> Callable:
    """``getattr`` limited to what ``HistoryBuffer`` pickles: its methods.

    ``HistoryBuffer.__getstate__`` stores its statistics methods, which
    pickle refers to as ``getattr(HistoryBuffer, 'min')``. Allow-listing the
    builtin ``getattr`` would let a file reach any attribute of any allowed
    object; this stand-in resolves public ``HistoryBuffer`` methods only.
    """
    from mmengine.logging import HistoryBuffer
    if (owner is not HistoryBuffer or name.startswith('_')
            or not callable(vars(HistoryBuffer).get(name))):
        raise pickle.UnpicklingError(
            f'refusing getattr({owner!r}, {name!r}) while loading a '
            'checkpoint: only HistoryBuffer methods are allowed')
    return getattr(owner, name)


def _numpy_multiarray() -> types.ModuleType:
    """numpy's ``multiarray`` module: ``numpy._core.multiarray`` in numpy 2,
    whose ``numpy.core`` only warns, and in 1.26 (a forward alias)."""
    try:
        return importlib.import_module('numpy._core.multiarray')
    except ImportError:  # numpy < 1.26
        return importlib.import_module('numpy.core.multiarray')


def _mmengine_checkpoint_globals() -> List[Union[object, Tuple]]:
    """Classes and functions pickled into MMEngine checkpoints.

    numpy's array and scalar constructors are pickled under the module name
    of the numpy that wrote the file, ``numpy.core.multiarray`` (numpy 1)
    or ``numpy._core.multiarray`` (numpy 2); both names are allowed, so
    checkpoints load across the two.
    """
    from mmengine.logging import HistoryBuffer
    scalars = set(np.sctypeDict.values())
    dtypes = {type(np.dtype(scalar)) for scalar in scalars}
    multiarray = _numpy_multiarray()
    constructors = [(getattr(multiarray, name), f'{package}.multiarray.{name}')
                    for name in ('_reconstruct', 'scalar')
                    for package in ('numpy.core', 'numpy._core')]
    return [
        HistoryBuffer, np.ndarray, np.dtype, *constructors,
        (_history_buffer_method, 'builtins.getattr'), *dtypes, *scalars
    ]


def allow_mmengine_checkpoints() -> bool:
    """Let torch's safe loader read MMEngine checkpoints.

    Only the few globals MMEngine checkpoints hold are allow-listed with
    ``torch.serialization.add_safe_globals``; ``weights_only`` stays on.
    Nothing is done with torch < 2.6, whose default loader is not the safe
    one.

    Returns:
        bool: Whether globals were added.
    """
    if Version(torch.__version__).release < (2, 6):
        return False
    torch.serialization.add_safe_globals(_mmengine_checkpoint_globals())
    return True


def allow_cpu_distributed() -> bool:
    """Let MMEngine start ``--launcher pytorch`` jobs without a GPU.

    Where CUDA is unavailable, MMEngine's PyTorch launcher setup is replaced
    by one that skips ``torch.cuda.set_device``; use the ``gloo`` backend
    there (``env_cfg.dist_cfg.backend='gloo'``). The ``nccl`` backend is
    refused there with that advice, instead of a CUDA driver error in
    every process.

    Returns:
        bool: Whether the launcher setup was replaced.
    """
    from mmengine.dist import utils
    if torch.cuda.is_available() or getattr(utils._init_dist_pytorch,
                                            '_cpu_safe', False):
        return False
    cuda_init = utils._init_dist_pytorch

    def init_dist_pytorch(backend: str, init_backend: str = 'torch',
                          **kwargs) -> None:
        if backend == 'nccl':
            raise RuntimeError(
                'This machine has no CUDA GPU, and the nccl backend needs '
                "one per process: run the processes on the CPU with gloo, "
                '--cfg-options env_cfg.dist_cfg.backend=gloo')
        if backend != 'gloo' or init_backend != 'torch':
            return cuda_init(backend, init_backend, **kwargs)
        torch.distributed.init_process_group(backend=backend, **kwargs)

    init_dist_pytorch._cpu_safe = True
    utils._init_dist_pytorch = init_dist_pytorch
    return True


def _adjust_hue(img: np.ndarray, factor: float) -> np.ndarray:
    """``ColorJitter.adjust_hue`` with the hue shifted in int16: OpenCV's
    hues (0-179) rotate by ``int(factor * 255)`` modulo 180."""
    import cv2
    hsv = cv2.cvtColor(np.clip(img, 0, 255).astype(np.uint8),
                       cv2.COLOR_RGB2HSV)
    hue = hsv[..., 0].astype(np.int16) + int(factor * 255)
    hsv[..., 0] = np.mod(hue, 180).astype(np.uint8)
    return cv2.cvtColor(hsv, cv2.COLOR_HSV2RGB).astype(np.float32)


def fix_color_jitter_hue() -> bool:
    """Shift MMAction2's ``ColorJitter`` hue without uint8 overflow.

    Its ``adjust_hue`` adds a Python int to uint8 hues: numpy 2 raises
    ``OverflowError`` for a negative shift, and numpy 1 wraps a sum above
    255 before the modulo 180. The replacement rotates the hue alike on
    both. Nothing is done when mmaction2 is not installed.

    Returns:
        bool: Whether ``adjust_hue`` was replaced.
    """
    if importlib.util.find_spec('mmaction') is None:
        return False
    from mmaction.datasets.transforms import ColorJitter
    if ColorJitter.adjust_hue is _adjust_hue:
        return False
    ColorJitter.adjust_hue = staticmethod(_adjust_hue)
    return True
