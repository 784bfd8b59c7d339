"""The frame files of a clip folder, in frame order."""
import os
import re
from typing import List

__all__ = ['list_frames', 'natural_key']

IMAGE_SUFFIXES = ('.jpg', '.jpeg', '.png', '.bmp')
_DIGITS = re.compile(r'(\d+)')


def natural_key(name: str) -> tuple:
    """Sort key that puts ``10.jpg`` after ``9.jpg``."""
    return tuple(
        int(part) if part.isdigit() else part
        for part in _DIGITS.split(name))


def list_frames(folder: str) -> List[str]:
    """Names of the image files in ``folder``, sorted numerically
    (``10.jpg`` after ``9.jpg``), since frame file names differ between
    dataset releases.

    Raises:
        FileNotFoundError: If ``folder`` does not exist.
        NotADirectoryError: If ``folder`` is a file.
    """
    names = [
        entry.name for entry in os.scandir(folder)
        if entry.name.lower().endswith(IMAGE_SUFFIXES)
    ]
    return sorted(names, key=natural_key)
