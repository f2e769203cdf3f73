"""The class dashboard: statistics, the figures (inlined, and beside the page as files), links.

It is the instructor's page: scores are final, and every instructor decision (overrides.toml) and
late penalty is listed with its reason; the similarity report is linked when there is one.
"""

from __future__ import annotations

import base64
from collections import Counter
from dataclasses import dataclass
from urllib.parse import quote

from grader.adjust import explain, is_late
from grader.feedback.charts import Chart
from grader.feedback.render import render
from grader.feedback.stats import DashboardStats
from grader.feedback.views import View
from grader.report import Override, Report
from grader.reports import file_stem


@dataclass(frozen=True)
class ChartView:
    name: str
    title: str
    data_uri: str


@dataclass(frozen=True)
class StudentRow:
    student: str
    score: float
    max_score: float
    passed: int
    checks: int
    summary: str
    late: bool
    name: str | None = None
    raw_score: float | None = None  # when the final score differs from the checks' points
    adjustments: tuple[str, ...] = ()


@dataclass(frozen=True)
class Decision:
    student: str
    name: str | None
    override: Override


def student_href(student: str) -> str:
    """The link to a student's page, named as the student's report file."""
    return f"students/{quote(file_stem(student))}.html"


def page(reports: list[Report], stats: DashboardStats, charts: list[Chart], view: View,
         names: dict[str, str] | None = None, *, similarity: bool = False) -> str:
    """`names`: student id → name, shown beside the id; `similarity`: link ../similarity/index.html."""
    called = {r.student: (names or {}).get(r.student) or r.submission.name for r in reports}
    return render(
        "dashboard.html.j2",
        stats=stats,
        view=view,
        charts=[ChartView(c.name, c.title, "data:image/svg+xml;base64," + base64.b64encode(c.svg).decode())
                for c in charts],
        students=[_row(report, called[report.student]) for report in reports],
        links={report.student: student_href(report.student) for report in reports},
        decisions=[Decision(r.student, called[r.student], d) for r in reports for d in r.overrides],
        penalized=sum(1 for r in reports if r.penalty),
        similarity=similarity,
    )


def _row(report: Report, name: str | None) -> StudentRow:
    counts = Counter(c.status for c in report.checks if c.status != "passed")
    summary = ", ".join(f"{n} {status}" for status, n in sorted(counts.items()))
    if report.errors:
        summary = "submission error" + (f"; {summary}" if summary else "")
    if report.has_grader_error:
        summary = "grader error (not the student's fault)" + (f"; {summary}" if summary else "")
    return StudentRow(report.student, report.score, report.max_score,
                      sum(1 for c in report.checks if c.status == "passed"), len(report.checks),
                      summary, is_late(report), name, report.graded if report.graded != report.score else None,
                      tuple(explain(report)))
