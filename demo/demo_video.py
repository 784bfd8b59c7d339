"""What a trained model says about every face in a video, window by window.

Usage::

    python demo/demo_video.py VIDEO CONFIG CHECKPOINT [--out-dir DIR]
        [--window-seconds S] [--stride-seconds 0.5]
        [--video-out DIR/annotated.mp4] [--device cpu] [--per-window]
        [--face-model MODEL.tflite]
        [--cfg-options model.clip.checkpoint=/path/to/ViT-L-14.pt ...]

CHECKPOINT is ``none`` for a recipe that needs no training
(``configs/zeroshot-clip_*.py``). Every face is found and followed
through the video with an id of its own (``FaceTracker``: a face that
leaves and comes back gets its id back where its colours tell it), and
cropped as the datasets were (``tools/face_crop.py``). A window slides
over the frames each face is in, and each window's class probabilities
go to ``DIR/predictions.csv`` (a row per face and window) and ``.json``,
and to ``DIR/timeline.png`` (a row per face); ``--video-out`` also writes
the video with each face's box, id and top class drawn on it.
A window lasts as long as a typical training clip of the config's dataset
(DFEW 2.8 s, MAFW 3.3 s, FERV39k 1.1 s; 2.8 s for others), in frames at
the video's frame rate, and the model sees the frames the config's test
sampler takes from it, as from a clip (the middle frame of each of 16
equal segments). Each frame goes through the image tower once
(``WindowScorer``); ``--per-window`` scores each window on its own
through MMAction2's inference API instead (same scores, slower). A window
in which the face is detected in fewer than ``--min-face-coverage`` of
the frames (0.5; the others are filled from nearby boxes) is not scored:
its row gives its face coverage and no class. Checkpoints of models
trained with a CLIP weight file leave the frozen CLIP out, so the config
must name the same file the model was trained with (another one is
refused). The model scores the way its checkpoint was validated (a BAP
stage-1 checkpoint through the temporal mean).
"""
import argparse
import os
import os.path as osp
import shutil
import sys
import time

from mmaction.apis import init_recognizer
from mmengine.config import DictAction

from a3lign_mmaction.datasets import class_names
from a3lign_mmaction.engine import NO_CHECKPOINT
from a3lign_mmaction.utils import load_config, staging_folder
from a3lign_mmaction.video import (BadVideoError, FaceCropper, FaceModelError,
                                   FaceTimeline, face_detector_settings,
                                   face_summary, frame_sampler, window_seconds,
                                   write_timeline_files)


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('video')
    parser.add_argument('config')
    parser.add_argument(
        'checkpoint',
        help=f'a trained checkpoint, or {NO_CHECKPOINT} for a recipe that '
        'needs no training (configs/zeroshot-clip_*.py)')
    parser.add_argument(
        '--out-dir',
        help='default: work_dirs/demo_video/<video name without extension>')
    parser.add_argument(
        '--window-seconds',
        type=float,
        help="a window's length (default: a typical training clip of the "
        "config's dataset)")
    parser.add_argument(
        '--stride-seconds',
        type=float,
        default=0.5,
        help='time between window starts')
    parser.add_argument(
        '--min-face-coverage',
        type=float,
        default=0.5,
        help='least share of a window\'s frames with a detected face; '
        'windows below it are not scored (their other frames are filled '
        'from nearby boxes, i.e. guesses)')
    parser.add_argument(
        '--video-out', help='also write an annotated video (.mp4) here')
    parser.add_argument('--device', default='cpu')
    parser.add_argument(
        '--per-window',
        action='store_true',
        help='score each window on its own through MMAction2\'s inference '
        'API, its frames through the image tower each time (same scores, '
        'slower)')
    parser.add_argument(
        '--face-model',
        help="BlazeFace .tflite model (default: the config's FaceCrop one, "
        'the short-range model shipped with the plugin unless FACE_MODEL '
        'names another)')
    parser.add_argument(
        '--crop-size', type=int, default=224, help='face crop side')
    parser.add_argument(
        '--allow-partial',
        action='store_true',
        help='score the frames that decode of a truncated video (by default '
        'such a video is refused, as its header lists more frames)')
    parser.add_argument('--cfg-options', nargs='+', action=DictAction)
    return parser.parse_args()


def print_faces(timelines: list, classes: tuple,
                min_face_coverage: float) -> None:
    """A line per face: where it is, how much of it was scored and its
    most frequent top class."""
    for timeline in timelines:
        face = face_summary(timeline, classes)
        print(f'face {face["face"]}: frames {face["first_frame"]}-'
              f'{face["last_frame"]}, detected in {face["face_detected"]}; '
              f'{face["scored"]} of {face["windows"]} windows scored, most '
              f'often on top: {face["top_class"] or "none"}')
    if not all(timeline.scored.all() for timeline in timelines):
        print('Windows in which a face is detected in fewer than '
              f'{min_face_coverage:.0%} of the frames (the rest are '
              'filled from nearby boxes) are not scored '
              '(--min-face-coverage)')


def write_results(out_dir: str, args: argparse.Namespace, timelines: list,
                  classes: tuple, info: dict) -> None:
    """The tables and the plot in ``out_dir``, the annotated video at
    ``--video-out``; written to a temporary folder first, so that an
    interrupted run leaves no partial results."""
    with staging_folder(out_dir) as tmp:
        files = write_timeline_files(
            tmp, timelines, classes, info,
            args.video if args.video_out else None, args.allow_partial)
        os.makedirs(out_dir, exist_ok=True)
        for name, path in files.items():
            shutil.move(
                path, args.video_out
                if name == 'annotated.mp4' else osp.join(out_dir, name))


def main() -> None:
    args = parse_args()
    cfg = load_config(args.config, args.cfg_options)
    name = osp.splitext(osp.basename(args.video))[0]
    out_dir = args.out_dir or osp.join('work_dirs', 'demo_video', name)
    model = init_recognizer(
        cfg,
        None if args.checkpoint == NO_CHECKPOINT else args.checkpoint,
        device=args.device)
    seconds = args.window_seconds or window_seconds(cfg)
    start = time.perf_counter()
    try:
        cropper = FaceCropper(
            size=args.crop_size,
            detector=face_detector_settings(cfg.test_pipeline,
                                            args.face_model),
            allow_partial=args.allow_partial)
        timelines = FaceTimeline.from_video(
            args.video,
            dict(
                model=model,
                test_pipeline=cfg.test_pipeline,
                per_window=args.per_window),
            cropper,
            window_seconds=seconds,
            stride_seconds=args.stride_seconds,
            min_face_coverage=args.min_face_coverage,
            progress=True)
    except (BadVideoError, FaceModelError) as e:
        sys.exit(f'error: {e}')
    elapsed = time.perf_counter() - start
    num_frames = timelines[0].track.num_frames
    classes = class_names(cfg, model.cls_head.num_classes)
    print_faces(timelines, classes, args.min_face_coverage)
    info = dict(
        video=osp.abspath(args.video),
        config=args.config,
        checkpoint=args.checkpoint,
        min_face_coverage=args.min_face_coverage,
        window_seconds=seconds,
        stride_seconds=args.stride_seconds,
        sampler=repr(frame_sampler(cfg.test_pipeline)))
    write_results(out_dir, args, timelines, classes, info)
    print(f'{num_frames} frames in {elapsed:.1f} s: '
          f'{num_frames / elapsed:.1f} frames/s, {len(timelines)} '
          f'face(s). Results in {out_dir}' +
          (f' and {args.video_out}' if args.video_out else ''))


if __name__ == '__main__':
    main()
