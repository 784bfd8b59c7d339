from .clip_lists import annotation_lines, read_clip_list
from .config_classes import class_names, config_dataset_class
from .demo_face_dataset import DemoFaceDataset
from .demo_face_drawing import DEMO_CLASSES, draw_face, generate_demo_faces
from .dfer_dataset import DFER_CLIP_LISTS, DFERDataset
from .dfer_pipelines import PREDICTION_META_KEYS, dfer_pipelines
from .dfew_dataset import DFEWDataset
from .ferv39k_dataset import FERV39kDataset
from .mafw_dataset import MAFWDataset
from .packed_collate import packed_collate
from .seed_worker import seed_worker
from .total_batch_sampler import TotalBatchSampler
from .transforms import *  # noqa: F401,F403

__all__ = [
    'DemoFaceDataset', 'DEMO_CLASSES', 'DFER_CLIP_LISTS', 'DFERDataset',
    'DFEWDataset', 'FERV39kDataset', 'MAFWDataset', 'PREDICTION_META_KEYS',
    'TotalBatchSampler', 'annotation_lines', 'class_names',
    'config_dataset_class', 'dfer_pipelines', 'draw_face',
    'generate_demo_faces', 'packed_collate', 'read_clip_list', 'seed_worker'
]
