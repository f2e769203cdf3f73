"""`grader.check()` in a notebook: the public checks as an HTML table that fits the cell's width.

A terminal gets rich's box table (grader.selfcheck.render); a notebook column is narrower and
wraps, so here each check is one row of three columns (result, the check with its message and
hint, points), sized in percent with long words allowed to break: nothing scrolls sideways.
Styles are inline (JupyterLab, VS Code and Colab drop <style> blocks from outputs) and the
colours read on light and dark themes. The words are the notebook's: run a cell again, not a
command. A plain-text version goes along for front ends that show no HTML.
"""

from __future__ import annotations

from typing import Any

from jinja2 import Environment

from grader.numbers import points
from grader.report import CheckResult, Report

COLOURS = {"passed": "#1a7f37", "failed": "#cf222e", "error": "#cf222e", "timeout": "#9a6700",
           "skipped": "#6e7781"}
SYMBOLS = {"passed": "✔ passed", "failed": "✘ failed", "error": "! error", "timeout": "⏱ timeout",
           "skipped": "– skipped"}
GRADED = ("When your work is graded, the notebook runs from top to bottom (as Kernel > Restart & Run All "
          "does) and hidden cases (other data and settings) and any hidden checks run too.")
FIX = "Fix the function, run its cell again (Shift+Enter), then run this cell again."

TEMPLATE = Environment(autoescape=True).from_string("""\
<div style="max-width:100%;overflow-wrap:anywhere;line-height:1.4">
<p style="margin:0 0 .4em 0"><strong>{{ title }}</strong>: public checks on {{ path }}</p>
<table style="width:100%;table-layout:fixed;border-collapse:collapse;margin:0">
<colgroup><col style="width:6.5em"><col><col style="width:4.5em"></colgroup>
<thead><tr style="border-bottom:1px solid #8c959f">
<th style="text-align:left;padding:.25em .4em">result</th>
<th style="text-align:left;padding:.25em .4em">check</th>
<th style="text-align:right;padding:.25em .4em">points</th></tr></thead>
<tbody>
{%- for c in checks %}
<tr style="border-bottom:1px solid #d0d7de;vertical-align:top">
<td style="padding:.3em .4em;text-align:left;white-space:nowrap;font-weight:600;
  color:{{ c.colour }}">{{ c.symbol }}</td>
<td style="padding:.3em .4em;text-align:left"><div>{{ c.name }}</div>
{%- if c.message %}<div style="white-space:pre-wrap;opacity:.85;font-size:92%">{{ c.message }}</div>{% endif %}
{%- if c.hint %}<div style="white-space:pre-wrap;font-size:92%"><em>hint:</em> {{ c.hint }}</div>{% endif %}
</td>
<td style="padding:.3em .4em;text-align:right;white-space:nowrap">{{ c.points }}</td></tr>
{%- endfor %}
</tbody></table>
{%- for line in problems %}
<p style="margin:.4em 0 0 0"><strong style="color:#cf222e">problem:</strong> {{ line }}</p>
{%- endfor %}
{%- for line in notes %}
<p style="margin:.4em 0 0 0"><strong style="color:#9a6700">note:</strong> {{ line }}</p>
{%- endfor %}
<p style="margin:.5em 0 0 0"><strong>{{ score }} / {{ total }}</strong> public points.
{%- if failing %} {{ fix }}{% endif %} {{ graded }}</p>
</div>""")


def _checks(report: Report, target: str | None) -> list[CheckResult]:
    return [c for c in report.checks if target is None or c.target == target]


def html(report: Report, target: str | None = None) -> str:
    shown = _checks(report, target)
    rows = [{"name": c.name, "message": c.message, "hint": c.hint, "symbol": SYMBOLS[c.status],
             "colour": COLOURS[c.status], "points": f"{points(c.score)}/{points(c.max_score)}"} for c in shown]
    return TEMPLATE.render(
        title=report.assignment, path=report.submission.path, checks=rows, problems=report.errors,
        notes=report.submission.notes, score=points(sum(c.score for c in shown)),
        total=points(sum(c.max_score for c in shown)), failing=any(c.status != "passed" for c in shown),
        fix=FIX, graded=GRADED,
    )


def text(report: Report, target: str | None = None) -> str:
    """The same, as plain lines of at most one check each (front ends without HTML)."""
    shown = _checks(report, target)
    lines = [f"{report.assignment}: public checks on {report.submission.path}"]
    for c in shown:
        lines.append(f"{SYMBOLS[c.status]}  {points(c.score)}/{points(c.max_score)}  {c.name}")
        if c.message:
            lines.append(f"    {c.message}")
        if c.hint:
            lines.append(f"    hint: {c.hint}")
    lines += [f"problem: {line}" for line in report.errors]
    lines += [f"note: {line}" for line in report.submission.notes]
    score, total = points(sum(c.score for c in shown)), points(sum(c.max_score for c in shown))
    failing = any(c.status != "passed" for c in shown)
    lines.append(f"{score} / {total} public points.{' ' + FIX if failing else ''} {GRADED}")
    return "\n".join(lines)


def show(report: Report, target: str | None = None) -> None:
    """Display the table as one output of the current cell."""
    from IPython.display import display

    bundle: dict[str, Any] = {"text/html": html(report, target), "text/plain": text(report, target)}
    display(bundle, raw=True)  # type: ignore[no-untyped-call]
