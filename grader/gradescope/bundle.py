"""`grader gradescope build`: the autograder zip Gradescope asks for.

Layout at the zip's root (Gradescope extracts it into /autograder/source):

    setup.sh, run_autograder        the two scripts, executable
    constraints.txt                 the torch version the instructor grades with
    grader-src/                     this grader (pyproject.toml, README.md, grader/)
    course/assignments/<name>/      the assignment as students have it
    course/solutions/<name>/        the reference solution and grading.toml with the seed

The zip is deterministic (sorted entries, fixed times), so rebuilding it shows whether anything
changed. It holds the reference and the seed: keep it where only instructors can read it.
"""

from __future__ import annotations

import importlib.metadata
import io
import zipfile
from pathlib import Path

import grader
from grader.assignment.loader import Assignment
from grader.export.errors import ExportError
from grader.filenames import files_below
from grader.gradescope.scripts import SETUP_SH, run_autograder

FIXED_TIME = (1980, 1, 1, 0, 0, 0)


def _files(folder: Path) -> list[Path]:
    """What to bundle from a folder: its files but hidden ones, junk, links and compiled Python."""
    return [p for p in files_below(folder) if p.suffix not in (".pyc", ".pyo")]


def torch_constraint() -> str:
    try:
        version = importlib.metadata.version("torch").split("+", 1)[0]
    except importlib.metadata.PackageNotFoundError:
        return ""
    return f"torch=={version}\n"


def contents(assignment: Assignment, sandbox: str | None = None) -> dict[str, tuple[bytes, int]]:
    """Zip path → (bytes, permission bits)."""
    package = Path(grader.__file__).resolve().parent
    checkout = package.parent
    if not (checkout / "pyproject.toml").is_file():
        raise ExportError(f"{checkout}: no pyproject.toml next to the grader package; build the autograder "
                          "from a checkout of the grader (pip install -e .)")
    reference = assignment.reference_path
    if reference is None or assignment.solution_dir is None:
        raise ExportError(f"{assignment.name}: the autograder needs the reference solution "
                          f"(solutions/{assignment.name}/{assignment.student_file}, or --solutions)")
    seed = assignment.hidden_seed()
    if seed is None:
        raise ExportError(f"{assignment.name}: no grading seed; put `seed = \"<random text>\"` in "
                          f"solutions/{assignment.name}/grading.toml or set GRADER_SEED")
    out: dict[str, tuple[bytes, int]] = {
        "setup.sh": (SETUP_SH.encode(), 0o755),
        "run_autograder": (run_autograder(assignment.name, sandbox).encode(), 0o755),
        "constraints.txt": (torch_constraint().encode(), 0o644),
    }
    for name in ("pyproject.toml", "README.md"):
        if (checkout / name).is_file():
            out[f"grader-src/{name}"] = ((checkout / name).read_bytes(), 0o644)
    for path in _files(package):
        out[f"grader-src/grader/{path.relative_to(package).as_posix()}"] = (path.read_bytes(), 0o644)
    for path in _files(assignment.folder):
        out[f"course/assignments/{assignment.name}/{path.relative_to(assignment.folder).as_posix()}"] = (
            path.read_bytes(), 0o644)
    solutions = f"course/solutions/{assignment.name}"
    for path in _files(assignment.solution_dir):
        if path.name != "grading.toml":
            out[f"{solutions}/{path.relative_to(assignment.solution_dir).as_posix()}"] = (path.read_bytes(), 0o600)
    quoted = seed.replace("\\", "\\\\").replace('"', '\\"')
    out[f"{solutions}/grading.toml"] = (f'# the grading seed (never shown to students)\nseed = "{quoted}"\n'.encode(),
                                        0o600)
    return out


def build(assignment: Assignment, output: Path, sandbox: str | None = None) -> list[str]:
    """Write the zip; returns its entries."""
    files = contents(assignment, sandbox)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name in sorted(files):
            data, mode = files[name]
            info = zipfile.ZipInfo(name, FIXED_TIME)
            info.external_attr = (0o100000 | mode) << 16
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, data)
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_bytes(buffer.getvalue())
    return sorted(files)
