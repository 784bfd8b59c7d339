"""The commands of the README and docs/ name scripts and configs that the
repository tracks, and the README's quick start runs as written, with the
numbers it states."""
import glob
import os.path as osp
import re

import pytest

from a3lign_mmaction.engine import NO_CHECKPOINT
from a3lign_mmaction.models.clip import is_clip_weights_name
from a3lign_mmaction.testing import load_config, logged_validation, run_command
from tests.repository import (REPO_ROOT, TRACKED, block_commands, code_blocks,
                              quick_start_steps)

PAGES = [osp.join(REPO_ROOT, 'README.md'),
         osp.join(REPO_ROOT, 'CONTRIBUTING.md'),
         *sorted(glob.glob(osp.join(REPO_ROOT, 'docs', '*.md'))),
         *sorted(glob.glob(osp.join(REPO_ROOT, 'tools', 'data', '*',
                                    'README.md')))]
#: Paths a page may name that the repository does not hold: the user's.
USER_PATHS = ('configs/NAME.py', 'configs/...')


def read(path):
    with open(path, encoding='utf-8') as f:
        return f.read()


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
        'python -m pytest tests -n 2 --dist worksteal'
    ]


@pytest.mark.release
def test_quick_start_runs_as_written(demo_run):
    """The quick start's training is the session's demo run (``demo_run``,
    its command as written); its test command prints the stated figure,
    which is the best validation."""
    train, test = quick_start_steps()
    assert (train, test) == (
        'python tools/train.py configs/a3lign_demo.py',
        'python tools/test.py configs/a3lign_demo.py '
        'work_dirs/a3lign_demo/best_UAR_epoch_40.pth')
    readme = read(PAGES[0])
    stated = float(re.search(r'UAR =\s+WAR = ([\d.]+)%', readme).group(1))
    logged = logged_validation(osp.join(demo_run, 'work_dirs', 'a3lign_demo'))
    assert round(max(r['UAR'] for r in logged.values()), 1) == stated
    output = run_command(test.split(), demo_run)
    uar = float(re.search(r'UAR: ([\d.]+)', output).group(1))
    war = float(re.search(r'WAR: ([\d.]+)', output).group(1))
    assert round(uar, 1) == round(war, 1) == stated


def test_zero_shot_line_names_a_tag_of_its_config_and_no_checkpoint(
        monkeypatch):
    """The quick start's line for a video: the weights by a pretrained tag
    of the config's CLIP (downloaded as tests/models/clip/
    test_pretrained_names.py checks), no trained checkpoint."""
    line, = [c for c in commands(read(PAGES[0])) if 'demo_video.py' in c]
    install, run = line.split(' && ')
    assert install == "pip install -e '.[faces]'"
    env, python, script, video, config, checkpoint = run.split()
    tag = env.split('CLIP_CHECKPOINT=')[1]
    assert (python, script) == ('python', 'demo/demo_video.py')
    assert checkpoint == NO_CHECKPOINT
    assert osp.join('demo', 'demo_video.py') in TRACKED
    monkeypatch.setenv('CLIP_CHECKPOINT', tag)
    cfg = load_config(osp.basename(config))
    assert cfg.model.clip.checkpoint == tag
    assert is_clip_weights_name(tag, cfg.model.clip.arch)
    assert cfg.runner_type == 'ZeroShotRunner'


def test_readme_is_a_short_guide():
    """MMAction2's project template, the details in docs/."""
    with open(osp.join(REPO_ROOT, 'README.md'), encoding='utf-8') as f:
        assert len(f.read().splitlines()) <= 200
