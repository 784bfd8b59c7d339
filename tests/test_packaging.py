"""A wheel built from the repository, installed (not editable) into a fresh
virtual environment, holds the configs and tools and trains the shortened
demo from a folder outside the repository."""
import glob
import os.path as osp
import re
import sys

import pytest

from tests.conftest import REPO_ROOT, run_command

SHORT_DEMO = """_base_ = ['{configs}/a3lign_demo.py']

from a3lign_mmaction.engine import bap_schedule  # noqa: E402

train_cfg, param_scheduler, custom_hooks = bap_schedule([1, 1, 1])
loader = dict(num_workers=0, persistent_workers=False,
              dataset=dict(splits=[('train', 4), ('val', 2)]))
train_dataloader = loader
val_dataloader = loader
test_dataloader = loader
"""


@pytest.mark.slow
def test_installed_wheel_trains_the_demo_outside_the_repository(tmp_path):
    wheels = tmp_path / 'wheels'
    run_command([sys.executable, '-m', 'pip', 'wheel', '--no-deps', '-q',
                 '-w', str(wheels), REPO_ROOT], tmp_path)
    wheel, = glob.glob(str(wheels / 'a3lign_mmaction-*.whl'))
    venv = tmp_path / 'venv'
    run_command([sys.executable, '-m', 'venv', str(venv)], tmp_path)
    python = str(venv / 'bin' / 'python')
    run_command([python, '-m', 'pip', 'install', '-q', wheel,
                 'torch==2.14.1', 'torchvision==0.29.1'], tmp_path,
                timeout=1800)
    package, = re.findall(r'^package: (.*)$', run_command([
        python, '-c', 'import os, a3lign_mmaction; '
        'print("package:", os.path.dirname(a3lign_mmaction.__file__))'
    ], tmp_path), re.M)
    assert package.startswith(str(venv))
    mim = osp.join(package, '.mim')
    for path in ('configs/a3lign_dfew.py',
                 'configs/_base_/recipes/vit-l-14.py', 'tools/train.py',
                 'tools/test.py', 'tools/kfold.py'):
        assert osp.isfile(osp.join(mim, path)), path
    lists = osp.join(package, 'datasets', 'dfer_clip_lists')
    assert len(glob.glob(osp.join(lists, '*.txt.xz'))) == 22
    assert osp.isfile(osp.join(lists, 'LICENSE'))
    work = tmp_path / 'outside'
    work.mkdir()
    (work / 'short_demo.py').write_text(
        SHORT_DEMO.format(configs=osp.join(mim, 'configs')))
    output = run_command([
        python, osp.join(mim, 'tools', 'train.py'), 'short_demo.py',
        '--work-dir', 'work', '--cfg-options',
        f'train_dataloader.dataset.data_root={work}/faces',
        f'val_dataloader.dataset.data_root={work}/faces'
    ], work, timeout=900)
    assert 'Epoch(val) [3]' in output
    assert osp.isfile(work / 'work' / 'epoch_3.pth')
