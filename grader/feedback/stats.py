"""Class statistics for the dashboard: pass rates, grouped failure messages, errors and timeouts.

Failure messages are grouped after their numbers are replaced by `#`, so "is 8.0; expected -8.0"
and "is -8.0; expected 8.0" count as one mistake. Counts are of students, not of checks, so one
broken import does not outweigh a mistake shared by half the class.
"""

from __future__ import annotations

import re
import statistics
from collections import Counter
from dataclasses import dataclass, field

from grader.feedback.loading import Loaded
from grader.report import Status, Visibility

_CASES = re.compile(r"\s*\[\d+ of \d+ cases passed\]$")
_NUMBER = re.compile(r"(?<![\w.])[-+]?(?:\d{1,3}(?:,\d{3})+|\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?(?![\w])")
TOP_FAILURES = 30
MAX_PROBLEM_ROWS = 500


def normalize(message: str) -> str:
    """The message with its case counts dropped and every number replaced by `#`."""
    return _NUMBER.sub("#", _CASES.sub("", message.strip()))


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
class FailureGroup:
    pattern: str
    example: str
    status: Status
    checks: list[str] = field(default_factory=list)
    students: list[str] = field(default_factory=list)  # page stems


@dataclass(frozen=True)
class Problem:
    """A whole-submission error, or the errors/timeouts of a student's checks."""

    stem: str
    student: str
    kind: str
    checks: int
    message: str


@dataclass
class ClassStats:
    assignment: str
    students: int
    max_score: float
    scores: list[float]
    checks: list[CheckStat]
    targets: list[TargetStat]
    failures: list[FailureGroup]
    failure_groups: int
    problems: list[Problem]
    problems_total: int
    problem_students: int

    @property
    def mean(self) -> float:
        return statistics.fmean(self.scores)

    @property
    def median(self) -> float:
        return statistics.median(self.scores)

    @property
    def full_marks(self) -> int:
        return sum(1 for s in self.scores if s >= self.max_score)

    @property
    def zero(self) -> int:
        return sum(1 for s in self.scores if s <= 0)


def class_stats(loaded: list[Loaded]) -> ClassStats:
    checks: dict[str, CheckStat] = {}
    targets: dict[str, TargetStat] = {}
    groups: dict[str, FailureGroup] = {}
    problems: list[Problem] = []
    for item in loaded:
        report = item.report
        per_target: dict[str, list[bool]] = {}
        for check in report.checks:
            stat = checks.setdefault(check.name, CheckStat(check.name, check.target, check.visibility,
                                                           check.max_score))
            stat.statuses[check.status] += 1
            per_target.setdefault(check.target, []).append(check.status == "passed")
            target = targets.setdefault(check.target, TargetStat(check.target))
            target.points += check.score
            target.max_points += check.max_score
            if check.status != "passed":
                _group(groups, item.stem, check.name, check.status, check.message)
        for name, passed in per_target.items():
            target = targets[name]
            target.students += 1
            target.all_passed += all(passed)
            target.checks = max(target.checks, len(passed))
        problems += _problems(item)
    ranked = sorted(groups.values(), key=lambda g: (-len(g.students), g.pattern))
    reports = [item.report for item in loaded]
    return ClassStats(
        assignment=reports[0].assignment,
        students=len(reports),
        max_score=max(r.max_score for r in reports),
        scores=[r.score for r in reports],
        checks=list(checks.values()),
        targets=list(targets.values()),
        failures=ranked[:TOP_FAILURES],
        failure_groups=len(ranked),
        problems=problems[:MAX_PROBLEM_ROWS],
        problems_total=len(problems),
        problem_students=len({p.stem for p in problems}),
    )


def _group(groups: dict[str, FailureGroup], stem: str, check: str, status: Status, message: str) -> None:
    pattern = normalize(message)
    group = groups.setdefault(pattern, FailureGroup(pattern, _CASES.sub("", message.strip()), status))
    if check not in group.checks:
        group.checks.append(check)
    if not group.students or group.students[-1] != stem:
        group.students.append(stem)


def _problems(item: Loaded) -> list[Problem]:
    report = item.report
    out = [Problem(item.stem, report.student, "submission error", len(report.checks), error)
           for error in report.errors]
    for status in ("error", "timeout"):
        hit = [c for c in report.checks if c.status == status]
        if hit and not report.errors:
            out.append(Problem(item.stem, report.student, status, len(hit), _CASES.sub("", hit[0].message)))
    return out
