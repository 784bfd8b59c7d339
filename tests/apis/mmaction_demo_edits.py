"""The edits MMAction2 1.2.0's demo scripts make to a config's
``test_pipeline`` before running it (``main()`` of ``demo/webcam_demo.py``
and ``demo/long_video_demo.py``). The mmaction2 wheel does not ship the
scripts, so the tests apply the same edits to this plugin's configs.
"""
from typing import List, Tuple

#: The decode steps both scripts leave out (their ``EXCLUED_STEPS``).
DEMO_DECODE_STEPS = ('OpenCVInit', 'OpenCVDecode', 'DecordInit',
                     'DecordDecode', 'PyAVInit', 'PyAVDecode',
                     'RawFrameDecode')


def frame_queue_pipeline(pipeline: List[dict]) -> Tuple[List[dict], dict]:
    """``webcam_demo.py``: the sampler (found by ``'SampleFrames'`` in its
    type) and :data:`DEMO_DECODE_STEPS` go; the sampler's ``clip_len`` and
    ``num_clips`` go into the data, with the camera's frames as ``imgs``.

    Returns:
        tuple: The pipeline and the data keys taken from the sampler.
    """
    kept, data = [], {}
    for step in pipeline:
        if 'SampleFrames' in step['type']:
            data.update(
                clip_len=step['clip_len'], num_clips=step['num_clips'])
        elif step['type'] not in DEMO_DECODE_STEPS:
            kept.append(step)
    # The scripts assert that they found a sampler.
    assert data, 'no step with SampleFrames in its type'
    return kept, data


def array_pipeline(pipeline: List[dict]) -> Tuple[List[dict], dict]:
    """``long_video_demo.py``: :func:`frame_queue_pipeline`, then
    ``ArrayDecode`` inserted at index 1, which reads the frame window from
    ``array`` at ``frame_inds``."""
    kept, data = frame_queue_pipeline(pipeline)
    kept.insert(1, dict(type='ArrayDecode'))
    return kept, data
