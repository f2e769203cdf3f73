"""Grading on this machine: a pool of warm zygotes, one submission per zygote at a time."""

from __future__ import annotations

from grader.faults import grade_retrying
from grader.grading import Plan
from grader.progress import Event, Progress, silent
from grader.report import Report
from grader.sandbox.pool import Pool
from grader.submission import Submission


class LocalExecutor:
    """Borrows a zygote of `pool` for each attempt at a submission.

    A sandbox that fails to start a worker before any submission was graded is a broken setup:
    the WorkerStartError stops the batch (exit 2). Once one submission was graded, the same error
    is the machine's doing, retried, and at worst a grader error for that one submission."""

    def __init__(self, plan: Plan, pool: Pool, progress: Progress = silent) -> None:
        self.plan = plan
        self.pool = pool
        self.progress = progress
        self._established = False

    @property
    def slots(self) -> int:
        return len(self.pool.zygotes)

    def grade(self, sub: Submission) -> Report:
        report = grade_retrying(self.plan, sub, self.pool.borrow, start_errors_are_faults=self._established,
                                on_retry=lambda text: self.progress(Event("retry", text)))
        if report.grader_error is None:
            self._established = True
        return report
