import os
import signal
import socket
import subprocess
import sys
import time

import pytest

from a3lign_mmaction.utils import FolderBusyError, FolderLock

# Holds the lock of argv[1] and runs `sleep` with the descriptor, then
# prints the child's pid; kill -9 of this process leaves the child.
HOLDER = '''
import subprocess, sys
from a3lign_mmaction.utils import FolderLock
with FolderLock(sys.argv[1]) as lock:
    child = subprocess.Popen(['sleep', '60'], pass_fds=[lock.fd])
    print(child.pid, flush=True)
    child.wait()
'''


def test_second_writer_is_refused_until_the_first_leaves(tmp_path):
    with FolderLock(str(tmp_path), 'work dir'):
        with pytest.raises(FolderBusyError,
                           match=rf'{tmp_path} is in use: another job '
                           rf'writes this work dir \(host '
                           rf'{socket.gethostname()}, pid {os.getpid()}, '
                           r'since \d{4}-\d\d-\d\d \d\d:\d\d:\d\d: '):
            with FolderLock(str(tmp_path), 'work dir'):
                pass
    with FolderLock(str(tmp_path)):
        pass


def test_lock_lasts_while_a_child_of_a_killed_holder_runs(tmp_path):
    holder = subprocess.Popen([sys.executable, '-c', HOLDER,
                               str(tmp_path)],
                              stdout=subprocess.PIPE, text=True)
    child = int(holder.stdout.readline())
    holder.kill()  # SIGKILL: no clean-up in the holder
    holder.wait()
    with pytest.raises(FolderBusyError, match=f'pid {holder.pid}, since'):
        with FolderLock(str(tmp_path)):
            pass
    os.kill(child, signal.SIGKILL)
    for _ in range(100):  # until the kernel has closed its descriptors
        try:
            os.waitpid(child, os.WNOHANG)
        except ChildProcessError:
            pass
        try:
            with FolderLock(str(tmp_path)):
                return
        except FolderBusyError:
            time.sleep(0.05)
    pytest.fail('the lock outlived every process that held it')
