import glob
import hashlib
import os
import os.path as osp
import shutil
import tempfile
from contextlib import contextmanager
from typing import Iterator

__all__ = ['remove_staging_folders', 'staging_folder']


def _prefix(target: str) -> str:
    """The name a staging folder of ``target`` starts with (hidden). A long
    name is shortened with a digest of it, so that the staging folder's
    name stays within the file system's 255 bytes whenever the target's
    does."""
    name = osp.basename(target)
    if len(name.encode()) > 64:
        digest = hashlib.sha1(name.encode()).hexdigest()[:12]
        name = f'{name.encode()[:32].decode(errors="ignore")}-{digest}'
    return f'.{name}.'


def remove_staging_folders(target: str) -> None:
    """Remove the staging folders of ``target`` that a killed process
    left beside it (an interruption by a signal that Python cannot catch
    skips the clean-up of :func:`staging_folder`)."""
    parent = osp.dirname(osp.abspath(target))
    pattern = osp.join(glob.escape(parent), glob.escape(_prefix(target)))
    for folder in glob.glob(pattern + '*'):
        if osp.isdir(folder):
            shutil.rmtree(folder)


@contextmanager
def staging_folder(target: str) -> Iterator[str]:
    """A temporary folder beside ``target``, removed on leaving the block.

    Results are written into it and moved to ``target`` at the end of the
    block (on the same file system, so the move is a rename); an error or an
    interruption before that leaves nothing under ``target`` that looks like
    a result.

    Args:
        target (str): Where the results go.

    Yields:
        str: The temporary folder.
    """
    parent = osp.dirname(osp.abspath(target))
    os.makedirs(parent, exist_ok=True)
    tmp = tempfile.mkdtemp(prefix=_prefix(target), dir=parent)
    try:
        yield tmp
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
