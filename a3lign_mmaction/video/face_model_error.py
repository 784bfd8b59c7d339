__all__ = ['FaceModelError']


class FaceModelError(ValueError):
    """A face detection model that does not exist or that MediaPipe cannot
    run."""
