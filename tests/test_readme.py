"""The commands of the README and docs/ name scripts and configs that the
repository tracks, and the README's quick start runs as written, with the
numbers it states."""
import glob
import os
import os.path as osp
import re
import shutil
import subprocess

import pytest

from a3lign_mmaction.testing import logged_validation, run_command
from tests.paths import REPO_ROOT

PAGES = [osp.join(REPO_ROOT, 'README.md'),
         osp.join(REPO_ROOT, 'CONTRIBUTING.md'),
         *sorted(glob.glob(osp.join(REPO_ROOT, 'docs', '*.md'))),
         *sorted(glob.glob(osp.join(REPO_ROOT, 'tools', 'data', '*',
                                    'README.md')))]
#: Paths a page may name that the repository does not hold: the user's.
USER_PATHS = ('configs/NAME.py', 'configs/...')


#: The files git tracks: what a clone has (a file that exists here but is
#: ignored, e.g. by a pattern meant for another folder, is not there).
TRACKED = set(
    subprocess.run(['git', 'ls-files'], cwd=REPO_ROOT, check=True,
                   capture_output=True, text=True).stdout.split())


def read(path):
    with open(path, encoding='utf-8') as f:
        return f.read()


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


def commands(text):
    """The commands of all bash blocks of ``text``."""
    return [c for block in code_blocks(text) for c in block_commands(block)]


@pytest.mark.parametrize('page', PAGES,
                         ids=[osp.relpath(p, REPO_ROOT) for p in PAGES])
def test_pages_name_tracked_files(page):
    text = read(page)
    named = set(
        re.findall(r'(?<![\w/.])((?:tools|demo|configs)/[\w./-]+\.(?:py|sh))',
                   text))
    named |= {
        osp.normpath(osp.join(osp.relpath(osp.dirname(page), REPO_ROOT),
                              link))
        for link in re.findall(r'\]\(([\w./-]+\.md)\)', text)
    }
    missing = sorted(path for path in named
                     if path not in USER_PATHS and path not in TRACKED)
    assert missing == []


def test_ci_runs_the_readme_test_command():
    installs = [c for c in commands(read(PAGES[0]))
                if c.startswith('pip install') and 'pytest' in c]
    assert installs == [
        "pip install torch==2.14.1 torchvision==0.29.1 -e '.[tests]' && "
        'python -m pytest tests'
    ]


def clean_copy(target):
    """The repository's tracked files, as a fresh clone has them."""
    for name in TRACKED:
        source = osp.join(REPO_ROOT, name)
        if osp.isfile(source):
            os.makedirs(osp.join(target, osp.dirname(name)), exist_ok=True)
            shutil.copy2(source, osp.join(target, name))
    return target


@pytest.mark.slow
def test_quick_start_runs_as_written(tmp_path):
    readme = read(PAGES[0])
    quick_start = readme.split('## Quick start')[1].split('\n## ')[0]
    # The installation is the environment the tests run in.
    steps = [part for command in block_commands(code_blocks(quick_start)[0])
             for part in command.split(' && ')
             if not part.startswith('pip install')]
    assert steps == [
        'python tools/train.py configs/a3lign_demo.py',
        'python tools/test.py configs/a3lign_demo.py '
        'work_dirs/a3lign_demo/best_UAR_epoch_40.pth'
    ]
    repo = clean_copy(str(tmp_path / 'clone'))
    train, test = (run_command(step.split(), repo, timeout=1200)
                   for step in steps)
    stated = float(re.search(r'UAR =\s+WAR = ([\d.]+)%', readme).group(1))
    logged = logged_validation(osp.join(repo, 'work_dirs', 'a3lign_demo'))
    assert round(max(r['UAR'] for r in logged.values()), 1) == stated
    uar = float(re.search(r'UAR: ([\d.]+)', test).group(1))
    war = float(re.search(r'WAR: ([\d.]+)', test).group(1))
    assert round(uar, 1) == round(war, 1) == stated


def test_readme_is_a_short_guide():
    """MMAction2's project template, the details in docs/."""
    with open(osp.join(REPO_ROOT, 'README.md'), encoding='utf-8') as f:
        assert len(f.read().splitlines()) <= 200
