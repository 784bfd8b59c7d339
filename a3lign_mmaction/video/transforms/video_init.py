import os.path as osp
from typing import Dict

from mmaction.datasets.transforms import DecordInit
from mmaction.registry import TRANSFORMS
from mmcv.transforms import BaseTransform

from ...datasets.frame_files import IMAGE_SUFFIXES, list_frames
from ..bad_video_error import BadVideoError

__all__ = ['VideoInit']


@TRANSFORMS.register_module()
class VideoInit(BaseTransform):
    """Open the video a clip names by ``filename``: a video file or a folder
    of frame images.

    ``filename`` is what MMAction2's inference API gives a pipeline
    (``inference_recognizer(model, path)``). A video file is opened with
    Decord, by MMAction2's ``DecordInit``, which is what
    ``MMAction2Inferencer`` puts in this step's place; a folder's image
    files are listed in frame order, as the DFER datasets list theirs.
    :class:`VideoDecode` then reads the sampled frames.

    A clip without ``filename`` has nothing to open and passes unchanged:
    a DFER dataset's frame list, or frames that MMAction2's demos hand the
    pipeline in memory (``imgs``, ``array``). So one test pipeline serves
    the datasets, the inference API and the demos.

    Required keys: ``filename`` (optional).
    Added keys: ``total_frames``, and ``video_reader`` (a video file) or
    ``frame_dir`` and ``frame_names`` (a folder).
    """

    def __init__(self) -> None:
        self._decord = DecordInit()

    def transform(self, results: Dict) -> Dict:
        """Open ``results['filename']``, if there is one."""
        path = results.get('filename')
        if path is None:
            return results
        if not osp.exists(path):
            raise BadVideoError(f'{path}: no such video file or frame folder')
        if not osp.isdir(path):
            if not osp.getsize(path):
                raise BadVideoError(f'{path} is empty (0 bytes), not a video')
            try:
                return self._decord(results)
            except Exception as error:
                # Decord raises its own DECORDError or a RuntimeError that
                # names neither the file nor the reason.
                detail = str(error).strip().splitlines()
                raise BadVideoError(
                    f'{path} is not a video Decord can read, or it is '
                    f'truncated ({type(error).__name__}: '
                    f'{detail[0] if detail else "no detail"})') from error
        names = list_frames(path)
        if not names:
            raise FileNotFoundError(
                f'{path} holds no frame images ({", ".join(IMAGE_SUFFIXES)})'
                '; give a folder of frames or a video file')
        results.update(
            frame_dir=path, frame_names=names, total_frames=len(names))
        return results
