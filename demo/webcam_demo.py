"""Live expression recognition from a camera, or a video file standing in
for one.

Usage::

    python demo/webcam_demo.py CONFIG CHECKPOINT [--camera 0 | --video FILE]
        [--out annotated.mp4] [--show] [--window-seconds S] [--stride 4]
        [--max-frames N] [--device cpu] [--face-model MODEL.tflite]
        [--cfg-options model.clip.checkpoint=... ...]

Every frame: the face is detected (MediaPipe's BlazeFace) and followed
from frame to frame (``OnlineFaceTrack``), and cut out square as the
datasets were made. The crops of the last ``--window-seconds`` (by
default as long as a typical training clip of the config's dataset: DFEW
2.8 s) are the window the model scores, every ``--stride`` frames, on the
frames the config's test sampler takes from it (the middle frame of each
of 16 equal segments). The frame is drawn with the face box,
the top class and a probability bar per class, and shown (``--show``) or
written (``--out``; without a display this is the default,
``work_dirs/webcam_demo/webcam.mp4``). At the end it prints the frames
per second it reached, and the windows per second of the model alone.
Needs the ``faces`` extra.
"""
import argparse
import collections
import os
import os.path as osp
import time
from typing import Iterator, Tuple

import cv2
import numpy as np
from mmaction.apis import init_recognizer
from mmengine.config import DictAction

from a3lign_mmaction.datasets import class_names
from a3lign_mmaction.engine import NO_CHECKPOINT
from a3lign_mmaction.utils import load_config
from a3lign_mmaction.video import (BadVideoError, FaceDetector, FaceModelError,
                                   OnlineFaceTrack, VideoReader, crop_square,
                                   face_detector_settings, frame_sampler,
                                   predict_windows, window_indices,
                                   window_pipeline, window_seconds)

GREEN, GREY, WHITE = (0, 200, 0), (90, 90, 90), (255, 255, 255)


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('config')
    parser.add_argument(
        'checkpoint',
        help=f'a trained checkpoint, or {NO_CHECKPOINT} for a recipe that '
        'needs no training (configs/zeroshot-clip_*.py)')
    source = parser.add_mutually_exclusive_group()
    source.add_argument('--camera', type=int, default=0)
    source.add_argument('--video', help='a video file instead of a camera')
    parser.add_argument('--out', help='write the annotated video here')
    parser.add_argument('--show', action='store_true',
                        help='show the frames in a window (q quits)')
    parser.add_argument(
        '--window-seconds', type=float,
        help="a window's length (default: a typical training clip of the "
        "config's dataset)")
    parser.add_argument('--stride', type=int, default=4,
                        help='frames between two windows the model scores')
    parser.add_argument('--crop-size', type=int, default=224)
    parser.add_argument('--max-frames', type=int)
    parser.add_argument(
        '--allow-partial', action='store_true',
        help='score the frames that decode of a truncated --video file (by '
        'default it is refused, as its header lists more frames)')
    parser.add_argument('--device', default='cpu')
    parser.add_argument(
        '--face-model',
        help="BlazeFace .tflite model (default: the config's FaceCrop one, "
        'the short-range model shipped with the plugin unless FACE_MODEL '
        'names another)')
    parser.add_argument('--cfg-options', nargs='+', action=DictAction)
    return parser.parse_args()


def draw(frame: np.ndarray, box, scores, classes) -> None:
    """The face box, the top class and a bar per class, on ``frame``."""
    if box is not None:
        x1, y1, x2, y2 = np.round(box).astype(int)
        cv2.rectangle(frame, (x1, y1), (x2, y2), GREEN, 2)
    if scores is None:
        return
    top = int(scores.argmax())
    if box is not None:
        cv2.putText(frame, f'{classes[top]} {scores[top]:.2f}',
                    (x1, max(y1 - 8, 16)), cv2.FONT_HERSHEY_SIMPLEX, 0.6,
                    GREEN, 2)
    for row, (name, score) in enumerate(zip(classes, scores)):
        y = 14 + 16 * row
        cv2.rectangle(frame, (4, y - 10), (4 + int(100 * score), y + 2),
                      GREEN if row == top else GREY, -1)
        cv2.putText(frame, name, (108, y), cv2.FONT_HERSHEY_SIMPLEX, 0.4,
                    WHITE, 1)


