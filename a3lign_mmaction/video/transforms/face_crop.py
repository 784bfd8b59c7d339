from typing import Dict, Optional

from mmaction.registry import TRANSFORMS
from mmcv.transforms import BaseTransform

from ..face_cropper import crop_square
from ..face_detector import FaceDetector
from ..face_track import FaceTrack
from ..no_face_error import NoFaceError

__all__ = ['FaceCrop']


@TRANSFORMS.register_module()
class FaceCrop(BaseTransform):
    """Cut the face out of raw frames, square, as the DFER datasets' frames
    were cut (``tools/face_crop.py``).

    The face is detected in every frame (:class:`FaceDetector`), followed
    through the clip (:class:`FaceTrack`: the largest face first, then the
    nearest; frames without a face take their neighbours' box) and cut out
    with ``margin`` at ``size`` pixels.

    Frames that are face crops already pass unchanged: clips that say so
    with ``face_cropped`` (the DFER and demo datasets do, as does this
    step), so training and testing on a dataset never detect faces, while
    what MMAction2's inference API and demos pass in (a video file, camera
    frames) is cropped. To score frames that are crops already, give
    ``face_cropped=True`` with them.

    Raw frames need the ``faces`` extra (MediaPipe); the detector is built
    on first use, in each data loader worker.

    Required keys: ``imgs`` (RGB), ``face_cropped`` (optional).
    Modified keys: ``imgs``, ``img_shape``. Added keys: ``face_cropped``.

    Args:
        size (int): Side of the crops in pixels. Defaults to 224, the size
            DFEW's crops come in; the pipeline's ``Resize`` then brings
            them to the model's size as it does the datasets' frames.
        margin (float): Padding on each side of the face, as a fraction of
            its box's longer side. Defaults to 0.2, as ``tools/face_crop.py``.
        smooth (int): Frames in the moving average of the box. Defaults to
            1 (none): a clip's sampled frames can be seconds apart, unlike
            the consecutive frames ``tools/face_crop.py`` smooths over.
        detector (dict, optional): Arguments of :class:`FaceDetector`.
    """

    def __init__(self,
                 size: int = 224,
                 margin: float = 0.2,
                 smooth: int = 1,
                 detector: Optional[dict] = None) -> None:
        self.size = size
        self.margin = margin
        self.smooth = smooth
        self.detector_cfg = detector or {}
        self._detector: Optional[FaceDetector] = None

    def transform(self, results: Dict) -> Dict:
        """Crop the face in every frame, unless they are crops already."""
        if results.get('face_cropped', False):
            return results
        if self._detector is None:
            self._detector = FaceDetector(**self.detector_cfg)
        frames = results['imgs']
        # The detector takes BGR; the pipeline's frames are RGB.
        track = FaceTrack.from_detections(
            [self._detector(frame[:, :, ::-1]) for frame in frames],
            margin=self.margin,
            smooth=self.smooth)
        if not track.num_detected:
            source = results.get('filename', 'the frames given')
            raise NoFaceError(
                f'FaceCrop found no face in the {len(frames)} frames '
                f'sampled from {source}. Give a video with a visible face, '
                'or frames that are face crops already with '
                'face_cropped=True.')
        results['imgs'] = [
            crop_square(frame, box, self.size)
            for frame, box in zip(frames, track.boxes)
        ]
        results['img_shape'] = (self.size, self.size)
        results['face_cropped'] = True
        return results

    def __repr__(self) -> str:
        return (f'{type(self).__name__}(size={self.size}, '
                f'margin={self.margin}, smooth={self.smooth})')
