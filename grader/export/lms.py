"""Which roster column holds the reports' student ids, decided from the reports themselves.

A report read from an LMS download records which of the LMS's ids its student id is
(`SubmissionInfo.lms`, `id_kind`, set by grader.intake), so the export matches the column that
holds that id without being told: Canvas's user id is its gradebook's `ID`, Moodle's participant
id is its grading worksheet's `Identifier` ("Participant 12"), Blackboard's username is its Grade
Center's `Username`, a GitHub username is a Classroom roster's `github_username`. Reports without
one (plain files named by the instructor) keep each format's documented default. `--roster-key`
always wins. Canvas's test student (every course has one, "Student, Test") is not a student: its
row and any report of it are left out and listed.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field

from grader.export.errors import ExportError
from grader.export.roster import Roster, RosterRow
from grader.report import Report
from grader.text import name as shown

PARTICIPANT = re.compile(r"^\D*(\d+)\s*$")  # "Participant 1234567" in any language: the number
WORKSHEET_KEY = "Identifier"
COLUMNS = {"user_id": "ID", "participant_id": WORKSHEET_KEY, "username": "Username",
           "github_username": "github_username"}
CANVAS_TEST_NAMES = ("student, test", "test student")
_HASHED_LOGIN = re.compile(r"[0-9a-f]{40}")  # Canvas gives its test student a hashed login, never an SIS id


@dataclass(frozen=True)
class Key:
    column: str
    value: Callable[[str], str] | None = None  # a key cell → the student id it stands for
    why: str = ""  # said when the column is missing


def participant(cell: str) -> str:
    found = PARTICIPANT.match(cell)
    return found.group(1) if found else cell.strip()


def origin(reports: list[Report]) -> tuple[str | None, str | None]:
    """The LMS and id kind every report shares; a mix cannot be matched to one column."""
    kinds = Counter(_described(r) for r in reports)
    if len(kinds) > 1:
        counts = ", ".join(f"{n} {what}" for what, n in sorted(kinds.items()))
        raise ExportError(f"the reports' student ids are of different kinds ({counts}); grade each LMS download "
                          "into its own --out folder, or pass --roster-key")
    first = reports[0].submission if reports else None
    return (first.lms, first.id_kind) if first else (None, None)


def _described(report: Report) -> str:
    info = report.submission
    return f"from {info.lms} ({(info.id_kind or '').replace('_', ' ')})" if info.lms else "from plain files"


def key_for(fmt: str, reports: list[Report], default: str) -> Key:
    """The roster column to match when --roster-key is not given."""
    lms, kind = origin(reports)
    if kind == "anonymous_id":
        raise ExportError("these reports come from an anonymously graded Canvas assignment: their ids (anon_...) "
                          "are in no roster; post the grades in Canvas's SpeedGrader, or download the submissions "
                          "again once anonymity is lifted")
    if kind == "participant_id" and fmt in ("moodle", "csv", "feedback"):
        return Key(WORKSHEET_KEY, participant, why=(
            "the reports come from a Moodle download and are named by participant id, which only the assignment's "
            "grading worksheet holds: download it (the assignment, View all submissions, Grading action: Download "
            "grading worksheet) and pass it as --roster"))
    if kind is not None and kind in COLUMNS and (fmt == lms or fmt in ("csv", "feedback")):
        said = kind.replace("_", " ")
        return Key(COLUMNS[kind], why=f"the reports come from a {lms} download and are named by {said}")
    if kind is not None and fmt in ("canvas", "moodle", "blackboard") and fmt != lms:
        raise ExportError(f"the reports come from a {lms} download (named by {kind.replace('_', ' ')}), not {fmt}; "
                          f"export with --format {lms}, or pass --roster-key naming the roster column that holds "
                          "those ids")
    return Key(default)


@dataclass
class Skipped:
    roster: Roster
    reports: list[Report]
    notes: list[str] = field(default_factory=list)


def skip_test_students(fmt: str, roster: Roster, reports: list[Report], key: Key) -> Skipped:
    """Canvas's test student's row, and its report if it handed something in, are left out."""
    if fmt != "canvas":
        return Skipped(roster, reports)
    test = [row for row in roster.rows if _canvas_test_student(roster, row)]
    if not test:
        return Skipped(roster, reports)
    column = roster.column(key.column, "--roster-key: the column with the grader's student ids")
    ids = {(key.value or str)(row.cells.get(column, "")).strip().casefold() for row in test} - {""}
    kept = [r for r in reports if r.student.strip().casefold() not in ids]
    left = [r.student for r in reports if r.student.strip().casefold() in ids]
    rows = ", ".join(f"{roster.value(row, 'Student')!r} (line {row.line}, ID {roster.value(row, 'ID') or '?'})"
                     for row in test)
    note = f"Canvas's test student {rows} is not a student: left out of the export"
    if left:
        note += f", with its report {shown(', '.join(left))}"
    return Skipped(roster.without(test), kept, [note])


def _canvas_test_student(roster: Roster, row: RosterRow) -> bool:
    name = roster.value(row, "Student").strip().casefold()
    login = roster.value(row, "SIS Login ID").strip()
    return name in CANVAS_TEST_NAMES or (not roster.value(row, "SIS User ID") and bool(_HASHED_LOGIN.fullmatch(login)))