def open_source(args: argparse.Namespace) -> Tuple[float, Iterator]:
    """The frame rate and the BGR frames of the camera, or of the
    ``--video`` file, read as ``tools/face_crop.py`` reads videos: a file
    whose header lists more frames than decode is refused after its last
    frame, unless ``--allow-partial``."""
    if args.video:
        try:
            reader = VideoReader(args.video, args.allow_partial)
        except BadVideoError as e:
            raise SystemExit(f'error: {e}')
        return reader.fps, iter(reader)
    capture = cv2.VideoCapture(args.camera)
    if not capture.isOpened():
        raise SystemExit(f'cannot open camera {args.camera}')

    def frames() -> Iterator[np.ndarray]:
        try:
            ok, frame = capture.read()
            while ok:
                yield frame
                ok, frame = capture.read()
        finally:
            capture.release()

    return capture.get(cv2.CAP_PROP_FPS) or 25.0, frames()


def main() -> None:
    args = parse_args()
    cfg = load_config(args.config, args.cfg_options)
    if args.show and not os.environ.get('DISPLAY'):
        raise SystemExit('--show needs a display; write the frames with '
                         '--out instead')
    out = args.out or (None if args.show else
                       'work_dirs/webcam_demo/webcam.mp4')
    model = init_recognizer(
        cfg,
        None if args.checkpoint == NO_CHECKPOINT else args.checkpoint,
        device=args.device)
    pipeline = window_pipeline(cfg.test_pipeline)
    sampler = frame_sampler(cfg.test_pipeline)
    classes = class_names(cfg, model.cls_head.num_classes)
    fps, source = open_source(args)
    window = max(1, round((args.window_seconds or window_seconds(cfg)) * fps))
    indices = window_indices(np.array([[0, window]]), sampler)
    try:
        detector = FaceDetector(
            **face_detector_settings(cfg.test_pipeline, args.face_model))
    except FaceModelError as e:
        raise SystemExit(f'error: {e}')
    track = OnlineFaceTrack()
    crops = collections.deque(maxlen=window)
    writer, scores, frames, windows, model_seconds = None, None, 0, 0, 0.0
    start = time.perf_counter()
    try:
        for frame in source:
            if args.max_frames is not None and frames == args.max_frames:
                break
            frames += 1
            box = track.update(detector(frame))
            if box is not None:
                crop = crop_square(frame, box, args.crop_size)
                crops.append(cv2.cvtColor(crop, cv2.COLOR_BGR2RGB))
            if len(crops) == window and frames % args.stride == 0:
                tic = time.perf_counter()
                scores = predict_windows(
                    model,
                    crops,
                    indices,
                    pipeline,
                    face_cropped=True,
                    num_clips=sampler.num_clips)[0]
                model_seconds += time.perf_counter() - tic
                windows += 1
            draw(frame, box, scores, classes)
            if out:
                if writer is None:
                    os.makedirs(osp.dirname(osp.abspath(out)), exist_ok=True)
                    writer = cv2.VideoWriter(
                        out, cv2.VideoWriter_fourcc(*'mp4v'), fps,
                        frame.shape[1::-1])
                writer.write(frame)
            if args.show:
                cv2.imshow('a3lign-mmaction', frame)
                if cv2.waitKey(1) & 0xFF in (ord('q'), 27):
                    break
    except BadVideoError as e:
        # A truncated --video file: what was scored is not the video.
        if writer is not None:
            writer.release()
            os.remove(out)
        raise SystemExit(f'error: {e}')
    finally:
        detector.close()
    seconds = time.perf_counter() - start
    if writer is not None:
        writer.release()
    print(f'{frames} frames in {seconds:.1f} s: {frames / seconds:.1f} '
          f'frames/s; the model scored {windows} windows of {window} frames '
          f'at {windows / max(model_seconds, 1e-9):.1f} windows/s' +
          (f'; annotated video: {out}' if out else ''))


if __name__ == '__main__':
    main()
