"""Blackboard Learn Grade Center upload (FORMATS.md §5): `Username` and one grade column.

The grade column is matched by the number after `|` in its header; without one Blackboard makes
a new text column worth 0 points, so the id matters. Comma-separated uploads must quote every
field.
"""

from __future__ import annotations

import re

from grader.csvtext import Cell, csv_text
from grader.export.errors import ExportError
from grader.export.roster import Entry
from grader.numbers import points

IDENTITY = "Username"
HEADER = re.compile(r"\A(.*?)\s*\[Total Pts:[^\]]*\]\s*\|(\d+)\s*\Z")


def column(title: str, max_score: float, column_id: str | None) -> str:
    """`Title [Total Pts: 10 Score] |1344236`, as Blackboard's download writes it."""
    if "|" in title or "[" in title:
        raise ExportError(f"the title {title!r} contains '|' or '[', which Blackboard reads as part of the "
                          "column id; choose another --title")
    if column_id is not None and not column_id.isdigit():
        raise ExportError(f"--lms-id {column_id!r}: a Grade Center column id is a number "
                          "(the one after '|' in the downloaded header)")
    text = f"{title} [Total Pts: {points(max_score)} Score]"
    return f"{text} |{column_id}" if column_id else text


def blackboard_csv(entries: list[Entry], *, column_name: str) -> str:
    """Students without a report are left out: an empty cell's effect on upload is not documented."""
    rows: list[list[Cell]] = [[IDENTITY, column_name]]
    for entry in entries:
        if entry.report is not None:
            rows.append([entry.identity.get(IDENTITY, ""), entry.report.score])
    return csv_text(rows, quote_all=True)
