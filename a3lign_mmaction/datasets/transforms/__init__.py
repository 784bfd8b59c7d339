from .face_crop import FaceCrop
from .frame_list_decode import FrameListDecode, read_frame
from .load_clip_features import LoadClipFeatures
from .segment_sample_frames import SegmentSampleFrames, segment_indices
from .video_decode import VideoDecode
from .video_init import VideoInit
from .view_crops import ViewCrops

__all__ = [
    'FaceCrop', 'FrameListDecode', 'LoadClipFeatures', 'SegmentSampleFrames',
    'VideoDecode', 'VideoInit', 'ViewCrops', 'read_frame',
    'segment_indices'
]
