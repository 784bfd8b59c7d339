import sys

from mmengine.utils import ProgressBar

__all__ = ['progress_bar']


def progress_bar(total: int) -> ProgressBar:
    """MMEngine's progress bar over ``total`` tasks, written to the
    ``sys.stdout`` of now: ``ProgressBar``'s default is the one of its
    import, which misses a redirection made later (a tool run in-process,
    its output captured)."""
    return ProgressBar(total, file=sys.stdout)
