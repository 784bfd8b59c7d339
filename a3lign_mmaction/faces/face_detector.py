import os

import numpy as np

__all__ = ['FaceDetector']

_MODELS = {'short': 0, 'full': 1}


class FaceDetector:
    """MediaPipe's BlazeFace face detector; its models ship inside the
    ``mediapipe`` wheel, so it runs offline.

    Args:
        model (str): ``'short'`` (faces within about 2 m of the camera, the
            usual case for expression videos) or ``'full'`` (faces up to
            about 5 m). Defaults to ``'short'``.
        min_score (float): Detections scoring lower are ignored. On the
            test videos real faces score 0.84 or more and false detections
            at most 0.62. Defaults to 0.75.
    """

    def __init__(self, model: str = 'short', min_score: float = 0.75) -> None:
        if model not in _MODELS:
            raise ValueError(
                f'model must be one of {sorted(_MODELS)}, got {model!r}')
        os.environ.setdefault('GLOG_minloglevel', '2')  # quiet C++ logging
        try:
            from mediapipe.python.solutions.face_detection import FaceDetection
        except ImportError as e:
            raise ImportError('Face detection needs MediaPipe: pip install '
                              '-e ".[faces]"') from e
        self.min_score = min_score
        # MediaPipe's own threshold does not filter below about 0.5.
        self._detector = FaceDetection(
            model_selection=_MODELS[model],
            min_detection_confidence=min(min_score, 0.5))

    def __call__(self, frame: np.ndarray) -> np.ndarray:
        """Detect the faces in one frame.

        Args:
            frame (np.ndarray): ``(H, W, 3)`` uint8 BGR image.

        Returns:
            np.ndarray: ``(K, 5)`` float boxes ``x1, y1, x2, y2, score`` in
            pixels, one row per face.
        """
        height, width = frame.shape[:2]
        result = self._detector.process(
            np.ascontiguousarray(frame[:, :, ::-1]))
        boxes = [(box.xmin * width, box.ymin * height,
                  (box.xmin + box.width) * width,
                  (box.ymin + box.height) * height, det.score[0])
                 for det in result.detections or []
                 for box in [det.location_data.relative_bounding_box]]
        boxes = np.array(boxes, np.float64).reshape(-1, 5)
        return boxes[boxes[:, 4] >= self.min_score]

    def close(self) -> None:
        """Release the detector's graph."""
        self._detector.close()
