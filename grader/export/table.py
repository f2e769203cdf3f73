"""Writing CSV text the way gradebook importers want it (shared by the CSV formats)."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable


def csv_text(rows: Iterable[list[str]], *, quote_all: bool = False) -> str:
    """Comma-separated, CRLF line ends (RFC 4180, what Excel and every LMS read)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, quoting=csv.QUOTE_ALL if quote_all else csv.QUOTE_MINIMAL, lineterminator="\r\n")
    writer.writerows(rows)
    return buffer.getvalue()


def column_id(header: list[str], title: str, pattern: re.Pattern[str]) -> str | None:
    """The LMS id in a downloaded gradebook's column for this title (`pattern` captures title, id)."""
    for name in header:
        found = pattern.match(name.strip())
        if found and found.group(1).strip().casefold() == title.strip().casefold():
            return found.group(2)
    return None
