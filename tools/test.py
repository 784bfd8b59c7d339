"""Test with MMAction2's own ``tools/test.py``, this plugin loaded.

Every flag of MMAction2's script works, e.g.::

    python tools/test.py CONFIG CHECKPOINT [--work-dir DIR]
        [--dump RESULTS.pkl] [--show-dir DIR] [--cfg-options KEY=VALUE ...]
        [--launcher pytorch]
"""
from a3lign_mmaction.utils import run_mmaction_tool

if __name__ == '__main__':
    run_mmaction_tool('test.py')
