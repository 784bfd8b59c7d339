from typing import Optional

import numpy as np

__all__ = ['OnlineFaceTrack']


class OnlineFaceTrack:
    """One face followed frame by frame, from past frames only, for a live
    camera (:class:`FaceTrack` smooths over past and future frames of a
    whole video).

    The first face is the largest, after that the one nearest the last
    box. The square box (the face box's longer side plus ``margin`` on each
    side) is an exponential moving average of its centre and side; a frame
    without a face keeps the last box.

    Args:
        margin (float): Padding on each side, as a fraction of the face
            box's longer side. Defaults to 0.2 (as :class:`FaceCropper`).
        smoothing (float): Weight of the new box in the moving average, in
            (0, 1]; 1 turns smoothing off. Defaults to 0.3.
    """

    def __init__(self, margin: float = 0.2, smoothing: float = 0.3) -> None:
        if margin < 0 or not 0 < smoothing <= 1:
            raise ValueError(f'need margin >= 0 and 0 < smoothing <= 1, got '
                             f'margin={margin}, smoothing={smoothing}')
        self.margin = margin
        self.smoothing = smoothing
        self.square: Optional[np.ndarray] = None  # centre x, y, side

    def update(self, boxes: np.ndarray) -> Optional[np.ndarray]:
        """Follow the face into a new frame.

        Args:
            boxes (np.ndarray): ``(K, 5)`` detections of the frame
                (``x1, y1, x2, y2, score``), as from :class:`FaceDetector`.

        Returns:
            np.ndarray | None: The square crop box ``x1, y1, x2, y2``, or
            None while no face has been seen.
        """
        if len(boxes):
            centres = (boxes[:, :2] + boxes[:, 2:4]) / 2
            sides = (boxes[:, 2:4] - boxes[:, :2]).max(1)
            if self.square is None:
                best = int(np.argmax(sides))
            else:
                best = int(np.argmin(
                    np.linalg.norm(centres - self.square[:2], axis=1)))
            new = np.array([*centres[best],
                            sides[best] * (1 + 2 * self.margin)])
            self.square = new if self.square is None else (
                self.smoothing * new + (1 - self.smoothing) * self.square)
        if self.square is None:
            return None
        half = self.square[2] / 2
        return np.concatenate(
            [self.square[:2] - half, self.square[:2] + half])
