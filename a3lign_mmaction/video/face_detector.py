import os
import os.path as osp
import weakref
from importlib.metadata import version
from typing import Optional

import numpy as np

from .face_model_error import FaceModelError

__all__ = ['FaceDetector', 'SHORT_RANGE_MODEL']

#: MediaPipe's BlazeFace short-range model, shipped with the package
#: (``face_models/README.md`` gives its source and licence).
SHORT_RANGE_MODEL = osp.join(
    osp.dirname(__file__), 'face_models',
    'face_detection_short_range.tflite')


class FaceDetector:
    """MediaPipe's BlazeFace face detector, run through MediaPipe's Tasks
    API on a model file, so it works offline on every MediaPipe from 0.10.

    Args:
        model (str, optional): A BlazeFace ``.tflite`` model. Defaults to
            :data:`SHORT_RANGE_MODEL` (faces within about 2 m of the camera,
            the usual case for expression videos). MediaPipe's full-range
            model (faces up to about 5 m) runs on MediaPipe 1.x; 0.10.21's
            Tasks API refuses it. A model that does not exist or that
            MediaPipe cannot run raises :class:`FaceModelError` here, not
            on the first frame.
        min_score (float): Detections scoring lower are ignored. On the
            test videos real faces score 0.84 or more and false detections
            at most 0.62 with the short-range model. Defaults to 0.75.
    """

    def __init__(self,
                 model: Optional[str] = None,
                 min_score: float = 0.75) -> None:
        self.model = model or SHORT_RANGE_MODEL
        if not osp.isfile(self.model):
            raise FaceModelError(
                f'face model {self.model} does not exist; give a BlazeFace '
                '.tflite file, or leave the model out for the short-range '
                'one shipped with a3lign_mmaction')
        os.environ.setdefault('GLOG_minloglevel', '2')  # quiet C++ logging
        try:
            import mediapipe as mp
            from mediapipe.tasks.python.core.base_options import BaseOptions
            from mediapipe.tasks.python.vision import \
                FaceDetector as TasksFaceDetector
            from mediapipe.tasks.python.vision import (FaceDetectorOptions,
                                                       RunningMode)
        except ImportError as e:
            raise ImportError('Face detection needs MediaPipe 0.10 or newer: '
                              'pip install -e ".[faces]"') from e
        self.min_score = min_score
        self._image = mp.Image
        self._srgb = mp.ImageFormat.SRGB
        options = FaceDetectorOptions(
            base_options=BaseOptions(model_asset_path=self.model),
            running_mode=RunningMode.IMAGE,
            # MediaPipe's own threshold does not filter below about 0.5.
            min_detection_confidence=min(min_score, 0.5))
        try:
            self._detector = TasksFaceDetector.create_from_options(options)
        except (RuntimeError, ValueError) as e:
            raise self._model_error(e) from e
        # Closed before interpreter shutdown, when MediaPipe's own __del__
        # would find its C bindings gone.
        self._finalizer = weakref.finalize(self, self._detector.close)
        # A model whose outputs MediaPipe's graph refuses (anchors of
        # another input size) fails only when it runs.
        self(np.zeros((128, 128, 3), np.uint8))

    def _model_error(self, error: Exception) -> FaceModelError:
        return FaceModelError(
            f'MediaPipe {version("mediapipe")} cannot run the face model '
            f'{self.model}: {error}. Give a BlazeFace model its Tasks API '
            'runs, or leave the model out for the shipped short-range one.')

    def __call__(self, frame: np.ndarray) -> np.ndarray:
        """Detect the faces in one frame.

        Args:
            frame (np.ndarray): ``(H, W, 3)`` uint8 BGR image.

        Returns:
            np.ndarray: ``(K, 5)`` float boxes ``x1, y1, x2, y2, score`` in
            pixels, one row per face.
        """
        image = self._image(
            image_format=self._srgb,
            data=np.ascontiguousarray(frame[:, :, ::-1]))
        try:
            result = self._detector.detect(image)
        except RuntimeError as e:
            raise self._model_error(e) from e
        boxes = [(box.origin_x, box.origin_y, box.origin_x + box.width,
                  box.origin_y + box.height, det.categories[0].score)
                 for det in result.detections
                 for box in [det.bounding_box]]
        boxes = np.array(boxes, np.float64).reshape(-1, 5)
        return boxes[boxes[:, 4] >= self.min_score]

    def close(self) -> None:
        """Release the detector's graph."""
        self._finalizer()
