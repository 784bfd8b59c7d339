"""Face cropping of raw videos, as the DFER datasets were made.

Needs the ``faces`` extra (MediaPipe and PyAV):
``pip install -e ".[faces]"``.
"""
from .bad_video_error import BadVideoError
from .face_cropper import FaceCropper, crop_square
from .face_detector import SHORT_RANGE_MODEL, FaceDetector
from .face_model_error import FaceModelError
from .face_track import FaceTrack
from .no_face_error import NoFaceError
from .online_face_track import OnlineFaceTrack
from .video_batch import CropResult, crop_videos
from .video_reader import VideoReader

__all__ = [
    'BadVideoError', 'CropResult', 'FaceCropper', 'FaceDetector',
    'FaceModelError', 'FaceTrack', 'NoFaceError', 'OnlineFaceTrack',
    'SHORT_RANGE_MODEL', 'VideoReader', 'crop_square', 'crop_videos'
]
