from typing import Sequence

from mmaction.engine.hooks import VisualizationHook
from mmaction.registry import HOOKS
from mmaction.structures import ActionDataSample

__all__ = ['ClipVisualizationHook']


@HOOKS.register_module()
class ClipVisualizationHook(VisualizationHook):
    """MMAction2's ``VisualizationHook``, fixed for 3D recognizers.

    Two defects of the mmaction2 1.2.0 hook break ``tools/test.py
    --show-dir`` there: it expects each sample as ``(C, T, H, W)`` and fails
    on the ``(views, C, T, H, W)`` that ``FormatShape('NCTHW')`` packs (this
    hook draws the first view), and it passes ``show`` to
    ``ActionVisualizer.add_datasample``, which calls it ``show_frames``.
    Arguments are those of ``VisualizationHook``.
    """

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.draw_args['show_frames'] = self.draw_args.pop('show')

    def _draw_samples(self,
                      batch_idx: int,
                      data_batch: dict,
                      data_samples: Sequence[ActionDataSample],
                      step: int = 0) -> None:
        first_views = [
            video[0] if video.dim() == 5 else video
            for video in data_batch['inputs']
        ]
        super()._draw_samples(batch_idx, dict(data_batch, inputs=first_views),
                              data_samples, step)
