"""What to compare: the class's submissions (found as `grader grade` finds them), the known
solutions of `--reference-dir`, and the handed-out code whose fingerprints count for nothing."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from grader.assignment.loader import Assignment
from grader.errors import UserError
from grader.intake import intake
from grader.similarity.sources import Document, Unreadable, folder_files, read


@dataclass
class Collected:
    students: list[Document] = field(default_factory=list)
    sources: list[Document] = field(default_factory=list)
    handout: list[Document] = field(default_factory=list)
    set_aside: list[str] = field(default_factory=list)


def collect(assignment: Assignment, paths: list[Path], layout: str, workdir: Path,
            reference_dir: Path | None = None, boilerplate: tuple[Path, ...] = ()) -> Collected:
    """Everything to compare; a file that cannot be read is set aside with the reason."""
    for path in [*paths, *([reference_dir] if reference_dir else []), *boilerplate]:
        if not path.exists():
            raise UserError(f"{path}: no such file or folder")
    if reference_dir is not None and not reference_dir.is_dir():
        raise UserError(f"--reference-dir {reference_dir}: not a folder (give the folder of known solutions)")
    found = Collected()
    stub = assignment.stub_path
    given = [p for b in boilerplate for p in (folder_files(b) if b.is_dir() else [b])]
    for path in (stub, stub.with_suffix(".ipynb"), *given):
        if path.is_file():
            found.handout.append(_read_given(path))
    taken = intake(paths, assignment, layout, workdir=workdir)
    found.set_aside += taken.set_aside
    for sub in taken.submissions:
        if sub.source is None:
            found.set_aside.append(f"{sub.path}: {sub.problem or 'no file to compare'}")
            continue
        try:
            found.students.append(read(sub.student, sub.source, "student"))
        except Unreadable as exc:
            found.set_aside.append(str(exc))
    if reference_dir is not None:
        files = folder_files(reference_dir)
        if not files:
            raise UserError(f"--reference-dir {reference_dir}: holds no .py or .ipynb file")
        for path in files:
            try:
                found.sources.append(read(f"source:{path.relative_to(reference_dir)}", path, "source"))
            except Unreadable as exc:
                found.set_aside.append(str(exc))
    return found


def _read_given(path: Path) -> Document:
    try:
        return read(path.name, path, "boilerplate")
    except Unreadable as exc:
        raise UserError(f"the handed-out code cannot be read: {exc}") from exc
