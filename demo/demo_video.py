"""What a trained model says about a raw video, window by window.

Usage::

    python demo/demo_video.py VIDEO CONFIG CHECKPOINT [--out-dir DIR]
        [--window-seconds S] [--stride-seconds 0.5]
        [--video-out DIR/annotated.mp4] [--device cpu]
        [--face-model MODEL.tflite]
        [--cfg-options model.clip.checkpoint=/path/to/ViT-L-14.pt ...]

The face is cropped as the datasets were (``tools/face_crop.py``), a
window slides over the video, and each window's class probabilities go to
``DIR/predictions.csv`` and ``.json`` and a timeline plot
``DIR/timeline.png``, with the window's start and end; ``--video-out``
also writes the video with the face box and the top class drawn on it.
A window lasts as long as a typical training clip of the config's dataset
(DFEW 2.8 s, MAFW 3.3 s, FERV39k 1.1 s; 2.8 s for others), in frames at
the video's frame rate, and the model sees the frames the config's test
sampler takes from it, as from a clip (the middle frame of each of 16
equal segments). A window whose frames show a detected face in fewer
than ``--min-face-coverage`` of them (0.5; the others are filled from
nearby boxes) is not scored: its row gives its face coverage and no
class. Checkpoints of models trained with a CLIP weight file
leave the frozen CLIP out, so the config must name the same file the
model was trained with (another one is refused). The model scores the way
its checkpoint was validated (a BAP stage-1 checkpoint through the
temporal mean).
"""
import argparse
import csv
import json
import os
import os.path as osp
import shutil
import sys

import cv2
import numpy as np
from mmaction.apis import init_recognizer
from mmengine.config import DictAction

from a3lign_mmaction.datasets import class_names
from a3lign_mmaction.engine import NO_CHECKPOINT
from a3lign_mmaction.utils import load_config, staging_folder
from a3lign_mmaction.video import (BadVideoError, FaceCropper, FaceModelError,
                                   VideoReader, face_detector_settings,
                                   frame_sampler, predict_windows,
                                   window_indices, window_pipeline,
                                   window_seconds, window_spans)


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
        '--window-seconds', type=float,
        help="a window's length (default: a typical training clip of the "
        "config's dataset)")
    parser.add_argument(
        '--stride-seconds', type=float, default=0.5,
        help='time between window starts')
    parser.add_argument(
        '--min-face-coverage', type=float, default=0.5,
        help='least share of a window\'s frames with a detected face; '
        'windows below it are not scored (their other frames are filled '
        'from nearby boxes, i.e. guesses)')
    parser.add_argument(
        '--video-out', help='also write an annotated video (.mp4) here')
    parser.add_argument('--device', default='cpu')
    parser.add_argument(
        '--face-model',
        help="BlazeFace .tflite model (default: the config's FaceCrop one, "
        'the short-range model shipped with the plugin unless FACE_MODEL '
        'names another)')
    parser.add_argument(
        '--crop-size', type=int, default=224, help='face crop side')
    parser.add_argument(
        '--allow-partial', action='store_true',
        help='score the frames that decode of a truncated video (by default '
        'such a video is refused, as its header lists more frames)')
    parser.add_argument('--cfg-options', nargs='+', action=DictAction)
    return parser.parse_args()


def score_windows(model, cfg, sampler, crops: list, spans: np.ndarray,
                  scored: np.ndarray) -> np.ndarray:
    """Class scores of the windows marked ``scored``, on the frames the
    config's test sampler takes from each; NaN for the others."""
    scores = np.full((len(spans), model.cls_head.num_classes), np.nan)
    if scored.any():
        scores[scored] = predict_windows(
            model,
            crops,
            window_indices(spans[scored], sampler),
            window_pipeline(cfg.test_pipeline),
            face_cropped=True,
            num_clips=sampler.num_clips)
    return scores


