"""What a config's test dataset says about its classes."""
from typing import Tuple

from mmaction.registry import DATASETS
from mmengine.config import Config

__all__ = ['class_names', 'config_dataset_class']


def config_dataset_class(cfg: Config) -> type:
    """The dataset class of a config's test loader."""
    kind = cfg.test_dataloader.dataset.get('type')
    return DATASETS.get(kind) if isinstance(kind, str) else kind


def class_names(cfg: Config, num_classes: int) -> Tuple[str, ...]:
    """Class names of a config's test dataset (``METAINFO['classes']``), or
    ``class 0, class 1, ...`` where its dataset class has none."""
    dataset = cfg.test_dataloader.dataset
    names = tuple(
        dataset.get('metainfo', {}).get('classes')
        or getattr(config_dataset_class(cfg), 'METAINFO', {}).get(
            'classes', ()))
    if len(names) != num_classes:
        return tuple(f'class {i}' for i in range(num_classes))
    return names
