import os

import pytest

from a3lign_mmaction.models.heads import CLASS_TEXT_DIR, read_class_texts


def test_shipped_files_by_name_and_path():
    names = read_class_texts('dfer7_names', 7)
    assert names[0] == ['happiness'] and names[-1] == ['fear']
    path = os.path.join(CLASS_TEXT_DIR, 'mafw11_zero_shot.txt')
    texts = read_class_texts(path, 11)
    assert all(len(item) == 4 for item in texts)
    assert texts[7][1] == 'a person sneering with contempt.'


@pytest.mark.parametrize('name, count', [('dfer7', 7), ('mafw11', 11)])
def test_every_shipped_set_has_a_text_for_each_class(name, count):
    for kind in ('names', 'descriptions', 'zero_shot'):
        assert len(read_class_texts(f'{name}_{kind}', count)) == count


def test_lists_and_errors(tmp_path):
    assert read_class_texts(['a', ['b', 'c']], 2) == [['a'], ['b', 'c']]
    path = tmp_path / 'texts.txt'
    path.write_text('# comment\nhappy | glad\n\nsad\n')
    assert read_class_texts(str(path), 2) == [['happy', 'glad'], ['sad']]
    with pytest.raises(ValueError, match=r'texts.txt gives texts for 2 '
                       r'classes; the model has 3'):
        read_class_texts(str(path), 3)
    path.write_text('happy | \nsad\n')
    with pytest.raises(ValueError, match=r'empty text for classes \[0\]'):
        read_class_texts(str(path), 2)
    with pytest.raises(FileNotFoundError, match='shipped: dfer7_descriptions'):
        read_class_texts('dfer7_nmes', 7)
