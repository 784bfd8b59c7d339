from mmaction.registry import RUNNERS
from mmengine.logging import print_log
from mmengine.runner import Runner

__all__ = ['NO_CHECKPOINT', 'ZeroShotRunner']

#: The checkpoint argument of ``tools/test.py`` and the demos that scores a
#: model as its config builds it, with no trained weights.
NO_CHECKPOINT = 'none'


@RUNNERS.register_module()
class ZeroShotRunner(Runner):
    """MMEngine's runner for recipes that need no training (zero-shot CLIP).

    A ``load_from`` of ``'none'`` (:data:`NO_CHECKPOINT`), which is what
    MMAction2's ``tools/test.py CONFIG none`` sets, loads nothing: the model
    is tested as its config builds it, CLIP's weights from
    ``model.clip.checkpoint``. Any other ``load_from`` loads as usual. A
    config selects it with ``runner_type = 'ZeroShotRunner'``.
    """

    def load_or_resume(self) -> None:
        """Load or resume as MMEngine does, unless ``load_from`` is
        ``'none'``."""
        if self._load_from == NO_CHECKPOINT:
            print_log(
                f'load_from={NO_CHECKPOINT!r}: testing the model as its '
                'config builds it, with no trained checkpoint',
                logger='current')
            return
        super().load_or_resume()
