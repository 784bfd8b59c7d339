"""Reading split lists: ``<frame dir> <number of frames> <label>`` per
line, as DFER-CLIP published them and ``tools/face_crop.py`` writes them,
and the releases' own split files."""
import lzma
import os.path as osp
from typing import List, Optional, Tuple

__all__ = ['annotation_lines', 'read_clip_list']


def annotation_lines(path: str) -> List[Tuple[int, str]]:
    """Non-empty lines of a split file (xz-compressed where its name
    ends in ``.xz``), with 1-based line numbers."""
    if not osp.isfile(path):
        raise FileNotFoundError(f'split file not found: {path}')
    opener = lzma.open if path.endswith('.xz') else open
    with opener(path, 'rb') as f:
        data = f.read()
    lines = []
    for number, raw in enumerate(data.splitlines(), 1):
        try:
            line = raw.decode('utf-8-sig' if number == 1 else 'utf-8')
        except UnicodeDecodeError as error:
            raise ValueError(
                f'{path}, line {number}: not UTF-8 text ({error.reason} '
                f'at byte {error.start}); save the file as UTF-8'
            ) from None
        if line.strip():
            lines.append((number, line.strip()))
    return lines


def read_clip_list(
        path: str,
        list_prefix: Optional[str] = None) -> List[Tuple[str, int, int, int]]:
    """Read a ready-made list: ``<frame dir> <number of frames>
    <label>`` per line (the folder may hold spaces).

    Args:
        path (str): The list file (``.xz`` is read compressed).
        list_prefix (str, optional): The prefix of the listed folders.
            Defaults to None (the folder all listed clips share).

    Returns:
        list[tuple]: ``(frame folder relative to the prefix, frames,
        label, line number)`` per clip.
    """
    entries = []
    for number, line in annotation_lines(path):
        # The folder may hold spaces; the two numbers cannot.
        parts = line.rsplit(maxsplit=2)
        if len(parts) != 3 or not parts[1].isdigit() or not (
                parts[2].lstrip('-').isdigit()):
            raise ValueError(
                f'{path}, line {number}: expected '
                f"'<frame dir> <number of frames> <label>', got {line!r}")
        entries.append((parts[0], int(parts[1]), int(parts[2]), number))
    if not entries:
        raise ValueError(f'{path} lists no clips')
    prefix = list_prefix
    if prefix is None:
        absolute = [osp.isabs(entry[0]) for entry in entries]
        if not all(absolute) and any(absolute):
            number = entries[absolute.index(not absolute[0])][3]
            raise ValueError(
                f'{path}, line {number}: a '
                f'{"relative" if absolute[0] else "absolute"} path where '
                f'line {entries[0][3]} has an '
                f'{"absolute" if absolute[0] else "relative"} one; a list '
                'gives all its folders one way (or set list_prefix)')
        prefix = osp.commonpath([osp.dirname(e[0]) for e in entries])
    clips = []
    for folder, frames, label, number in entries:
        relative = osp.relpath(folder, prefix)
        if relative.startswith('..'):
            raise ValueError(f'{path}, line {number}: {folder} '
                             f'is not under list_prefix {prefix}')
        clips.append((relative, frames, label, number))
    return clips
