import os

import pytest

from a3lign_mmaction.utils import staging_folder


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
