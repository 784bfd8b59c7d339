"""Frames whose content says which frame they are, for the transforms'
tests."""
import os
import os.path as osp
from typing import List

import cv2
import numpy as np


def numbered_frame(number: int, size: int = 24) -> np.ndarray:
    """An RGB frame whose every pixel is ``10 * number`` (mod 250)."""
    return np.full((size, size, 3), 10 * number % 250, np.uint8)


def frame_number(frame: np.ndarray) -> int:
    return int(round(frame.mean())) // 10


def write_numbered_frames(folder: str, count: int,
                          template: str = '{}.png') -> List[str]:
    """``count`` lossless frames, numbered from 0, named by ``template``
    (formatted with a 1-based index)."""
    os.makedirs(folder, exist_ok=True)
    names = []
    for index in range(count):
        names.append(template.format(index + 1))
        cv2.imwrite(osp.join(folder, names[-1]), numbered_frame(index))
    return names
