from .bap_hook import BAPHook
from .clip_visualization_hook import ClipVisualizationHook
from .epoch_seed_hook import EpochSeedHook
from .feature_store_hook import FeatureStoreHook

__all__ = [
    'BAPHook', 'ClipVisualizationHook', 'EpochSeedHook', 'FeatureStoreHook'
]
