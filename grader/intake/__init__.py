"""Intake: from what an LMS hands the instructor to one `Submission` per student.

Layouts: plain files or folders (`files`), a Canvas "download all submissions" zip or folder
(`canvas`), a Moodle download (`moodle`), a folder of GitHub Classroom repositories
(`classroom`). `auto` recognises them. Student ids come from the layout; resubmissions keep the
latest; late markers are kept; anything that cannot be attributed is listed in `set_aside`,
never silently dropped.
"""

from __future__ import annotations

import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from grader.assignment.loader import Assignment
from grader.intake import canvas, classroom, moodle
from grader.intake.archive import extract
from grader.submission import Submission, discover

Layout = Literal["auto", "files", "canvas", "moodle", "classroom"]
LAYOUTS = ("auto", "files", "canvas", "moodle", "classroom")


@dataclass
class Intake:
    submissions: list[Submission] = field(default_factory=list)
    set_aside: list[str] = field(default_factory=list)
    layouts: list[str] = field(default_factory=list)


def detect(folder: Path) -> str:
    """The layout of one folder, by what most of its entries look like."""
    entries = [p for p in folder.iterdir() if not p.name.startswith((".", "__MACOSX"))]
    if not entries:
        return "files"
    if sum(canvas.matches(p.name) for p in entries if p.is_file()) > len(entries) / 2:
        return "canvas"
    if sum(moodle.matches(p.name) for p in entries) > len(entries) / 2:
        return "moodle"
    if classroom.looks_like(folder):
        return "classroom"
    return "files"


def intake(paths: list[Path], assignment: Assignment, layout: str = "auto", workdir: Path | None = None) -> Intake:
    """Every student's submission found under `paths` (zip archives are unpacked into `workdir`, or
    into a new temporary folder that the caller may remove once grading is done)."""
    result = Intake()
    scratch = workdir
    plain: list[Path] = []
    unpacked: dict[Path, Path] = {}  # where an archive was unpacked -> the archive
    for index, path in enumerate(paths):
        if path.is_file() and path.suffix.lower() == ".zip":
            scratch = scratch or Path(tempfile.mkdtemp(prefix="grader-intake-"))  # only when there is a zip
            target = scratch / path.stem
            if target.exists():  # another archive of the same name: keep their contents apart
                target = scratch / f"{path.stem}-{index}"
            unpacked[target] = path
            path = extract(path, target)
            if path != target and moodle.matches(path.name):
                path = target  # a Moodle zip of one participant: read the folder that holds theirs
        kind = layout if layout != "auto" else (detect(path) if path.is_dir() else "files")
        result.layouts.append(f"{path}: {kind}")
        if kind == "canvas":
            subs, aside = canvas.read(path, assignment)
        elif kind == "moodle":
            subs, aside = moodle.read(path, assignment)
        elif kind == "classroom":
            subs, aside = classroom.read(path, assignment)
        else:
            plain.append(path)
            continue
        result.submissions += subs
        result.set_aside += aside
    if plain:
        subs, aside = discover(plain, assignment)
        result.submissions += subs
        result.set_aside += aside
    seen: dict[str, Submission] = {}
    for sub in result.submissions:
        if sub.student in seen:
            result.set_aside.append(f"{sub.path}: student {sub.student!r} already has {seen[sub.student].path}")
        else:
            seen[sub.student] = sub
    result.submissions = list(seen.values())
    # Reports and messages name the archive and its member, not the scratch folder (which the
    # caller removes after grading); the files to grade are still read from the scratch folder.
    for sub in result.submissions:
        for folder, archive in unpacked.items():
            if sub.path.is_relative_to(folder):
                sub.path = archive / sub.path.relative_to(folder)
    for folder, archive in unpacked.items():
        result.set_aside = [line.replace(str(folder), str(archive)) for line in result.set_aside]
    return result
