from .frame_list_decode import FrameListDecode, read_frame
from .segment_sample_frames import SegmentSampleFrames, segment_indices
from .view_crops import ViewCrops

__all__ = [
    'FrameListDecode', 'SegmentSampleFrames', 'ViewCrops', 'read_frame',
    'segment_indices'
]
