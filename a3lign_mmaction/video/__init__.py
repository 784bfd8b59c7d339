"""Video input: opening and decoding videos, face detection, tracking and
cropping (``tools/face_crop.py``, ``FaceCrop``), and class scores of
sliding windows (the demos). Importing it registers ``VideoInit``,
``VideoDecode`` and ``FaceCrop`` with MMAction2's ``TRANSFORMS``.

Face detection needs the ``faces`` extra (MediaPipe and PyAV):
``pip install -e ".[faces]"``.
"""
from .bad_video_error import BadVideoError
from .face_cropper import FaceCropper, crop_square
from .face_detector import SHORT_RANGE_MODEL, FaceDetector
from .face_model_error import FaceModelError
from .face_timeline import FaceTimeline
from .face_track import FaceTrack
from .face_tracker import FaceTracker
from .no_face_error import NoFaceError
from .online_face_track import OnlineFaceTrack
from .timeline_files import (face_summary, plot_timelines, timeline_rows,
                             write_annotated_video, write_timeline_files)
from .transforms import FaceCrop, VideoDecode, VideoInit
from .video_batch import CropResult, crop_videos
from .video_reader import VideoReader
from .window_inference import (STRIDE_SECONDS, WINDOW_SECONDS,
                               face_detector_settings, frame_sampler,
                               predict_windows, window_indices,
                               window_pipeline, window_seconds, window_spans)
from .window_scorer import WindowScorer

__all__ = [
    'BadVideoError', 'CropResult', 'FaceCrop', 'FaceCropper', 'FaceDetector',
    'FaceModelError', 'FaceTimeline', 'FaceTrack', 'FaceTracker',
    'NoFaceError', 'OnlineFaceTrack', 'SHORT_RANGE_MODEL', 'STRIDE_SECONDS',
    'VideoDecode', 'VideoInit', 'VideoReader', 'WINDOW_SECONDS',
    'WindowScorer', 'crop_square', 'crop_videos', 'face_detector_settings',
    'face_summary', 'plot_timelines', 'timeline_rows', 'write_annotated_video',
    'write_timeline_files', 'frame_sampler', 'predict_windows',
    'window_indices', 'window_pipeline', 'window_seconds', 'window_spans'
]
