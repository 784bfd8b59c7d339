import logging
import os.path as osp
from typing import Dict, Optional

import cv2
import numpy as np
from mmaction.registry import TRANSFORMS
from mmcv.transforms import BaseTransform
from mmengine.logging import print_log

__all__ = ['FrameListDecode']


class UnreadableFrameError(RuntimeError):
    """A frame file that cannot be decoded."""


def read_frame(path: str) -> np.ndarray:
    """Read an RGB frame, refusing unreadable and truncated files.

    Args:
        path (str): The image file.

    Returns:
        np.ndarray: ``(H, W, 3)`` uint8 RGB.
    """
    try:
        with open(path, 'rb') as f:
            data = f.read()
    except OSError as error:
        raise UnreadableFrameError(f'cannot read {path}: {error}') from error
    if not data:
        raise UnreadableFrameError(f'empty file (0 bytes): {path}')
    # libjpeg decodes a truncated JPEG with only a warning, filling the rest
    # with grey: check for the end-of-image marker instead.
    if data[:2] == b'\xff\xd8' and not data.rstrip(b'\0')[-2:] == \
            b'\xff\xd9':
        raise UnreadableFrameError(f'truncated JPEG (no end-of-image '
                                   f'marker): {path}')
    image = cv2.imdecode(np.frombuffer(data, np.uint8), cv2.IMREAD_COLOR)
    if image is None:
        raise UnreadableFrameError(f'not a readable image: {path}')
    return cv2.cvtColor(image, cv2.COLOR_BGR2RGB)


@TRANSFORMS.register_module()
class FrameListDecode(BaseTransform):
    """Decode the sampled frames of a clip whose frame files were listed.

    The DFER datasets (:class:`DFERDataset`) list each clip folder, since
    frame file names differ between releases; this reads
    ``frame_names[i]`` for every ``i`` in ``frame_inds``, where MMAction2's
    ``RawFrameDecode`` would format a file name template.

    An unreadable or truncated frame raises an error naming the file and
    clip. Where the dataset asks for it (``skip_unreadable``, training
    only), the transform returns None instead, so that the dataset draws
    another clip, and logs a running count of skipped clips.

    Required keys: ``frame_dir``, ``frame_names``, ``frame_inds``.
    Added keys: ``imgs``, ``original_shape``, ``img_shape``.
    """

    skipped = 0  # clips skipped by this process

    def transform(self, results: Dict) -> Optional[Dict]:
        """Decode the frames."""
        folder, names = results['frame_dir'], results['frame_names']
        frames = {}
        try:
            for index in np.ravel(results['frame_inds']):
                if index not in frames:
                    frames[index] = read_frame(osp.join(folder, names[index]))
        except UnreadableFrameError as error:
            if not results.get('skip_unreadable', False):
                raise UnreadableFrameError(
                    f'clip {folder}: {error}') from error
            FrameListDecode.skipped += 1
            print_log(
                f'skipped clip {folder}: {error} ({FrameListDecode.skipped} '
                'unreadable clips skipped so far in this process)',
                logger='current',
                level=logging.WARNING)
            return None
        # A frame sampled twice (short clips) is copied, as RawFrameDecode
        # does, so in-place transforms cannot change both.
        imgs, seen = [], set()
        for index in np.ravel(results['frame_inds']):
            imgs.append(frames[index].copy() if index in seen else
                        frames[index])
            seen.add(index)
        results['imgs'] = imgs
        results['original_shape'] = results['img_shape'] = \
            results['imgs'][0].shape[:2]
        return results
