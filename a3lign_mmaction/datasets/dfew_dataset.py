import csv
import os.path as osp
from typing import List

from mmaction.registry import DATASETS

from .clip_lists import annotation_lines
from .dfer_dataset import Clip, DFERDataset
from .release_layout import ReleaseLayout

__all__ = ['DFEWDataset']


@DATASETS.register_module()
class DFEWDataset(DFERDataset):
    """DFEW: 11,697 single-label clips, 7 classes, 5-fold cross-validation.

    Release layouts under ``data_root``, tried in this order::

        # EmoLabel_DataSplit
        EmoLabel_DataSplit/{train,test}(single-labeled)/set_{1..5}.csv
        Clip/clip_224x224/<clip id, 5 digits>/*.jpg
        (or Clip/clip_224x224_16f/..., 16 frames per clip)

        # data_affine, as the authors' reference code lays it out
        # (repository jiangxingxun/DFEW); data_root is the release folder
        data_affine/single_label/label/single_{train,test}set_{1..5}.csv
        data_affine/single_label/data/<clip id>/<clip id>_<n>.jpg

        # single_label: data_root is that code's data_root,
        # .../data_affine/single_label
        label/single_{train,test}set_{1..5}.csv
        data/<clip id>/<clip id>_<n>.jpg

    The split files have a ``video_name`` column (the integer clip id) and a
    1-based ``label`` column (1 happy ... 7 fear). Clip folders are named by
    the id with five digits or without leading zeros. ``frame_root``
    chooses another frame folder, e.g. ``'Clip/clip_224x224_16f'``. See
    :class:`DFERDataset` for the arguments; ``fold`` is required.
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
    CLIP_SECONDS = 2.8  # 70 frames
    DFER_CLIP_LIST = 'DFEW_set_{fold}_{split}.txt.xz'
    LAYOUTS = (
        ReleaseLayout(
            'EmoLabel_DataSplit',
            osp.join('EmoLabel_DataSplit', '{split}(single-labeled)',
                     'set_{fold}.csv'),
            (osp.join('Clip', 'clip_224x224'),
             osp.join('Clip', 'clip_224x224_16f'))),
        ReleaseLayout(
            'data_affine',
            osp.join('data_affine', 'single_label', 'label',
                     'single_{split}set_{fold}.csv'),
            (osp.join('data_affine', 'single_label', 'data'), )),
        ReleaseLayout('single_label',
                      osp.join('label', 'single_{split}set_{fold}.csv'),
                      ('data', )),
    )

    def read_release(self) -> List[Clip]:
        """See :meth:`DFERDataset.read_release`."""
        path = self.split_file
        lines = annotation_lines(path)
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
            clips.append(
                (self.clip_folder(clip_id), label, path, number))
        return clips

    def clip_folder(self, clip_id: int) -> str:
        """The frame folder of a clip: named by its id with five digits,
        or else without leading zeros."""
        padded = osp.join(self.frame_root, f'{clip_id:05d}')
        plain = osp.join(self.frame_root, str(clip_id))
        return plain if not osp.isdir(padded) and osp.isdir(plain) else \
            padded
