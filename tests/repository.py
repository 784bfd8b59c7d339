"""The repository: where its files are, which of them git tracks, and a
copy of them as a fresh clone has them."""
import os
import os.path as osp
import re
import shutil
import subprocess
from typing import List

from a3lign_mmaction.testing import config_dir

REPO_ROOT = osp.dirname(osp.dirname(osp.abspath(__file__)))
CONFIG_DIR = config_dir()
#: Real videos, with their sources and licences (tests/data/README.md).
VIDEOS = osp.join(REPO_ROOT, 'tests', 'data', 'videos')
#: The files git tracks: what a clone has (a file that exists here but is
#: ignored, e.g. by a pattern meant for another folder, is not there).
TRACKED = set(
    subprocess.run(['git', 'ls-files'], cwd=REPO_ROOT, check=True,
                   capture_output=True, text=True).stdout.split())


def clean_copy(target: str) -> str:
    """Copy the repository's tracked files to ``target``, as a fresh clone
    has them; returns ``target``."""
    for name in TRACKED:
        source = osp.join(REPO_ROOT, name)
        if osp.isfile(source):
            os.makedirs(osp.join(target, osp.dirname(name)), exist_ok=True)
            shutil.copy2(source, osp.join(target, name))
    return target


def code_blocks(text):
    return re.findall(r'```bash\n(.*?)```', text, re.S)


def block_commands(block):
    """The commands of a bash block, continuations joined, comments and
    blank lines left out."""
    lines = [
        line.split('#')[0].strip()
        for line in block.replace('\\\n', ' ').splitlines()
    ]
    return [line for line in lines if line]


def quick_start_steps() -> List[str]:
    """The README's quick-start commands, the installation left out (it is
    the environment the tests run in)."""
    with open(osp.join(REPO_ROOT, 'README.md'), encoding='utf-8') as f:
        quick_start = f.read().split('## Quick start')[1].split('\n## ')[0]
    return [
        part for command in block_commands(code_blocks(quick_start)[0])
        for part in command.split(' && ') if not part.startswith('pip install')
    ]
