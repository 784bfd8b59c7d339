from .feature_extraction import ClipViews, collect_clips, extract_features
from .window_inference import (WINDOW_SECONDS, class_names,
                               face_detector_settings, frame_sampler,
                               predict_windows, window_indices,
                               window_pipeline, window_seconds, window_spans)

__all__ = [
    'ClipViews', 'WINDOW_SECONDS', 'class_names', 'collect_clips',
    'extract_features', 'face_detector_settings', 'frame_sampler',
    'predict_windows', 'window_indices', 'window_pipeline', 'window_seconds',
    'window_spans'
]
