from .frame_list_decode import FrameListDecode, read_frame

__all__ = ['FrameListDecode', 'read_frame']
