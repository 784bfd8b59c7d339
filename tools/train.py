"""Train with MMAction2's own ``tools/train.py``, this plugin loaded.

Every flag of MMAction2's script works, e.g.::

    python tools/train.py CONFIG [--work-dir DIR] [--resume [CHECKPOINT]]
        [--amp] [--seed N] [--cfg-options KEY=VALUE ...]
        [--launcher pytorch]
"""
from a3lign_mmaction.utils import run_mmaction_tool

if __name__ == '__main__':
    run_mmaction_tool('train.py')
