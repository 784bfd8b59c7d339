"""Commands run as a user runs them, and the processes they start."""
import os
import os.path as osp
import subprocess
import sys
from typing import Dict, List, Optional, Sequence

__all__ = ['child_processes', 'run_command']


def run_command(args: Sequence[str],
                cwd: str,
                expect: Optional[int] = 0,
                timeout: float = 900,
                env: Optional[Dict[str, str]] = None) -> str:
    """Run a command as a user would and return its output.

    This interpreter's ``bin`` folder comes first on ``PATH`` (for
    ``python`` in the dist scripts) and ``cwd`` is on ``PYTHONPATH`` (for
    helper modules a test writes there); ``env`` adds variables.

    Args:
        args (sequence[str]): The command line.
        cwd (str): Where it runs.
        expect (int, optional): The exit code it must return; None takes
            any. Defaults to 0.
        timeout (float): Seconds before it is killed. Defaults to 900.
        env (dict, optional): Variables to add. Defaults to None.

    Returns:
        str: stdout and stderr, joined.
    """
    env = dict(os.environ, **(env or {}))
    env.update(
        PYTHONPATH=str(cwd),
        PATH=osp.dirname(sys.executable) + os.pathsep + env['PATH'])
    result = subprocess.run(
        args, cwd=cwd, env=env, capture_output=True, text=True,
        timeout=timeout)
    output = result.stdout + result.stderr
    if expect is not None and result.returncode != expect:
        raise AssertionError(
            f'{" ".join(map(str, args))} exited with {result.returncode}, '
            f'not {expect}:\n{output[-6000:]}')
    return output


def child_processes(pid: int) -> List[int]:
    """Process ids whose parent is ``pid`` (Linux: read from ``/proc``)."""
    found = []
    for entry in os.listdir('/proc'):
        try:
            with open(f'/proc/{entry}/stat') as f:
                # The field after the parenthesised command is the state.
                ppid = int(f.read().rsplit(')', 1)[1].split()[1])
        except (OSError, ValueError, IndexError):
            continue
        if ppid == pid:
            found.append(int(entry))
    return found
