"""What the demos write of the faces of a video: tables, a plot and the
video with the faces marked."""
import csv
import json
import os.path as osp
from fractions import Fraction
from typing import Dict, List, Optional, Sequence

import cv2
import numpy as np

from .face_timeline import FaceTimeline
from .video_reader import VideoReader

__all__ = [
    'face_summary', 'plot_timelines', 'timeline_rows', 'write_annotated_video',
    'write_timeline_files'
]

GREEN, ORANGE = (0, 200, 0), (0, 200, 255)


def timeline_rows(timeline: FaceTimeline, classes: Sequence[str]) -> list:
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
            scores={c: float(s)
                    for c, s in zip(classes, score)} if ok else None)
        for (start, end), share, ok, score in zip(
            timeline.spans, timeline.coverage, timeline.scored,
            timeline.scores)
    ]


def face_summary(timeline: FaceTimeline, classes: Sequence[str]) -> dict:
    """A face's id, first and last frame, detected frames, windows (all and
    scored) and the class most often on top."""
    kept = np.flatnonzero(timeline.track.kept)
    tops = [classes[int(s.argmax())] for s in timeline.scores[
        timeline.scored]]
    return dict(
        face=timeline.face_id,
        first_frame=int(kept[0]),
        last_frame=int(kept[-1]),
        face_detected=timeline.track.num_detected,
        windows=len(timeline.spans),
        scored=int(timeline.scored.sum()),
        top_class=max(classes, key=tops.count) if tops else '')


def _write_tables(folder: str, timelines: List[FaceTimeline],
                  classes: Sequence[str], info: dict) -> None:
    rows = [timeline_rows(timeline, classes) for timeline in timelines]
    with open(osp.join(folder, 'predictions.csv'), 'w', newline='') as f:
        writer = csv.writer(f)
        writer.writerow([
            'face', 'window', 'start_frame', 'end_frame', 'start_s', 'end_s',
            'face_coverage', 'top_class', *classes
        ])
        for face in rows:
            for i, row in enumerate(face):
                writer.writerow([
                    row['face'], i, row['start_frame'], row['end_frame'],
                    f'{row["start_s"]:.3f}', f'{row["end_s"]:.3f}',
                    f'{row["face_coverage"]:.3f}', row['top_class'],
                    *(f'{row["scores"][c]:.6f}' if row['scores'] else ''
                      for c in classes)
                ])
    faces = [
        dict(face_summary(timeline, classes), windows=face)
        for timeline, face in zip(timelines, rows)
    ]
    with open(osp.join(folder, 'predictions.json'), 'w') as f:
        json.dump(dict(info, classes=list(classes), faces=faces), f, indent=1)


def plot_timelines(path: str, timelines: List[FaceTimeline],
                   classes: Sequence[str], title: str) -> None:
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
            ax.plot(centres, timeline.scores[:, c], marker='.', label=name,
                    color=colours[c])
        ax.set_ylim(0, 1)
        ax.set_ylabel(f'face {timeline.face_id}')
        ax.grid(alpha=0.3)
    axes[0, 0].set_title(title)
    axes[0, 0].legend(loc='upper left', bbox_to_anchor=(1, 1),
                      fontsize='small')
    axes[-1, 0].set_xlabel('time (s), at the centre of each window; gaps: '
                           'too little face to score')
    fig.tight_layout()
    fig.savefig(path)
    plt.close(fig)


def _frame_labels(timeline: FaceTimeline, classes: Sequence[str]) -> list:
    """The label drawn on each frame for a face: its id and the top class
    of the scored window whose centre is nearest."""
    labels = []
    for window in timeline.frame_windows():
        score = timeline.scores[window]
        labels.append(f'{timeline.face_id}' if window < 0 else
                      f'{timeline.face_id}: {classes[int(score.argmax())]} '
                      f'{score.max():.2f}')
    return labels


def write_annotated_video(path: str,
                          video: str,
                          timelines: List[FaceTimeline],
                          classes: Sequence[str],
                          allow_partial: bool = False) -> None:
    """The video with each face's box, id and the top class of its
    nearest window drawn on every frame (orange where the box is filled
    in, not detected), as H.264 that browsers play (MPEG-4 part 2 where
    PyAV has no H.264 encoder)."""
    import av
    labels = [_frame_labels(timeline, classes) for timeline in timelines]
    codec = 'libx264' if 'libx264' in av.codecs_available else 'mpeg4'
    with av.open(path, 'w') as container:
        stream = None
        for index, frame in enumerate(VideoReader(video, allow_partial)):
            for timeline, label in zip(timelines, labels):
                track = timeline.track
                if not track.kept[index]:
                    continue
                x1, y1, x2, y2 = track.boxes[index].round().astype(int)
                colour = GREEN if track.detected[index] else ORANGE
                cv2.rectangle(frame, (x1, y1), (x2, y2), colour, 2)
                cv2.putText(frame, label[index], (x1, max(y1 - 8, 16)),
                            cv2.FONT_HERSHEY_SIMPLEX, 0.6, colour, 2)
            # Even sides, as 4:2:0 chroma needs.
            height, width = frame.shape[0] // 2 * 2, frame.shape[1] // 2 * 2
            if stream is None:
                stream = container.add_stream(
                    codec,
                    rate=Fraction(timelines[0].track.fps).limit_denominator(
                        1001))
                stream.width, stream.height = width, height
                stream.pix_fmt = 'yuv420p'
            picture = av.VideoFrame.from_ndarray(
                np.ascontiguousarray(frame[:height, :width]), format='bgr24')
            container.mux(stream.encode(picture))
        container.mux(stream.encode())


def write_timeline_files(folder: str,
                         timelines: List[FaceTimeline],
                         classes: Sequence[str],
                         info: dict,
                         video: Optional[str] = None,
                         allow_partial: bool = False) -> Dict[str, str]:
    """Write what the demos give of the faces of a video into ``folder``:
    ``predictions.csv`` (a row per face and window), ``predictions.json``
    (``info``, the video's frame rate and frames, the classes and each
    face with its windows),
    ``timeline.png`` (a row per face) and, given the ``video``,
    ``annotated.mp4``.

    Returns:
        dict[str, str]: File name to path.
    """
    track = timelines[0].track
    info = dict(info, fps=track.fps, frames=track.num_frames)
    _write_tables(folder, timelines, classes, info)
    name = osp.basename(info.get('video', video or ''))
    seconds = info.get('window_seconds')
    plot_timelines(
        osp.join(folder, 'timeline.png'), timelines, classes,
        f'{name}: class probability per ' +
        (f'{seconds:g} s ' if seconds else '') + 'window, per face')
    if video is not None:
        write_annotated_video(
            osp.join(folder, 'annotated.mp4'), video, timelines, classes,
            allow_partial)
    names = ['predictions.csv', 'predictions.json', 'timeline.png'] + (
        ['annotated.mp4'] if video is not None else [])
    return {name: osp.join(folder, name) for name in names}
