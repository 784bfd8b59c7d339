from dataclasses import dataclass
from typing import Sequence

import numpy as np

__all__ = ['FaceTrack']

_MISSING = ('fill', 'drop')


def _choose(detections: Sequence[np.ndarray]) -> np.ndarray:
    """One face per frame: the largest at first, then the one whose centre
    is closest to the last chosen face. NaN rows where none was found."""
    chosen = np.full((len(detections), 5), np.nan)
    previous = None
    for index, boxes in enumerate(detections):
        if not len(boxes):
            continue
        centres = (boxes[:, :2] + boxes[:, 2:4]) / 2
        if previous is None:
            sizes = np.prod(boxes[:, 2:4] - boxes[:, :2], axis=1)
            best = int(np.argmax(sizes))
        else:
            best = int(np.argmin(np.linalg.norm(centres - previous, axis=1)))
        chosen[index] = boxes[best]
        previous = centres[best]
    return chosen


def _moving_average(values: np.ndarray, window: int) -> np.ndarray:
    """Centred moving average along axis 0; the ends repeat the edge."""
    if window <= 1 or len(values) < 2:
        return values
    half = window // 2
    padded = np.pad(values, ((half, half), (0, 0)), mode='edge')
    kernel = np.ones(2 * half + 1) / (2 * half + 1)
    return np.stack([
        np.convolve(padded[:, i], kernel, mode='valid')
        for i in range(values.shape[1])
    ], 1)


@dataclass
class FaceTrack:
    """One face followed through a video, and the square crop box of each
    frame.

    Attributes:
        detections (np.ndarray): ``(N, 5)`` the detector's box of the
            tracked face per frame (``x1, y1, x2, y2, score``); NaN where no
            face was found.
        boxes (np.ndarray): ``(N, 4)`` square crop boxes ``x1, y1, x2, y2``
            (smoothed, with the margin); NaN for dropped frames.
        fps (float): Frame rate of the video.
    """

    detections: np.ndarray
    boxes: np.ndarray
    fps: float = 25.0

    @classmethod
    def from_detections(cls,
                        detections: Sequence[np.ndarray],
                        margin: float = 0.2,
                        smooth: int = 9,
                        missing: str = 'fill',
                        fps: float = 25.0) -> 'FaceTrack':
        """Track one face through per-frame detections.

        Args:
            detections (sequence[np.ndarray]): Per frame, ``(K, 5)``
                detector boxes (``x1, y1, x2, y2, score``).
            margin (float): Padding on each side of the face, as a fraction
                of the face box's longer side. Defaults to 0.2.
            smooth (int): Frames in the centred moving average of the box
                centre and size (1 turns smoothing off). Defaults to 9.
            missing (str): Frames with no face: ``'fill'`` takes the box
                from the neighbouring frames (interpolated), ``'drop'``
                leaves them out. Defaults to ``'fill'``.
            fps (float): Frame rate of the video. Defaults to 25.

        Returns:
            FaceTrack: The track; no frame is kept when no face was found.
        """
        if missing not in _MISSING:
            raise ValueError(
                f'missing must be one of {_MISSING}, got {missing!r}')
        if margin < 0 or smooth < 1:
            raise ValueError(f'need margin >= 0 and smooth >= 1, got '
                             f'margin={margin}, smooth={smooth}')
        chosen = _choose(detections)
        found = np.flatnonzero(~np.isnan(chosen[:, 0]))
        boxes = np.full((len(chosen), 4), np.nan)
        if len(found):
            xy1, xy2 = chosen[found, :2], chosen[found, 2:4]
            # Centre and side of the square box, per found frame.
            square = np.concatenate([
                (xy1 + xy2) / 2,
                (xy2 - xy1).max(1, keepdims=True) * (1 + 2 * margin)
            ], 1)
            if missing == 'fill':
                frames = np.arange(len(chosen))
                square = np.stack([
                    np.interp(frames, found, square[:, i]) for i in range(3)
                ], 1)
                found = frames
            square = _moving_average(square, smooth)
            half = square[:, 2:] / 2
            boxes[found] = np.concatenate(
                [square[:, :2] - half, square[:, :2] + half], 1)
        return cls(chosen, boxes, fps)

    def trimmed(self) -> 'FaceTrack':
        """This track without the boxes before the face's first detection
        and after its last (which ``missing='fill'`` repeats from the
        nearest detection): for a face that enters or leaves the video.
        """
        found = np.flatnonzero(self.detected)
        boxes = np.full_like(self.boxes, np.nan)
        if len(found):
            span = slice(found[0], found[-1] + 1)
            boxes[span] = self.boxes[span]
        return FaceTrack(self.detections, boxes, self.fps)

    @property
    def detected(self) -> np.ndarray:
        """``(N,)`` bool: whether the face was found in each frame."""
        return ~np.isnan(self.detections[:, 0])

    @property
    def kept(self) -> np.ndarray:
        """``(N,)`` bool: whether each frame has a crop."""
        return ~np.isnan(self.boxes[:, 0])

    @property
    def num_frames(self) -> int:
        return len(self.boxes)

    @property
    def num_detected(self) -> int:
        return int(self.detected.sum())

    @property
    def num_filled(self) -> int:
        return int((self.kept & ~self.detected).sum())

    @property
    def num_dropped(self) -> int:
        return int((~self.kept).sum())

    def summary(self) -> str:
        """``'472 frames, face in 472 (100.0%), 0 filled, 0 dropped'``."""
        share = 100 * self.num_detected / max(self.num_frames, 1)
        return (f'{self.num_frames} frames, face in {self.num_detected} '
                f'({share:.1f}%), {self.num_filled} filled, '
                f'{self.num_dropped} dropped')
