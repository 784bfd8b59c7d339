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
