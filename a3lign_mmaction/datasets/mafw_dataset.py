import os.path as osp
from typing import List

from mmaction.registry import DATASETS

from .clip_lists import annotation_lines
from .dfer_dataset import Clip, DFERDataset
from .release_layout import ReleaseLayout

__all__ = ['MAFWDataset']


@DATASETS.register_module()
class MAFWDataset(DFERDataset):
    """MAFW: about 9,170 single-label clips, 11 classes, 5 folds.

    Release layout under ``data_root``::

        split/single/no_caption/set_{1..5}/{train,test}.txt
        data/faces/<clip id>/*.png|jpg    face crops (tools/data/mafw/
                                          prepare_faces.py makes them)
        data/frames/<clip id>/*.png|jpg   the release's whole frames

    ``data/faces`` is read when it exists, else ``data/frames``; the log
    says which. The whole frames are read as they are, in training and
    testing (as MAE-DFER does); the DFER-CLIP lists and this plugin's
    recipes use face crops. ``frame_root`` chooses the folder. The split
    files have one ``<clip id>.mp4 <class name>`` line per clip. See
    :class:`DFERDataset` for the arguments; ``fold`` is required.
    """

    METAINFO = dict(
        classes=('happiness', 'sadness', 'neutral', 'anger', 'surprise',
                 'disgust', 'fear', 'contempt', 'anxiety', 'helplessness',
                 'disappointment'))
    NUM_FOLDS = 5
    CLIP_SECONDS = 3.3  # 82 frames
    DFER_CLIP_LIST = 'MAFW_set_{fold}_{split}.txt.xz'
    LAYOUTS = (ReleaseLayout(
        'split/single',
        osp.join('split', 'single', 'no_caption', 'set_{fold}',
                 '{split}.txt'),
        (osp.join('data', 'faces'), osp.join('data', 'frames'))), )

    def read_release(self) -> List[Clip]:
        """See :meth:`DFERDataset.read_release`."""
        path = self.split_file
        clips = []
        for number, line in annotation_lines(path):
            parts = line.split()
            if len(parts) != 2:
                raise ValueError(f'{path}, line {number}: expected '
                                 f"'<clip id>.mp4 <class name>', got {line!r}")
            clip_id = osp.splitext(parts[0])[0]
            clips.append((osp.join(self.frame_root, clip_id),
                          self.label_index(parts[1], path, number), path,
                          number))
        return clips
