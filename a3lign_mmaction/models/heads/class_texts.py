"""Class texts of the prompt heads: lists in a config, or text files."""
import os
import os.path as osp
from typing import List, Sequence, Union

__all__ = ['CLASS_TEXT_DIR', 'read_class_texts']

#: The class texts shipped with the plugin, by name (the file name without
#: ``.txt``): ``dfer7_*`` for DFEW and FERV39k, ``mafw11_*`` for MAFW.
CLASS_TEXT_DIR = osp.join(osp.dirname(__file__), 'class_text_files')

ClassTexts = Union[str, Sequence[Union[str, Sequence[str]]]]


def _read_file(source: str) -> List[List[str]]:
    path = source
    if not osp.isfile(path):
        path = osp.join(CLASS_TEXT_DIR, f'{source}.txt')
    if not osp.isfile(path):
        shipped = sorted(
            name[:-4] for name in os.listdir(CLASS_TEXT_DIR))
        raise FileNotFoundError(
            f'class texts {source!r}: no such file, and no shipped class '
            f'texts of that name (shipped: {", ".join(shipped)}). Give the '
            'path of a text file with one line per class, in label order, '
            'several texts of a class separated by " | ".')
    with open(path, encoding='utf-8') as file:
        lines = [line.strip() for line in file]
    return [[text.strip() for text in line.split('|')] for line in lines
            if line and not line.startswith('#')]


def read_class_texts(source: ClassTexts,
                     num_classes: int) -> List[List[str]]:
    """The texts of each class, checked.

    Args:
        source (str | sequence): A list with, for each class in label order,
            a text or a list of texts; or a text file with one line per
            class (blank lines and lines starting with ``#`` skipped,
            several texts of a class separated by ``" | "``), given by path
            or as the name of a file shipped in :data:`CLASS_TEXT_DIR`.
        num_classes (int): The number of classes.

    Returns:
        list[list[str]]: One list of texts per class.

    Raises:
        ValueError: If there are not ``num_classes`` classes, or a class
            has no text; the message names the source.
    """
    if isinstance(source, str):
        texts = _read_file(source)
    else:
        texts = [[item] if isinstance(item, str) else list(item)
                 for item in source]
    where = source if isinstance(source, str) else 'the class_texts list'
    if len(texts) != num_classes:
        raise ValueError(
            f'{where} gives texts for {len(texts)} classes; the model has '
            f'{num_classes}. Give one line (one entry) per class, in the '
            'order of the dataset\'s labels.')
    empty = [index for index, item in enumerate(texts) if not all(item)]
    if empty:
        raise ValueError(f'{where}: empty text for classes {empty}')
    return texts
