"""Where submissions are graded: here (`local`) or on Dask workers (`dask`), behind one interface.

An executor grades one submission at a time per slot and returns its report; the batch
(grader.batch) decides what to grade, writes the reports and keeps count. Both executors retry
what the machine breaks (grader.faults), so a report never carries a fault as the student's.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Protocol

from grader.report import Report
from grader.submission import Submission


class Executor(Protocol):
    """Grades submissions; `slots` of them at once (the batch runs that many threads)."""

    @property
    def slots(self) -> int: ...

    def grade(self, sub: Submission) -> Report:
        """The report of `sub`; raises only when the batch must stop (a broken setup)."""
        ...


class FunctionExecutor:
    """An executor made of a function: tests, and callers with their own way to grade."""

    def __init__(self, grade: Callable[[Submission], Report], slots: int = 1) -> None:
        self._grade = grade
        self._slots = max(1, slots)

    @property
    def slots(self) -> int:
        return self._slots

    def grade(self, sub: Submission) -> Report:
        return self._grade(sub)
