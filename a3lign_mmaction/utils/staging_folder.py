import os
import os.path as osp
import shutil
import tempfile
from contextlib import contextmanager
from typing import Iterator

__all__ = ['staging_folder']


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
    tmp = tempfile.mkdtemp(prefix=f'.{osp.basename(target)}.', dir=parent)
    try:
        yield tmp
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
