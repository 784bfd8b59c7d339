from .feature_extraction import ClipViews, collect_clips, extract_features
from .window_inference import (class_names, predict_windows, window_indices,
                               window_pipeline)

__all__ = [
    'ClipViews', 'class_names', 'collect_clips', 'extract_features',
    'predict_windows',
    'window_indices', 'window_pipeline'
]
