"""A³lign-DFER for MMAction2: importing this package registers its parts."""
from .compat import allow_mmengine_checkpoints, register_drn_placeholder

# Both must run before anything imports ``mmaction.models``.
register_drn_placeholder()
allow_mmengine_checkpoints()

from . import models  # noqa: E402,F401
from .version import __version__  # noqa: E402

__all__ = ['__version__']
