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
import csv
import json
import os
import os.path as osp
import shutil
import sys
import time

import cv2
import numpy as np
from mmaction.apis import init_recognizer
from mmengine.config import DictAction

from a3lign_mmaction.datasets import class_names
from a3lign_mmaction.engine import NO_CHECKPOINT
from a3lign_mmaction.utils import load_config, staging_folder
from a3lign_mmaction.video import (BadVideoError, FaceCropper, FaceModelError,
                                   FaceTimeline, VideoReader,
                                   face_detector_settings, frame_sampler,
                                   window_seconds)


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


def window_rows(timeline: FaceTimeline, classes: tuple) -> list:
    """One row per window of a face: its frames and seconds, face
    coverage, top class and class probabilities (none for a window not
    scored)."""
    fps = timeline.track.fps
    return [
        dict(
            face=timeline.face_id,
            start_frame=int(start),
            end_frame=int(end) - 1,
            start_s=start / fps,
            end_s=end / fps,
            face_coverage=float(share),
            top_class=classes[int(score.argmax())] if ok else '',
            scores={
                c: float(s)
                for c, s in zip(classes, score)
            } if ok else None)
        for (start,
             end), share, ok, score in zip(timeline.spans, timeline.coverage,
                                           timeline.scored, timeline.scores)
    ]


def write_tables(out_dir: str, rows: list, faces: list, classes: tuple,
                 info: dict) -> None:
    with open(osp.join(out_dir, 'predictions.csv'), 'w', newline='') as f:
        writer = csv.writer(f)
        writer.writerow([
            'face', 'window', 'start_frame', 'end_frame', 'start_s', 'end_s',
            'face_coverage', 'top_class', *classes
        ])
        for face in faces:
            for i, row in enumerate(rows[face['face']]):
                writer.writerow([
                    row['face'], i, row['start_frame'], row['end_frame'],
                    f'{row["start_s"]:.3f}', f'{row["end_s"]:.3f}',
                    f'{row["face_coverage"]:.3f}', row['top_class'],
                    *(f'{row["scores"][c]:.6f}' if row['scores'] else ''
                      for c in classes)
                ])
    with open(osp.join(out_dir, 'predictions.json'), 'w') as f:
        json.dump(
            dict(
                info,
                classes=list(classes),
                faces=[
                    dict(face, windows=rows[face['face']]) for face in faces
                ]),
            f,
            indent=1)


def plot_timeline(path: str, timelines: list, classes: tuple,
                  title: str) -> None:
    """A row per face: each class's probability at the windows' centres;
    a gap where a window was not scored."""
    import matplotlib
    matplotlib.use('Agg')
    import matplotlib.pyplot as plt
    fig, axes = plt.subplots(
        len(timelines),
        1,
        figsize=(10, 1 + 2.2 * len(timelines)),
        dpi=100,
        sharex=True,
        squeeze=False)
    colours = [f'C{c % 10}' for c in range(len(classes))]
    for ax, timeline in zip(axes[:, 0], timelines):
        centres = timeline.spans.mean(1) / timeline.track.fps
        for c, name in enumerate(classes):
            ax.plot(
                centres,
                timeline.scores[:, c],
                marker='.',
                label=name,
                color=colours[c])
        ax.set_ylim(0, 1)
        ax.set_ylabel(f'face {timeline.face_id}')
        ax.grid(alpha=0.3)
    axes[0, 0].set_title(title)
    axes[0, 0].legend(
        loc='upper left', bbox_to_anchor=(1, 1), fontsize='small')
    axes[-1, 0].set_xlabel('time (s), at the centre of each window; gaps: '
                           'too little face to score')
    fig.tight_layout()
    fig.savefig(path)
    plt.close(fig)


def frame_labels(timeline: FaceTimeline, classes: tuple) -> list:
    """The label drawn on each frame for a face: its id and the top class
    of the scored window whose centre is nearest."""
    labels = []
    for window in timeline.frame_windows():
        if window < 0:
            labels.append(f'{timeline.face_id}')
            continue
        score = timeline.scores[window]
        labels.append(f'{timeline.face_id}: {classes[int(score.argmax())]} '
                      f'{score.max():.2f}')
    return labels


