"""The DFER pipelines, built from the frame size, the clip length and the
test views, so that each is stated once in a config."""
from typing import List, Optional, Tuple

__all__ = ['PREDICTION_META_KEYS', 'dfer_pipelines']

#: What a clip's data sample carries to the metric in validation and
#: testing, for the predictions CSV (``UARWARMetric.save_predictions``).
PREDICTION_META_KEYS = ('img_shape', 'frame_dir', 'filename')


def dfer_pipelines(
    image_size: int,
    clip_len: int,
    test_clips: int = 1,
    test_crops: int = 1,
    face_model: Optional[str] = None,
    decode: str = 'FrameListDecode',
    crop_area: Optional[Tuple[float, float]] = (0.6, 1.0)
) -> Tuple[List[dict], List[dict]]:
    """The training and test pipelines of a DFER config::

        from a3lign_mmaction.datasets import dfer_pipelines
        train_pipeline, test_pipeline = dfer_pipelines(224, 16)

    Both take ``clip_len`` frames, one from each of as many equal segments
    (random in training, the middle one in testing; short clips repeat
    frames), at ``image_size`` pixels. Training adds a random resized crop
    and a horizontal flip. The test pipeline is also what MMAction2's
    inference API and demos run (``docs/mmaction_routes.md``):
    ``VideoInit`` opens a video file or a folder of frames,
    ``VideoDecode`` reads the datasets' frame lists too, and ``FaceCrop``
    cuts the face out of raw frames (the datasets' frames are crops).

    A config that changes one of these values calls this function again;
    the model takes the same values (``configs/_base_/recipes/a3lign.py``).

    Args:
        image_size (int): Frame size in pixels (square).
        clip_len (int): Frames per clip ``T``.
        test_clips (int): Temporal clips per video in testing, each taking
            its frames at its own offset within the segments. Defaults
            to 1.
        test_crops (int): Crops per clip in testing (``ViewCrops``: 1, the
            whole face; 3, left, centre and right; 10, corners and centre
            and their mirror images). Defaults to 1.
        face_model (str, optional): ``FaceCrop``'s BlazeFace model (a
            ``.tflite`` file). Defaults to None, the model shipped with the
            plugin.
        decode (str): The training pipeline's frame reader. Defaults to
            ``'FrameListDecode'`` (the datasets' frame lists).
        crop_area (tuple[float, float], optional): Area range of the
            training pipeline's random resized crop; None leaves it out.
            Defaults to ``(0.6, 1.0)``.

    Returns:
        tuple[list[dict], list[dict]]: ``train_pipeline`` and
        ``test_pipeline``.
    """
    size = (image_size, image_size)
    crop = [dict(type='RandomResizedCrop', area_range=crop_area)
            ] if crop_area else []
    train_pipeline = [
        dict(type='SegmentSampleFrames', clip_len=clip_len, num_clips=1),
        dict(type=decode), *crop,
        dict(type='Resize', scale=size, keep_ratio=False),
        dict(type='Flip', flip_ratio=0.5),
        dict(type='FormatShape', input_format='NCTHW'),
        dict(type='PackActionInputs')
    ]
    test_pipeline = [
        dict(type='VideoInit'),
        dict(
            type='SegmentSampleFrames',
            clip_len=clip_len,
            num_clips=test_clips,
            test_mode=True),
        dict(type='VideoDecode'),
        dict(type='FaceCrop', detector=dict(model=face_model)),
        dict(type='ViewCrops', size=image_size, crops=test_crops),
        dict(type='FormatShape', input_format='NCTHW'),
        dict(type='PackActionInputs', meta_keys=PREDICTION_META_KEYS)
    ]
    return train_pipeline, test_pipeline
