from .bap_schedule import bap_schedule
from .hooks import (BAPHook, ClipVisualizationHook, EpochSeedHook,
                    FeatureStoreHook)

__all__ = [
    'BAPHook', 'ClipVisualizationHook', 'EpochSeedHook', 'FeatureStoreHook',
    'bap_schedule'
]
