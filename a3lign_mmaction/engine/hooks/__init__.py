from .bap_hook import BAPHook
from .clip_visualization_hook import ClipVisualizationHook

__all__ = ['BAPHook', 'ClipVisualizationHook']
