"""Live expression recognition from a camera, or a video file standing in
for one.

Usage::

    python demo/webcam_demo.py CONFIG CHECKPOINT [--camera 0 | --video FILE]
        [--out annotated.mp4] [--show] [--window-seconds S] [--stride 4]
        [--max-frames N] [--device cpu] [--per-window]
        [--face-model MODEL.tflite]
        [--cfg-options model.clip.checkpoint=... ...]

CHECKPOINT is ``none`` for a recipe that needs no training
(``configs/zeroshot-clip_*.py``). Every frame: the faces are detected
(MediaPipe's BlazeFace) and followed from frame to frame, each with an id
of its own (``FaceTracker``, with a box smoothed from past frames,
``OnlineFaceTrack``), and cut out square as the datasets were made. The
crops of a face's last ``--window-seconds`` (by default as long as a
typical training clip of the config's dataset: DFEW 2.8 s) are the window
the model scores, every ``--stride`` crops, on the frames the config's
test sampler takes from it (the middle frame of each of 16 equal
segments). Each frame goes through the image tower once
(``WindowScorer``; ``--per-window`` scores each window on its own
instead). The frame is drawn with each face's box, id and top class, and
a probability bar per class and face, and shown (``--show``) or written
(``--out``; without a display this is the default,
``work_dirs/webcam_demo/webcam.mp4``). At the end it prints the frames
per second it reached, and the windows per second of the model alone.
Needs the ``faces`` extra.
"""
import argparse
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
                                   FaceTracker, OnlineFaceTrack, VideoReader,
                                   WindowScorer, crop_square,
                                   face_detector_settings, frame_sampler,
                                   window_indices, window_seconds)

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
    parser.add_argument(
        '--show',
        action='store_true',
        help='show the frames in a window (q quits)')
    parser.add_argument(
        '--window-seconds',
        type=float,
        help="a window's length (default: a typical training clip of the "
        "config's dataset)")
    parser.add_argument(
        '--stride',
        type=int,
        default=4,
        help='frames between two windows the model scores')
    parser.add_argument('--crop-size', type=int, default=224)
    parser.add_argument('--max-frames', type=int)
    parser.add_argument(
        '--allow-partial',
        action='store_true',
        help='score the frames that decode of a truncated --video file (by '
        'default it is refused, as its header lists more frames)')
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
    parser.add_argument('--cfg-options', nargs='+', action=DictAction)
    return parser.parse_args()


class LiveFace:
    """A face of the stream: its smoothed box, its last crops, its scorer
    and its last scores."""

    def __init__(self, scorer: WindowScorer) -> None:
        self.track = OnlineFaceTrack()
        self.scorer = scorer
        self.crops = {}
        self.count = 0
        self.scores = None

    def add(self, frame: np.ndarray, detection: np.ndarray,
            size: int) -> np.ndarray:
        """Follow the face into ``frame``; keep its crop. Returns its
        box."""
        box = self.track.update(detection[None])
        crop = crop_square(frame, box, size)
        self.crops[self.count] = cv2.cvtColor(crop, cv2.COLOR_BGR2RGB)
        self.count += 1
        return box

    def score(self, indices: np.ndarray) -> None:
        """Score the window of the last crops (``(1, frames)`` indices
        counted from its first), and forget the crops before it."""
        first = self.count - (int(indices.max()) + 1)
        self.scores = self.scorer(indices + first, self.crops)[0]
        self.scorer.forget(first + 1)
        for index in [i for i in self.crops if i <= first]:
            del self.crops[index]


def draw(frame: np.ndarray, boxes: dict, faces: dict, classes) -> None:
    """Each face's box, id and top class, and a bar per class and face,
    on ``frame``."""
    row = 0
    for face_id, box in sorted(boxes.items()):
        scores = faces[face_id].scores
        x1, y1, x2, y2 = np.round(box).astype(int)
        cv2.rectangle(frame, (x1, y1), (x2, y2), GREEN, 2)
        label = f'{face_id}' if scores is None else (
            f'{face_id}: {classes[int(scores.argmax())]} {scores.max():.2f}')
        cv2.putText(frame, label, (x1, max(y1 - 8, 16)),
                    cv2.FONT_HERSHEY_SIMPLEX, 0.6, GREEN, 2)
        if scores is None:
            continue
        row += 1
        cv2.putText(frame, f'face {face_id}', (4, 14 * row),
                    cv2.FONT_HERSHEY_SIMPLEX, 0.4, WHITE, 1)
        top = int(scores.argmax())
        for name, score in zip(classes, scores):
            row += 1
            y = 14 * row
            cv2.rectangle(frame, (4, y - 10), (4 + int(100 * score), y + 2),
                          GREEN if name == classes[top] else GREY, -1)
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
    out = args.out or (None
                       if args.show else 'work_dirs/webcam_demo/webcam.mp4')
    model = init_recognizer(
        cfg,
        None if args.checkpoint == NO_CHECKPOINT else args.checkpoint,
        device=args.device)
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
    tracker = FaceTracker()
    faces = {}
    writer, frames, windows, model_seconds = None, 0, 0, 0.0
    start = time.perf_counter()
    try:
        for frame in source:
            if args.max_frames is not None and frames == args.max_frames:
                break
            frames += 1
            boxes = {}
            for face_id, detection in tracker.update(detector(frame),
                                                     frame).items():
                if face_id not in faces:
                    faces[face_id] = LiveFace(
                        WindowScorer(model, cfg.test_pipeline,
                                     per_window=args.per_window))
                face = faces[face_id]
                boxes[face_id] = face.add(frame, detection, args.crop_size)
                if face.count >= window and (face.count -
                                             window) % args.stride == 0:
                    tic = time.perf_counter()
                    face.score(indices)
                    model_seconds += time.perf_counter() - tic
                    windows += 1
            draw(frame, boxes, faces, classes)
            if out:
                if writer is None:
                    os.makedirs(osp.dirname(osp.abspath(out)), exist_ok=True)
                    writer = cv2.VideoWriter(out,
                                             cv2.VideoWriter_fourcc(*'mp4v'),
                                             fps, frame.shape[1::-1])
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
    embedded = sum(face.scorer.embedded for face in faces.values())
    print(f'{frames} frames in {seconds:.1f} s: {frames / seconds:.1f} '
          f'frames/s, {len(faces)} face(s); the model scored {windows} '
          f'windows of {window} frames at '
          f'{windows / max(model_seconds, 1e-9):.1f} windows/s, '
          f'{embedded} frames through the image tower' +
          (f'; annotated video: {out}' if out else ''))


if __name__ == '__main__':
    main()
