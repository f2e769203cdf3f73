"""The class dashboard: statistics, the figures (inlined, and beside the page as files), links."""

from __future__ import annotations

import base64
from collections import Counter
from dataclasses import dataclass
from urllib.parse import quote

from grader.feedback.charts import Chart
from grader.feedback.loading import Loaded
from grader.feedback.render import render
from grader.feedback.stats import ClassStats
from grader.feedback.views import View


@dataclass(frozen=True)
class ChartView:
    name: str
    title: str
    data_uri: str


@dataclass(frozen=True)
class StudentRow:
    stem: str
    student: str
    score: float
    max_score: float
    passed: int
    checks: int
    summary: str
    late: bool


def student_href(stem: str) -> str:
    return f"students/{quote(stem)}.html"


def page(loaded: list[Loaded], stats: ClassStats, charts: list[Chart], view: View) -> str:
    return render(
        "dashboard.html.j2",
        stats=stats,
        view=view,
        charts=[ChartView(c.name, c.title, "data:image/svg+xml;base64," + base64.b64encode(c.svg).decode())
                for c in charts],
        students=[_row(item) for item in loaded],
        links={item.stem: student_href(item.stem) for item in loaded},
        names={item.stem: item.report.student for item in loaded},
    )


def _row(item: Loaded) -> StudentRow:
    report = item.report
    counts = Counter(c.status for c in report.checks if c.status != "passed")
    summary = ", ".join(f"{n} {status}" for status, n in sorted(counts.items()))
    if report.errors:
        summary = "submission error" + (f"; {summary}" if summary else "")
    return StudentRow(item.stem, report.student, report.score, report.max_score,
                      sum(1 for c in report.checks if c.status == "passed"), len(report.checks),
                      summary, bool(report.submission.late))
