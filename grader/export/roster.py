"""Roster mapping: which LMS identity receives which report, with nothing dropped or swapped.

A roster is a CSV file (often the LMS's own gradebook export: comma, semicolon or tab separated,
UTF-8 or UTF-16) with one row per student. `key` names the column that holds the grader's
student ids (the report file names); the other identity columns an export needs are copied from
the matched row. Keys match after trimming, ignoring case; a key that appears twice, a roster
student without a report and a report without a roster row are all listed, and the last two
stop the export unless the caller allows them.
"""

from __future__ import annotations

import csv
import io
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from grader.export.errors import ExportError, RosterError
from grader.report import Report

LISTED = 20  # names shown per problem before "and N more"


@dataclass(frozen=True)
class RosterRow:
    line: int
    cells: dict[str, str]


@dataclass(frozen=True)
class Roster:
    path: Path
    header: list[str]
    rows: list[RosterRow]

    def column(self, name: str, what: str) -> str:
        """`name` as spelled in the header (matched ignoring case and spaces), or a clear error."""
        found = [h for h in self.header if h.strip().casefold() == name.strip().casefold()]
        if not found:
            shown = ", ".join(repr(h) for h in self.header if h.strip())
            raise ExportError(f"{self.path}: no column {name!r} ({what}); its columns are {shown}")
        return found[0]

    def has(self, name: str) -> bool:
        return any(h.strip().casefold() == name.strip().casefold() for h in self.header)

    def value(self, row: RosterRow, name: str) -> str:
        """The row's cell in column `name` (matched as `column` does), or "" without such a column."""
        found = [h for h in self.header if h.strip().casefold() == name.strip().casefold()]
        return row.cells.get(found[0], "") if found else ""

    def without(self, rows: list[RosterRow]) -> Roster:
        lines = {row.line for row in rows}
        return Roster(self.path, self.header, [row for row in self.rows if row.line not in lines])


@dataclass(frozen=True)
class Entry:
    """One row of an export: a student's identity and report (None: allowed to be missing)."""

    student: str
    identity: dict[str, str]
    report: Report | None
    line: int | None = None


@dataclass
class Matching:
    entries: list[Entry]
    warnings: list[str] = field(default_factory=list)


def _decode(path: Path) -> str:
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise ExportError(f"{path}: cannot read the roster ({exc.strerror})") from exc
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        return raw.decode("utf-16")
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ExportError(f"{path}: the roster is not UTF-8 or UTF-16 text (byte {exc.start}); "
                          "save it as CSV UTF-8") from exc


def _delimiter(first_line: str) -> str:
    counts = {d: first_line.count(d) for d in ("\t", ";", ",")}
    best = max(counts, key=lambda d: counts[d])
    return best if counts[best] else ","


def _not_a_student(record: list[str]) -> bool:
    """Canvas's "Points Possible" row, and the row of "Muted"/"Manual Posting" notes it may add
    above it (the first cells blank)."""
    if "points possible" in record[0].casefold():
        return True
    notes = [cell.strip().casefold() for cell in record if cell.strip()]
    return not record[0].strip() and all(note.startswith(("muted", "manual posting")) for note in notes)


def read_roster(path: Path) -> Roster:
    """Read a roster CSV; blank rows and Canvas's rows that are no student are skipped."""
    text = _decode(path)
    first = text.lstrip("\r\n").split("\n", 1)[0]
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(first))
    header: list[str] | None = None
    rows: list[RosterRow] = []
    line = 0
    try:
        for record in reader:
            start, line = line + 1, reader.line_num
            if not any(cell.strip() for cell in record):
                continue
            if header is None:
                header = [cell.strip() for cell in record]
                continue
            if _not_a_student(record):
                continue
            cells = {name: (record[i].strip() if i < len(record) else "") for i, name in enumerate(header)}
            rows.append(RosterRow(start, cells))
    except csv.Error as exc:
        raise ExportError(f"{path}: line {reader.line_num}: not valid CSV ({exc})") from exc
    if header is None:
        raise ExportError(f"{path}: the roster is empty; it needs a header row and one row per student")
    return Roster(path, header, rows)


