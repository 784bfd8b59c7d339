from .face_crop import FaceCrop
from .video_decode import VideoDecode
from .video_init import VideoInit

__all__ = ['FaceCrop', 'VideoDecode', 'VideoInit']
