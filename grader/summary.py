"""The class at a glance: `summary.json` and `summary.csv`, computed from the reports alone.

Both files are rewritten after every batch from all the reports in the folder, so a resumed or
partly regraded batch still summarises the whole class.
"""

from __future__ import annotations

import csv
import io
import statistics
from collections import Counter

from pydantic import BaseModel, Field

from grader.report import Report


class Bucket(BaseModel):
    low: float = Field(description="percent of the maximum, inclusive")
    high: float = Field(description="percent of the maximum, exclusive (the last includes 100)")
    count: int


class CheckStats(BaseModel):
    name: str
    target: str
    max_score: float
    passed: int
    failed: int
    error: int
    timeout: int
    skipped: int
    pass_rate: float


class TargetStats(BaseModel):
    target: str
    checks: int
    pass_rate: float = Field(description="passed checks of this function over all its graded checks")
    students_all_passed: int


class Problem(BaseModel):
    student: str
    message: str


class Summary(BaseModel):
    assignment: str
    assignment_version: str
    students: int
    max_score: float
    mean: float
    median: float
    min: float
    max: float
    stdev: float
    histogram: list[Bucket]
    checks: list[CheckStats]
    targets: list[TargetStats]
    submissions_with_errors: int
    submissions_with_timeouts: int
    errors: list[Problem]
    timeouts: list[str]
    late: list[str]
    set_aside: list[str] = Field(default_factory=list, description="entries the intake could not attribute")


def summarize(reports: list[Report], set_aside: list[str] | None = None) -> Summary:
    if not reports:
        raise ValueError("no reports to summarise")
    scores = [r.score for r in reports]
    top = reports[0].max_score or 1.0
    buckets = [Bucket(low=10.0 * i, high=10.0 * (i + 1), count=0) for i in range(10)]
    for score in scores:
        percent = 100.0 * score / top
        buckets[min(int(percent // 10), 9)].count += 1
    checks: list[CheckStats] = []
    for i, first in enumerate(reports[0].checks):
        status = Counter(r.checks[i].status for r in reports if i < len(r.checks))
        graded = sum(status.values())
        checks.append(CheckStats(
            name=first.name, target=first.target, max_score=first.max_score, passed=status["passed"],
            failed=status["failed"], error=status["error"], timeout=status["timeout"], skipped=status["skipped"],
            pass_rate=status["passed"] / graded if graded else 0.0,
        ))
    targets: list[TargetStats] = []
    for target in dict.fromkeys(c.target for c in reports[0].checks):
        mine = [c for c in checks if c.target == target]
        total = sum(c.passed + c.failed + c.error + c.timeout + c.skipped for c in mine)
        all_passed = sum(
            all(c.status == "passed" for c in r.checks if c.target == target) for r in reports
        )
        targets.append(TargetStats(target=target, checks=len(mine),
                                   pass_rate=sum(c.passed for c in mine) / total if total else 0.0,
                                   students_all_passed=all_passed))
    errors = [Problem(student=r.student, message=e) for r in reports for e in r.errors]
    timeouts = [r.student for r in reports if any(c.status == "timeout" for c in r.checks)]
    return Summary(
        assignment=reports[0].assignment, assignment_version=reports[0].assignment_version,
        students=len(reports), max_score=top, mean=statistics.fmean(scores), median=statistics.median(scores),
        min=min(scores), max=max(scores), stdev=statistics.pstdev(scores), histogram=buckets,
        checks=checks, targets=targets,
        submissions_with_errors=sum(1 for r in reports if r.errors), submissions_with_timeouts=len(timeouts),
        errors=errors, timeouts=timeouts, late=[r.student for r in reports if r.submission.late],
        set_aside=list(set_aside or []),
    )


def summary_csv(reports: list[Report]) -> str:
    """One row per student: totals, status counts, then each check's score."""
    names = [c.name for c in reports[0].checks] if reports else []
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(["student", "score", "max_score", "percent", "passed", "failed", "error",
                     "timeout", "late", "problems", *names])
    for report in reports:
        status = Counter(c.status for c in report.checks)
        by_name = {c.name: c.score for c in report.checks}
        percent = 100.0 * report.score / report.max_score if report.max_score else 0.0
        writer.writerow([
            report.student, f"{report.score:g}", f"{report.max_score:g}", f"{percent:.1f}",
            status["passed"], status["failed"], status["error"], status["timeout"],
            "yes" if report.submission.late else "", " | ".join(report.errors)[:500],
            *(f"{by_name.get(n, 0.0):g}" for n in names),
        ])
    return buffer.getvalue()
