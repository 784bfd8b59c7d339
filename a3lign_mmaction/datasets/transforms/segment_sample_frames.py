from typing import Dict, Optional

import numpy as np
from mmaction.registry import TRANSFORMS
from mmcv.transforms import BaseTransform

__all__ = ['SegmentSampleFrames', 'segment_indices']


def segment_indices(num_frames: int,
                    clip_len: int,
                    position: Optional[float] = None) -> np.ndarray:
    """One frame from each of ``clip_len`` equal, disjoint segments.

    Segment ``i`` holds frames ``[i * n // T, (i + 1) * n // T)`` (``n``
    frames, ``T = clip_len``), so for ``n >= T`` the frames are distinct
    and in order, and every segment lies within the clip. A clip shorter
    than ``T`` gives every frame in order, each ``T // n`` or
    ``-(-T // n)`` times, spread evenly (frame ``i * n // T`` at step
    ``i``), whatever ``position``.

    Args:
        num_frames (int): Frames in the clip.
        clip_len (int): Frames to sample.
        position (float, optional): Where in each segment, as a fraction of
            its length in ``[0, 1)``: ``0.5`` is the middle frame. None
            draws a frame at random from each segment (``np.random``).
            Defaults to None.

    Returns:
        np.ndarray: ``(clip_len,)`` int64 frame indices from 0.
    """
    if num_frames < 1 or clip_len < 1:
        raise ValueError('num_frames and clip_len must be positive, got '
                         f'{num_frames} and {clip_len}')
    steps = np.arange(clip_len + 1, dtype=np.int64)
    if num_frames < clip_len:
        return steps[:-1] * num_frames // clip_len
    bounds = steps * num_frames // clip_len
    starts, sizes = bounds[:-1], np.diff(bounds)
    if position is None:
        return starts + np.random.randint(sizes)
    if not 0 <= position < 1:
        raise ValueError(f'position must be in [0, 1), got {position}')
    return starts + (position * sizes).astype(np.int64)


@TRANSFORMS.register_module()
class SegmentSampleFrames(BaseTransform):
    """TSN-style sampling: ``clip_len`` frames, one from each of
    ``clip_len`` equal, disjoint segments of the clip
    (:func:`segment_indices`).

    In training each clip takes a random frame of every segment; in
    testing clip ``k`` of ``K`` (``num_clips``) takes the frame at
    ``(k + 1/2) / K`` of every segment, so one clip takes the middle
    frames and several are spread evenly within the segments. A clip
    shorter than ``clip_len`` frames uses every frame in order, repeated
    evenly, in training and testing alike.

    Under this name MMAction2's webcam and long-video demos recognise the
    step as the frame sampler: they find it by ``'SampleFrames'`` in its
    type, read ``clip_len`` and ``num_clips`` from it and replace it with
    their own frame queue.

    Required keys: ``total_frames``, ``start_index``.
    Added keys: ``frame_inds`` (``num_clips * clip_len``, clip after
    clip), ``clip_len``, ``frame_interval`` (None), ``num_clips``.

    Args:
        clip_len (int): Frames per clip.
        num_clips (int): Clips per video. Defaults to 1.
        test_mode (bool): Sample at fixed positions in the segments instead
            of at random. Defaults to False.
    """

    def __init__(self,
                 clip_len: int,
                 num_clips: int = 1,
                 test_mode: bool = False) -> None:
        if clip_len < 1 or num_clips < 1:
            raise ValueError('clip_len and num_clips must be positive, got '
                             f'{clip_len} and {num_clips}')
        self.clip_len = clip_len
        self.num_clips = num_clips
        self.test_mode = test_mode

    def transform(self, results: Dict) -> Dict:
        """Sample ``results['frame_inds']``."""
        num_frames = results['total_frames']
        if num_frames < 1:
            clip = results.get('filename') or results.get('frame_dir')
            raise ValueError(f'{clip or "a clip"} has no frames to sample')
        clips = [
            segment_indices(
                num_frames, self.clip_len,
                (k + 0.5) / self.num_clips if self.test_mode else None)
            for k in range(self.num_clips)
        ]
        indices = np.concatenate(clips) + results['start_index']
        results.update(
            frame_inds=indices.astype(np.int32),
            clip_len=self.clip_len,
            frame_interval=None,
            num_clips=self.num_clips)
        return results

    def __repr__(self) -> str:
        return (f'{type(self).__name__}(clip_len={self.clip_len}, '
                f'num_clips={self.num_clips}, test_mode={self.test_mode})')
