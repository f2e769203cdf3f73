"""Moodle "download all submissions" (FORMATS.md §4.2).

In folders (the default since 3.1): `Full Name_<participant id>_assignsubmission_file/<files>`;
flat: `Full Name_<participant id>_assignsubmission_file_<filename>`. Moodle replaces `_` in names
with spaces, so the first `_` ends the name. The student id is the participant id (Moodle's
per-assignment id, mapped to users with the grading worksheet or a roster); the name is kept
for display.
"""

from __future__ import annotations

import re
from pathlib import Path

from grader.assignment.loader import Assignment
from grader.submission import SOURCE_SUFFIXES, Submission, pick_source

PATTERN = re.compile(r"^(?P<who>[^_]+)_(?P<pid>\d+)_assignsubmission_(?P<type>[a-z]+)(?:[_/](?P<rest>.*))?$")


def matches(name: str) -> bool:
    return PATTERN.match(name) is not None


def read(folder: Path, assignment: Assignment) -> tuple[list[Submission], list[str]]:
    subs: list[Submission] = []
    aside: list[str] = []
    flat: dict[str, list[Path]] = {}
    names: dict[str, str] = {}
    for path in sorted(folder.iterdir()):
        if path.name.startswith("."):
            continue
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
            source, problem = pick_source(path, assignment)
            subs.append(Submission(pid, path, source=source, problem=problem, name=who))
        elif path.suffix in SOURCE_SUFFIXES:
            flat.setdefault(pid, []).append(path)
        else:
            aside.append(f"{path}: participant {pid} ({who}) uploaded a file that is not .py or .ipynb")
    wanted = (assignment.student_file, f"{Path(assignment.student_file).stem}.ipynb")
    for pid, files in flat.items():
        named = [p for p in files if p.name.endswith(wanted)]
        if len(named or files) == 1:
            path = (named or files)[0]
            subs.append(Submission(pid, path, source=path, name=names[pid]))
        else:
            subs.append(Submission(pid, folder, name=names[pid], problem=(
                f"participant {pid} ({names[pid]}) uploaded several files "
                f"({', '.join(p.name for p in files)}) and none is {assignment.student_file}")))
    return subs, aside
