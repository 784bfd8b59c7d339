"""Class scores of sliding frame windows, through MMAction2's inference API.
"""
from typing import List, Optional, Sequence

import numpy as np
from mmaction.apis import inference_recognizer
from mmaction.registry import TRANSFORMS
from mmcv.transforms import BaseTransform
from mmengine.config import Config
from mmengine.dataset import Compose

from ..datasets import DFEWDataset, config_dataset_class

__all__ = [
    'STRIDE_SECONDS', 'WINDOW_SECONDS', 'face_detector_settings',
    'frame_sampler', 'predict_windows', 'window_data', 'window_indices',
    'window_pipeline', 'window_seconds', 'window_spans'
]

#: A window's length in seconds where the config's dataset states none
#: (``CLIP_SECONDS``): DFEW's median clip.
WINDOW_SECONDS = DFEWDataset.CLIP_SECONDS
#: Seconds between the starts of two windows.
STRIDE_SECONDS = 0.5

#: MMAction2's steps that pick frames from a clip and read them; windows
#: bring their frames decoded, so these steps are left out, as MMAction2's
#: webcam demo leaves them out. This plugin's ``VideoInit`` and
#: ``VideoDecode`` pass decoded frames on and stay.
FRAME_SOURCE_STEPS = frozenset({
    'UniformSample', 'RawFrameDecode', 'FrameListDecode', 'DecordInit',
    'DecordDecode', 'OpenCVInit', 'OpenCVDecode', 'PyAVInit', 'PyAVDecode',
    'PIMSInit', 'PIMSDecode'
})


def _is_sampler(step: dict) -> bool:
    """A frame sampler, found as MMAction2's demos find it."""
    return 'SampleFrames' in step['type']


def window_spans(num_frames: int,
                 fps: float,
                 window_seconds: float = WINDOW_SECONDS,
                 stride_seconds: float = STRIDE_SECONDS) -> np.ndarray:
    """The frame ranges of windows slid over a video.

    Windows of ``window_seconds`` start every ``stride_seconds``; a last
    window ends at the last frame, so that the end is covered. A video
    shorter than one window is one window.

    Args:
        num_frames (int): Frames in the video.
        fps (float): Its frame rate.
        window_seconds (float): A window's length. Defaults to
            :data:`WINDOW_SECONDS`, the length of a typical DFEW clip;
            :func:`window_seconds` gives a config's.
        stride_seconds (float): Time between window starts. Defaults to
            0.5.

    Returns:
        np.ndarray: ``(windows, 2)`` int ``[start, end)`` frame ranges.
    """
    if min(num_frames, fps, window_seconds, stride_seconds) <= 0:
        raise ValueError('num_frames, fps, window_seconds and '
                         'stride_seconds must be positive')
    length = max(1, round(window_seconds * fps))
    stride = max(1, round(stride_seconds * fps))
    if num_frames <= length:
        return np.array([[0, num_frames]])
    starts = list(range(0, num_frames - length + 1, stride))
    if starts[-1] != num_frames - length:
        starts.append(num_frames - length)
    starts = np.array(starts)
    return np.stack([starts, starts + length], axis=1)


def frame_sampler(pipeline: List[dict]) -> BaseTransform:
    """The frame sampler of a test pipeline (the step with
    ``'SampleFrames'`` in its type), built.

    Raises:
        ValueError: If the pipeline has none.
    """
    samplers = [step for step in pipeline if _is_sampler(step)]
    if not samplers:
        raise ValueError('the test pipeline has no frame sampler (a step '
                         "with 'SampleFrames' in its type) to sample "
                         'windows with')
    return TRANSFORMS.build(samplers[0])


def face_detector_settings(pipeline: List[dict],
                           model: Optional[str] = None) -> dict:
    """The :class:`FaceDetector` arguments of a test pipeline's
    ``FaceCrop`` step (none without one), so that the demos detect faces as
    the pipeline does; ``model`` replaces its face model when given."""
    settings = next((dict(step.get('detector') or {})
                     for step in pipeline if step['type'] == 'FaceCrop'), {})
    if model:
        settings['model'] = model
    return settings


def window_indices(spans: np.ndarray, sampler: BaseTransform) -> np.ndarray:
    """The frames ``sampler`` takes from each window, as the test pipeline
    takes them from a clip (one frame from the middle of each of ``T``
    segments, for :class:`SegmentSampleFrames`).

    Args:
        spans (np.ndarray): ``(windows, 2)`` ``[start, end)`` ranges, as
            from :func:`window_spans`.
        sampler (BaseTransform): From :func:`frame_sampler`.

    Returns:
        np.ndarray: ``(windows, num_clips * clip_len)`` int frame indices.
    """
    return np.stack([
        sampler(dict(total_frames=int(end - start),
                     start_index=int(start)))['frame_inds']
        for start, end in spans
    ])


def window_pipeline(pipeline: List[dict]) -> Compose:
    """A test pipeline for decoded frames: ``pipeline`` without its frame
    sampler (a step with ``'SampleFrames'`` in its type, as MMAction2's
    demos find it) and :data:`FRAME_SOURCE_STEPS`."""
    return Compose([
        step for step in pipeline
        if not _is_sampler(step) and step['type'] not in FRAME_SOURCE_STEPS
    ])


def window_data(frames: Sequence[np.ndarray],
                num_clips: int = 1,
                face_cropped: bool = False) -> dict:
    """The input of :func:`window_pipeline` for decoded frames: ``frames``
    as ``num_clips`` clips of equal length, as a test sampler would have
    taken them."""
    height, width = frames[0].shape[:2]
    return dict(
        imgs=list(frames),
        original_shape=(height, width),
        img_shape=(height, width),
        modality='RGB',
        num_clips=num_clips,
        clip_len=len(frames) // num_clips,
        face_cropped=face_cropped,
        label=-1)


def predict_windows(model,
                    frames: Sequence[np.ndarray],
                    indices: np.ndarray,
                    pipeline: Compose,
                    face_cropped: bool = False,
                    num_clips: int = 1) -> np.ndarray:
    """Class scores of each window, one ``inference_recognizer`` call each.

    Args:
        model (nn.Module): A recognizer from ``init_recognizer``.
        frames (sequence | mapping): ``(H, W, 3)`` uint8 RGB frames by
            index: a list, or a dict of the frames kept.
        indices (np.ndarray): ``(windows, num_clips * clip_len)`` frame
            indices, as from :func:`window_indices`.
        pipeline (Compose): From :func:`window_pipeline`.
        face_cropped (bool): The frames are face crops already, so the
            pipeline's ``FaceCrop`` leaves them as they are. Defaults to
            False (each window's faces are cropped).
        num_clips (int): Clips per window (the sampler's ``num_clips``),
            whose scores the model averages. Defaults to 1.

    Returns:
        np.ndarray: ``(windows, classes)`` scores (``pred_score``).
    """
    scores = []
    for window in indices:
        data = window_data([frames[i] for i in window], num_clips,
                           face_cropped)
        result = inference_recognizer(model, data, pipeline)
        scores.append(result.pred_score.float().cpu().numpy())
    return np.stack(scores)


def window_seconds(cfg: Config) -> float:
    """How long a window of video should be for a config's model: as long
    as a typical clip of its test dataset (``CLIP_SECONDS`` of the dataset
    class), or :data:`WINDOW_SECONDS` where the class states none."""
    return getattr(config_dataset_class(cfg), 'CLIP_SECONDS',
                   None) or WINDOW_SECONDS
