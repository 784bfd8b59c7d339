from .mat_head import MATHead

__all__ = ['MATHead']
