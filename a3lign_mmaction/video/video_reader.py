import logging
from fractions import Fraction
from typing import Iterator, Tuple

import numpy as np
from mmengine.logging import print_log

from .bad_video_error import BadVideoError

__all__ = ['VideoReader']


def _import_av():
    try:
        import av
    except ImportError as e:
        raise ImportError(
            'Reading videos needs PyAV: pip install -e ".[faces]"') from e
    return av


class VideoReader:
    """Decodes a video's frames with PyAV (FFmpeg), in order.

    Opening checks the file at once, so every kind of bad input fails with a
    :class:`BadVideoError` that says what is wrong: a missing file, a file
    that is not a video (or is truncated), no video stream, or a codec this
    FFmpeg build cannot decode. A video with no decodable frame fails on
    iteration.

    So does a truncated video whose index (at the front of the file) lists
    more frames than decode: a shortfall of more than :attr:`TOLERANCE` of
    the listed frames (and more than :attr:`TOLERANCE_FRAMES`) raises a
    :class:`BadVideoError` once the last frame has been read, before a
    caller that writes at the end has written anything, unless
    ``allow_partial`` takes the frames that decode, with a warning.

    Args:
        path (str): Video file.
        allow_partial (bool): Accept a truncated video's frames. Defaults
            to False.
    """

    #: Share of the frames a video's header lists that may fail to decode:
    #: headers that estimate the count from the duration are inexact, and
    #: whole videos can list a few frames more than decode (3 of 98 in
    #: ``no_face.mp4`` of the test videos).
    TOLERANCE = 0.05
    #: Frames that may fail to decode, whatever the video's length.
    TOLERANCE_FRAMES = 4

    def __init__(self, path: str, allow_partial: bool = False) -> None:
        av = _import_av()
        self.path = path
        self.allow_partial = allow_partial
        undecodable = BadVideoError(
            f'{path}: its video codec cannot be decoded by this FFmpeg '
            'build.')
        try:
            with av.open(path) as container:
                if not container.streams.video:
                    raise BadVideoError(f'{path} has no video stream.')
                stream = container.streams.video[0]
                if stream.codec_context is None:
                    raise undecodable
                self.size: Tuple[int, int] = (stream.width, stream.height)
                rate = stream.average_rate or stream.guessed_rate
                self.fps = float(rate) if rate else 25.0
                self.num_frames = stream.frames or self._estimate(
                    container, stream)
        except FileNotFoundError as e:
            raise BadVideoError(f'{path}: no such file.') from e
        except av.error.InvalidDataError as e:
            raise BadVideoError(
                f'{path} is not a video FFmpeg can read (or it is '
                'truncated).') from e
        except av.error.DecoderNotFoundError as e:
            raise undecodable from e
        except av.error.FFmpegError as e:
            raise BadVideoError(f'{path} cannot be read: {e}') from e

    def _estimate(self, container, stream) -> int:
        """Frame count from the duration, where the header has none."""
        if stream.duration is not None and stream.time_base:
            seconds = stream.duration * Fraction(stream.time_base)
        elif container.duration is not None:
            seconds = Fraction(container.duration, 1_000_000)
        else:
            return 0
        return round(seconds * self.fps)

    def __iter__(self) -> Iterator[np.ndarray]:
        """Yield every frame as a ``(H, W, 3)`` uint8 BGR array.

        Raises:
            BadVideoError: If no frame can be decoded, or decoding fails.
        """
        av = _import_av()
        decoded = 0
        try:
            with av.open(self.path) as container:
                stream = container.streams.video[0]
                stream.thread_type = 'AUTO'
                for frame in container.decode(stream):
                    decoded += 1
                    yield frame.to_ndarray(format='bgr24')
        except av.error.FFmpegError as e:
            raise BadVideoError(
                f'{self.path}: decoding failed after {decoded} frames: '
                f'{e}') from e
        if not decoded:
            raise BadVideoError(f'{self.path} has no frames (zero-length '
                                'video).')
        self._check_complete(decoded)

    def _check_complete(self, decoded: int) -> None:
        missing = self.num_frames - decoded
        if missing <= max(self.TOLERANCE_FRAMES,
                          self.TOLERANCE * self.num_frames):
            return
        message = (f'{self.path} is truncated: {decoded} of the '
                   f'{self.num_frames} frames its header lists decode '
                   f'({decoded / self.fps:.1f} s of '
                   f'{self.num_frames / self.fps:.1f} s)')
        if not self.allow_partial:
            raise BadVideoError(
                f'{message}. Nothing was written for it; use a complete '
                'copy, or accept the frames that decode with '
                '--allow-partial (allow_partial=True).')
        print_log(
            f'{message}; using the frames that decode (allow_partial).',
            logger='current',
            level=logging.WARNING)