def write_video(path: str, video: str, timelines: list, classes: tuple,
                allow_partial: bool) -> None:
    """The video with each face's box, id and the top class of its
    nearest window drawn on every frame (orange where the box is filled
    in, not detected)."""
    labels = [frame_labels(timeline, classes) for timeline in timelines]
    writer = None
    for index, frame in enumerate(VideoReader(video, allow_partial)):
        if writer is None:
            height, width = frame.shape[:2]
            writer = cv2.VideoWriter(path, cv2.VideoWriter_fourcc(*'mp4v'),
                                     timelines[0].track.fps, (width, height))
        for timeline, label in zip(timelines, labels):
            track = timeline.track
            if not track.kept[index]:
                continue
            x1, y1, x2, y2 = track.boxes[index].round().astype(int)
            colour = (0, 200, 0) if track.detected[index] else (0, 200, 255)
            cv2.rectangle(frame, (x1, y1), (x2, y2), colour, 2)
            cv2.putText(frame, label[index], (x1, max(y1 - 8, 16)),
                        cv2.FONT_HERSHEY_SIMPLEX, 0.6, colour, 2)
        writer.write(frame)
    writer.release()


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
    rows = [window_rows(timeline, classes) for timeline in timelines]
    faces = [
        dict(
            face=timeline.face_id,
            first_frame=int(np.flatnonzero(timeline.track.kept)[0]),
            last_frame=int(np.flatnonzero(timeline.track.kept)[-1]),
            face_detected=timeline.track.num_detected)
        for timeline in timelines
    ]
    for face, timeline in zip(faces, timelines):
        tops = [r['top_class'] for r in rows[face['face']] if r['top_class']]
        top = max(classes, key=tops.count) if tops else 'none'
        print(f'face {face["face"]}: frames {face["first_frame"]}-'
              f'{face["last_frame"]}, detected in {face["face_detected"]}; '
              f'{int(timeline.scored.sum())} of {len(timeline.spans)} '
              f'windows scored, most often on top: {top}')
    if not all(timeline.scored.all() for timeline in timelines):
        print('Windows in which a face is detected in fewer than '
              f'{args.min_face_coverage:.0%} of the frames (the rest are '
              'filled from nearby boxes) are not scored '
              '(--min-face-coverage)')
    info = dict(
        video=osp.abspath(args.video),
        config=args.config,
        checkpoint=args.checkpoint,
        fps=timelines[0].track.fps,
        frames=num_frames,
        min_face_coverage=args.min_face_coverage,
        window_seconds=seconds,
        stride_seconds=args.stride_seconds,
        sampler=repr(frame_sampler(cfg.test_pipeline)))

    # Everything goes to a temporary folder first, so an interrupted run
    # leaves no partial results in out_dir.
    with staging_folder(out_dir) as tmp:
        write_tables(tmp, rows, faces, classes, info)
        plot_timeline(
            osp.join(tmp, 'timeline.png'), timelines, classes,
            f'{osp.basename(args.video)}: class probability per '
            f'{seconds:g} s window, per face')
        if args.video_out:
            write_video(
                osp.join(tmp, 'annotated.mp4'), args.video, timelines, classes,
                args.allow_partial)
        os.makedirs(out_dir, exist_ok=True)
        for file in os.listdir(tmp):
            target = (
                args.video_out if file == 'annotated.mp4' else osp.join(
                    out_dir, file))
            shutil.move(osp.join(tmp, file), target)
    print(f'{num_frames} frames in {elapsed:.1f} s: '
          f'{num_frames / elapsed:.1f} frames/s, {len(timelines)} '
          f'face(s). Results in {out_dir}' +
          (f' and {args.video_out}' if args.video_out else ''))


if __name__ == '__main__':
    main()
