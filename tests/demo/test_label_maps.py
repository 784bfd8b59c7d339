"""demo/label_map_*.txt, the label files MMAction2's demo scripts read,
list each dataset's classes in label order."""
import os.path as osp

import pytest

from a3lign_mmaction.datasets import (DemoFaceDataset, DFEWDataset,
                                      FERV39kDataset, MAFWDataset)
from tests.repository import REPO_ROOT


@pytest.mark.parametrize('name,dataset', [('dfew', DFEWDataset),
                                          ('ferv39k', FERV39kDataset),
                                          ('mafw', MAFWDataset),
                                          ('demo', DemoFaceDataset)])
def test_label_map_lists_the_classes(name, dataset):
    path = osp.join(REPO_ROOT, 'demo', f'label_map_{name}.txt')
    with open(path) as f:
        assert tuple(f.read().splitlines()) == dataset.METAINFO['classes']
