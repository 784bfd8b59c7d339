from .frame_list_decode import FrameListDecode, read_frame
from .load_clip_features import LoadClipFeatures
from .segment_sample_frames import SegmentSampleFrames, segment_indices
from .view_crops import ViewCrops

__all__ = [
    'FrameListDecode', 'LoadClipFeatures', 'SegmentSampleFrames', 'ViewCrops',
    'read_frame', 'segment_indices'
]
