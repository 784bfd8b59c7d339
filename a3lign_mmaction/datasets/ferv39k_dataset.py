import os.path as osp
from typing import List

from mmaction.registry import DATASETS

from .clip_lists import annotation_lines
from .dfer_dataset import Clip, DFERDataset
from .release_layout import ReleaseLayout

__all__ = ['FERV39kDataset']


@DATASETS.register_module()
class FERV39kDataset(DFERDataset):
    """FERV39k: 31,088 training and 7,847 test clips, 7 classes, one split.

    Release layout under ``data_root``::

        4_setups/All_scenes/train_All.csv
        4_setups/All_scenes/test_All.csv
        2_ClipsforFaceCrop/<scene>/<class>/<clip>/*.jpg

    The split files have one ``<clip folder> <class name>`` line per clip,
    the folder relative to ``2_ClipsforFaceCrop``. See :class:`DFERDataset`
    for the arguments (no ``fold``).
    """

    METAINFO = dict(classes=('happy', 'sad', 'neutral', 'angry', 'surprise',
                             'disgust', 'fear'))
    CLIP_SECONDS = 1.1  # 28 frames
    DFER_CLIP_LIST = 'FERV39K_{split}.txt.xz'
    LAYOUTS = (ReleaseLayout(
        '4_setups', osp.join('4_setups', 'All_scenes', '{split}_All.csv'),
        ('2_ClipsforFaceCrop', )), )

    def read_release(self) -> List[Clip]:
        """See :meth:`DFERDataset.read_release`."""
        path = self.split_file
        clips = []
        for number, line in annotation_lines(path):
            parts = line.replace(',', ' ').split()
            if len(parts) != 2:
                raise ValueError(f'{path}, line {number}: expected '
                                 f"'<clip folder> <class name>', got {line!r}")
            clips.append(
                (osp.join(self.frame_root, parts[0]),
                 self.label_index(parts[1], path, number), path, number))
        return clips
