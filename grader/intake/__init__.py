"""Intake: from what an LMS hands the instructor to one `Submission` per student.

Layouts: plain files or folders (`files`), a Canvas "download all submissions" zip or folder
(`canvas`), a Moodle download (`moodle`), a Blackboard "Assignment File Download"
(`blackboard`), a folder of GitHub Classroom repositories (`classroom`). `auto` recognises them.
Student ids come from the layout, and each submission records which LMS id it is (an export
matches the roster by it); resubmissions keep the latest; late markers are kept; anything that
cannot be attributed is listed in `set_aside`, never silently dropped. Each submission's time,
for the late policy, comes from `times` (a --times file) or from what the layout carries
(grader.intake.times says what each LMS gives).
"""

from __future__ import annotations

import tempfile
from dataclasses import dataclass, field
from datetime import UTC
from pathlib import Path

from grader.assignment.loader import Assignment
from grader.filenames import visible_entries
from grader.intake import blackboard, canvas, classroom, moodle, times
from grader.intake.archive import extract
from grader.submission import Submission, discover
from grader.text import MESSAGE_LIMIT, clean

READERS = {"canvas": canvas.read, "moodle": moodle.read, "blackboard": blackboard.read}


@dataclass
class Intake:
    submissions: list[Submission] = field(default_factory=list)
    set_aside: list[str] = field(default_factory=list)
    layouts: list[str] = field(default_factory=list)


def detect(folder: Path) -> str:
    """The layout of one folder, by what most of its entries look like."""
    found = visible_entries(folder)
    if not found:
        return "files"
    if sum(canvas.matches(p.name) for p in found if p.is_file()) > len(found) / 2:
        return "canvas"
    if sum(moodle.matches(p.name) for p in found) > len(found) / 2:
        return "moodle"
    if sum(blackboard.matches(p.name) for p in found if p.is_file()) > len(found) / 2:
        return "blackboard"
    if classroom.looks_like(folder):
        return "classroom"
    return "files"


def intake(paths: list[Path], assignment: Assignment, layout: str = "auto", workdir: Path | None = None,
           times_file: Path | None = None) -> Intake:
    """Every student's submission found under `paths` (zip archives are unpacked into `workdir`, or
    into a new temporary folder that the caller may remove once grading is done); `times_file`
    gives submission times (grader.intake.times.read_times)."""
    result = Intake()
    scratch = workdir
    plain: list[Path] = []
    unpacked: dict[Path, Path] = {}  # where an archive was unpacked -> the archive
    for index, path in enumerate(paths):
        download = path.stem if path.is_file() else path.name  # an LMS names its download after the assignment
        if path.is_file() and path.suffix.lower() == ".zip":
            scratch = scratch or Path(tempfile.mkdtemp(prefix="grader-intake-"))  # only when there is a zip
            target = scratch / path.stem
            if target.exists():  # another archive of the same name: keep their contents apart
                target = scratch / f"{path.stem}-{index}"
            unpacked[target] = path
            unpacking = extract(path, target)
            result.set_aside += unpacking.skipped
            path = unpacking.root
            if path != target and moodle.matches(path.name):
                path = target  # a Moodle zip of one participant: read the folder that holds theirs
        kind = layout if layout != "auto" else (detect(path) if path.is_dir() else "files")
        result.layouts.append(f"{path}: {kind}")
        if kind in READERS:
            subs, aside = READERS[kind](path, assignment, download)
        elif kind == "classroom":
            subs, aside = classroom.read(path, assignment)
        else:
            plain.append(path)
            continue
        result.submissions += subs
        result.set_aside += aside
    if plain:
        subs, aside = discover(plain, assignment)
        for sub in subs:  # a file as it lies on disk: its modification time, the last resort
            when = times.file_time(sub.source) if sub.source is not None else None
            if when is not None and sub.source and not any(sub.source.is_relative_to(f) for f in unpacked):
                sub.submitted_at, sub.time_source = when, times.FILE_SOURCE
        result.submissions += subs
        result.set_aside += aside
    _one_per_student(result)
    if times_file is not None:
        _timed(result.submissions, times_file, assignment)
    _as_handed_in(result, unpacked)
    return result


def _one_per_student(result: Intake) -> None:
    """A second submission of a student is set aside, naming the first."""
    seen: dict[str, Submission] = {}
    for sub in result.submissions:
        if sub.student in seen:
            result.set_aside.append(f"{sub.path}: student {sub.student!r} already has {seen[sub.student].path}")
        else:
            seen[sub.student] = sub
    result.submissions = list(seen.values())


def _as_handed_in(result: Intake, unpacked: dict[Path, Path]) -> None:
    """Reports and messages name the archive and its member, not the scratch folder (which the
    caller removes after grading); the files to grade are still read from the scratch folder."""
    for sub in result.submissions:
        for folder, archive in unpacked.items():
            if sub.path.is_relative_to(folder):
                sub.path = archive / sub.path.relative_to(folder)
    for folder, archive in unpacked.items():
        result.set_aside = [line.replace(str(folder), str(archive)) for line in result.set_aside]
    # the lines name files as handed in, which may hold escape sequences: they reach a terminal
    result.set_aside = [clean(line, MESSAGE_LIMIT, one_line=True) for line in result.set_aside]


def _timed(subs: list[Submission], file: Path, assignment: Assignment) -> None:
    """The --times file's time wins over what the layout carried."""
    policy = assignment.spec.late
    found = times.read_times(file, policy.zone if policy else UTC)
    for sub in subs:
        if sub.student in found:
            sub.submitted_at, sub.time_source = found[sub.student], f"{file.name} (--times)"