def write_tables(out_dir: str, rows: list, classes: tuple,
                 info: dict) -> None:
    with open(osp.join(out_dir, 'predictions.csv'), 'w', newline='') as f:
        writer = csv.writer(f)
        writer.writerow([
            'window', 'start_frame', 'end_frame', 'start_s', 'end_s',
            'face_coverage', 'top_class', *classes
        ])
        for i, row in enumerate(rows):
            writer.writerow([
                i, row['start_frame'], row['end_frame'],
                f'{row["start_s"]:.3f}', f'{row["end_s"]:.3f}',
                f'{row["face_coverage"]:.3f}', row['top_class'],
                *(f'{row["scores"][c]:.6f}' if row['scores'] else ''
                  for c in classes)
            ])
    with open(osp.join(out_dir, 'predictions.json'), 'w') as f:
        json.dump(dict(info, classes=list(classes), windows=rows), f,
                  indent=1)


def plot_timeline(path: str, spans: np.ndarray, fps: float,
                  scores: np.ndarray, classes: tuple, title: str) -> None:
    """Each class's probability at the windows' centres, and below it each
    window from its start to its end, in the colour of its top class."""
    import matplotlib
    matplotlib.use('Agg')
    import matplotlib.pyplot as plt
    fig, (ax, bars) = plt.subplots(
        2, 1, figsize=(10, 4), dpi=100, sharex=True,
        gridspec_kw=dict(height_ratios=(4, 1)))
    seconds = spans / fps
    colours = [f'C{c % 10}' for c in range(len(classes))]
    for c, name in enumerate(classes):
        ax.plot(seconds.mean(1), scores[:, c], marker='.', label=name,
                color=colours[c])
    ax.set_ylabel('probability')
    ax.set_ylim(0, 1)
    ax.set_title(title)
    ax.grid(alpha=0.3)
    ax.legend(loc='center left', bbox_to_anchor=(1, 0.5), fontsize='small')
    bars.hlines(
        np.arange(len(spans)), seconds[:, 0], seconds[:, 1],
        colors=['lightgrey' if np.isnan(row).any() else
                colours[int(row.argmax())] for row in scores],
        linewidth=1.5)
    bars.set_yticks([])
    bars.set_ylabel('windows', fontsize='small')
    bars.invert_yaxis()
    bars.set_xlabel('time (s); each window from its start to its end, in '
                    'the colour of its top class (grey: too little face '
                    'to score)')
    fig.tight_layout()
    fig.savefig(path)
    plt.close(fig)


def write_video(path: str, video: str, track, frame_labels: list,
                allow_partial: bool) -> None:
    """The video with the face box and the top class of the nearest
    window drawn on every frame."""
    writer = None
    for index, frame in enumerate(VideoReader(video, allow_partial)):
        if writer is None:
            height, width = frame.shape[:2]
            writer = cv2.VideoWriter(path, cv2.VideoWriter_fourcc(*'mp4v'),
                                     track.fps, (width, height))
        if track.kept[index]:
            x1, y1, x2, y2 = track.boxes[index].round().astype(int)
            colour = (0, 200, 0) if track.detected[index] else (0, 200, 255)
            cv2.rectangle(frame, (x1, y1), (x2, y2), colour, 2)
            cv2.putText(frame, frame_labels[index], (x1, max(y1 - 8, 16)),
                        cv2.FONT_HERSHEY_SIMPLEX, 0.6, colour, 2)
        writer.write(frame)
    writer.release()


def window_rows(spans: np.ndarray, fps: float, coverage: np.ndarray,
                scored: np.ndarray, scores: np.ndarray,
                classes: tuple) -> list:
    """One row per window: its frames and seconds, face coverage, top
    class and class probabilities (none for a window not scored)."""
    return [
        dict(
            start_frame=int(start),
            end_frame=int(end) - 1,
            start_s=start / fps,
            end_s=end / fps,
            face_coverage=float(share),
            top_class=classes[int(score.argmax())] if ok else '',
            scores={c: float(s)
                    for c, s in zip(classes, score)} if ok else None)
        for (start, end), share, ok, score in zip(spans, coverage, scored,
                                                  scores)
    ]


