import os
import subprocess
import sys

import pytest

from a3lign_mmaction.utils import remove_staging_folders, staging_folder


def test_result_moved_into_place(tmp_path):
    target = tmp_path / 'new' / 'clip'
    with staging_folder(str(target)) as tmp:
        (tmp_path / 'new' / os.path.basename(tmp) / 'a.txt').write_text('x')
        os.rename(tmp, target)
    assert os.listdir(tmp_path / 'new') == ['clip']
    assert (target / 'a.txt').read_text() == 'x'


def test_nothing_left_after_an_error(tmp_path):
    with pytest.raises(KeyboardInterrupt):
        with staging_folder(str(tmp_path / 'clip')) as tmp:
            open(os.path.join(tmp, 'half.jpg'), 'w').close()
            raise KeyboardInterrupt
    assert os.listdir(tmp_path) == []


def test_what_a_killed_process_left_is_removed(tmp_path):
    target = str(tmp_path / 'clip')
    # A process that ends without unwinding (as under SIGKILL).
    subprocess.run([
        sys.executable, '-c',
        'import os, sys; from a3lign_mmaction.utils import staging_folder\n'
        'with staging_folder(sys.argv[1]):\n    os._exit(0)', target
    ], check=True)
    left, = os.listdir(tmp_path)
    assert left.startswith('.clip.')
    os.makedirs(tmp_path / '.clip2.keep')  # another target's
    remove_staging_folders(target)
    assert os.listdir(tmp_path) == ['.clip2.keep']


def test_long_target_name(tmp_path):
    """A target of 254 characters: its staging folder stays within the
    file system's 255, and is found again by its clean-up."""
    target = tmp_path / ('x' * 250 + '.mp4')
    with staging_folder(str(target)) as tmp:
        assert len(os.path.basename(tmp)) < 64
        os.rename(tmp, target)
    assert os.listdir(tmp_path) == [target.name]
    left = tmp_path / os.path.basename(tmp)
    left.mkdir()  # as a killed process leaves it
    remove_staging_folders(str(target))
    assert os.listdir(tmp_path) == [target.name]
