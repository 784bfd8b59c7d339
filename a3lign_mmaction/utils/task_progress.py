import sys
from typing import Callable, Optional, Union

from mmengine.utils import ProgressBar

__all__ = ['Report', 'TaskProgress']

#: How a long job reports its progress: True for MMEngine's progress bar,
#: False for none, or a callable ``report(task, done, total)`` (a web
#: page's progress, for instance).
Report = Union[bool, Callable[[str, int, int], None]]


class TaskProgress:
    """The progress of one task over ``total`` steps, as ``report`` asks.

    MMEngine's bar is written to the ``sys.stdout`` of when the task
    starts: ``ProgressBar``'s default is the one of its import, which
    misses a redirection made later (a tool run in-process, its output
    captured).

    Args:
        total (int): Steps of the task.
        report (bool | callable): See :data:`Report`. Defaults to True.
        task (str): What the task does, for a callable ``report``.
            Defaults to ``''``.
    """

    def __init__(self,
                 total: int,
                 report: Report = True,
                 task: str = '') -> None:
        self.total, self.task, self.done = total, task, 0
        self._report = report if callable(report) else None
        self._bar: Optional[ProgressBar] = (
            ProgressBar(total, file=sys.stdout) if report is True else None)
        if self._report is not None:
            self._report(task, 0, total)

    def update(self, steps: int = 1) -> None:
        """``steps`` more steps are done."""
        self.done += steps
        if self._bar is not None:
            self._bar.update(steps)
        if self._report is not None:
            self._report(self.task, self.done, self.total)

    def close(self) -> None:
        """End the bar's line."""
        if self._bar is not None:
            self._bar.file.write('\n')
            self._bar.file.flush()