def frame_labels(spans: np.ndarray, track, rows: list,
                 scores: np.ndarray) -> list:
    """The label drawn on each frame: the top class of the window whose
    centre is nearest."""
    centres = spans.mean(1) / track.fps
    nearest = np.abs(
        np.arange(track.num_frames)[:, None] / track.fps -
        centres[None]).argmin(1)
    return [
        f'{rows[w]["top_class"]} {scores[w].max():.2f}'
        if rows[w]['scores'] else 'no face' for w in nearest
    ]


def main() -> None:
    args = parse_args()
    cfg = load_config(args.config, args.cfg_options)
    name = osp.splitext(osp.basename(args.video))[0]
    out_dir = args.out_dir or osp.join('work_dirs', 'demo_video', name)
    try:
        cropper = FaceCropper(
            size=args.crop_size,
            detector=face_detector_settings(cfg.test_pipeline,
                                            args.face_model),
            allow_partial=args.allow_partial)
        track = cropper.track(args.video, progress=True)
        crops = [
            cv2.cvtColor(crop, cv2.COLOR_BGR2RGB)
            for _, crop in cropper.crops(args.video, track)
        ]
    except (BadVideoError, FaceModelError) as e:
        sys.exit(f'error: {e}')
    print(f'{args.video}: {track.summary()}')

    model = init_recognizer(
        cfg,
        None if args.checkpoint == NO_CHECKPOINT else args.checkpoint,
        device=args.device)
    seconds = args.window_seconds or window_seconds(cfg)
    spans = window_spans(len(crops), track.fps, seconds, args.stride_seconds)
    coverage = np.array(
        [track.detected[start:end].mean() for start, end in spans])
    scored = coverage >= args.min_face_coverage
    sampler = frame_sampler(cfg.test_pipeline)
    scores = score_windows(model, cfg, sampler, crops, spans, scored)
    classes = class_names(cfg, scores.shape[1])
    rows = window_rows(spans, track.fps, coverage, scored, scores, classes)
    unscored = int((~scored).sum())
    if unscored:
        print(f'{unscored} of {len(rows)} windows show a detected face in '
              f'fewer than {args.min_face_coverage:.0%} of their frames (the '
              'rest are filled from nearby boxes): not scored '
              '(--min-face-coverage)')
    info = dict(
        video=osp.abspath(args.video),
        config=args.config,
        checkpoint=args.checkpoint,
        fps=track.fps,
        frames=track.num_frames,
        face_detected=track.num_detected,
        face_filled=track.num_filled,
        min_face_coverage=args.min_face_coverage,
        window_seconds=seconds,
        stride_seconds=args.stride_seconds,
        sampler=repr(sampler))

    # Everything goes to a temporary folder first, so an interrupted run
    # leaves no partial results in out_dir.
    with staging_folder(out_dir) as tmp:
        write_tables(tmp, rows, classes, info)
        plot_timeline(
            osp.join(tmp, 'timeline.png'), spans, track.fps, scores,
            classes, f'{osp.basename(args.video)}: class probability per '
            f'{seconds:g} s window')
        if args.video_out:
            write_video(
                osp.join(tmp, 'annotated.mp4'), args.video, track,
                frame_labels(spans, track, rows, scores), args.allow_partial)
        os.makedirs(out_dir, exist_ok=True)
        for file in os.listdir(tmp):
            target = (args.video_out if file == 'annotated.mp4' else
                      osp.join(out_dir, file))
            shutil.move(osp.join(tmp, file), target)
    tops = [r['top_class'] for r in rows if r['top_class']]
    top = max(classes, key=tops.count) if tops else 'none (no window scored)'
    print(f'{len(rows)} windows; most often on top: {top}. Results in '
          f'{out_dir}' + (f' and {args.video_out}' if args.video_out else ''))


if __name__ == '__main__':
    main()
