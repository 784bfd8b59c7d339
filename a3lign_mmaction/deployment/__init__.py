from .clip_classifier import ClipClassifier
from .onnx_export import export_onnx

__all__ = ['ClipClassifier', 'export_onnx']
