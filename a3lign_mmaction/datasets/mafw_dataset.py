import os.path as osp
from typing import List

from mmaction.registry import DATASETS

from .dfer_dataset import Clip, DFERDataset

__all__ = ['MAFWDataset']


@DATASETS.register_module()
class MAFWDataset(DFERDataset):
    """MAFW: about 9,170 single-label clips, 11 classes, 5 folds.

    Release layout under ``data_root``::

        split/single/no_caption/set_{1..5}/train.txt
        split/single/no_caption/set_{1..5}/test.txt
        data/faces/<clip id>/*.png|jpg

    The split files have one ``<clip id>.mp4 <class name>`` line per clip.
    See :class:`DFERDataset` for the arguments; ``fold`` is required.
    """

    METAINFO = dict(
        classes=('happiness', 'sadness', 'neutral', 'anger', 'surprise',
                 'disgust', 'fear', 'contempt', 'anxiety', 'helplessness',
                 'disappointment'))
    NUM_FOLDS = 5
    FRAME_ROOT = osp.join('data', 'faces')

    def release_split_file(self) -> str:
        """See :meth:`DFERDataset.release_split_file`."""
        return osp.join(self.data_root, 'split', 'single', 'no_caption',
                        f'set_{self.fold}', f'{self.split}.txt')

    def read_release(self) -> List[Clip]:
        """See :meth:`DFERDataset.read_release`."""
        path = self.split_file
        clips = []
        for number, line in self.annotation_lines(path):
            parts = line.split()
            if len(parts) != 2:
                raise ValueError(f'{path}, line {number}: expected '
                                 f"'<clip id>.mp4 <class name>', got {line!r}")
            clip_id = osp.splitext(parts[0])[0]
            clips.append((osp.join(self.data_root, self.FRAME_ROOT, clip_id),
                          self.label_index(parts[1], path, number), path,
                          number))
        return clips
