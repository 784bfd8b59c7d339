import os.path as osp
from typing import Sequence

from mmaction.engine.hooks import VisualizationHook
from mmaction.registry import HOOKS
from mmaction.structures import ActionDataSample

__all__ = ['MultiViewVisualizationHook']


@HOOKS.register_module()
class MultiViewVisualizationHook(VisualizationHook):
    """MMAction2's ``VisualizationHook``, fixed for 3D recognizers.

    Three defects of the mmaction2 1.2.0 hook break ``tools/test.py
    --show-dir`` there: it expects each sample as ``(C, T, H, W)`` and fails
    on the ``(views, C, T, H, W)`` that ``FormatShape('NCTHW')`` packs (this
    hook draws the first view); it passes ``show`` to
    ``ActionVisualizer.add_datasample``, which calls it ``show_frames``; and
    it numbers the samples of a short last batch as if they were the first
    ones of a full batch, so their drawings overwrite earlier ones (this
    hook names each drawing by its running index and clip folder).
    Arguments are those of ``VisualizationHook``.
    """

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.draw_args['show_frames'] = self.draw_args.pop('show')
        self._seen = 0

    def before_test(self, runner) -> None:
        """Number the drawings of a test run from 0."""
        self._seen = 0

    def _draw_samples(self,
                      batch_idx: int,
                      data_batch: dict,
                      data_samples: Sequence[ActionDataSample],
                      step: int = 0) -> None:
        if not self.enable:
            return
        for index, sample in enumerate(data_samples, self._seen):
            clip = osp.basename(sample.get('frame_dir', ''))
            sample.set_field(f'{index:06d}_{clip}'.rstrip('_'), 'filename')
        self._seen += len(data_samples)
        first_views = [
            video[0] if video.dim() == 5 else video
            for video in data_batch['inputs']
        ]
        super()._draw_samples(batch_idx, dict(data_batch, inputs=first_views),
                              data_samples, step)
