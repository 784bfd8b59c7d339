from typing import Callable, Dict, List, Sequence, Tuple, Union

from mmaction.datasets import RawframeDataset
from mmaction.registry import DATASETS

from .demo_face_drawing import DEMO_CLASSES, generate_demo_faces

__all__ = ['DemoFaceDataset']


@DATASETS.register_module()
class DemoFaceDataset(RawframeDataset):
    """The procedurally drawn demo faces (see :mod:`.demo_face_drawing`).

    The dataset is written to ``data_root`` the first time it is used, so a
    config that names it runs with no download and no preparation step.

    Args:
        data_root (str): Folder of the dataset; written if missing.
        split (str): ``'train'`` or ``'val'``.
        pipeline (list[dict | callable]): Data transforms.
        splits (sequence[tuple[str, int]]): Splits to write and their clips
            per class, see :func:`generate_demo_faces`.
        size (int): Frame size of a written dataset. Defaults to 64.
        seed (int): Seed of a written dataset. Defaults to 0.
        **kwargs: Other arguments of :class:`RawframeDataset`.
    """

    METAINFO = dict(classes=DEMO_CLASSES)

    def __init__(self,
                 data_root: str,
                 split: str,
                 pipeline: List[Union[dict, Callable]],
                 splits: Sequence[Tuple[str, int]] = (('train', 40),
                                                      ('val', 10)),
                 size: int = 64,
                 seed: int = 0,
                 **kwargs) -> None:
        generate_demo_faces(data_root, splits=splits, size=size, seed=seed)
        super().__init__(
            ann_file=f'{split}.txt',
            pipeline=pipeline,
            data_root=data_root,
            data_prefix=dict(img=''),
            **kwargs)

    def load_data_list(self) -> List[Dict]:
        """The clips of the split; their frames are face images already
        (``face_cropped``, see ``FaceCrop``)."""
        return [
            dict(info, face_cropped=True)
            for info in super().load_data_list()
        ]
