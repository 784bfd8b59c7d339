from .bap_hook import BAPHook
from .clip_visualization_hook import ClipVisualizationHook
from .epoch_seed_hook import EpochSeedHook
from .resume_settings_hook import ResumeSettingsHook

__all__ = [
    'BAPHook', 'ClipVisualizationHook', 'EpochSeedHook', 'ResumeSettingsHook'
]
