"""One student's page: the report, cut to what the view may show, with plots and number tables."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from grader.adjust import explain, is_late
from grader.feedback.lossplot import Plot, Series, loss_plot
from grader.feedback.render import render
from grader.feedback.sidebyside import Table, side_by_side
from grader.feedback.views import View, withheld
from grader.report import DOWNSAMPLED, CheckResult, Override, Report

METHODS = {"finite_differences": "central finite differences (float64)", "autograd": "autograd on the reference loss"}
RAW_LIMIT = 2000


@dataclass
class CheckView:
    anchor: str
    check: CheckResult
    plot: Plot | None = None
    same_curve_as: str | None = None
    table: Table | None = None
    method: str | None = None
    raw: str | None = None


def page(report: Report, view: View, name: str | None = None) -> str:
    """`name`: the student's name, shown instead of the id where people read it."""
    shown = [c for c in report.checks if view.shows(c)]
    curves: dict[str, str] = {}
    checks = [_check_view(f"check-{i}", check, curves) for i, check in enumerate(shown, 1)]
    total = view.shows_total(report)
    decided: dict[str, Override] = {d.check: d for d in report.overrides if d.kind == "check" and d.check}
    return render(
        "student.html.j2",
        report=report,
        name=name or report.submission.name,
        view=view,
        checks=checks,
        total_shown=total,
        late=is_late(report),
        adjustments=explain(report, checks={c.name for c in shown}, totals=total),
        decided=decided,
        shown_score=sum(c.score for c in shown),
        shown_max=sum(c.max_score for c in shown),
        withheld=withheld(report, view),
        passed=sum(1 for c in shown if c.status == "passed"),
    )


def _check_view(anchor: str, check: CheckResult, curves: dict[str, str]) -> CheckView:
    item = CheckView(anchor, check)
    data = check.data or {}
    history = data.get("history")
    if isinstance(history, list):
        key = json.dumps(history)
        reference = data.get("reference")
        if not isinstance(reference, list) and key in curves:
            item.same_curve_as = curves[key]
            return item
        series = [Series("your loss history", history, "student", _length(data, "history"))]
        if isinstance(reference, list):
            series.append(Series("the reference's", reference, "reference", _length(data, "reference")))
        item.plot = loss_plot(series, f"loss per epoch: {check.name}")
        curves.setdefault(key, check.name)
    elif "student" in data and "expected" in data:
        item.table = side_by_side(data["student"], data["expected"])
        method = data.get("method")
        item.method = METHODS.get(method, str(method)) if method else None
    elif data:
        item.raw = _raw(data)
    return item


def _length(data: dict[str, Any], key: str) -> int | None:
    """How many values a downsampled list had (grader.report.finite); None: it is whole."""
    marker = data.get(key + DOWNSAMPLED)
    length = marker.get("length") if isinstance(marker, dict) else None
    return length if isinstance(length, int) else None


def _raw(data: dict[str, Any]) -> str:
    text = json.dumps(data, ensure_ascii=False)
    return text if len(text) <= RAW_LIMIT else text[:RAW_LIMIT] + " ..."
