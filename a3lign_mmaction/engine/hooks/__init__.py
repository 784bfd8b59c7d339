from .clip_visualization_hook import ClipVisualizationHook

__all__ = ['ClipVisualizationHook']
