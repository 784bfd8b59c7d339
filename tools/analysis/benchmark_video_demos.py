"""Frames per second of the video demo and the live demo: each frame through
the image tower once, against each window scored on its own.

Usage::

    python tools/analysis/benchmark_video_demos.py CONFIG
        [--video tests/data/videos/WolfgangLanger_Pexels.mp4]
        [--frames 120] [--stride 4] [--window-seconds S] [--device cpu]
        [--cfg-options ...]

Runs ``demo/webcam_demo.py`` (``--video`` standing in for a camera) and
``demo/demo_video.py`` on the first ``--frames`` frames of the video, each
twice: as they run (each frame embedded once, windows scored from the
stored embeddings) and with ``--per-window`` (each window through
MMAction2's inference API, its frames through the image tower every
time). Both demos score a window every ``--stride`` frames. Weights are
random (``model.clip.checkpoint=None``, no checkpoint): the speed does not
depend on them. Prints the frames per second of each run and the
speed-up.
"""
import argparse
import os.path as osp
import re
import subprocess
import sys
import tempfile
from typing import List

import cv2

from a3lign_mmaction.video import VideoReader

REPO_ROOT = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))
RATE = re.compile(r'^(\d+) frames in ([\d.]+) s: ([\d.]+) frames/s', re.M)


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('config')
    parser.add_argument(
        '--video',
        default=osp.join(REPO_ROOT, 'tests', 'data', 'videos',
                         'WolfgangLanger_Pexels.mp4'))
    parser.add_argument(
        '--frames', type=int, default=120,
        help='frames of the video each run reads')
    parser.add_argument(
        '--stride', type=int, default=4,
        help='frames between two windows the model scores')
    parser.add_argument(
        '--window-seconds', type=float,
        help="a window's length (default: the config's, as in the demos)")
    parser.add_argument('--device', default='cpu')
    parser.add_argument('--cfg-options', nargs='+', default=[])
    return parser.parse_args()


def first_frames(video: str, count: int, folder: str) -> str:
    """The first ``count`` frames of ``video`` as a video of their own."""
    reader = VideoReader(video)
    path = osp.join(folder, 'frames.mp4')
    writer = cv2.VideoWriter(path, cv2.VideoWriter_fourcc(*'mp4v'),
                             reader.fps, reader.size)
    for index, frame in enumerate(reader):
        if index == count:
            break
        writer.write(frame)
    writer.release()
    return path


def frames_per_second(command: List[str]) -> float:
    """Run a demo; the frames per second it printed."""
    result = subprocess.run(
        command, capture_output=True, text=True, cwd=REPO_ROOT)
    found = RATE.search(result.stdout)
    if result.returncode or not found:
        raise SystemExit(f'{" ".join(command)} failed:\n'
                         f'{result.stdout[-2000:]}{result.stderr[-4000:]}')
    return float(found.group(3))


def main() -> None:
    args = parse_args()
    options = ['--cfg-options', 'model.clip.checkpoint=None',
               *args.cfg_options]
    window = (['--window-seconds', str(args.window_seconds)]
              if args.window_seconds else [])
    with tempfile.TemporaryDirectory() as folder:
        video = first_frames(args.video, args.frames, folder)
        fps = VideoReader(video).fps
        demos = {
            'live demo (webcam_demo.py)': [
                osp.join(REPO_ROOT, 'demo', 'webcam_demo.py'), args.config,
                'none', '--video', video, '--out',
                osp.join(folder, 'live.mp4'), '--stride',
                str(args.stride)
            ],
            'video demo (demo_video.py)': [
                osp.join(REPO_ROOT, 'demo', 'demo_video.py'), video,
                args.config, 'none', '--out-dir',
                osp.join(folder, 'out'), '--stride-seconds',
                str(args.stride / fps)
            ],
        }
        print(f'{args.config}, {args.frames} frames of {args.video}, a '
              f'window every {args.stride} frames, {args.device}')
        print(f'{"demo":<28} {"per window":>12} {"each frame once":>16} '
              f'{"speed-up":>9}')
        for name, command in demos.items():
            command = [
                sys.executable, *command, *window, '--device', args.device,
                *options
            ]
            before = frames_per_second(command + ['--per-window'])
            after = frames_per_second(command)
            print(f'{name:<28} {before:>8.2f} f/s {after:>12.2f} f/s '
                  f'{after / before:>8.2f}x')


if __name__ == '__main__':
    main()
