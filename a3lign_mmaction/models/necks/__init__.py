from .jas_neck import JASNeck
from .temporal_transformer import TemporalTransformer

__all__ = ['JASNeck', 'TemporalTransformer']
