from .jas_neck import JASNeck
from .temporal_mean_neck import TemporalMeanNeck
from .temporal_transformer import TemporalTransformer

__all__ = ['JASNeck', 'TemporalMeanNeck', 'TemporalTransformer']
