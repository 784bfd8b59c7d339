from .frame_list_decode import FrameListDecode, read_frame
from .load_clip_features import LoadClipFeatures

__all__ = ['FrameListDecode', 'LoadClipFeatures', 'read_frame']
