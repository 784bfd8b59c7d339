from .bap_schedule import bap_schedule
from .checkpoint_loading import (load_local_checkpoint,
                                 register_checkpoint_loader)
from .custom_hooks import add_custom_hook
from .hooks import (BAPHook, EpochSeedHook, MultiViewVisualizationHook,
                    ResumeSettingsHook)

__all__ = [
    'BAPHook', 'EpochSeedHook', 'MultiViewVisualizationHook',
    'ResumeSettingsHook', 'add_custom_hook', 'bap_schedule',
    'load_local_checkpoint', 'register_checkpoint_loader'
]
