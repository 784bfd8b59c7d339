"""Face-crop MAFW's clips into the frame folders ``MAFWDataset`` reads.

Usage::

    python tools/data/mafw/prepare_faces.py MAFW_ROOT [--workers N]
        [--lists DIR] [--min-frames 16]

Every ``data/clips/<id>.mp4`` becomes ``data/faces/<id>/00001.jpg, ...``,
cropped as ``tools/face_crop.py`` crops (its default settings). A clip
cropped before is skipped, so a rerun continues an interrupted one. Then
every clip of the split files (``split/single/no_caption/set_{1..5}/``)
is checked, and a summary printed: clips present, missing (no video, or a
video that cannot be read), with no face, and with fewer than
``--min-frames`` frames; and, against DFER-CLIP's
``MAFW_set_{fold}_{split}.txt`` lists (the ones shipped with the plugin,
or ``--lists``), the clips whose frame count differs from the lists' and
the clips the lists name that the split files do not. The exit status
is 1 when a split's clip is missing or has no face.
"""
import argparse
import glob
import os
import os.path as osp
import sys
from typing import Dict, List

from a3lign_mmaction.datasets import (DFER_CLIP_LISTS, MAFWDataset,
                                      read_clip_list)
from a3lign_mmaction.datasets.frame_files import list_frames
from a3lign_mmaction.utils import FolderBusyError
from a3lign_mmaction.video import crop_videos

FACES = osp.join('data', 'faces')
#: How many clip ids a summary line shows.
SHOWN = 10


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('root', help='the unpacked MAFW release')
    parser.add_argument(
        '--workers', type=int, default=min(4, os.cpu_count() or 1),
        help='videos cropped in parallel')
    parser.add_argument(
        '--lists', default=DFER_CLIP_LISTS,
        help="folder of DFER-CLIP's MAFW_set_K_{train,test}.txt[.xz] lists, "
        'to check frame counts against (default: the ones shipped with the '
        'plugin)')
    parser.add_argument(
        '--min-frames', type=int, default=16,
        help='fewer frames than this are reported (default: one clip)')
    return parser.parse_args()


def split_clips(root: str) -> Dict[str, str]:
    """Clip id -> the first split file (and line) that names it, over the
    five folds' training and test splits."""
    clips: Dict[str, str] = {}
    for fold in range(1, MAFWDataset.NUM_FOLDS + 1):
        for split in ('train', 'test'):
            dataset = MAFWDataset(
                root, [], split=split, fold=fold, frame_root=FACES,
                lazy_init=True)
            for folder, _, path, number in dataset.read_release():
                clips.setdefault(osp.basename(folder), f'{path}:{number}')
    return clips


def list_counts(folder: str) -> Dict[str, int]:
    """Clip id -> frame count, from DFER-CLIP's MAFW lists."""
    paths = sorted(glob.glob(osp.join(folder, 'MAFW_set_*_*.txt*')))
    if not paths:
        sys.exit(f'error: no MAFW_set_K_{{train,test}}.txt in {folder}')
    counts = {}
    for path in paths:
        for clip_dir, frames, _, _ in read_clip_list(path):
            counts[osp.basename(clip_dir)] = frames
    return counts


def report(title: str, ids: List[str]) -> str:
    shown = ', '.join(sorted(ids)[:SHOWN])
    more = ', ...' if len(ids) > SHOWN else ''
    return f'  {title}: {len(ids)}' + (f' ({shown}{more})' if ids else '')


def main() -> None:
    args = parse_args()
    clips = split_clips(args.root)
    videos = {
        osp.splitext(osp.basename(path))[0]: path
        for path in sorted(glob.glob(osp.join(args.root, 'data', 'clips',
                                              '*.mp4')))
    }
    faces = osp.join(args.root, FACES)
    try:
        skipped, results = crop_videos(videos, faces, workers=args.workers)
    except FolderBusyError as error:
        sys.exit(f'error: {error}')
    print(f'{len(skipped)} clips cropped before, {len(results)} now')
    failed = {r.name: r for r in results if not r.ok}
    for result in failed.values():
        print(f'error: {result.report}', file=sys.stderr)

    counts = {
        clip: len(list_frames(osp.join(faces, clip)))
        for clip in clips if osp.isdir(osp.join(faces, clip))
    }
    no_face = [c for c in clips if c in failed and failed[c].no_face]
    missing = [c for c in clips if c not in counts and c not in no_face]
    listed = list_counts(args.lists)
    lines = [
        f'MAFW at {args.root}: {len(clips)} clips in the split files',
        report('present', list(counts)),
        report('missing (no video in data/clips, or an unreadable one)',
               missing),
        report('no face found', no_face),
        report(f'fewer than {args.min_frames} frames',
               [c for c, n in counts.items() if n < args.min_frames]),
        report('frame count differs from the DFER-CLIP lists', [
            c for c, n in counts.items() if c in listed and listed[c] != n
        ]),
        report('in the DFER-CLIP lists, not in the split files',
               [c for c in listed if c not in clips]),
    ]
    print('\n'.join(lines))
    if missing or no_face:
        sys.exit(1)


if __name__ == '__main__':
    main()
