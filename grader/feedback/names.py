"""Whom a page is about: the student's name, from a roster or from the LMS download.

Reports are named by the id the LMS download gave (Canvas's user id, Moodle's participant id, a
username), which means nothing to a student reading their page. A name comes from, in order: a
roster row (`grader feedback DIR --roster FILE`, matched as `grader export` matches: by
`--roster-key`, else the column of the reports' own LMS id, else the usual id columns, whichever
matches the most reports), then the name the download carried (Canvas's `doejane`, Moodle's full
name, Blackboard's). A roster key that appears twice with different names gives no name, rather
than perhaps the wrong one. Pages still show the id, and the dashboard lists it beside the name.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from grader.errors import UserError
from grader.export import lms
from grader.export.roster import Roster, RosterRow, read_roster
from grader.report import Report

KEYS = ("SIS Login ID", "Username", "Email address", "ID", "SIS User ID", "student", "github_username", "login")
NAMES = ("Full name", "Name", "Student", "Student name")
FIRST_LAST = ("First name", "Last name")


def _norm(value: str) -> str:
    return value.strip().casefold()


def row_name(roster: Roster, row: RosterRow) -> str | None:
    """The name a roster row gives: a name column, else first and last name; Canvas's
    "Last, First" is turned around."""
    for column in NAMES:
        value = roster.value(row, column).strip()
        if value:
            last, comma, first = value.partition(", ")
            return f"{first} {last}" if comma and "," not in first and first else value
    first, last = (roster.value(row, column).strip() for column in FIRST_LAST)
    return " ".join(part for part in (first, last) if part) or None


def _names(roster: Roster, column: str, value: Callable[[str], str] | None) -> dict[str, str | None]:
    found: dict[str, str | None] = {}
    for row in roster.rows:
        key = _norm((value or str)(roster.value(row, column)))
        if not key:
            continue
        name = row_name(roster, row)
        found[key] = name if key not in found or found[key] == name else None
    return found


def _key(roster: Roster, reports: list[Report], key: str | None) -> lms.Key:
    if key:
        roster.column(key, "--roster-key: the column with the grader's student ids")
        return lms.Key(key)
    chosen = lms.key_for("feedback", reports, "")
    if chosen.column:
        if not roster.has(chosen.column):
            raise UserError(f"{roster.path}: no column {chosen.column!r}: {chosen.why} (or pass --roster-key COLUMN)")
        return chosen
    ids = {_norm(r.student) for r in reports}
    hits = {column: len(ids & set(_names(roster, column, None))) for column in KEYS if roster.has(column)}
    best = max(hits, key=lambda column: hits[column], default=None)
    if best is None or hits[best] == 0:
        raise UserError(f"{roster.path}: no column holds the reports' student ids (looked in "
                        f"{', '.join(c for c in KEYS)}); pass --roster-key COLUMN")
    return lms.Key(best)


def names(reports: list[Report], roster_path: Path | None = None, key: str | None = None) -> dict[str, str]:
    """Student id → the name to show, for each report that has one."""
    from_roster: dict[str, str | None] = {}
    if roster_path is not None:
        roster = read_roster(roster_path)
        chosen = _key(roster, reports, key)
        from_roster = _names(roster, roster.column(chosen.column, "--roster-key"), chosen.value)
    shown: dict[str, str] = {}
    for report in reports:
        name = from_roster.get(_norm(report.student)) or report.submission.name
        if name:
            shown[report.student] = name
    return shown
