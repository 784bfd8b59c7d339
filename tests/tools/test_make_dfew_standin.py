import os.path as osp
import sys

import cv2

from a3lign_mmaction.datasets import DFEWDataset
from a3lign_mmaction.testing import run_command
from tests.repository import REPO_ROOT


def test_standin_loads_as_dfew(tmp_path):
    root = str(tmp_path / 'dfew')
    output = run_command([
        sys.executable,
        osp.join(REPO_ROOT, 'tools', 'analysis', 'make_dfew_standin.py'),
        root, '--clips', '10', '--workers', '2'
    ], REPO_ROOT)
    assert output.startswith('10 clips, ')
    sizes = {}
    for fold in range(1, 6):
        for split in ('train', 'test'):
            sizes[fold, split] = len(
                DFEWDataset(root, pipeline=[], split=split, fold=fold))
        assert (sizes[fold, 'train'], sizes[fold, 'test']) == (8, 2)
    clip = DFEWDataset(root, pipeline=[], split='test', fold=1)[0]
    assert 16 <= clip['total_frames'] <= 40
    frame = cv2.imread(osp.join(clip['frame_dir'], clip['frame_names'][0]))
    assert frame.shape == (224, 224, 3)
