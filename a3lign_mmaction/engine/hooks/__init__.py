from .bap_hook import BAPHook
from .epoch_seed_hook import EpochSeedHook
from .multi_view_visualization_hook import MultiViewVisualizationHook
from .resume_settings_hook import ResumeSettingsHook

__all__ = [
    'BAPHook', 'EpochSeedHook', 'MultiViewVisualizationHook',
    'ResumeSettingsHook'
]
