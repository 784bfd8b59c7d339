"""Class scores of sliding frame windows, through MMAction2's inference API.
"""
from typing import List, Sequence, Tuple

import numpy as np
from mmaction.apis import inference_recognizer
from mmaction.registry import DATASETS
from mmengine.config import Config
from mmengine.dataset import Compose

__all__ = [
    'class_names', 'predict_windows', 'window_indices', 'window_pipeline'
]

#: MMAction2's steps that pick frames from a clip and read them; windows
#: bring their frames decoded, so these steps are left out, as MMAction2's
#: webcam demo leaves them out. This plugin's ``VideoInit`` and
#: ``VideoDecode`` pass decoded frames on and stay.
FRAME_SOURCE_STEPS = frozenset({
    'UniformSample', 'RawFrameDecode', 'FrameListDecode', 'DecordInit',
    'DecordDecode', 'OpenCVInit', 'OpenCVDecode', 'PyAVInit', 'PyAVDecode',
    'PIMSInit', 'PIMSDecode'
})


def window_indices(num_frames: int,
                   clip_len: int = 16,
                   stride: int = 8,
                   frame_interval: int = 1) -> np.ndarray:
    """Frame indices of windows slid over a video.

    Windows of ``clip_len`` frames, ``frame_interval`` apart, start every
    ``stride`` frames; a last window ends at the last frame so that the end
    is covered. A video shorter than one window gives one window that
    spreads ``clip_len`` frames evenly over the whole video (repeating
    frames where it is shorter than ``clip_len``).

    Args:
        num_frames (int): Frames in the video.
        clip_len (int): Frames per window. Defaults to 16.
        stride (int): Frames between window starts. Defaults to 8.
        frame_interval (int): Frames between a window's frames.
            Defaults to 1.

    Returns:
        np.ndarray: ``(windows, clip_len)`` int frame indices.
    """
    if min(num_frames, clip_len, stride, frame_interval) < 1:
        raise ValueError('num_frames, clip_len, stride and frame_interval '
                         'must be positive')
    span = (clip_len - 1) * frame_interval + 1
    if num_frames < span:
        return np.linspace(0, num_frames - 1, clip_len).round().astype(
            int)[None]
    starts = list(range(0, num_frames - span + 1, stride))
    if starts[-1] != num_frames - span:
        starts.append(num_frames - span)
    return np.array(starts)[:, None] + np.arange(clip_len) * frame_interval


def window_pipeline(pipeline: List[dict]) -> Compose:
    """A test pipeline for decoded frames: ``pipeline`` without its frame
    sampler (a step with ``'SampleFrames'`` in its type, as MMAction2's
    demos find it) and :data:`FRAME_SOURCE_STEPS`."""
    return Compose([
        step for step in pipeline if 'SampleFrames' not in step['type']
        and step['type'] not in FRAME_SOURCE_STEPS
    ])


def predict_windows(model,
                    frames: Sequence[np.ndarray],
                    indices: np.ndarray,
                    pipeline: Compose,
                    face_cropped: bool = False) -> np.ndarray:
    """Class scores of each window, one ``inference_recognizer`` call each.

    Args:
        model (nn.Module): A recognizer from ``init_recognizer``.
        frames (sequence[np.ndarray]): ``(H, W, 3)`` uint8 RGB frames.
        indices (np.ndarray): ``(windows, clip_len)`` frame indices, as from
            :func:`window_indices`.
        pipeline (Compose): From :func:`window_pipeline`.
        face_cropped (bool): The frames are face crops already, so the
            pipeline's ``FaceCrop`` leaves them as they are. Defaults to
            False (each window's faces are cropped).

    Returns:
        np.ndarray: ``(windows, classes)`` scores (``pred_score``).
    """
    height, width = frames[0].shape[:2]
    scores = []
    for window in indices:
        data = dict(
            imgs=[frames[i] for i in window],
            original_shape=(height, width),
            img_shape=(height, width),
            modality='RGB',
            num_clips=1,
            clip_len=len(window),
            face_cropped=face_cropped,
            label=-1)
        result = inference_recognizer(model, data, pipeline)
        scores.append(result.pred_score.float().cpu().numpy())
    return np.stack(scores)


def class_names(cfg: Config, num_classes: int) -> Tuple[str, ...]:
    """Class names of a config's test dataset (``METAINFO['classes']``), or
    ``class 0, class 1, ...`` where its dataset class has none."""
    dataset = cfg.test_dataloader.dataset
    kind = dataset.get('type')
    kind = DATASETS.get(kind) if isinstance(kind, str) else kind
    names = tuple(
        dataset.get('metainfo', {}).get('classes')
        or getattr(kind, 'METAINFO', {}).get('classes', ()))
    if len(names) != num_classes:
        return tuple(f'class {i}' for i in range(num_classes))
    return names
