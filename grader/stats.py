"""Class statistics from reports alone: the one definition behind summary.json and the dashboard.

Definitions:
- a check's pass rate is the share of the students graded on it whose check passed (errors,
  timeouts and skipped checks count as not passed);
- a function's pass rate is the share of the students graded on any of its checks who passed
  every one of them (a function is only as done as its worst check);
- the histogram puts each score in a tenth of the maximum, the last tenth including the maximum;
- a grader error is a report whose whole submission or any check the grader failed on (not the
  student's doing; its score is not to be trusted).
Checks are matched by name, in the order they first appear.
"""

from __future__ import annotations

import statistics
from collections import Counter
from dataclasses import dataclass, field

from grader.report import Report, Status, Visibility


@dataclass
class CheckStat:
    name: str
    target: str
    visibility: Visibility
    max_score: float
    statuses: Counter[Status] = field(default_factory=Counter)

    @property
    def total(self) -> int:
        return sum(self.statuses.values())

    @property
    def pass_rate(self) -> float:
        return self.statuses["passed"] / self.total if self.total else 0.0


@dataclass
class TargetStat:
    target: str
    checks: int = 0
    students: int = 0
    all_passed: int = 0
    points: float = 0.0
    max_points: float = 0.0

    @property
    def pass_rate(self) -> float:
        return self.all_passed / self.students if self.students else 0.0


@dataclass
class ClassStats:
    assignment: str
    assignment_version: str
    max_score: float
    scores: list[float]
    checks: list[CheckStat]
    targets: list[TargetStat]
    grader_errors: list[str] = field(default_factory=list)
    """Students whose score is not to be trusted: the grader failed on a check or on the whole submission."""

    @property
    def students(self) -> int:
        return len(self.scores)

    @property
    def mean(self) -> float:
        return statistics.fmean(self.scores)

    @property
    def median(self) -> float:
        return statistics.median(self.scores)

    @property
    def stdev(self) -> float:
        return statistics.pstdev(self.scores)

    @property
    def full_marks(self) -> int:
        return sum(1 for s in self.scores if s >= self.max_score)

    @property
    def zero(self) -> int:
        return sum(1 for s in self.scores if s <= 0)

    def histogram(self) -> list[int]:
        """How many scores fall in each tenth of the maximum."""
        counts = [0] * 10
        top = self.max_score or 1.0
        for score in self.scores:
            counts[max(0, min(int((100.0 * score / top) // 10), 9))] += 1
        return counts


def class_stats(reports: list[Report]) -> ClassStats:
    """The statistics of a non-empty class (raises ValueError for no reports)."""
    if not reports:
        raise ValueError("no reports to summarise")
    checks: dict[str, CheckStat] = {}
    targets: dict[str, TargetStat] = {}
    names: dict[str, set[str]] = {}
    for report in reports:
        passed: dict[str, bool] = {}
        for check in report.checks:
            stat = checks.setdefault(check.name, CheckStat(check.name, check.target, check.visibility,
                                                           check.max_score))
            stat.statuses[check.status] += 1
            target = targets.setdefault(check.target, TargetStat(check.target))
            target.points += check.score
            target.max_points += check.max_score
            names.setdefault(check.target, set()).add(check.name)
            passed[check.target] = passed.get(check.target, True) and check.status == "passed"
        for name, all_passed in passed.items():
            targets[name].students += 1
            targets[name].all_passed += all_passed
    for name, target in targets.items():
        target.checks = len(names[name])
    return ClassStats(
        assignment=reports[0].assignment, assignment_version=reports[0].assignment_version,
        max_score=max(r.max_score for r in reports), scores=[r.score for r in reports],
        checks=list(checks.values()), targets=list(targets.values()),
        grader_errors=[r.student for r in reports if r.has_grader_error],
    )
