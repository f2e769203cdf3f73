"""The class dashboard: statistics, the figures (inlined, and beside the page as files), links."""

from __future__ import annotations

import base64
from collections import Counter
from dataclasses import dataclass
from urllib.parse import quote

from grader.feedback.charts import Chart
from grader.feedback.render import render
from grader.feedback.stats import DashboardStats
from grader.feedback.views import View
from grader.report import Report
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


def student_href(student: str) -> str:
    """The link to a student's page, named as the student's report file."""
    return f"students/{quote(file_stem(student))}.html"


def page(reports: list[Report], stats: DashboardStats, charts: list[Chart], view: View,
         names: dict[str, str] | None = None) -> str:
    """`names`: student id → name, shown beside the id."""
    return render(
        "dashboard.html.j2",
        stats=stats,
        view=view,
        charts=[ChartView(c.name, c.title, "data:image/svg+xml;base64," + base64.b64encode(c.svg).decode())
                for c in charts],
        students=[_row(report, (names or {}).get(report.student) or report.submission.name) for report in reports],
        links={report.student: student_href(report.student) for report in reports},
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
                      summary, bool(report.submission.late), name)
