"""Blackboard Learn "Assignment File Download": one flat folder, two kinds of entry per attempt.

`<Assignment>_<username>_attempt_<YYYY-MM-DD-HH-MM-SS>.txt` describes the attempt ("Name: Ada
Lovelace (alovelace)", "Assignment: ...", then each file's original name), and each uploaded file
is `<Assignment>_<username>_attempt_<timestamp>_<original name>` (or, in some versions, the
attempt's name and the file's extension alone). The student id is the Blackboard username: the
Grade Center's `Username` column, which is what an export matches. A username may hold `_`, so
the `.txt` names it when it can; without one the last `_` part before `_attempt_` is taken.
Several attempts: the latest timestamp is graded, with a note. Blackboard's download says
nothing of lateness, so `late` stays unknown; the attempt's "Date Submitted" (or, without it, the
time in its file names) is the submission time for the late policy (grader.intake.times).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import UTC
from pathlib import Path

from grader.assignment.loader import Assignment
from grader.filenames import visible_entries
from grader.intake import times
from grader.submission import SOURCE_SUFFIXES, Origin, Submission

PATTERN = re.compile(r"^(?P<prefix>.+)_attempt_(?P<when>\d{4}(?:-\d{2}){5})(?:_(?P<file>.+)|(?P<ext>\.[^._]+))$")
_NAME = re.compile(r"^Name:\s*(?P<name>.*?)\s*\((?P<user>[^()\s]+)\)\s*$", re.MULTILINE)
_TITLE = re.compile(r"^Assignment:\s*(?P<title>.+?)\s*$", re.MULTILINE)
_DATE = re.compile(r"^Date Submitted:\s*(?P<date>.+?)\s*$", re.MULTILINE)
_ORIGINAL = re.compile(r"^\s*Original filename:\s*(?P<original>.+?)\s*\n\s*Filename:\s*(?P<stored>.+?)\s*$",
                       re.MULTILINE)
MAX_INFO_BYTES = 1024 * 1024


def matches(name: str) -> bool:
    return PATTERN.match(name) is not None


@dataclass
class Attempt:
    prefix: str
    when: str
    info: Path | None = None
    files: list[tuple[Path, str]] = field(default_factory=list)  # (entry, the file's name as uploaded)
    date: str | None = None  # the `.txt`'s "Date Submitted"


def _info(path: Path) -> tuple[str | None, str | None, str | None, dict[str, str], str | None]:
    """Username, name, title, {stored name: original name} and "Date Submitted" from an attempt's `.txt`."""
    try:
        with path.open("rb") as handle:
            text = handle.read(MAX_INFO_BYTES).decode("utf-8-sig", errors="replace").replace("\r\n", "\n")
    except OSError:
        return None, None, None, {}, None
    who, title, date = _NAME.search(text), _TITLE.search(text), _DATE.search(text)
    originals = {m["stored"]: m["original"] for m in _ORIGINAL.finditer(text)}
    return (who["user"] if who else None, (who["name"] or None) if who else None,
            title["title"] if title else None, originals, date["date"] if date else None)


def _attempts(folder: Path, aside: list[str]) -> dict[str, Attempt]:
    attempts: dict[str, Attempt] = {}
    for path in visible_entries(folder):
        match = PATTERN.match(path.name) if path.is_file() else None
        if match is None:
            aside.append(f"{path}: not named like a Blackboard submission (Assignment_username_attempt_date...)")
            continue
        key = f"{match['prefix']}_attempt_{match['when']}"
        attempt = attempts.setdefault(key, Attempt(match["prefix"], match["when"]))
        if match["ext"] == ".txt":
            attempt.info = path
        else:
            attempt.files.append((path, match["file"] or path.name))
    return attempts


def read(folder: Path, assignment: Assignment, download: str | None = None) -> tuple[list[Submission], list[str]]:
    """`download` is unused (the `.txt` files name the assignment); it keeps the layouts' signature."""
    aside: list[str] = []
    latest: dict[str, list[tuple[Attempt, str | None, str | None]]] = {}
    for attempt in _attempts(folder, aside).values():
        user, name, title, originals, attempt.date = _info(attempt.info) if attempt.info else (
            None, None, None, {}, None)
        if user is None or not attempt.prefix.endswith(f"_{user}"):
            user = attempt.prefix.rsplit("_", 1)[-1]
        title = title or attempt.prefix[: -len(user) - 1] or None
        attempt.files = [(p, originals.get(p.name, shown)) for p, shown in attempt.files]
        latest.setdefault(user, []).append((attempt, name, title))
    subs = [_submission(user, sorted(tries, key=lambda t: t[0].when), folder, assignment)
            for user, tries in sorted(latest.items())]
    return subs, aside


def _submission(user: str, tries: list[tuple[Attempt, str | None, str | None]], folder: Path,
                assignment: Assignment) -> Submission:
    """The student's latest attempt, and the one file of it to grade."""
    attempt, name, title = tries[-1]
    origin = Origin("blackboard", "username", title)
    notes = [f"resubmission: graded the attempt of {attempt.when} (the latest of {len(tries)})"
             ] if len(tries) > 1 else []
    policy = assignment.spec.late
    when, said = times.blackboard(attempt.date, attempt.when, policy.zone if policy else UTC,
                                  policy.time_zone if policy else "UTC")
    wanted = (assignment.student_file, f"{Path(assignment.student_file).stem}.ipynb")
    sources = [(p, original) for p, original in attempt.files if Path(original).suffix in SOURCE_SUFFIXES]
    named = [p for p, original in sources if original in wanted]
    if named or len(sources) == 1:
        path = (named or [sources[0][0]])[0]
        return Submission(user, path, source=path, name=name, notes=notes, origin=origin, submitted_at=when,
                          time_source=said)
    uploaded = ", ".join(original for _, original in attempt.files) or "no file"
    problem = (f"the attempt of {attempt.when} holds no .py or .ipynb file ({uploaded})" if not sources else
               f"the attempt of {attempt.when} holds several files ({uploaded}) and none is {assignment.student_file}")
    return Submission(user, folder, name=name, notes=notes, origin=origin, problem=problem, submitted_at=when,
                      time_source=said)
