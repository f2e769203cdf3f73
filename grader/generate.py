"""`solutions/` → `assignments/`: one source of truth for the solution and the student's stub.

A solution file is in jupytext's "percent" format (`# %%` code cells, `# %% [markdown]` cells
of commented Markdown). Between `# BEGIN SOLUTION` and `# END SOLUTION` lies what the student
writes; the stub gets `raise NotImplementedError(...)` there, at the same indentation. A line
ending in `# SOLUTION ONLY` is dropped. From the stub come `<name>.py` and `<name>.ipynb`, and
`expected.json` records the reference's answers to the public cases so that `grader check`
works on a student's machine without the solution. Output is deterministic: running it twice
changes nothing, and `--check` reports any file that is out of date.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path

import nbformat

from grader.assignment.loader import Assignment, AssignmentError

BEGIN = re.compile(r"^(?P<indent>\s*)# BEGIN SOLUTION\s*$")
END = re.compile(r"^\s*# END SOLUTION\s*$")
ONLY = re.compile(r"\s*# SOLUTION ONLY\s*$")
DEF = re.compile(r"^\s*def\s+(?P<name>\w+)\s*\(")
CELL = re.compile(r"^# %%(?P<markdown>\s*\[markdown\])?.*$")


class GenerateError(ValueError):
    """A solution file's markers are malformed; the message names the file and line."""


@dataclass(frozen=True)
class Generated:
    path: Path
    text: str


def make_stub(source: str, filename: str) -> str:
    """The student's version of a solution file."""
    out: list[str] = []
    inside: int | None = None
    current_def = "this function"
    for number, line in enumerate(source.splitlines(), start=1):
        match = DEF.match(line)
        if match and inside is None:
            current_def = match.group("name")
        begin = BEGIN.match(line)
        if begin:
            if inside is not None:
                raise GenerateError(f"{filename}:{number}: BEGIN SOLUTION inside another block")
            inside = number
            out.append(f'{begin.group("indent")}raise NotImplementedError("{current_def}: '
                       'write your code here (see the docstring)")')
            continue
        if END.match(line):
            if inside is None:
                raise GenerateError(f"{filename}:{number}: END SOLUTION without BEGIN SOLUTION")
            inside = None
            continue
        if inside is not None:
            continue
        if ONLY.search(line):
            continue
        out.append(line)
    if inside is not None:
        raise GenerateError(f"{filename}:{inside}: BEGIN SOLUTION is never closed")
    return "\n".join(out).rstrip("\n") + "\n"


def make_notebook(stub: str, title: str) -> str:
    """A notebook from percent-format text: markdown cells that teach, code cells to fill in."""
    cells: list[nbformat.NotebookNode] = []
    kind, lines = "code", list[str]()  # text before the first marker is code

    def flush() -> None:
        body = "\n".join(lines).strip("\n")
        if not body:
            return
        if kind == "markdown":
            text = "\n".join(_uncomment(line) for line in body.splitlines())
            cells.append(nbformat.v4.new_markdown_cell(text))
        else:
            cells.append(nbformat.v4.new_code_cell(body))

    for line in stub.splitlines():
        marker = CELL.match(line)
        if marker:
            flush()
            kind, lines = ("markdown" if marker.group("markdown") else "code"), []
        else:
            lines.append(line)
    flush()
    cells.append(nbformat.v4.new_markdown_cell(
        "## Check your work\n\nRun the next cell to see the public checks for the code as it "
        "stands in this notebook (run the cells above first). The same checks run from a "
        "terminal with `grader check`."
    ))
    cells.append(nbformat.v4.new_code_cell("import grader\n\ngrader.check()"))
    for i, cell in enumerate(cells):
        cell["id"] = f"cell-{i:02d}"
    nb = nbformat.v4.new_notebook(cells=cells, metadata={
        "kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"},
        "language_info": {"name": "python"},
        "title": title,
    })
    nbformat.validate(nb)
    return str(nbformat.writes(nb, version=4)) + "\n"


def _uncomment(line: str) -> str:
    if line.startswith("# "):
        return line[2:]
    return "" if line.strip() == "#" else line


def outputs(assignment: Assignment) -> list[Generated]:
    """Every generated file of one assignment, with its intended content."""
    solution = assignment.reference_path
    if solution is None:
        raise AssignmentError(f"{assignment.name}: no solution file under solutions/{assignment.name}/")
    stub = make_stub(solution.read_text(encoding="utf-8"), str(solution))
    folder = assignment.folder
    stem = Path(assignment.student_file).stem
    return [
        Generated(folder / assignment.student_file, stub),
        Generated(folder / f"{stem}.ipynb", make_notebook(stub, assignment.title)),
    ]


def expected_text(record: dict[str, dict[str, object]]) -> str:
    return json.dumps(record, indent=1, sort_keys=True, ensure_ascii=False) + "\n"


def stale(files: list[Generated]) -> list[Path]:
    return [f.path for f in files if not f.path.is_file() or f.path.read_text(encoding="utf-8") != f.text]


def write(files: list[Generated]) -> list[Path]:
    changed = stale(files)
    for f in files:
        if f.path in changed:
            f.path.parent.mkdir(parents=True, exist_ok=True)
            f.path.write_text(f.text, encoding="utf-8")
    return changed
