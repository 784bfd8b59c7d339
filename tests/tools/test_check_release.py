"""tools/data/check_release.py, run as a user would."""
import os.path as osp

import pytest

from a3lign_mmaction.datasets import DFEWDataset
from a3lign_mmaction.testing import run_script
from tests.datasets.fake_releases import make_dfew, release_from_lists
from tests.repository import REPO_ROOT

TOOL = osp.join(REPO_ROOT, 'tools', 'data', 'check_release.py')


def check_release(root, *args, expect):
    return run_script([
        TOOL, 'configs/a3lign_dfew.py', '--cfg-options',
        f'test_dataloader.dataset.data_root={root}', *args
    ],
                      REPO_ROOT,
                      expect=expect)


@pytest.mark.integration
def test_whole_release_is_read(tmp_path):
    root, folds = release_from_lists(make_dfew, str(tmp_path / 'DFEW'),
                                     DFEWDataset)
    output = check_release(root, expect=0)
    assert 'DFEWDataset: EmoLabel_DataSplit layout' in output
    assert 'fold 3 test: 2340 clips; happy ' in output
    assert ("fold 3 test: the same clips and labels as DFER-CLIP's "
            'DFEW_set_3_test.txt.xz') in output
    assert 'all splits read' in output and 'error' not in output
    assert 'note' not in output


def test_what_differs_from_the_release_is_reported(tmp_path):
    # Fold 1's test split in DFER-CLIP's list begins with clip 1 (sad) and
    # clip 2 (neutral); here clip 1 is labelled happy and 99999 is added.
    root = make_dfew(
        str(tmp_path / 'DFEW'), {
            1:
            dict(
                train=[(1, 0, 3), (2, 6, 3)],
                test=[(1, 0, 3), (2, 2, 3), (99999, 2, 3)])
        },
        layout='data_affine')
    output = check_release(root, '--folds', '1', '2', expect=1)
    assert 'fold 1 train: 2 clips; happy 1, sad 0' in output
    assert ("fold 1 test: note: differs from DFER-CLIP's "
            'DFEW_set_1_test.txt.xz: 2339 not in the release (00004, 00006, '
            '00007, 00008, 00010, ...); 1 only in the release (99999); 1 '
            'labelled otherwise (00001)') in output
    assert 'error: fold 1 train: 2 clips, the release has 9356' in output
    # Fold 2 has no split file: the places looked in are named.
    assert 'error: fold 2 train: DFEWDataset: no split file' in output
    assert ('data_affine/single_label/label/single_trainset_2.csv '
            '(data_affine layout)') in output
