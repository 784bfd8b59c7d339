from .bad_video_error import BadVideoError

__all__ = ['NoFaceError']


class NoFaceError(BadVideoError):
    """A video, or the frames of a clip, in which no face was found."""
