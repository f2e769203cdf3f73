"""Moodle "download all submissions" (FORMATS.md §4.2).

In folders (the default since 3.1): `Full Name_<participant id>_assignsubmission_file/<files>`;
flat: `Full Name_<participant id>_assignsubmission_file_<filename>`. Moodle replaces `_` in names
with spaces, so the first `_` ends the name. The student id is the participant id (Moodle's
per-assignment id: the grading worksheet's `Identifier`, "Participant N", which is what an export
matches); the name is kept for display, except under blind marking (`Participant_<id>_...`).
"""

from __future__ import annotations

import re
from pathlib import Path

from grader.assignment.loader import Assignment
from grader.filenames import files_below, visible_entries
from grader.submission import SOURCE_SUFFIXES, Origin, Submission, pick_source

PATTERN = re.compile(r"^(?P<who>[^_]+)_(?P<pid>\d+)_assignsubmission_(?P<type>[a-z]+)(?:[_/](?P<rest>.*))?$")
BLIND = "Participant"  # the name part under blind marking (Moodle's English string)
_DOWNLOAD = re.compile(r"^(?P<name>.+)-\d+$")  # <course>-<assignment>[-<group>]-<cmid>


def matches(name: str) -> bool:
    return PATTERN.match(name) is not None


def _pick(folder: Path, assignment: Assignment) -> tuple[Path | None, str | None]:
    """The file to grade in a participant's folder, which keeps the student's own sub-folders
    (`<filepath>` in FORMATS.md §4.2): the top level first, then the shallowest file of the
    assignment's name below it, or the only Python file or notebook anywhere."""
    source, problem = pick_source(folder, assignment)
    if source is not None:
        return source, None
    wanted = (assignment.student_file, f"{Path(assignment.student_file).stem}.ipynb")
    below = sorted((p for p in files_below(folder, links=True) if p.suffix in SOURCE_SUFFIXES),
                   key=lambda p: (len(p.parts), str(p)))
    named = [p for p in below if p.name in wanted]
    if named:
        return named[0], None
    if len(below) == 1:
        return below[0], None
    if below and not any(p.parent == folder for p in below):
        names = ", ".join(p.relative_to(folder).as_posix() for p in below[:6])
        problem = (f"{folder.name}/ holds several files ({names}) and none is named "
                   f"{assignment.student_file}; rename the one to grade")
    return None, problem


def _shown(who: str) -> str | None:
    return None if who == BLIND else who


def read(folder: Path, assignment: Assignment, download: str | None = None) -> tuple[list[Submission], list[str]]:
    """`download`: the zip's (or the folder's) name, which names the assignment."""
    found = _DOWNLOAD.match(download or "")
    origin = Origin("moodle", "participant_id", found["name"] if found else None)
    subs: list[Submission] = []
    aside: list[str] = []
    flat: dict[str, list[tuple[Path, str]]] = {}
    names: dict[str, str] = {}
    for path in visible_entries(folder):
        match = PATTERN.match(path.name)
        if match is None:
            aside.append(f"{path}: not named like a Moodle submission (Name_participant_assignsubmission_...)")
            continue
        pid, who = match["pid"], match["who"].strip()
        if match["type"] != "file":
            aside.append(f"{path}: a Moodle {match['type']} submission of participant {pid} ({who}); not graded")
            continue
        names[pid] = who
        if path.is_dir():
            source, problem = _pick(path, assignment)
            subs.append(Submission(pid, path, source=source, problem=problem, name=_shown(who), origin=origin))
        elif path.suffix in SOURCE_SUFFIXES:
            flat.setdefault(pid, []).append((path, match["rest"] or ""))
        else:
            aside.append(f"{path}: participant {pid} ({who}) uploaded a file that is not .py or .ipynb")
    wanted = (assignment.student_file, f"{Path(assignment.student_file).stem}.ipynb")
    for pid, entries in flat.items():
        files = [p for p, _ in entries]
        named = [p for p, filename in entries if filename in wanted]  # the whole name: not test_backprop.py
        if len(named or files) == 1:
            path = (named or files)[0]
            subs.append(Submission(pid, path, source=path, name=_shown(names[pid]), origin=origin))
        else:
            subs.append(Submission(pid, folder, name=_shown(names[pid]), origin=origin, problem=(
                f"participant {pid} ({names[pid]}) uploaded several files "
                f"({', '.join(p.name for p in files)}) and none is {assignment.student_file}")))
    return subs, aside
