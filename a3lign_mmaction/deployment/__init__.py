from .clip_classifier import ClipClassifier
from .frame_encoder import FrameEncoder
from .onnx_export import export_onnx
from .window_classifier import WindowClassifier

__all__ = ['ClipClassifier', 'FrameEncoder', 'WindowClassifier', 'export_onnx']
