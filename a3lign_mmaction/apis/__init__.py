from .feature_extraction import ClipViews, collect_clips, extract_features

__all__ = ['ClipViews', 'collect_clips', 'extract_features']
