import functools
import logging
import os.path as osp
from typing import Callable, Dict, List, Optional, Tuple, Union

from mmaction.datasets import BaseActionDataset
from mmengine.logging import print_log

from .clip_lists import read_clip_list
from .frame_files import list_frames
from .release_layout import ReleaseLayout

__all__ = ['DFERDataset', 'Clip', 'DFER_CLIP_LISTS']

#: One clip of a split: frame folder, label index, and where it was read
#: (annotation file and 1-based line number).
Clip = Tuple[str, int, str, int]

_MAX_LISTED = 10

#: The split lists published with DFER-CLIP (MIT licence), xz-compressed,
#: shipped in this package: ``DFEW_set_{1..5}_{train,test}.txt.xz``,
#: ``FERV39K_{train,test}.txt.xz``, ``MAFW_set_{1..5}_{train,test}.txt.xz``.
DFER_CLIP_LISTS = osp.join(osp.dirname(osp.abspath(__file__)),
                           'dfer_clip_lists')


class DFERDataset(BaseActionDataset):
    """Base class of the DFER datasets: face-crop frame folders per clip.

    A split is read either from the dataset's release, in any of the
    layouts the dataset knows (:attr:`LAYOUTS`; the log says which it
    found, and an error lists what it looked for when it finds none), or,
    when ``ann_file`` is given, from a ready-made list with one
    ``<frame dir> <number of frames> <0-based label>`` line per clip (the
    format of the lists published with DFER-CLIP, which ship in
    :data:`DFER_CLIP_LISTS`). List paths are re-rooted: ``list_prefix`` (by
    default the folder all listed clips share) is replaced by
    ``data_root``. Split files and lists ending in ``.xz`` are read
    compressed.

    Frames are found by listing each clip folder and sorting the image
    files numerically (``10.jpg`` after ``9.jpg``), since file names differ
    between releases; the listed frame count is not used. The frames are
    face crops, and the clips say so (``face_cropped``), so that a
    pipeline's ``FaceCrop`` leaves them as they are. Structural
    problems (a missing root, split file or clip folder, an empty clip
    folder, an empty (0-byte) frame file, a malformed line, a label outside
    the class list, a clip listed twice) raise an
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
        frame_root (str, optional): The folder of the clips' frame folders,
            relative to ``data_root``. Defaults to None: the first of the
            layout's ``frame_roots`` that exists (the release's own).
        skip_unreadable (bool): In training, replace a clip with an
            unreadable or truncated frame by another clip and log a running
            count, and leave clips with an empty frame file out when the
            dataset is built, instead of stopping. Defaults to False.
        **kwargs: Other arguments of :class:`BaseActionDataset`.
    """

    NUM_FOLDS: Optional[int] = None
    #: How long a typical clip lasts, in seconds: the median frame count of
    #: DFER-CLIP's lists at 25 frames per second. Video inference slides
    #: windows of this length (``apis.window_seconds``).
    CLIP_SECONDS: Optional[float] = None
    #: The name of DFER-CLIP's list of a split in :data:`DFER_CLIP_LISTS`,
    #: with ``{fold}`` and ``{split}``; None where it published none.
    DFER_CLIP_LIST: Optional[str] = None
    #: The release layouts the dataset reads, tried in this order.
    LAYOUTS: Tuple[ReleaseLayout, ...] = ()

    def __init__(self,
                 data_root: str,
                 pipeline: List[Union[dict, Callable]],
                 split: str = 'train',
                 fold: Optional[int] = None,
                 ann_file: Optional[str] = None,
                 list_prefix: Optional[str] = None,
                 frame_root: Optional[str] = None,
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
                             f'{self.NUM_FOLDS} (FOLD in the configs), got '
                             f'{fold!r}')
        if ann_file:
            ann_file = osp.abspath(ann_file.format(fold=fold, split=split))
        if not osp.isdir(data_root):
            raise FileNotFoundError(
                f'{type(self).__name__}: data_root {data_root} is not a '
                'folder. Set it to the folder the dataset was unpacked to.')
        self.split = split
        self.fold = fold
        self.list_prefix = list_prefix
        self._frame_root = frame_root
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
        return self.ann_file or self.layout.split_path(
            self.data_root, self.split, self.fold)

    @functools.cached_property
    def layout(self) -> ReleaseLayout:
        """The first of :attr:`LAYOUTS` whose split file is under
        ``data_root``."""
        tried = []
        for layout in self.LAYOUTS:
            path = layout.split_path(self.data_root, self.split, self.fold)
            if osp.isfile(path):
                return layout
            tried.append(f'{path} ({layout.name} layout)')
        raise FileNotFoundError(
            f'{type(self).__name__}: no split file of a release layout it '
            f'reads under {self.data_root}; looked for ' + '; '.join(tried) +
            '. Point data_root at the unpacked release (see tools/data/), '
            'or give a split list with ann_file.')

    @functools.cached_property
    def frame_root(self) -> str:
        """The folder of the clips' frame folders, under ``data_root``."""
        return osp.join(
            self.data_root, self._frame_root
            or self.layout.default_frame_root(self.data_root))

    def read_release(self) -> List[Clip]:
        """Read :attr:`split_file` in the release's format.

        Returns:
            list[tuple]: ``(frame folder, label, file, line)`` per clip.
        """
        raise NotImplementedError

    def _read_list(self) -> List[Clip]:
        return [(osp.join(self.data_root, folder), label, self.ann_file,
                 number) for folder, _, label, number in read_clip_list(
                     self.ann_file, self.list_prefix)]

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
        if self.ann_file:
            clips = self._read_list()
        else:
            clips = self.read_release()
            print_log(
                f'{type(self).__name__}: {self.layout.name} layout, split '
                f'{self.split_file}, frames in {self.frame_root}',
                logger='current')
        num_classes = len(self.metainfo['classes'])
        data_list, missing, empty, zero_byte = [], [], [], []
        labelled: Dict[str, Tuple[int, int]] = {}
        for folder, label, path, number in clips:
            if not 0 <= label < num_classes:
                raise ValueError(
                    f'{path}, line {number}: label {label} is outside the '
                    f'{num_classes} classes of {type(self).__name__} '
                    f'(0..{num_classes - 1})')
            if folder in labelled:
                first_label, first_line = labelled[folder]
                raise ValueError(
                    f'{path}: lines {first_line} and {number} both list the '
                    f'clip {folder}' +
                    (f', with two labels ({first_label} and {label})'
                     if first_label != label else
                     ', which would count twice') +
                    '; keep one of the lines.')
            labelled[folder] = label, number
            try:
                names = list_frames(folder)
            except (FileNotFoundError, NotADirectoryError):
                missing.append(f'{folder} ({path}, line {number})')
                continue
            if not names:
                empty.append(f'{folder} ({path}, line {number})')
                continue
            zero = [
                name for name in names
                if not osp.getsize(osp.join(folder, name))
            ]
            if zero:
                zero_byte.append(f'{osp.join(folder, zero[0])} ({path}, '
                                 f'line {number})')
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
        if zero_byte and self.skip_unreadable and not self.test_mode:
            print_log(
                f'{type(self).__name__}: left out {len(zero_byte)} clips '
                'with an empty frame file (skip_unreadable), e.g. '
                f'{zero_byte[0]}',
                logger='current',
                level=logging.WARNING)
            zero_byte = []
        for problems, what in ((missing, 'are missing'),
                               (empty, 'are without frames'),
                               (zero_byte, 'hold an empty (0-byte) frame '
                                'file')):
            if problems:
                raise FileNotFoundError(
                    f'{type(self).__name__}: {len(problems)} of {len(clips)} '
                    f'clip folders {what}: ' +
                    '; '.join(problems[:_MAX_LISTED]) +
                    ('; ...' if len(problems) > _MAX_LISTED else '') +
                    (self._frame_root_hint() if len(missing) == len(clips)
                     and not self.ann_file else ''))
        return data_list

    def _frame_root_hint(self) -> str:
        """Where the frames may be instead, when no clip folder is in
        :attr:`frame_root`."""
        others = sorted({
            root
            for layout in self.LAYOUTS for root in layout.frame_roots
            if osp.isdir(osp.join(self.data_root, root))
            and osp.join(self.data_root, root) != self.frame_root
        })
        hint = (f'. None of the clips named by {self.split_file} is in '
                f'{self.frame_root}')
        if others:
            hint += (f'; the release also has {", ".join(others)}: set '
                     f'frame_root={others[0]!r} on the dataset')
        return hint
