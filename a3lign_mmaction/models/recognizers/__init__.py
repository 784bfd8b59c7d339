from .clip_recognizer import BAP_STAGES, GROUPS, CLIPRecognizer
from .parameter_table import parameter_table

__all__ = ['BAP_STAGES', 'GROUPS', 'CLIPRecognizer', 'parameter_table']
