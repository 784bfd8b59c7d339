from .clip_recognizer import BAP_STAGES, CLIPRecognizer

__all__ = ['BAP_STAGES', 'CLIPRecognizer']
