"""`--format csv`: one row per student and one column per check, for spreadsheets and scripts."""

from __future__ import annotations

from grader.export.numbers import percent, points
from grader.export.roster import Entry
from grader.export.table import csv_text

KEY = "student"


def check_names(entries: list[Entry]) -> list[str]:
    """Every check's name, in the reports' order (they share one assignment)."""
    names: dict[str, None] = {}
    for entry in entries:
        for check in entry.report.checks if entry.report else []:
            names.setdefault(check.name, None)
    return list(names)


def spreadsheet_csv(entries: list[Entry], *, identity: list[str]) -> str:
    extra = [name for name in identity if name != KEY]
    names = check_names(entries)
    rows = [[KEY, *extra, "score", "max_score", "percent", "status", *names]]
    for entry in entries:
        report = entry.report
        cells = [entry.student, *(entry.identity.get(name, "") for name in extra)]
        if report is None:
            rows.append([*cells, "", "", "", "no report", *([""] * len(names))])
            continue
        scores = {c.name: points(c.score) for c in report.checks}
        status = "problems" if report.errors else "graded"
        rows.append([*cells, points(report.score), points(report.max_score), percent(report.score, report.max_score),
                     status, *(scores.get(name, "") for name in names)])
    return csv_text(rows)
