import os
import os.path as osp
from typing import Container, Dict, Iterator, List, Optional, Sequence, Tuple

import cv2
import numpy as np

from ..utils import Report, TaskProgress, staging_folder
from .face_detector import FaceDetector
from .face_track import FaceTrack
from .face_tracker import FaceTracker
from .no_face_error import NoFaceError
from .video_reader import VideoReader

__all__ = ['FaceCropper']


def crop_square(frame: np.ndarray, box: np.ndarray, size: int) -> np.ndarray:
    """Cut ``box`` (``x1, y1, x2, y2``, square) out of ``frame`` and resize
    it to ``size`` pixels; parts outside the frame are black."""
    scale = size / (box[2] - box[0])
    matrix = np.array([[scale, 0, -box[0] * scale],
                       [0, scale, -box[1] * scale]])
    return cv2.warpAffine(
        frame, matrix, (size, size), flags=cv2.INTER_AREA
        if scale < 1 else cv2.INTER_LINEAR, borderValue=(0, 0, 0))


class FaceCropper:
    """Face-crops a video the way the DFER datasets are made: one face is
    detected in every frame, tracked, boxed in a smoothed square with a
    margin, and cut out at a fixed size.

    The video is decoded twice (detection, then cropping), so memory does
    not grow with its length.

    Args:
        size (int): Side of the crops in pixels. Defaults to 224 (DFEW's
            ``clip_224x224``).
        margin (float): See :meth:`FaceTrack.from_detections`.
            Defaults to 0.2.
        smooth (int): See :meth:`FaceTrack.from_detections`. Defaults to 9.
        missing (str): See :meth:`FaceTrack.from_detections`.
            Defaults to ``'fill'``.
        detector (dict, optional): Arguments of :class:`FaceDetector`.
        allow_partial (bool): Crop what decodes of a truncated video
            instead of refusing it (see :class:`VideoReader`). Defaults to
            False.
        min_detected (float): The least share of the frames a clip keeps
            in which a face was detected (the others are filled from their
            neighbours' boxes, ``missing='fill'``): below it,
            :meth:`crop_to_folder` refuses the video, whose crops would be
            mostly guesses (a face in 3 of 98 frames gives 95 crops of
            whatever is where the face was). Defaults to 0.5.
    """

    def __init__(self,
                 size: int = 224,
                 margin: float = 0.2,
                 smooth: int = 9,
                 missing: str = 'fill',
                 detector: Optional[dict] = None,
                 allow_partial: bool = False,
                 min_detected: float = 0.5) -> None:
        self.size = size
        self.allow_partial = allow_partial
        self.min_detected = min_detected
        self.track_cfg = dict(margin=margin, smooth=smooth, missing=missing)
        self.detector = FaceDetector(**(detector or {}))

    def _detections(
            self, reader: VideoReader,
            progress: Report) -> Iterator[Tuple[np.ndarray, np.ndarray]]:
        """Yield each frame of a video and the faces detected in it."""
        bar = TaskProgress(reader.num_frames, progress, 'finding faces')
        for frame in reader:
            yield frame, self.detector(frame)
            bar.update()
        bar.close()

    def track(self, video: str, progress: Report = False) -> FaceTrack:
        """Detect and track the face through a video.

        Args:
            video (str): Video file.
            progress (bool | callable): Report progress (a bar for True,
                see :data:`Report`). Defaults to False.

        Returns:
            FaceTrack: The face's boxes, frame by frame.

        Raises:
            BadVideoError: If the video cannot be read or has no frames;
                :class:`NoFaceError` if it has no face.
        """
        reader = VideoReader(video, self.allow_partial)
        detections = [boxes for _, boxes in self._detections(reader, progress)]
        track = FaceTrack.from_detections(
            detections, fps=reader.fps, **self.track_cfg)
        if not track.num_detected:
            raise NoFaceError(
                f'No face found in {video} (in none of its '
                f'{track.num_frames} frames).')
        return track

    def face_tracks(self,
                    video: str,
                    progress: Report = False,
                    tracker: Optional[dict] = None) -> List[FaceTrack]:
        """Detect and track every face through a video.

        Args:
            video (str): Video file.
            progress (bool | callable): Report progress (a bar for True,
                see :data:`Report`). Defaults to False.
            tracker (dict, optional): Arguments of :class:`FaceTracker`.

        Returns:
            list[FaceTrack]: A track per face, its index the face's id
            (:class:`FaceTracker`), each with boxes from the face's first
            detection to its last (:meth:`FaceTrack.trimmed`).

        Raises:
            BadVideoError: If the video cannot be read or has no frames;
                :class:`NoFaceError` if it has no face.
        """
        reader = VideoReader(video, self.allow_partial)
        faces = FaceTracker(**(tracker or {}))
        found: List[dict] = []
        num_frames = 0
        for frame, boxes in self._detections(reader, progress):
            for face_id, box in faces.update(boxes, frame).items():
                if face_id == len(found):
                    found.append({})
                found[face_id][num_frames] = box[None]
            num_frames += 1
        if not found:
            raise NoFaceError(f'No face found in {video} (in none of its '
                              f'{num_frames} frames).')
        none = np.empty((0, 5))
        return [
            FaceTrack.from_detections(
                [boxes.get(index, none) for index in range(num_frames)],
                fps=reader.fps,
                **self.track_cfg).trimmed() for boxes in found
        ]

    def crops(self, video: str,
              track: FaceTrack) -> Iterator[Tuple[int, np.ndarray]]:
        """Yield ``(frame index, crop)`` for every kept frame of a track.

        Args:
            video (str): The video the track was made from.
            track (FaceTrack): Its track.

        Yields:
            tuple[int, np.ndarray]: 0-based frame index and a
            ``(size, size, 3)`` uint8 BGR crop.
        """
        for index, crops in self.face_crops(video, [track]):
            if crops:
                yield index, crops[0]

    def face_crops(
        self,
        video: str,
        tracks: Sequence[FaceTrack],
        wanted: Optional[Sequence[Container[int]]] = None
    ) -> Iterator[Tuple[int, Dict[int, np.ndarray]]]:
        """Yield every frame's index and crops of the faces it shows.

        Args:
            video (str): The video the tracks were made from.
            tracks (sequence[FaceTrack]): Its tracks.
            wanted (sequence, optional): For each track, the frame indices
                to crop; by default every frame it keeps.

        Yields:
            tuple[int, dict[int, np.ndarray]]: 0-based frame index, and the
            ``(size, size, 3)`` uint8 BGR crop of each track (by its index
            in ``tracks``) that keeps the frame.
        """
        for index, frame in enumerate(VideoReader(video, self.allow_partial)):
            yield index, {
                face: crop_square(frame, track.boxes[index], self.size)
                for face, track in enumerate(tracks)
                if index < track.num_frames and track.kept[index] and (
                    wanted is None or index in wanted[face])
            }

    def crop_to_folder(self,
                       video: str,
                       out_dir: str,
                       progress: Report = False) -> FaceTrack:
        """Write a video's face crops as ``out_dir/00001.jpg, ...``.

        The folder appears only when complete: it is written under a
        temporary name beside ``out_dir`` and renamed at the end, once every
        write has succeeded and the folder holds a crop of every kept
        frame, so a failure (a full disk included) never leaves a partial
        clip that a dataset would read or a rerun would skip.

        Args:
            video (str): Video file.
            out_dir (str): Frame folder to create; must not exist.
            progress (bool | callable): Report progress (a bar for True,
                see :data:`Report`). Defaults to False.

        Returns:
            FaceTrack: The track the crops were cut from.

        Raises:
            NoFaceError: If a face was detected in fewer than
                :attr:`min_detected` of the frames kept.
            OSError: If a crop cannot be written (e.g. the disk is full) or
                fewer crops were written than frames kept; nothing is left
                under ``out_dir``.
        """
        if osp.exists(out_dir):
            raise FileExistsError(f'{out_dir} exists already')
        track = self.track(video, progress)
        kept = int(track.kept.sum())
        if track.num_detected < self.min_detected * kept:
            raise NoFaceError(
                f'{video}: a face was detected in {track.num_detected} of '
                f'the {kept} frames its clip would keep '
                f'({track.num_detected / kept:.1%}), fewer than '
                f'min_detected ({self.min_detected:.0%}); the other crops '
                'would be guesses. Keep only the detected frames with '
                '--missing drop, or lower --min-detected.')
        with staging_folder(out_dir) as tmp:
            count = 0
            for count, (_, crop) in enumerate(self.crops(video, track), 1):
                ok, data = cv2.imencode('.jpg', crop)
                if not ok:
                    raise OSError(f'{video}: frame {count} could not be '
                                  'encoded as JPEG')
                # Python's file writes raise on a short write (ENOSPC),
                # where cv2.imwrite returns False or leaves a cut file.
                with open(osp.join(tmp, f'{count:05d}.jpg'), 'wb') as f:
                    f.write(data.tobytes())
            if count != kept:
                raise OSError(f'{video}: {count} of its {kept} kept frames '
                              'were cropped; it changed while it was read')
            os.rename(tmp, out_dir)
        return track

    def close(self) -> None:
        """Release the face detector."""
        self.detector.close()
