"""A³lign-DFER for MMAction2: importing this package registers its parts."""
from .compat import (allow_cpu_distributed, allow_mmengine_checkpoints,
                     fix_color_jitter_hue, register_drn_placeholder,
                     skip_incompatible_multimodal)

# The placeholder must be in place before anything imports mmaction.models.
register_drn_placeholder()
skip_incompatible_multimodal()
allow_mmengine_checkpoints()
allow_cpu_distributed()
fix_color_jitter_hue()

from . import (datasets, engine, evaluation, feature_cache,  # noqa: E402,F401
               models, video)
from .engine import register_checkpoint_loader  # noqa: E402

register_checkpoint_loader()
from .version import __version__  # noqa: E402

__all__ = ['__version__']
