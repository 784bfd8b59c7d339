from .bap_schedule import bap_schedule
from .checkpoint_loading import (load_local_checkpoint,
                                 register_checkpoint_loader)
from .custom_hooks import add_custom_hook
from .hooks import (BAPHook, EpochSeedHook, MultiViewVisualizationHook,
                    ResumeSettingsHook)
from .runners import NO_CHECKPOINT, ZeroShotRunner

__all__ = [
    'BAPHook', 'EpochSeedHook', 'MultiViewVisualizationHook',
    'NO_CHECKPOINT', 'ResumeSettingsHook', 'ZeroShotRunner',
    'add_custom_hook', 'bap_schedule', 'load_local_checkpoint',
    'register_checkpoint_loader'
]
