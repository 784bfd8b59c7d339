from .frame_classifier import FrameClassifier
from .onnx_export import export_onnx

__all__ = ['FrameClassifier', 'export_onnx']
