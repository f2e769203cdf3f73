"""`--format csv`: one row per student and one column per check, for spreadsheets and scripts.

`score` is the final score. With `detail`, the columns after `status` say how it came about:
`raw_score` (the checks' points as graded), `penalty` (late), `final_score` and `adjustments`.
"""

from __future__ import annotations

from grader.adjust import explain
from grader.csvtext import Cell, csv_text
from grader.export.roster import Entry

KEY = "student"


def check_names(entries: list[Entry]) -> list[str]:
    """Every check's name, in the reports' order (they share one assignment)."""
    names: dict[str, None] = {}
    for entry in entries:
        for check in entry.report.checks if entry.report else []:
            names.setdefault(check.name, None)
    return list(names)


DETAIL = ["raw_score", "penalty", "final_score", "adjustments"]


def spreadsheet_csv(entries: list[Entry], *, identity: list[str], detail: bool = False) -> str:
    extra = [name for name in identity if name != KEY]
    names = check_names(entries)
    more = DETAIL if detail else []
    rows: list[list[Cell]] = [[KEY, *extra, "score", "max_score", "percent", "status", *more, *names]]
    for entry in entries:
        report = entry.report
        cells: list[Cell] = [entry.student, *(entry.identity.get(name, "") for name in extra)]
        if report is None:
            rows.append([*cells, None, None, None, "no report", *([None] * (len(more) + len(names)))])
            continue
        scores = {c.name: c.score for c in report.checks}
        status = "problems" if report.errors else "graded"
        percent = 100.0 * report.score / report.max_score if report.max_score else 0.0
        how: list[Cell] = [report.graded, report.penalty, report.score, " | ".join(explain(report))] if detail else []
        rows.append([*cells, report.score, report.max_score, percent, status, *how,
                     *(scores.get(name) for name in names)])
    return csv_text(rows)
