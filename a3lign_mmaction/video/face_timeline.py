from dataclasses import dataclass
from typing import List

import cv2
import numpy as np

from ..utils import Report, TaskProgress
from .face_cropper import FaceCropper
from .face_track import FaceTrack
from .window_inference import (STRIDE_SECONDS, WINDOW_SECONDS, window_indices,
                               window_spans)
from .window_scorer import WindowScorer

__all__ = ['FaceTimeline']


@dataclass
class FaceTimeline:
    """One face's class scores through a video, window by window.

    Attributes:
        face_id (int): The face's id (:class:`FaceTracker`), from 0 in the
            order faces appear.
        track (FaceTrack): Its boxes in every frame of the video (NaN
            before it appears and after it leaves).
        spans (np.ndarray): ``(W, 2)`` int ``[start, end)`` frames of the
            windows slid over the frames it is in.
        coverage (np.ndarray): ``(W,)`` share of each window's frames in
            which the face was detected.
        scores (np.ndarray): ``(W, C)`` class scores; NaN rows for the
            windows not scored (too little face).
    """

    face_id: int
    track: FaceTrack
    spans: np.ndarray
    coverage: np.ndarray
    scores: np.ndarray

    @property
    def scored(self) -> np.ndarray:
        """``(W,)`` bool: the windows with scores."""
        return ~np.isnan(self.scores[:, 0])

    def frame_windows(self) -> np.ndarray:
        """``(N,)`` for each frame of the video, the scored window whose
        centre is nearest, or -1 where the face has no box or no window
        was scored."""
        nearest = np.full(self.track.num_frames, -1)
        scored = np.flatnonzero(self.scored)
        if len(scored):
            centres = self.spans[scored].mean(1)
            frames = np.flatnonzero(self.track.kept)
            nearest[frames] = scored[np.abs(frames[:, None] -
                                            centres[None]).argmin(1)]
        return nearest

    @classmethod
    def from_video(cls,
                   video: str,
                   scorer_cfg: dict,
                   cropper: FaceCropper,
                   window_seconds: float = WINDOW_SECONDS,
                   stride_seconds: float = STRIDE_SECONDS,
                   min_face_coverage: float = 0.5,
                   tracker: dict = None,
                   progress: Report = False) -> List['FaceTimeline']:
        """The timeline of every face of a video.

        Faces are found and tracked (:meth:`FaceCropper.face_tracks`),
        windows slide over the frames each face is in, and the windows in
        which the face was detected in at least ``min_face_coverage`` of
        the frames are scored, each frame through the image tower once
        (:class:`WindowScorer`). The video is read twice: to track, and
        to crop and embed; memory holds frame embeddings, not frames.

        Args:
            video (str): Video file.
            scorer_cfg (dict): Arguments of :class:`WindowScorer`
                (``model`` and ``test_pipeline`` at least), for the
                scorer of each face.
            cropper (FaceCropper): Finds faces and cuts them out.
            window_seconds (float): A window's length. Defaults to
                :data:`WINDOW_SECONDS`; :func:`window_seconds` gives a
                config's.
            stride_seconds (float): Time between window starts. Defaults
                to 0.5.
            min_face_coverage (float): Least share of a window's frames
                with the face detected (the others are filled from nearby
                boxes) for it to be scored. Defaults to 0.5.
            tracker (dict, optional): Arguments of :class:`FaceTracker`.
            progress (bool | callable): Report the progress of both
                passes (bars for True, see :data:`Report`). Defaults to
                False.

        Returns:
            list[FaceTimeline]: One per face, by id.

        Raises:
            BadVideoError: If the video cannot be read or has no frames;
                :class:`NoFaceError` if it has no face.
        """
        tracks = cropper.face_tracks(video, progress, tracker)
        scorers = [WindowScorer(**scorer_cfg) for _ in tracks]
        spans, coverage, scored, indices = [], [], [], []
        for track, scorer in zip(tracks, scorers):
            kept = np.flatnonzero(track.kept)
            spans.append(kept[0] +
                         window_spans(kept[-1] + 1 - kept[0], track.fps,
                                      window_seconds, stride_seconds))
            coverage.append(
                np.array([
                    track.detected[start:end].mean()
                    for start, end in spans[-1]
                ]))
            scored.append(coverage[-1] >= min_face_coverage)
            indices.append(
                window_indices(spans[-1][scored[-1]], scorer.sampler))
        _embed_crops(video, cropper, tracks, scorers, indices, progress)
        timelines = []
        for face_id, track in enumerate(tracks):
            scores = np.full(
                (len(spans[face_id]), scorers[face_id].num_classes), np.nan)
            if scored[face_id].any():
                scores[scored[face_id]] = scorers[face_id](indices[face_id])
            timelines.append(
                cls(face_id, track, spans[face_id], coverage[face_id], scores))
        return timelines


def _embed_crops(video: str, cropper: FaceCropper, tracks: List[FaceTrack],
                 scorers: List[WindowScorer], indices: List[np.ndarray],
                 progress: Report) -> None:
    """Crop the frames each face's windows take and hand them to the
    face's scorer, a batch at a time."""
    wanted = [set(i.ravel().tolist()) for i in indices]
    pending = [{} for _ in tracks]
    bar = TaskProgress(tracks[0].num_frames, progress,
                       'cropping and embedding faces')
    for index, crops in cropper.face_crops(video, tracks, wanted):
        for face_id, crop in crops.items():
            pending[face_id][index] = cv2.cvtColor(crop, cv2.COLOR_BGR2RGB)
            if len(pending[face_id]) == scorers[face_id].batch_size:
                scorers[face_id].add(pending[face_id])
                pending[face_id] = {}
        bar.update()
    bar.close()
    for scorer, frames in zip(scorers, pending):
        if frames:
            scorer.add(frames)
