"""The class at a glance: `summary.json` and `summary.csv`, computed from the reports alone.

Both files are rewritten after every batch from all the reports in the folder, so a resumed or
partly regraded batch still summarises the whole class. The numbers are grader.stats's, the same
the dashboard shows. Scores are final (overrides and the late penalty applied); `adjustments`
and the CSV's `raw_score`, `penalty` and `adjustments` columns say where they differ from the
checks' points as graded.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

from pydantic import BaseModel, Field

from grader.adjust import explain, is_late
from grader.csvtext import Cell, csv_text
from grader.report import Message, Name, Report
from grader.reports import write_atomic
from grader.stats import class_stats


class Bucket(BaseModel):
    low: float = Field(description="percent of the maximum, inclusive")
    high: float = Field(description="percent of the maximum, exclusive (the last includes 100)")
    count: int


class CheckStats(BaseModel):
    name: Name
    target: Name
    max_score: float
    passed: int
    failed: int
    error: int
    timeout: int
    skipped: int
    pass_rate: float = Field(description="students whose check passed, over the students graded on it")


class TargetStats(BaseModel):
    target: Name
    checks: int
    students: int = Field(description="students graded on any check of this function")
    pass_rate: float = Field(description="students who passed every check of this function, over `students`")
    students_all_passed: int


class Adjustment(BaseModel):
    student: Name
    raw_score: float = Field(description="the checks' points as graded")
    penalty: float = Field(description="points the late policy took off")
    score: float = Field(description="the final score")
    why: list[Message] = Field(description="the instructor's decisions and the late penalty, one sentence each")


class Problem(BaseModel):
    student: Name
    message: Message


class Summary(BaseModel):
    assignment: Name
    assignment_version: Name
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
    timeouts: list[Name]
    late: list[Name]
    grader_errors: int = Field(0, description=(
        "submissions the grader failed on (a check, or the whole submission when the machine kept failing): "
        "not the students' fault, their scores are not to be trusted; `grader grade` exits with 3"))
    grader_error_students: list[Name] = Field(default_factory=list, description="who they are")
    set_aside: list[Message] = Field(default_factory=list, description="entries the intake could not attribute")
    late_penalties: int = Field(0, description="submissions the late policy took points from")
    overridden: int = Field(0, description="submissions with an instructor's decision (overrides.toml)")
    adjustments: list[Adjustment] = Field(default_factory=list, description=(
        "every student whose final score is not the checks' points as graded, or who has an instructor's decision"))


def summarize(reports: list[Report], set_aside: list[str] | None = None) -> Summary:
    stats = class_stats(reports)
    timeouts = [r.student for r in reports if any(c.status == "timeout" for c in r.checks)]
    return Summary(
        assignment=stats.assignment, assignment_version=stats.assignment_version, students=stats.students,
        max_score=stats.max_score, mean=stats.mean, median=stats.median, min=min(stats.scores),
        max=max(stats.scores), stdev=stats.stdev,
        histogram=[Bucket(low=10.0 * i, high=10.0 * (i + 1), count=n) for i, n in enumerate(stats.histogram())],
        checks=[CheckStats(name=c.name, target=c.target, max_score=c.max_score, passed=c.statuses["passed"],
                           failed=c.statuses["failed"], error=c.statuses["error"], timeout=c.statuses["timeout"],
                           skipped=c.statuses["skipped"], pass_rate=c.pass_rate) for c in stats.checks],
        targets=[TargetStats(target=t.target, checks=t.checks, students=t.students, pass_rate=t.pass_rate,
                             students_all_passed=t.all_passed) for t in stats.targets],
        submissions_with_errors=sum(1 for r in reports if r.errors), submissions_with_timeouts=len(timeouts),
        errors=[Problem(student=r.student, message=e) for r in reports for e in r.errors],
        timeouts=timeouts, late=[r.student for r in reports if is_late(r)],
        grader_errors=len(stats.grader_errors), grader_error_students=stats.grader_errors,
        set_aside=list(set_aside or []),
        late_penalties=sum(1 for r in reports if r.penalty), overridden=sum(1 for r in reports if r.overrides),
        adjustments=[Adjustment(student=r.student, raw_score=r.graded, penalty=r.penalty, score=r.score,
                                why=explain(r)) for r in reports if r.overrides or r.score != r.graded],
    )



def summary_csv(reports: list[Report]) -> str:
    """One row per student: totals, status counts, then each check's score."""
    names = [c.name for c in class_stats(reports).checks] if reports else []
    rows: list[list[Cell]] = [["student", "score", "max_score", "percent", "passed", "failed", "error",
                               "timeout", "late", "problems", "raw_score", "penalty", "adjustments", *names]]
    for report in reports:
        status = Counter(c.status for c in report.checks)
        by_name = {c.name: c.score for c in report.checks}
        percent = 100.0 * report.score / report.max_score if report.max_score else 0.0
        rows.append([
            report.student, report.score, report.max_score, percent,
            status["passed"], status["failed"], status["error"], status["timeout"],
            "yes" if is_late(report) else "", " | ".join([*report.errors, *_grader_problems(report)])[:500],
            report.graded, report.penalty, " | ".join(explain(report))[:1000], *(by_name.get(n, 0.0) for n in names),
        ])
    return csv_text(rows, line_end="\n")


def _grader_problems(report: Report) -> list[str]:
    """The grader's own failures, for the `problems` column: never to be read as the student's."""
    if report.grader_error:
        return [f"grader error (not the student's fault): {report.grader_error}"]
    failed = [c.name for c in report.checks if c.grader_error]
    return [f"grader error (not the student's fault) in: {'; '.join(failed)}"] if failed else []


def write_summaries(out: Path, reports: list[Report], set_aside: list[str] | None = None) -> None:
    """summary.json and summary.csv over `reports` (a batch's, or a folder's after an override)."""
    summary = summarize(reports, set_aside)
    write_atomic(out / "summary.json", summary.model_dump_json(indent=2) + "\n")
    write_atomic(out / "summary.csv", summary_csv(reports))
