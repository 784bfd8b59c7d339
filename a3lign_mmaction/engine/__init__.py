from .bap_schedule import bap_schedule
from .checkpoint_loading import (load_local_checkpoint,
                                 register_checkpoint_loader)
from .hooks import (BAPHook, ClipVisualizationHook, EpochSeedHook,
                    ResumeSettingsHook)

__all__ = [
    'BAPHook', 'ClipVisualizationHook', 'EpochSeedHook', 'ResumeSettingsHook',
    'bap_schedule', 'load_local_checkpoint', 'register_checkpoint_loader'
]
