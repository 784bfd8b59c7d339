import functools
import os.path as osp
from typing import Callable, Dict, List, Optional, Tuple, Union

from mmaction.datasets import BaseActionDataset

from .frame_files import list_frames

__all__ = ['DFERDataset', 'Clip']

#: One clip of a split: frame folder, label index, and where it was read
#: (annotation file and 1-based line number).
Clip = Tuple[str, int, str, int]

_MAX_LISTED = 10


class DFERDataset(BaseActionDataset):
    """Base class of the DFER datasets: face-crop frame folders per clip.

    A split is read either from the dataset's official release layout
    (:meth:`read_release`, implemented by each dataset) or, when
    ``ann_file`` is given, from a ready-made list with one
    ``<frame dir> <number of frames> <0-based label>`` line per clip (the
    format of the lists published with DFER-CLIP). List paths are re-rooted:
    ``list_prefix`` (by default the folder all listed clips share) is
    replaced by ``data_root``.

    Frames are found by listing each clip folder and sorting the image
    files numerically (``10.jpg`` after ``9.jpg``), since file names differ
    between releases; the listed frame count is not used. The frames are
    face crops, and the clips say so (``face_cropped``), so that a
    pipeline's ``FaceCrop`` leaves them as they are. Structural
    problems (a missing root, split file or clip folder, an empty clip
    folder, a malformed line, a label outside the class list) raise an
    error naming the file and line or clip when the dataset is built.

    Args:
        data_root (str): Root of the dataset release.
        pipeline (list[dict | callable]): Data transforms.
        split (str): ``'train'`` or ``'test'``. Defaults to ``'train'``.
        fold (int, optional): Cross-validation fold, for datasets that have
            folds. Defaults to None.
        ann_file (str, optional): A ready-made list file; None reads the
            release layout. ``{fold}`` and ``{split}`` in it are replaced by
            ``fold`` and ``split``, e.g. ``DFEW_set_{fold}_{split}.txt``.
            Defaults to None.
        list_prefix (str, optional): Prefix of the frame folders in
            ``ann_file`` to replace with ``data_root``. Defaults to None
            (the folder all listed clips share).
        skip_unreadable (bool): In training, replace a clip with an
            unreadable or truncated frame by another clip and log a running
            count, instead of stopping. Defaults to False.
        **kwargs: Other arguments of :class:`BaseActionDataset`.
    """

    NUM_FOLDS: Optional[int] = None

    def __init__(self,
                 data_root: str,
                 pipeline: List[Union[dict, Callable]],
                 split: str = 'train',
                 fold: Optional[int] = None,
                 ann_file: Optional[str] = None,
                 list_prefix: Optional[str] = None,
                 skip_unreadable: bool = False,
                 **kwargs) -> None:
        if split not in ('train', 'test'):
            raise ValueError(f"split must be 'train' or 'test', got {split!r}")
        if self.NUM_FOLDS is None:
            if fold is not None:
                raise ValueError(f'{type(self).__name__} has no folds; got '
                                 f'fold={fold}')
        elif fold not in range(1, self.NUM_FOLDS + 1) and (
                fold is not None or ann_file is None):
            raise ValueError(f'{type(self).__name__} needs fold in 1..'
                             f'{self.NUM_FOLDS}, got {fold!r}')
        if ann_file:
            ann_file = osp.abspath(ann_file.format(fold=fold, split=split))
        if not osp.isdir(data_root):
            raise FileNotFoundError(
                f'{type(self).__name__}: data_root {data_root} is not a '
                'folder. Set it to the folder the dataset was unpacked to.')
        self.split = split
        self.fold = fold
        self.list_prefix = list_prefix
        self.skip_unreadable = skip_unreadable
        super().__init__(
            ann_file=ann_file or '',
            pipeline=pipeline,
            data_root=data_root,
            start_index=0,
            **kwargs)

    @property
    def split_file(self) -> str:
        """The file the split is read from: ``ann_file`` or the release's.
        """
        return self.ann_file or self.release_split_file()

    def release_split_file(self) -> str:
        """Path of the split file in the release layout."""
        raise NotImplementedError

    def read_release(self) -> List[Clip]:
        """Read :attr:`split_file` in the release's format.

        Returns:
            list[tuple]: ``(frame folder, label, file, line)`` per clip.
        """
        raise NotImplementedError

    def _read_list(self) -> List[Clip]:
        entries = []
        for number, line in self.annotation_lines(self.ann_file):
            parts = line.split()
            if len(parts) != 3 or not parts[1].isdigit() or not (
                    parts[2].lstrip('-').isdigit()):
                raise ValueError(
                    f'{self.ann_file}, line {number}: expected '
                    f"'<frame dir> <number of frames> <label>', got {line!r}")
            entries.append((parts[0], int(parts[2]), number))
        if not entries:
            raise ValueError(f'{self.ann_file} lists no clips')
        prefix = self.list_prefix
        if prefix is None:
            prefix = osp.commonpath([osp.dirname(e[0]) for e in entries])
        clips = []
        for folder, label, number in entries:
            relative = osp.relpath(folder, prefix)
            if relative.startswith('..'):
                raise ValueError(f'{self.ann_file}, line {number}: {folder} '
                                 f'is not under list_prefix {prefix}')
            clips.append((osp.join(self.data_root, relative), label,
                          self.ann_file, number))
        return clips

    @staticmethod
    def annotation_lines(path: str) -> List[Tuple[int, str]]:
        """Non-empty lines of a split file, with 1-based line numbers."""
        if not osp.isfile(path):
            raise FileNotFoundError(f'split file not found: {path}')
        with open(path, encoding='utf-8-sig') as f:
            return [(number, line.strip())
                    for number, line in enumerate(f, 1) if line.strip()]

    @functools.cached_property
    def _class_indices(self) -> Dict[str, int]:
        return {
            name.lower(): index
            for index, name in enumerate(self.metainfo['classes'])
        }

    def label_index(self, name: str, path: str, number: int) -> int:
        """Index of a class name (case and spacing ignored)."""
        index = self._class_indices.get(name.strip().lower())
        if index is None:
            raise ValueError(
                f'{path}, line {number}: label {name!r} is not one of '
                f'{", ".join(self.metainfo["classes"])}')
        return index

    def load_data_list(self) -> List[Dict]:
        """Read the split and list the frames of every clip."""
        clips = self._read_list() if self.ann_file else self.read_release()
        num_classes = len(self.metainfo['classes'])
        data_list, missing, empty = [], [], []
        for folder, label, path, number in clips:
            if not 0 <= label < num_classes:
                raise ValueError(
                    f'{path}, line {number}: label {label} is outside the '
                    f'{num_classes} classes of {type(self).__name__} '
                    f'(0..{num_classes - 1})')
            try:
                names = list_frames(folder)
            except (FileNotFoundError, NotADirectoryError):
                missing.append(f'{folder} ({path}, line {number})')
                continue
            if not names:
                empty.append(f'{folder} ({path}, line {number})')
                continue
            data_list.append(
                dict(
                    frame_dir=folder,
                    frame_names=names,
                    total_frames=len(names),
                    label=label,
                    face_cropped=True,
                    skip_unreadable=self.skip_unreadable
                    and not self.test_mode))
        for problems, what in ((missing, 'missing'),
                               (empty, 'without frames')):
            if problems:
                raise FileNotFoundError(
                    f'{type(self).__name__}: {len(problems)} of {len(clips)} '
                    f'clip folders are {what}: ' +
                    '; '.join(problems[:_MAX_LISTED]) +
                    ('; ...' if len(problems) > _MAX_LISTED else ''))
        return data_list
