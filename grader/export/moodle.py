"""Moodle gradebook "Import → CSV file" (FORMATS.md §4.1): an identifier column and the grade.

On import the instructor maps the identifier column to one of Moodle's user fields ("Map to")
and the grade column to the grade item; the headers are named after those fields so the choice
is obvious. Blank grades are skipped by Moodle.
"""

from __future__ import annotations

from grader.export.numbers import points
from grader.export.roster import Entry
from grader.export.table import csv_text

ID_FIELDS = {"email": "Email address", "username": "Username", "idnumber": "ID number", "userid": "User ID"}
DEFAULT_ID_FIELD = "email"


def moodle_csv(entries: list[Entry], *, id_column: str, column_name: str) -> str:
    """Students without a report (allowed to be missing) are left out: what Moodle does with an
    empty grade cell is not documented, and a cleared grade would be worse than none."""
    rows = [[id_column, column_name]]
    for entry in entries:
        if entry.report is not None:
            rows.append([entry.identity.get(id_column, ""), points(entry.report.score)])
    return csv_text(rows)
