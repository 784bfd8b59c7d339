"""Running MMAction2's own command-line tools with this plugin loaded."""
import os.path as osp
import runpy
import sys
from importlib.util import find_spec

__all__ = ['mmaction_tool_path', 'run_mmaction_tool']


def mmaction_tool_path(name: str) -> str:
    """Path of one of MMAction2's ``tools/`` scripts in the installed package.

    Args:
        name (str): Script path relative to ``tools/``, e.g. ``'train.py'``.

    Returns:
        str: The path.
    """
    spec = find_spec('mmaction')
    roots = spec.submodule_search_locations if spec else []
    for root in roots:
        for tools in (osp.join(root, '.mim', 'tools'),
                      osp.join(osp.dirname(root), 'tools')):
            path = osp.join(tools, name)
            if osp.isfile(path):
                return path
    raise FileNotFoundError(
        f'MMAction2\'s tools/{name} was not found in the installed mmaction '
        f'package ({", ".join(roots) or "mmaction2 is not installed"}). '
        'The PyPI wheel of mmaction2 1.2.0 ships it under mmaction/.mim/'
        'tools; reinstall it with `pip install --force-reinstall '
        'mmaction2==1.2.0`, or install mmaction2 from a source checkout.')


def run_mmaction_tool(name: str) -> None:
    """Run one of MMAction2's scripts as ``__main__`` with ``sys.argv``.

    The plugin is imported first, so its registrations and compatibility
    fixes are in place before the script builds anything.

    Args:
        name (str): Script path relative to ``tools/``, e.g. ``'train.py'``.
    """
    import a3lign_mmaction  # noqa: F401
    path = mmaction_tool_path(name)
    sys.argv[0] = path
    runpy.run_path(path, run_name='__main__')
