"""What a student handed in: finding it, naming the student, turning it into program cells.

`SUBMISSION` on the command line is a file (`.py` or `.ipynb`), a folder with one student's
files, or a folder of such entries, one per student. The student id is the file's stem or the
folder's name. Anything that cannot be read becomes a problem on that student's report, never
an exception that stops the batch.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from grader.assignment.loader import Assignment
from grader.errors import UserError
from grader.filenames import visible_entries
from grader.notebooks import NotebookError, read_cells
from grader.sandbox.results import Cell, Program

SOURCE_SUFFIXES = (".py", ".ipynb")
MAX_SOURCE_BYTES = 2 * 1024 * 1024
MAX_ID_LENGTH = 100


class SubmissionError(UserError):
    """The submission cannot be graded as handed in; the message is for the student."""


@dataclass(frozen=True)
class Origin:
    """The LMS download a submission was read from, kept in its report so that an export can
    match the LMS's own ids (grader.report.SubmissionInfo's `lms`, `id_kind`, `lms_assignment`)."""

    lms: str
    id_kind: str
    assignment: str | None = None


@dataclass
class Submission:
    student: str
    path: Path
    source: Path | None = None
    problem: str | None = None
    late: bool | None = None
    name: str | None = None
    notes: list[str] = field(default_factory=list)
    origin: Origin | None = None
    submitted_at: datetime | None = None  # when it was handed in, for the late policy (grader.intake.times)
    time_source: str | None = None  # where that time comes from, as reports say it

    def origin_fields(self) -> dict[str, Any]:
        """The report's SubmissionInfo fields that say where the student id came from."""
        origin = self.origin
        return {"lms": origin.lms if origin else None, "id_kind": origin.id_kind if origin else None,
                "lms_assignment": origin.assignment if origin else None}


@dataclass
class Loaded:
    program: Program
    kind: str
    sha256: str
    notes: list[str]


def pick_source(folder: Path, assignment: Assignment) -> tuple[Path | None, str | None]:
    """The one file in a student's folder to grade, or why there is none."""
    wanted = [assignment.student_file, f"{Path(assignment.student_file).stem}.ipynb"]
    for name in wanted:
        if (folder / name).is_file():
            return folder / name, None
    candidates = [p for p in visible_entries(folder) if p.is_file() and p.suffix in SOURCE_SUFFIXES]
    if len(candidates) == 1:
        return candidates[0], None
    if not candidates:
        return None, f"{folder.name}/ holds no .py or .ipynb file (expected {assignment.student_file})"
    names = ", ".join(p.name for p in candidates[:6])
    return None, (f"{folder.name}/ holds several files ({names}) and none is named "
                  f"{assignment.student_file}; rename the one to grade")


def discover(paths: list[Path], assignment: Assignment) -> tuple[list[Submission], list[str]]:
    """Submissions named by the command line, and warnings about entries that were set aside."""
    found: list[Submission] = []
    warnings: list[str] = []
    for path in paths:
        if path.is_file():
            found.append(_from_file(path))
        elif path.is_dir():
            if _is_student_folder(path, assignment):
                found.append(_from_folder(path, assignment))
                continue
            for entry in visible_entries(path):
                if entry.is_file() and entry.suffix in SOURCE_SUFFIXES:
                    found.append(_from_file(entry))
                elif entry.is_dir():
                    found.append(_from_folder(entry, assignment))
                else:
                    warnings.append(f"{entry}: not a .py or .ipynb file or a folder; not graded")
        else:
            warnings.append(f"{path}: no such file or folder")
    unique: dict[str, Submission] = {}
    for sub in found:
        if sub.student in unique:
            warnings.append(
                f"{sub.path} and {unique[sub.student].path} both belong to student "
                f"{sub.student!r}; only the first was graded"
            )
            continue
        unique[sub.student] = sub
    return list(unique.values()), warnings


def _is_student_folder(path: Path, assignment: Assignment) -> bool:
    if any((path / name).is_file() for name in (assignment.student_file,
                                                f"{Path(assignment.student_file).stem}.ipynb")):
        return True
    found = visible_entries(path)
    sources = [p for p in found if p.is_file() and p.suffix in SOURCE_SUFFIXES]
    return len(sources) == 1 and not any(p.is_dir() for p in found)


def student_id(name: str) -> str:
    """A student id from a file or folder name: letters, digits and `_ . @ + -` (anything else
    becomes `_`), at most MAX_ID_LENGTH characters; a longer name is cut with `…` and a short hash
    of the whole name, so that two long names stay two students."""
    cleaned = re.sub(r"[^\w.@+-]", "_", name).strip("._") or "student"
    if len(cleaned) <= MAX_ID_LENGTH:
        return cleaned
    return f"{cleaned[:MAX_ID_LENGTH - 9]}…{hashlib.sha256(name.encode()).hexdigest()[:8]}"


def linked(path: Path, folder: Path) -> bool:
    """Whether a symbolic link lies on the way from `folder` to `path` (itself included): one could
    point at the reference solution."""
    current = folder
    for part in path.relative_to(folder).parts:
        current = current / part
        if current.is_symlink():
            return True
    return False


def _from_file(path: Path) -> Submission:
    return Submission(student_id(path.stem), path, source=path)


def _from_folder(path: Path, assignment: Assignment) -> Submission:
    source, problem = pick_source(path, assignment)
    return Submission(student_id(path.name), path, source=source, problem=problem)


def load(sub: Submission) -> Loaded:
    """Read the submission into program cells; raises SubmissionError with a clear message."""
    if sub.problem:
        raise SubmissionError(sub.problem)
    assert sub.source is not None
    path = sub.source
    if path.is_symlink():
        # A link (say, committed in a Classroom repository) could point at the reference solution.
        raise SubmissionError(f"{path.name} is a symbolic link; hand in the file itself")
    if sub.path.is_dir() and path.is_relative_to(sub.path) and linked(path, sub.path):
        raise SubmissionError(f"{path.name} is inside a folder that is a symbolic link; hand in the files themselves")
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise SubmissionError(f"{path.name} cannot be read: {exc.strerror}") from exc
    digest = hashlib.sha256(raw).hexdigest()
    if len(raw) > MAX_SOURCE_BYTES:
        raise SubmissionError(f"{path.name} is {len(raw):,} bytes; the limit is {MAX_SOURCE_BYTES:,}")
    if path.suffix == ".ipynb":
        try:
            cells, notes = read_cells(path, path.name)
        except NotebookError as exc:
            raise SubmissionError(str(exc)) from exc
        return Loaded(Program(tuple(cells), keep_going=True), "ipynb", digest, notes)
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise SubmissionError(
            f"{path.name} is not UTF-8 text (byte {exc.start}); save it as UTF-8 Python source"
        ) from exc
    if "\x00" in text:
        raise SubmissionError(f"{path.name} contains NUL bytes; it is not a Python source file")
    return Loaded(Program((Cell(text, path.name, path.name),)), "py", digest, [])


def sha256_of(path: Path | None) -> str:
    """The file's hash; none for a symbolic link, which is not graded (it could point anywhere)."""
    if path is None or path.is_symlink() or not path.is_file():
        return ""
    return hashlib.sha256(path.read_bytes()).hexdigest()
