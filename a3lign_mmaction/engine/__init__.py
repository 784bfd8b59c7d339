from .bap_schedule import bap_schedule
from .hooks import BAPHook, ClipVisualizationHook, FeatureStoreHook

__all__ = [
    'BAPHook', 'ClipVisualizationHook', 'FeatureStoreHook', 'bap_schedule'
]
