"""The wheel built from the repository: installed (not editable) into a
fresh virtual environment with its ``mim`` extra, it holds the configs,
tools and data files, trains the shortened demo from a folder outside the
repository and tests it through OpenMMLab's ``mim``; with its ``faces``,
``tests`` and ``web`` extras it resolves on Python 3.13."""
import glob
import json
import os.path as osp
import re
import sys
import sysconfig

import pytest
from packaging.version import Version

from a3lign_mmaction.testing import run_command
from tests.repository import REPO_ROOT

#: The torch pair the README installs.
TORCH = re.search(r'pip install (torch==\S+) (torchvision==\S+)',
                  open(osp.join(REPO_ROOT, 'README.md')).read()).groups()

SHORT_DEMO = """_base_ = ['{configs}/a3lign_demo.py']

from a3lign_mmaction.engine import bap_schedule  # noqa: E402

train_cfg, param_scheduler, custom_hooks = bap_schedule([1, 1, 1],
                                                        _base_.custom_hooks)
loader = dict(num_workers=0, persistent_workers=False,
              dataset=dict(splits=[('train', 4), ('val', 2)]))
train_dataloader = loader
val_dataloader = loader
test_dataloader = loader
"""


@pytest.fixture(scope='module')
def wheel(tmp_path_factory):
    wheels = tmp_path_factory.mktemp('wheels')
    run_command([
        sys.executable, '-m', 'pip', 'wheel', '--no-deps', '-q', '-w',
        str(wheels), REPO_ROOT
    ], wheels)
    wheel, = glob.glob(str(wheels / 'a3lign_mmaction-*.whl'))
    return wheel


@pytest.mark.release
def test_installed_wheel_trains_the_demo_outside_the_repository(
        wheel, tmp_path):
    venv = tmp_path / 'venv'
    run_command([sys.executable, '-m', 'venv', str(venv)], tmp_path)
    python = str(venv / 'bin' / 'python')
    # This environment's packages (PyTorch, MMAction2, ...) are on the new
    # one's path after its own, so pip installs the wheel and what its
    # extra adds instead of downloading PyTorch again. This environment's
    # editable install of the plugin is not: its finder is in a .pth file,
    # which Python reads only in a site directory of its own.
    site = run_command([
        python, '-c',
        'import sysconfig; print(sysconfig.get_paths()["purelib"])'
    ], tmp_path).strip()
    with open(osp.join(site, 'outer_environment.pth'), 'w') as f:
        f.write(sysconfig.get_paths()['purelib'])
    run_command([python, '-m', 'pip', 'install', '-q', '--no-deps', wheel],
                tmp_path)
    run_command([python, '-m', 'pip', 'install', '-q', f'{wheel}[mim]'],
                tmp_path,
                timeout=1800)
    package, = re.findall(
        r'^package: (.*)$',
        run_command([
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
    for name in ('face_detection_short_range.tflite', 'LICENSE'):
        path = osp.join(package, 'video', 'face_models', name)
        assert osp.isfile(path), path
    work = tmp_path / 'outside'
    work.mkdir()
    (work / 'short_demo.py').write_text(
        SHORT_DEMO.format(configs=osp.join(mim, 'configs')))
    output = run_command([
        python,
        osp.join(mim, 'tools',
                 'train.py'), 'short_demo.py', '--work-dir', 'work',
        '--cfg-options', f'train_dataloader.dataset.data_root={work}/faces',
        f'val_dataloader.dataset.data_root={work}/faces'
    ],
                         work,
                         timeout=900)
    val_uar, = re.findall(r'Epoch\(val\) \[3\].*?UAR: ([\d.]+)', output)
    assert osp.isfile(work / 'work' / 'epoch_3.pth')
    # mim finds the installed package's tools/test.py.
    output = run_command([
        osp.join(venv, 'bin',
                 'mim'), 'test', 'a3lign_mmaction', 'short_demo.py',
        '--checkpoint', 'work/epoch_3.pth', '--work-dir', 'work',
        '--cfg-options', f'test_dataloader.dataset.data_root={work}/faces'
    ],
                         work,
                         timeout=900)
    test_uar, = re.findall(r'Epoch\(test\).*?UAR: ([\d.]+)', output)
    assert test_uar == val_uar


@pytest.mark.release
def test_python_3_13_resolves_to_binary_wheels(wheel, tmp_path):
    """pip's resolver, for Python 3.13 and binary wheels only: no 3.13
    interpreter can be installed here to run the suite on."""
    report = tmp_path / 'report.json'
    run_command([
        sys.executable, '-m', 'pip', 'install', '--dry-run', '--quiet',
        '--target',
        str(tmp_path / 'target'), '--report',
        str(report), '--python-version', '3.13', '--only-binary=:all:',
        f'{wheel}[faces,tests,web]', *TORCH
    ], tmp_path)
    files = {
        item['metadata']['name'].lower().replace('_', '-'):
        osp.basename(item['download_info']['url'])
        for item in json.loads(report.read_text())['install']
    }
    assert {
        'a3lign-mmaction', 'mmaction2', 'mediapipe', 'open-clip-torch',
        'onnxruntime', 'pytest', 'gradio'
    } <= set(files)
    assert all(name.endswith('.whl') for name in files.values())
    numpy = files['numpy']
    assert '-cp313-' in numpy, numpy
    assert Version(numpy.split('-')[1]).major >= 2
