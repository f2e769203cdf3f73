"""Moodle gradebook "Import → CSV file" (FORMATS.md §4.1): an identifier column and the grade.

On import the instructor maps the identifier column to one of Moodle's user fields ("Map to")
and the grade column to the grade item; the headers are named after those fields so the choice
is obvious. Blank grades are skipped by Moodle.

With the assignment's grading worksheet as the roster (its `Identifier` column holds "Participant
N", the id a Moodle download names students by) the export is that worksheet with the grades
filled in, for the assignment's "Upload grading worksheet" (which also keeps the grade editable
in the assignment, unlike a gradebook import).
"""

from __future__ import annotations

from grader.csvtext import Cell, csv_text
from grader.export.roster import Entry, Roster

ID_FIELDS = {"email": "Email address", "username": "Username", "idnumber": "ID number", "userid": "User ID"}


def moodle_csv(entries: list[Entry], *, id_column: str, column_name: str) -> str:
    """Students without a report (allowed to be missing) are left out: what Moodle does with an
    empty grade cell is not documented, and a cleared grade would be worse than none."""
    rows: list[list[Cell]] = [[id_column, column_name]]
    for entry in entries:
        if entry.report is not None:
            rows.append([entry.identity.get(id_column, ""), entry.report.score])
    return csv_text(rows)


WORKSHEET_COLUMNS = ("Identifier", "Grade", "Last modified (grade)")  # what Moodle's worksheet upload looks up


def is_worksheet(header: list[str]) -> bool:
    """Whether a roster is an assignment's grading worksheet (Moodle's "Download grading worksheet")."""
    return all(name in header for name in WORKSHEET_COLUMNS)


def worksheet_csv(roster: Roster, entries: list[Entry]) -> str:
    """The grading worksheet as downloaded, each matched student's score in `Grade`, for the
    assignment's "Upload grading worksheet". Every other cell stays as downloaded: Moodle reads
    `Identifier`, `Grade` and `Last modified (grade)` (it refuses to overwrite a grade changed
    since the download) and skips rows whose grade did not change, so students without a report
    keep theirs."""
    scores = {entry.line: entry.report.score for entry in entries if entry.report is not None}
    rows: list[list[Cell]] = [list(roster.header)]
    for row in roster.rows:
        cells: list[Cell] = [row.cells.get(name, "") for name in roster.header]
        if row.line in scores:
            cells[roster.header.index("Grade")] = scores[row.line]
        rows.append(cells)
    return csv_text(rows)
