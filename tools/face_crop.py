"""Face-crop videos into frame folders that the DFER dataset classes read.

Usage::

    python tools/face_crop.py VIDEO_OR_FOLDER [...] --out-dir DIR
        [--size 224] [--margin 0.2] [--smooth 9] [--missing fill|drop]
        [--face-model MODEL.tflite] [--min-score 0.75] [--min-detected 0.5]
        [--workers N] [--list DIR/faces.txt] [--label 0]

Every video becomes ``DIR/<name>/00001.jpg, ...`` (``<name>``: the file
name without extension, or its path below a given folder), and the list
file gets one ``<frame folder> <frames> <label>`` line per cropped video,
the format ``ann_file`` of ``DFEWDataset`` / ``FERV39kDataset`` /
``MAFWDataset`` reads. A video whose folder exists already is not cropped
again, so an interrupted run continues where it stopped. Videos that fail
(not a video, an undecodable codec, no frames, no face, a face in fewer
than ``--min-detected`` of the frames kept, crops that cannot be written)
are reported, nothing of them is kept, and the exit status is 1.
"""
import argparse
import os
import os.path as osp
import sys
from typing import Dict, List

from a3lign_mmaction.datasets.frame_files import list_frames
from a3lign_mmaction.utils import FolderBusyError
from a3lign_mmaction.video import FaceModelError, crop_videos

VIDEO_SUFFIXES = ('.mp4', '.mov', '.avi', '.mkv', '.webm', '.m4v', '.mpg',
                  '.mpeg', '.wmv', '.flv')


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument(
        'inputs', nargs='+', help='video files or folders (searched '
        'recursively for ' + ' '.join(VIDEO_SUFFIXES) + ')')
    parser.add_argument('--out-dir', required=True)
    parser.add_argument(
        '--size', type=int, default=224, help='crop side in pixels')
    parser.add_argument(
        '--margin', type=float, default=0.2,
        help='padding on each side, as a fraction of the face box')
    parser.add_argument(
        '--smooth', type=int, default=9,
        help='frames in the moving average of the box (1: off)')
    parser.add_argument(
        '--missing', choices=('fill', 'drop'), default='fill',
        help='frames with no face: box from the neighbours, or left out')
    parser.add_argument(
        '--face-model',
        help='BlazeFace .tflite model (default: the short-range one shipped '
        'with the plugin, for faces within about 2 m)')
    parser.add_argument('--min-score', type=float, default=0.75)
    parser.add_argument(
        '--min-detected', type=float, default=0.5,
        help='least share of the kept frames with a detected face; a video '
        'below it is refused (its crops would be mostly guesses)')
    parser.add_argument(
        '--allow-partial', action='store_true',
        help='crop the frames that decode of a truncated video (by default '
        'such a video is refused, as its header lists more frames)')
    parser.add_argument(
        '--workers', type=int, default=min(4, os.cpu_count() or 1),
        help='videos cropped in parallel')
    parser.add_argument(
        '--list', help='list file to write (default: OUT_DIR/faces.txt)')
    parser.add_argument(
        '--label', type=int, default=0,
        help='label written for every clip in the list')
    return parser.parse_args()


def find_videos(inputs: List[str]) -> Dict[str, str]:
    """Map output names to video paths; exits on a missing input or two
    videos with one name."""
    videos: Dict[str, str] = {}

    def add(name: str, path: str) -> None:
        if name in videos:
            sys.exit(f'error: {videos[name]} and {path} would both be '
                     f'written to {name}/; crop them in separate runs')
        videos[name] = path

    for item in inputs:
        if osp.isdir(item):
            for folder, _, files in sorted(os.walk(item)):
                for file in sorted(files):
                    if file.lower().endswith(VIDEO_SUFFIXES):
                        path = osp.join(folder, file)
                        add(osp.splitext(osp.relpath(path, item))[0], path)
        elif osp.exists(item):
            add(osp.splitext(osp.basename(item))[0], item)
        else:
            sys.exit(f'error: {item}: no such file or folder')
    if not videos:
        sys.exit(f'error: no videos in {" ".join(inputs)}')
    return videos


def main() -> None:
    args = parse_args()
    videos = find_videos(args.inputs)
    cropper_cfg = dict(
        size=args.size, margin=args.margin, smooth=args.smooth,
        missing=args.missing,
        detector=dict(model=args.face_model, min_score=args.min_score),
        allow_partial=args.allow_partial, min_detected=args.min_detected)
    try:
        done, results = crop_videos(videos, args.out_dir, cropper_cfg,
                                    args.workers)
    except (FaceModelError, FolderBusyError) as error:
        sys.exit(f'error: {error}')
    if done:
        print(f'{len(done)} videos cropped before, skipped')
    failed = [(r.name, r.report) for r in results if not r.ok]
    for result in results:
        if result.ok:
            print(f'{result.name}: {result.report}')
            done.append(result.name)
    for name, report in failed:
        print(f'error: {report}', file=sys.stderr)
    if done:
        list_file = args.list or osp.join(args.out_dir, 'faces.txt')
        tmp = list_file + '.tmp'
        with open(tmp, 'w') as f:
            for name in sorted(done):
                folder = osp.abspath(osp.join(args.out_dir, name))
                f.write(f'{folder} {len(list_frames(folder))} {args.label}\n')
        os.replace(tmp, list_file)
        print(f'{len(done)} clips listed in {list_file}')
    if failed:
        sys.exit(f'{len(failed)} of {len(videos)} videos failed')


if __name__ == '__main__':
    main()
