from typing import Dict

from mmaction.datasets.transforms import Resize, TenCrop, ThreeCrop
from mmaction.registry import TRANSFORMS
from mmcv.transforms import BaseTransform

__all__ = ['ViewCrops']


@TRANSFORMS.register_module()
class ViewCrops(BaseTransform):
    """The views a clip's face crops are tested on, each ``size`` pixels
    square.

    ``crops`` is 1 (the whole face resized), 3 (MMAction2's ``ThreeCrop``:
    left, centre and right of the face stretched to 8/7 of its width) or
    10 (``TenCrop``: the corners and centre of the face resized to 8/7, and
    their mirror images), as MAE-DFER and S2D test. The configs set
    ``crops`` from ``TEST_CROPS``.

    Required keys: ``imgs``, ``img_shape``.
    Modified keys: ``imgs``, ``img_shape``; with several crops also
    ``num_clips`` and ``crop_bbox``, as by ``ThreeCrop`` / ``TenCrop``.

    Args:
        size (int): A view's side in pixels.
        crops (int): Views per clip: 1, 3 or 10. Defaults to 1.
    """

    def __init__(self, size: int, crops: int = 1) -> None:
        if crops not in (1, 3, 10):
            raise ValueError('crops (TEST_CROPS in the configs) must be 1, '
                             f'3 or 10, got {crops!r}')
        self.size, self.crops = size, crops
        wide = size * 8 // 7
        scale = {1: (size, size), 3: (wide, size), 10: (wide, wide)}[crops]
        self.resize = Resize(scale=scale, keep_ratio=False)
        crop = {3: ThreeCrop, 10: TenCrop}.get(crops)
        self.crop = crop(crop_size=size) if crop else None

    def transform(self, results: Dict) -> Dict:
        """Resize, then cut the views."""
        results = self.resize(results)
        return self.crop(results) if self.crop else results

    def __repr__(self) -> str:
        return f'{type(self).__name__}(size={self.size}, crops={self.crops})'
