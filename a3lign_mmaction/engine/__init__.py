from .bap_schedule import bap_schedule
from .checkpoint_loading import (load_local_checkpoint,
                                 register_checkpoint_loader)
from .embedding_recipe import embedding_recipe
from .hooks import (BAPHook, ClipVisualizationHook, EpochSeedHook,
                    FeatureStoreHook, ResumeSettingsHook)

__all__ = [
    'BAPHook', 'ClipVisualizationHook', 'EpochSeedHook', 'FeatureStoreHook',
    'ResumeSettingsHook', 'bap_schedule', 'embedding_recipe',
    'load_local_checkpoint', 'register_checkpoint_loader'
]
