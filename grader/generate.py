"""`solutions/` → `assignments/`: one source of truth for the solution and the student's stub.

A solution file is in jupytext's "percent" format (`# %%` code cells, `# %% [markdown]` cells
of commented Markdown). Between `# BEGIN SOLUTION` and `# END SOLUTION` lies what the student
writes; in a function the stub gets `raise NotImplementedError("<function>: ...")` there, at the
same indentation, and at the top level of a cell a `# Write your code here.` comment (a raise
there would stop the whole file from loading). A line ending in `# SOLUTION ONLY` is dropped.
Anything else that looks like a marker (`#BEGIN SOLUTIONS`, `# end solution`) is an error, not
text to copy: a mistyped marker would hand the solution to every student. From the stub come
`<name>.py` and `<name>.ipynb`, and
`expected.json` records the reference's answers to the public cases so that `grader check`
works on a student's machine without the solution. Output is deterministic: running it twice
changes nothing, and `--check` reports any file that is out of date.
"""

from __future__ import annotations

import ast
import json
import re
from dataclasses import dataclass
from pathlib import Path

import nbformat

from grader.assignment.loader import Assignment, AssignmentError
from grader.errors import UserError

BEGIN = re.compile(r"^(?P<indent>\s*)# BEGIN SOLUTION\s*$")
END = re.compile(r"^\s*# END SOLUTION\s*$")
ONLY = re.compile(r"\s*# SOLUTION ONLY\s*$")
LOOKS_LIKE_MARKER = re.compile(r"#.*\b(begin|end)[\s_-]*solution|solution[\s_-]*only", re.IGNORECASE)
CELL = re.compile(r"^# %%(?P<markdown>\s*\[(markdown|md)\])?.*$")
TOP_LEVEL_STUB = "# Write your code here."


class GenerateError(UserError):
    """A solution file's markers are malformed; the message names the file and line."""


@dataclass(frozen=True)
class Generated:
    path: Path
    text: str


def make_stub(source: str, filename: str) -> str:
    """The student's version of a solution file."""
    out: list[str] = []
    inside: int | None = None
    functions = _functions(source, filename)
    for number, line in enumerate(source.splitlines(), start=1):
        begin, end, only = BEGIN.match(line), END.match(line), ONLY.search(line)
        if not (begin or end or only) and LOOKS_LIKE_MARKER.search(line):
            raise GenerateError(
                f"{filename}:{number}: `{line.strip()}` looks like a solution marker but is not one; "
                "write `# BEGIN SOLUTION`, `# END SOLUTION` or end the line with `# SOLUTION ONLY`"
            )
        if begin:
            if inside is not None:
                raise GenerateError(f"{filename}:{number}: BEGIN SOLUTION inside another block")
            inside = number
            indent = begin.group("indent")
            enclosing = [name for first, last, name in functions if first < number <= last]
            if enclosing:
                out.append(f'{indent}raise NotImplementedError("{enclosing[-1]}: write your code here '
                           '(see the docstring)")')
            else:
                out.append(f"{indent}{TOP_LEVEL_STUB}")
            continue
        if end:
            if inside is None:
                raise GenerateError(f"{filename}:{number}: END SOLUTION without BEGIN SOLUTION")
            inside = None
            continue
        if inside is not None or only:
            continue
        out.append(line)
    if inside is not None:
        raise GenerateError(f"{filename}:{inside}: BEGIN SOLUTION is never closed")
    return "\n".join(out).rstrip("\n") + "\n"


def _functions(source: str, filename: str) -> list[tuple[int, int, str]]:
    """(first line, last line, name) of every function, outermost first."""
    try:
        tree = ast.parse(source, filename)
    except SyntaxError as exc:
        raise GenerateError(f"{filename}:{exc.lineno}: the solution is not valid Python: {exc.msg}") from exc
    found = [(node.lineno, node.end_lineno or node.lineno, node.name) for node in ast.walk(tree)
             if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef)]
    return sorted(found)


def percent_cells(text: str) -> list[tuple[str, str]]:
    """(kind, body) of each cell of percent-format text, kind "code" or "markdown" (Markdown
    uncommented); text before the first `# %%` is a code cell; empty cells are left out."""
    cells: list[tuple[str, str]] = []
    kind, lines = "code", list[str]()

    def flush() -> None:
        body = "\n".join(lines).strip("\n")
        if body and kind == "markdown":
            cells.append((kind, "\n".join(_uncomment(line) for line in body.splitlines())))
        elif body:
            cells.append((kind, body))

    for line in text.splitlines():
        marker = CELL.match(line)
        if marker:
            flush()
            kind, lines = ("markdown" if marker.group("markdown") else "code"), []
        else:
            lines.append(line)
    flush()
    return cells


def make_notebook(stub: str, title: str, filename: str = "this notebook") -> str:
    """A notebook from percent-format text: markdown cells that teach, code cells to fill in."""
    cells = [nbformat.v4.new_markdown_cell(body) if kind == "markdown" else nbformat.v4.new_code_cell(body)
             for kind, body in percent_cells(stub)]
    example = next((name for *_, name in _functions(stub, filename)), "forward")
    cells.append(nbformat.v4.new_markdown_cell(
        "## Check your work\n\nRun the cells above, then the next one: it shows the public checks "
        f"on the code as it stands in this notebook's kernel, with hints; `grader.check(\"{example}\")` "
        "shows one function's checks. From a terminal, `grader check "
        f"{filename}` checks the saved notebook. When your work is graded, the cells run from "
        "top to bottom (as Kernel > Restart & Run All does), with hidden cases too."
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
        Generated(folder / f"{stem}.ipynb", make_notebook(stub, assignment.title, f"{stem}.ipynb")),
    ]


def expected_text(record: dict[str, dict[str, object]]) -> str:
    return json.dumps(record, indent=1, sort_keys=True, ensure_ascii=False) + "\n"


def stale(files: list[Generated]) -> list[Path]:
    return [f.path for f in files
            if not f.path.is_file() or not _same(f.path, f.path.read_text(encoding="utf-8"), f.text)]


# The reference's answers differ in the last bits from one CPU to another (vectorised float
# reductions), and finite differences magnify that to ~1e-7; far below any check's tolerance, so
# such a difference is not a stale file, only a change beyond it is.
NUMERIC_RTOL, NUMERIC_ATOL = 1e-6, 1e-12


def _same(path: Path, current: str, wanted: str) -> bool:
    if current == wanted:
        return True
    if path.suffix != ".json":
        return False
    try:
        return _close(json.loads(current), json.loads(wanted))
    except ValueError:
        return False


def _close(a: object, b: object) -> bool:
    if isinstance(a, float) and isinstance(b, float):
        return a == b or abs(a - b) <= NUMERIC_ATOL + NUMERIC_RTOL * max(abs(a), abs(b))
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(_close(a[k], b[k]) for k in a)
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(_close(x, y) for x, y in zip(a, b, strict=True))
    return a == b


def write(files: list[Generated]) -> list[Path]:
    changed = stale(files)
    for f in files:
        if f.path in changed:
            f.path.parent.mkdir(parents=True, exist_ok=True)
            f.path.write_text(f.text, encoding="utf-8")
    return changed
