import csv
import os.path as osp
from typing import List

from mmaction.registry import DATASETS

from .dfer_dataset import Clip, DFERDataset

__all__ = ['DFEWDataset']


@DATASETS.register_module()
class DFEWDataset(DFERDataset):
    """DFEW: 11,697 single-label clips, 7 classes, 5-fold cross-validation.

    Release layout under ``data_root``::

        EmoLabel_DataSplit/train(single-labeled)/set_{1..5}.csv
        EmoLabel_DataSplit/test(single-labeled)/set_{1..5}.csv
        Clip/clip_224x224/<clip id, 5 digits>/*.jpg

    The split files have a ``video_name`` column (the integer clip id) and a
    1-based ``label`` column (1 happy ... 7 fear). See :class:`DFERDataset`
    for the arguments; ``fold`` is required.
    """

    METAINFO = dict(classes=('happy', 'sad', 'neutral', 'angry', 'surprise',
                             'disgust', 'fear'))
    NUM_FOLDS = 5
    #: Clips of the release, and of each fold's training and test split.
    NUM_CLIPS = 11_697
    FOLD_SIZES = {
        1: (9_356, 2_341),
        2: (9_356, 2_341),
        3: (9_357, 2_340),
        4: (9_358, 2_339),
        5: (9_361, 2_336)
    }
    FRAME_ROOT = osp.join('Clip', 'clip_224x224')

    def release_split_file(self) -> str:
        """See :meth:`DFERDataset.release_split_file`."""
        return osp.join(self.data_root, 'EmoLabel_DataSplit',
                        f'{self.split}(single-labeled)',
                        f'set_{self.fold}.csv')

    def read_release(self) -> List[Clip]:
        """See :meth:`DFERDataset.read_release`."""
        path = self.split_file
        lines = self.annotation_lines(path)
        rows = csv.reader(line for _, line in lines)
        header = [name.strip().lower() for name in next(rows)]
        if 'video_name' not in header or 'label' not in header:
            raise ValueError(f'{path}, line {lines[0][0]}: expected columns '
                             f"'video_name' and 'label', got {header}")
        name_col, label_col = header.index('video_name'), header.index('label')
        clips = []
        for (number, line), row in zip(lines[1:], rows):
            try:
                clip_id = int(row[name_col])
                label = int(row[label_col]) - 1
            except (IndexError, ValueError):
                raise ValueError(f'{path}, line {number}: expected an integer '
                                 f'video_name and label, got {line!r}')
            clips.append((osp.join(self.data_root, self.FRAME_ROOT,
                                   f'{clip_id:05d}'), label, path, number))
        return clips
