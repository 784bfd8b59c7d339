"""tools/data/check_release.py, run as a user would."""
import os.path as osp
import sys

import pytest

from tests.conftest import REPO_ROOT, SHARED_DIR, run_command
from tests.datasets.fake_releases import make_dfew, release_from_lists

TOOL = osp.join(REPO_ROOT, 'tools', 'data', 'check_release.py')


def check_release(root, *args, expect):
    return run_command([
        sys.executable, TOOL, 'configs/a3lign_dfew.py', '--cfg-options',
        f'test_dataloader.dataset.data_root={root}', *args
    ], REPO_ROOT, expect=expect)


@pytest.mark.slow
def test_whole_release_is_read(tmp_path):
    root, folds = release_from_lists(
        make_dfew, str(tmp_path / 'DFEW'),
        osp.join(SHARED_DIR, 'data', 'dfer_splits'), 'DFEW')
    output = check_release(root, expect=0)
    assert 'DFEWDataset: EmoLabel_DataSplit layout' in output
    assert 'fold 3 test: 2340 clips; happy ' in output
    assert 'all splits read' in output and 'error' not in output


def test_what_differs_from_the_release_is_reported(tmp_path):
    root = make_dfew(str(tmp_path / 'DFEW'), {
        1: dict(train=[(1, 0, 3), (2, 6, 3)], test=[(3, 2, 3)])
    }, layout='data_affine')
    output = check_release(root, '--folds', '1', '2', expect=1)
    assert 'fold 1 train: 2 clips; happy 1, sad 0' in output
    assert 'error: fold 1 train: 2 clips, the release has 9356' in output
    # Fold 2 has no split file: the places looked in are named.
    assert 'error: fold 2 train: DFEWDataset: no split file' in output
    assert ('data_affine/single_label/label/single_trainset_2.csv '
            '(data_affine layout)') in output
