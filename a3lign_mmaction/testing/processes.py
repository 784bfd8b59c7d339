"""Commands run as a user runs them, and the processes they start."""
import contextlib
import io
import os
import os.path as osp
import runpy
import subprocess
import sys
import traceback
import uuid
from typing import Dict, List, Optional, Sequence

from mmengine.logging import MMLogger

__all__ = ['child_processes', 'run_command', 'run_script']


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
    return _checked(args, result.returncode, expect,
                    result.stdout + result.stderr)


def run_script(args: Sequence[str],
               cwd: str,
               expect: Optional[int] = 0,
               env: Optional[Dict[str, str]] = None) -> str:
    """Run a Python script in this process, as ``python SCRIPT ARGS...``
    would run it in ``cwd``, and return what it printed.

    For tests of what a script does rather than of the command line
    itself: it saves the 3 to 4 s a new interpreter spends importing
    PyTorch and MMAction2. ``sys.argv``, the working directory, ``env``
    and ``sys.path`` (``cwd`` first, for helper modules a test writes
    there) are set for the run and restored after it. MMEngine's log
    goes to the output too: the run starts with a logger of its own as
    MMEngine's current one. An exception the script lets through is
    printed, as Python prints it, and exits 1.

    Args:
        args (sequence[str]): The script's path, then its arguments.
        cwd (str): Where it runs.
        expect (int, optional): The exit code it must end with; None takes
            any. Defaults to 0.
        env (dict, optional): Variables to add. Defaults to None.

    Returns:
        str: stdout and stderr, joined.
    """
    script = osp.abspath(osp.join(cwd, args[0]))
    saved = (list(sys.argv), list(sys.path), os.getcwd(), dict(os.environ))
    stdout, stderr = io.StringIO(), io.StringIO()
    code = 0
    try:
        sys.argv = [script, *map(str, args[1:])]
        sys.path[:0] = [str(cwd), osp.dirname(script)]
        os.environ.update(env or {})
        os.chdir(cwd)
        with contextlib.redirect_stdout(stdout), \
                contextlib.redirect_stderr(stderr):
            MMLogger.get_instance(f'run_script-{uuid.uuid4()}')
            try:
                runpy.run_path(script, run_name='__main__')
            except SystemExit as exit:
                if exit.code is None or isinstance(exit.code, int):
                    code = exit.code or 0
                else:  # sys.exit(message): printed, exit status 1
                    print(exit.code, file=sys.stderr)
                    code = 1
            except Exception:  # noqa: B902 - the interpreter's behaviour
                traceback.print_exc()
                code = 1
    finally:
        sys.argv, sys.path[:] = saved[0], saved[1]
        os.chdir(saved[2])
        os.environ.clear()
        os.environ.update(saved[3])
    return _checked(args, code, expect, stdout.getvalue() + stderr.getvalue())


def _checked(args: Sequence[str], code: int, expect: Optional[int],
             output: str) -> str:
    """``output``, once the command ``args`` ended with ``expect`` (any
    code where None)."""
    if expect is not None and code != expect:
        raise AssertionError(
            f'{" ".join(map(str, args))} exited with {code}, not '
            f'{expect}:\n{output[-6000:]}')
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
