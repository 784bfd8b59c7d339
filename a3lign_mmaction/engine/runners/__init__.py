from .zero_shot_runner import NO_CHECKPOINT, ZeroShotRunner

__all__ = ['NO_CHECKPOINT', 'ZeroShotRunner']
