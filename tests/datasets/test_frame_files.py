import pytest

from a3lign_mmaction.datasets.frame_files import list_frames


def test_frames_in_numeric_order_without_other_files(tmp_path):
    for name in ('10.jpg', '9.jpg', 'img_2.PNG', 'notes.txt', '1.bmp'):
        (tmp_path / name).write_bytes(b'')
    assert list_frames(str(tmp_path)) == [
        '1.bmp', '9.jpg', '10.jpg', 'img_2.PNG'
    ]


def test_missing_folder(tmp_path):
    with pytest.raises(FileNotFoundError):
        list_frames(str(tmp_path / 'nothing'))
    (tmp_path / 'file.jpg').write_bytes(b'')
    with pytest.raises(NotADirectoryError):
        list_frames(str(tmp_path / 'file.jpg'))
