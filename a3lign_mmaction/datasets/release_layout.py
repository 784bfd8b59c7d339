import os.path as osp
from typing import NamedTuple, Optional, Tuple

__all__ = ['ReleaseLayout']


class ReleaseLayout(NamedTuple):
    """One way a dataset's release is laid out on disk.

    Attributes:
        name (str): What the layout is called in the log and in errors.
        split_file (str): A split's file relative to the dataset root, with
            ``{split}`` (``train`` / ``test``) and ``{fold}``.
        frame_roots (tuple[str]): Folders that can hold the clips' frame
            folders, relative to the root, the release's own first; the
            first that exists is read unless a config names one.
    """

    name: str
    split_file: str
    frame_roots: Tuple[str, ...]

    def split_path(self, root: str, split: str,
                   fold: Optional[int]) -> str:
        """The split file of ``split`` and ``fold`` under ``root``."""
        return osp.join(root, self.split_file.format(split=split, fold=fold))

    def default_frame_root(self, root: str) -> str:
        """The first of :attr:`frame_roots` that exists under ``root``
        (the first if none does)."""
        for frame_root in self.frame_roots:
            if osp.isdir(osp.join(root, frame_root)):
                return frame_root
        return self.frame_roots[0]
