from mmaction.datasets.transforms import UniformSample
from mmaction.registry import TRANSFORMS

__all__ = ['SegmentSampleFrames']


@TRANSFORMS.register_module()
class SegmentSampleFrames(UniformSample):
    """MMAction2's ``UniformSample``: ``clip_len`` frames, one from each of
    ``clip_len`` equal segments (a random one in training, the middle one
    in testing; short videos repeat frames).

    Under this name MMAction2's webcam and long-video demos recognise the
    step as the frame sampler: they find it by ``'SampleFrames'`` in its
    type, read ``clip_len`` and ``num_clips`` from it and replace it with
    their own frame queue.

    Args:
        clip_len (int): Frames per clip.
        num_clips (int): Clips per video. Defaults to 1.
        test_mode (bool): Sample the middle frame of each segment.
            Defaults to False.
    """
