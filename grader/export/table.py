"""Writing CSV text the way gradebook importers want it (shared by the CSV formats)."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable


def csv_text(rows: Iterable[list[str]], *, quote_all: bool = False) -> str:
    """Comma-separated, CRLF line ends (RFC 4180, what Excel and every LMS read)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, quoting=csv.QUOTE_ALL if quote_all else csv.QUOTE_MINIMAL, lineterminator="\r\n")
    writer.writerows(rows)
    return buffer.getvalue()
