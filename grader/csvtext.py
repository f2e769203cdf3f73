"""CSV for spreadsheets and gradebook importers: every CSV the grader writes goes through here.

A text cell that starts with `=`, `+`, `-`, `@`, a tab or a carriage return is read as a
formula by Excel, LibreOffice and Google Sheets (CSV injection: `=HYPERLINK(...)` as a student
id becomes a link, worse formulas run commands). Such a cell gets a leading `'`, the OWASP rule,
which spreadsheets show as text. Numbers are written as numbers (by the shared points rule) and
never prefixed: a score cell must stay a score.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable

from grader.numbers import points

Cell = str | int | float | None
# the OWASP list, and the full-width forms some spreadsheet locales also read as formulas
FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "\n", "\uff1d", "\uff0b", "\uff0d", "\uff20")
PLACEHOLDERS = frozenset({"-"})


def cell(value: Cell) -> str:
    """One cell's text: numbers by the points rule, text neutralised, None empty."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else ""
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return points(value)
    if value in PLACEHOLDERS:  # a lone dash is no formula: LMS worksheets use it for "no value"
        return value
    return "'" + value if value.startswith(FORMULA_START) else value


def csv_text(rows: Iterable[Iterable[Cell]], *, quote_all: bool = False, line_end: str = "\r\n") -> str:
    """Comma-separated, CRLF line ends by default (RFC 4180, what Excel and every LMS read)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, quoting=csv.QUOTE_ALL if quote_all else csv.QUOTE_MINIMAL, lineterminator=line_end)
    writer.writerows([cell(value) for value in row] for row in rows)
    return buffer.getvalue()
