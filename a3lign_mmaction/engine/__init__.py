from .bap_schedule import bap_schedule
from .hooks import BAPHook, ClipVisualizationHook

__all__ = ['BAPHook', 'ClipVisualizationHook', 'bap_schedule']
