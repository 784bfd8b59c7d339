import fcntl
import os
import os.path as osp
import socket
import sys
import time
from types import TracebackType
from typing import Optional, Type

__all__ = ['FolderBusyError', 'FolderLock']


class FolderBusyError(RuntimeError):
    """Another process holds the lock of a folder."""


class FolderLock:
    """An exclusive lock on a folder that one job writes (a work dir, a
    feature store), held while the block runs.

    It is an ``flock`` on ``FOLDER/.lock``: the kernel releases it when
    the last process holding it ends, however it ends (``kill -9``
    included), so no stale lock is left behind. A child process given the
    descriptor (:attr:`fd`, e.g. in ``subprocess.run(pass_fds=...)``)
    holds the lock with its parent: if the parent is killed, the lock
    lasts until the child ends too. The file records the host, process id,
    start time and command line of the holder, for the message a second
    writer gets.

    Args:
        folder (str): The folder; made if missing.
        what (str): What the folder is, for messages. Defaults to
            ``'folder'``.

    Raises:
        FolderBusyError: On entering, if another process holds the lock.
    """

    NAME = '.lock'

    def __init__(self, folder: str, what: str = 'folder') -> None:
        self.folder = folder
        self.what = what
        self.fd: Optional[int] = None

    @property
    def path(self) -> str:
        """The lock file."""
        return osp.join(self.folder, self.NAME)

    def __enter__(self) -> 'FolderLock':
        os.makedirs(self.folder, exist_ok=True)
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = os.read(fd, 4096).decode(errors='replace').strip()
            os.close(fd)
            raise FolderBusyError(
                f'{self.folder} is in use: another job writes this '
                f'{self.what} ({holder or "process unknown"}, or a process '
                'it started). Wait for it to end or stop it, or use another '
                'folder.') from None
        os.ftruncate(fd, 0)
        since = time.strftime('%Y-%m-%d %H:%M:%S')
        os.write(fd, (f'host {socket.gethostname()}, pid {os.getpid()}, '
                      f'since {since}: {" ".join(sys.argv)}').encode())
        self.fd = fd
        return self

    def __exit__(self, kind: Optional[Type[BaseException]],
                 error: Optional[BaseException],
                 traceback: Optional[TracebackType]) -> None:
        if self.fd is not None:
            os.close(self.fd)  # the lock goes with the last descriptor
            self.fd = None
