"""The dashboard's statistics: grader.stats's numbers (the same as summary.json's), plus the
grouped failure messages and the list of errors and timeouts.

Failure messages are grouped after their numbers are replaced by `#`, so "is 8.0; expected -8.0"
and "is -8.0; expected 8.0" count as one mistake. Counts are of students, not of checks, so one
broken import does not outweigh a mistake shared by half the class.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from grader.report import Report, Status
from grader.stats import ClassStats, class_stats

_CASES = re.compile(r"\s*\[\d+ of \d+ cases passed\]$")
_NUMBER = re.compile(r"(?<![\w.])[-+]?(?:\d{1,3}(?:,\d{3})+|\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?(?![\w])")
TOP_FAILURES = 30
MAX_PROBLEM_ROWS = 500


def normalize(message: str) -> str:
    """The message with its case counts dropped and every number replaced by `#`."""
    return _NUMBER.sub("#", _CASES.sub("", message.strip()))


@dataclass
class FailureGroup:
    pattern: str
    example: str
    status: Status
    checks: list[str] = field(default_factory=list)
    students: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Problem:
    """A whole-submission error, or the errors/timeouts of a student's checks."""

    student: str
    kind: str
    checks: int
    message: str


@dataclass
class DashboardStats(ClassStats):
    failures: list[FailureGroup] = field(default_factory=list)
    failure_groups: int = 0
    problems: list[Problem] = field(default_factory=list)
    problems_total: int = 0
    problem_students: int = 0


def dashboard_stats(reports: list[Report]) -> DashboardStats:
    groups: dict[str, FailureGroup] = {}
    problems: list[Problem] = []
    for report in reports:
        for check in report.checks:
            if check.status != "passed":
                _group(groups, report.student, check.name, check.status, check.message)
        problems += _problems(report)
    ranked = sorted(groups.values(), key=lambda g: (-len(g.students), g.pattern))
    return DashboardStats(
        **vars(class_stats(reports)),
        failures=ranked[:TOP_FAILURES],
        failure_groups=len(ranked),
        problems=problems[:MAX_PROBLEM_ROWS],
        problems_total=len(problems),
        problem_students=len({p.student for p in problems}),
    )


def _group(groups: dict[str, FailureGroup], student: str, check: str, status: Status, message: str) -> None:
    pattern = normalize(message)
    group = groups.setdefault(pattern, FailureGroup(pattern, _CASES.sub("", message.strip()), status))
    if check not in group.checks:
        group.checks.append(check)
    if not group.students or group.students[-1] != student:
        group.students.append(student)


def _problems(report: Report) -> list[Problem]:
    if report.grader_error:
        return [Problem(report.student, "grader error", len(report.checks), report.grader_error)]
    failed = [c for c in report.checks if c.grader_error]
    out = [Problem(report.student, "grader error", len(failed), failed[0].message)] if failed else []
    out += [Problem(report.student, "submission error", len(report.checks), error) for error in report.errors]
    for status in ("error", "timeout"):
        hit = [c for c in report.checks if c.status == status]
        if hit and not report.errors:
            out.append(Problem(report.student, status, len(hit), _CASES.sub("", hit[0].message)))
    return out
