"""Canvas gradebook import CSV (FORMATS.md §3.2): student columns, then `Title (id)`.

Canvas matches a row by `ID`, then `SIS User ID`, then `SIS Login ID`, then the `Student` name,
and the assignment column by the id in parentheses (else by exact title, else it proposes a new
assignment whose points come from the "Points Possible" row). Blank cells change nothing.
"""

from __future__ import annotations

import re

from grader.csvtext import Cell, csv_text
from grader.export.errors import ExportError
from grader.export.roster import Entry

IDENTITY = ("Student", "ID", "SIS User ID", "SIS Login ID", "Section")
MATCHED_BY = ("ID", "SIS User ID", "SIS Login ID")
DEFAULT_KEY = "SIS Login ID"
POINTS_ROW = "    Points Possible"
TITLE_WITH_ID = re.compile(r"\A(.*)\s\((\d+)\)\Z", re.DOTALL)
IGNORED = re.compile(r"Current Score|Current Points|Current Grade|Final Score|Final Points|Final Grade|"
                     r"Override Score|Override Grade|Override Status")


def column(title: str, assignment_id: str | None) -> str:
    """`Title (id)` as Canvas's exporter writes it (plain `Title` without an id)."""
    if IGNORED.search(title):
        raise ExportError(f"the title {title!r} contains a phrase Canvas's importer ignores "
                          "(Current/Final/Override Score, Points, Grade); choose another --title")
    if assignment_id is None:
        if TITLE_WITH_ID.match(title):
            raise ExportError(f"the title {title!r} ends in '(digits)', which Canvas reads as an assignment id; "
                              "pass --lms-id or another --title")
        return title
    if not assignment_id.isdigit():
        raise ExportError(f"--lms-id {assignment_id!r}: a Canvas assignment id is a number (the one in the "
                          "assignment's URL)")
    return f"{title} ({assignment_id})"


def canvas_csv(entries: list[Entry], *, column_name: str, max_score: float) -> str:
    """The import file: header, the Points Possible row, one row per student."""
    rows: list[list[Cell]] = [[*IDENTITY, column_name], [POINTS_ROW, "", "", "", "", max_score]]
    for entry in entries:
        identity = dict(entry.identity)
        identity.setdefault("Student", entry.student)
        rows.append([*(identity.get(name, "") for name in IDENTITY), entry.report.score if entry.report else None])
    return csv_text(rows)
