from typing import Dict, Optional

from mmaction.datasets.transforms import DecordDecode, RawFrameDecode
from mmaction.registry import TRANSFORMS
from mmcv.transforms import BaseTransform

from ...datasets.transforms import FrameListDecode

__all__ = ['VideoDecode']


@TRANSFORMS.register_module()
class VideoDecode(BaseTransform):
    """Decode a clip's sampled frames (``frame_inds``) from whatever holds
    them.

    - a Decord reader (``video_reader``, from :class:`VideoInit` on a video
      file): MMAction2's ``DecordDecode``;
    - listed frame files (``frame_names``: a folder opened by
      :class:`VideoInit`, a DFER dataset's clip): :class:`FrameListDecode`;
    - MMAction2's frame folders named by a template (``filename_tmpl``,
      e.g. ``RawframeDataset``): MMAction2's ``RawFrameDecode``.

    Frames that are decoded already (``imgs``, as MMAction2's webcam and
    long-video demos pass them) pass unchanged.

    Required keys: ``frame_inds`` and one of the sources above, or
    ``imgs``.
    Added keys: ``imgs``, ``original_shape``, ``img_shape``.
    """

    def __init__(self) -> None:
        self._decoders = (('video_reader', DecordDecode()),
                          ('frame_names', FrameListDecode()),
                          ('filename_tmpl', RawFrameDecode()))

    def transform(self, results: Dict) -> Optional[Dict]:
        """Decode the frames, unless they are decoded already."""
        if 'imgs' in results:
            return results
        for key, decoder in self._decoders:
            if key in results:
                return decoder(results)
        raise KeyError(
            'VideoDecode found no frames to decode: the clip has no '
            "'video_reader' or 'frame_names' (put VideoInit before the "
            "sampling step) and no 'filename_tmpl'; its keys are "
            f'{sorted(results)}')
