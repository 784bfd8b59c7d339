from .bap_hook import BAPHook
from .clip_visualization_hook import ClipVisualizationHook
from .epoch_seed_hook import EpochSeedHook
from .feature_store_hook import FeatureStoreHook
from .resume_settings_hook import ResumeSettingsHook

__all__ = [
    'BAPHook', 'ClipVisualizationHook', 'EpochSeedHook', 'FeatureStoreHook',
    'ResumeSettingsHook'
]
