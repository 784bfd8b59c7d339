from .window_inference import (class_names, predict_windows, window_indices,
                               window_pipeline)

__all__ = [
    'class_names', 'predict_windows', 'window_indices', 'window_pipeline'
]