def _listed(items: list[str]) -> str:
    shown = ", ".join(items[:LISTED])
    return shown + (f" and {len(items) - LISTED} more" if len(items) > LISTED else "")


def _norm(value: str) -> str:
    return value.strip().casefold()


def match(
    reports: list[Report],
    roster: Roster,
    key: str,
    carry: dict[str, str],
    *,
    allow_missing: bool = False,
    allow_extra: bool = False,
    key_value: Callable[[str], str] | None = None,
) -> Matching:
    """Pair every report with exactly one roster row by `key`; `carry` maps export columns to
    roster columns; `key_value` turns a key cell into a student id (Moodle's "Participant 12"
    into 12). Raises RosterError listing every duplicate and unmatched student."""
    key_column = roster.column(key, "--roster-key: the column with the grader's student ids")
    columns = {out: roster.column(src, f"--map {out}={src}") for out, src in carry.items()}
    lines: dict[str, list[int]] = defaultdict(list)
    first_value: dict[str, str] = {}
    unkeyed: list[int] = []
    ids = {row.line: (key_value or str)(row.cells.get(key_column, "")) for row in roster.rows}
    for row in roster.rows:
        value = ids[row.line]
        if not value:
            unkeyed.append(row.line)
            continue
        lines[_norm(value)].append(row.line)
        first_value.setdefault(_norm(value), value)
    by_student: dict[str, list[Report]] = defaultdict(list)
    for report in reports:
        by_student[_norm(report.student)].append(report)

    missing = [f"{first_value[k]!r} (line {v[0]})" for k, v in lines.items() if k not in by_student]
    extra = [repr(r.student) for k, group in by_student.items() if k not in lines for r in group]
    what_missing = f"{len(missing)} roster student(s) have no report: {_listed(missing)}"
    what_extra = f"{len(extra)} report(s) match no roster row: {_listed(extra)}"
    _refuse_problems(roster, key_column, lines, first_value, by_student,
                     what_missing if missing and not allow_missing else None,
                     what_extra if extra and not allow_extra else None)
    warnings = []
    if missing:
        warnings.append(f"{what_missing}; they get no grade")
    if extra:
        warnings.append(f"{what_extra}; they are left out of the export")
    if unkeyed:
        warnings.append(f"{roster.path}: line(s) {_listed([str(n) for n in unkeyed])} have no {key_column!r} "
                        "and were not matched (e.g. a test student)")
    entries = []
    for row in roster.rows:
        value = ids[row.line]
        if not value:
            continue
        found = by_student.get(_norm(value))
        matched = found[0] if found else None
        identity = {out: row.cells.get(src, "") for out, src in columns.items()}
        entries.append(Entry(matched.student if matched else value, identity, matched, row.line))
    return Matching(entries, warnings)


def _refuse_problems(roster: Roster, key_column: str, lines: dict[str, list[int]], first_value: dict[str, str],
                     by_student: dict[str, list[Report]], missing: str | None, extra: str | None) -> None:
    """Raise RosterError naming every duplicate key, case clash and (unless allowed) unmatched student."""
    problems: list[str] = []
    duplicates = [f"{first_value[k]!r} on lines {', '.join(map(str, v))}" for k, v in lines.items() if len(v) > 1]
    if duplicates:
        problems.append(f"column {key_column!r} repeats {_listed(duplicates)}")
    clashes = [" and ".join(repr(r.student) for r in group) for group in by_student.values() if len(group) > 1]
    if clashes:
        problems.append(f"reports differ only in case and would share a roster row: {_listed(clashes)}")
    problems += [what for what in (missing, extra) if what]
    if problems:
        advice = "fix the roster or --roster-key"
        if missing or extra:
            advice += (", or pass --allow-missing (no grade for roster students without a report) "
                       "or --allow-extra (leave out reports not on the roster)")
        raise RosterError(f"{roster.path} (key column {key_column!r}): " + "; ".join(problems)
                          + f". To go on, {advice}")


def without_roster(reports: list[Report], key: str) -> Matching:
    """No roster: each report is its own row, the student id in the `key` identity column."""
    return Matching([Entry(r.student, {key: r.student}, r) for r in reports])
