from .demo_face_dataset import DemoFaceDataset
from .demo_faces import DEMO_CLASSES, draw_face, generate_demo_faces

__all__ = [
    'DemoFaceDataset', 'DEMO_CLASSES', 'draw_face', 'generate_demo_faces'
]
