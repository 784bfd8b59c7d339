"""Checkpoint files that cannot be read are named, with the one to use
instead."""
import glob
import os.path as osp
import pickle
import re
import zipfile
from typing import Optional

from mmengine.runner.checkpoint import CheckpointLoader, load_from_local

__all__ = ['load_local_checkpoint', 'register_checkpoint_loader']


def _epoch(path: str) -> int:
    match = re.search(r'epoch_(\d+)\.pth$', path)
    return int(match.group(1)) if match else -1


def _previous(path: str) -> Optional[str]:
    """The newest other ``epoch_N.pth`` beside ``path``, before it."""
    others = [
        p for p in glob.glob(osp.join(glob.escape(osp.dirname(path)),
                                      'epoch_*.pth'))
        if not osp.samefile(p, path) and osp.getsize(p) and (
            _epoch(path) < 0 or _epoch(p) < _epoch(path))
    ]
    return max(others, key=_epoch) if others else None


def load_local_checkpoint(filename: str, map_location=None) -> dict:
    """MMEngine's loader of local checkpoint files, with a file that is
    damaged or cut short (e.g. by a full disk or a kill during its save)
    named instead of a bare ``zipfile`` or ``EOFError`` traceback.

    Registered for local paths by :func:`register_checkpoint_loader`, so it
    serves ``tools/test.py``, ``--resume`` (also of the file
    ``last_checkpoint`` names), ``load_from`` and ``init_recognizer``.

    Raises:
        RuntimeError: For a file that is not a whole archive (cut short,
            empty): its size, what failed and the newest earlier
            ``epoch_N.pth`` beside it to use instead. Other errors of a
            whole archive pass unchanged.
    """
    try:
        return load_from_local(filename, map_location)
    except (RuntimeError, EOFError, pickle.UnpicklingError,
            zipfile.BadZipFile) as error:
        path = osp.expanduser(filename)
        if zipfile.is_zipfile(path):
            # A whole archive (torch.save writes zip files): what failed is
            # not damage, e.g. a global that weights_only loading refuses.
            raise
        detail = str(error).strip().splitlines()
        previous = _previous(path)
        raise RuntimeError(
            f'{path} is damaged or truncated ({osp.getsize(path)} bytes; '
            f'{type(error).__name__}: '
            f'{detail[0] if detail else "no detail"}), e.g. by a save that '
            'was cut short. ' +
            (f'The newest checkpoint before it is {previous}: resume with '
             f'--resume {previous}, or test that one.'
             if previous else 'No earlier checkpoint is beside it.')
        ) from error


def register_checkpoint_loader() -> None:
    """Make :func:`load_local_checkpoint` MMEngine's loader of local
    files (an extension point of ``CheckpointLoader``)."""
    CheckpointLoader.register_scheme(
        prefixes='', loader=load_local_checkpoint, force=True)
