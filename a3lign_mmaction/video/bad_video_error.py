__all__ = ['BadVideoError']


class BadVideoError(ValueError):
    """A video that cannot be face-cropped: not a video, a codec FFmpeg
    cannot decode, no frames, or no face. The message says which."""
