"""tools/data/mafw/prepare_faces.py on a stand-in MAFW release whose
data/clips/ holds real face videos under MAFW ids."""
import os
import os.path as osp
import shutil
import signal
import subprocess
import sys
import time

import pytest

from a3lign_mmaction.datasets import MAFWDataset
from a3lign_mmaction.testing import run_command
from tests.repository import REPO_ROOT, VIDEOS

pytestmark = pytest.mark.release

TOOL = osp.join(REPO_ROOT, 'tools', 'data', 'mafw', 'prepare_faces.py')
#: Clip id -> shared video; 00200 has no video, 00108 no face.
CLIPS = {
    '00025': 'single_face.mp4',
    '00026': 'WolfgangLanger_Pexels.mp4',
    '00108': 'no_face.mp4'
}


def stand_in_release(root):
    """Folds 1, 3, 4, 5 name the face clips; fold 2 adds the clip without a
    face and one without a video."""
    for clip, video in CLIPS.items():
        os.makedirs(osp.join(root, 'data', 'clips'), exist_ok=True)
        shutil.copy(osp.join(VIDEOS, video),
                    osp.join(root, 'data', 'clips', f'{clip}.mp4'))
    for fold in range(1, 6):
        folder = osp.join(root, 'split', 'single', 'no_caption',
                          f'set_{fold}')
        os.makedirs(folder)
        test = ['00108.mp4 fear', '00200.mp4 anger'] if fold == 2 else []
        with open(osp.join(folder, 'train.txt'), 'w') as f:
            f.write('00025.mp4 happiness\n')
        with open(osp.join(folder, 'test.txt'), 'w') as f:
            f.write('\n'.join(['00026.mp4 sadness', *test]) + '\n')
    lists = osp.join(root, 'lists')
    os.makedirs(lists)
    with open(osp.join(lists, 'MAFW_set_1_train.txt'), 'w') as f:
        f.write('/x/faces/00025 72 0\n/x/faces/00026 470 1\n'
                '/x/faces/00999 30 2\n')
    return lists


def test_crops_resume_and_report(tmp_path):
    root = str(tmp_path / 'MAFW')
    lists = stand_in_release(root)
    # Killed while the long video's crops are written (sorted: 00025 is
    # done by then).
    process = subprocess.Popen(
        [sys.executable, TOOL, root, '--workers', '1'],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        env=dict(os.environ, PYTHONPATH=REPO_ROOT))
    faces = osp.join(root, 'data', 'faces')

    def staging():
        return [
            name for name in os.listdir(faces)
            if name.startswith('.00026.')
        ] if osp.isdir(faces) else []

    deadline = time.time() + 300
    while not staging() and process.poll() is None:
        assert time.time() < deadline
        time.sleep(0.05)
    process.send_signal(signal.SIGKILL)
    process.wait()
    assert osp.isdir(osp.join(faces, '00025'))
    assert not osp.isdir(osp.join(faces, '00026')) and staging()

    output = run_command([
        sys.executable, TOOL, root, '--workers', '1', '--lists', lists,
        '--min-frames', '100'
    ], tmp_path, expect=1)
    assert '1 clips cropped before, 2 now' in output
    # No staging folder left; the lock file of the crop runs stays.
    assert sorted(os.listdir(faces)) == ['.lock', '00025', '00026']
    assert 'No face found' in output and '00108' in output
    assert 'MAFW at ' + root + ': 4 clips in the split files' in output
    assert '  present: 2 (00025, 00026)' in output
    assert '  missing (no video in data/clips, or an unreadable one): 1 ' \
        '(00200)' in output
    assert '  no face found: 1 (00108)' in output
    assert '  fewer than 100 frames: 1 (00025)' in output
    assert '  frame count differs from the DFER-CLIP lists: 1 (00026)' \
        in output
    assert '  in the DFER-CLIP lists, not in the split files: 1 (00999)' \
        in output
    # By default, the lists shipped with the plugin: DFER-CLIP cropped 47
    # and 81 frames of the real clips 00025 and 00026.
    output = run_command([sys.executable, TOOL, root, '--workers', '1'],
                         tmp_path, expect=1)
    assert '  frame count differs from the DFER-CLIP lists: 2 (00025, ' \
        '00026)' in output
    assert '  in the DFER-CLIP lists, not in the split files: ' in output

    # The crops are what MAFWDataset reads; fold 2 names the missing clips.
    data = MAFWDataset(root, [], split='test', fold=1)
    assert data.frame_root == osp.join(root, 'data', 'faces')
    assert data.get_data_info(0)['total_frames'] == 472
    with pytest.raises(FileNotFoundError, match='00108'):
        MAFWDataset(root, [], split='test', fold=2)
