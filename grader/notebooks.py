"""Jupyter notebooks in: their code cells, in order, made runnable outside IPython.

Stored outputs and execution counts are ignored: the grader runs the cells top to bottom, as a
fresh "Restart & Run All" would. IPython syntax has no meaning in a plain interpreter, so line
magics and shell escapes are neutralised and cell magics are unwrapped or skipped; every change
is reported back as a note so the student knows what the grader did with their notebook.
"""

from __future__ import annotations

import re
from pathlib import Path

import nbformat

from grader.sandbox.session import Cell

_LINE_MAGIC = re.compile(r"^(\s*)(%[A-Za-z_]|!|[A-Za-z_][A-Za-z0-9_]*\s*=\s*[!%][A-Za-z_])")
_CALLS_GRADER = re.compile(r"^\s*(import grader\b|from grader\b|grader\.check\()")
_HELP = re.compile(r"^\s*[A-Za-z_][\w.]*\?\??\s*$")
# Cell magics whose body is Python we can run as is (timing, capturing output).
_PYTHON_BODY = {"time", "timeit", "capture", "prun"}


class NotebookError(ValueError):
    """The file is not a usable Python notebook; the message says what to do."""


def read_cells(path: Path, filename: str) -> tuple[list[Cell], list[str]]:
    """Code cells of a notebook as program cells, and notes about what was changed."""
    try:
        nb = nbformat.read(str(path), as_version=4)
    except Exception as exc:
        raise NotebookError(
            f"{filename} is not a valid Jupyter notebook ({type(exc).__name__}: {str(exc)[:200]}); "
            "open it in Jupyter and save it again, or submit a .py file"
        ) from exc
    try:
        nbformat.validate(nb)
    except nbformat.ValidationError as exc:
        raise NotebookError(
            f"{filename} does not follow the notebook format ({exc.message[:200]}); open it in "
            "Jupyter and save it again"
        ) from exc
    language = _language(nb)
    if language and language.lower() != "python":
        raise NotebookError(
            f"{filename} is a notebook for the {language} kernel; this assignment needs a Python "
            "notebook (Kernel > Change kernel > Python 3)"
        )
    cells: list[Cell] = []
    notes: list[str] = []
    number = 0
    for cell in nb.cells:
        if cell.cell_type != "code":
            continue
        number += 1
        label = f"{filename} [cell {number}]"
        source, cell_notes = neutralise(str(cell.source), label)
        notes += cell_notes
        if source.strip():
            cells.append(Cell(source, label, label))
    return cells, notes


def _language(nb: nbformat.NotebookNode) -> str | None:
    spec = nb.metadata.get("kernelspec") or {}
    info = nb.metadata.get("language_info") or {}
    return spec.get("language") or info.get("name")


def neutralise(source: str, label: str) -> tuple[str, list[str]]:
    """Replace IPython-only syntax by `pass` (line count kept, so line numbers still match)."""
    lines = source.splitlines()
    notes: list[str] = []
    if lines and lines[0].startswith("%%"):
        magic = lines[0][2:].split()[0] if lines[0][2:].split() else ""
        if magic in _PYTHON_BODY:
            notes.append(f"{label}: ran the body of %%{magic} without the magic")
            lines[0] = "pass"
        else:
            notes.append(f"{label}: skipped the %%{magic} cell (not Python)")
            return "", notes
    for i, line in enumerate(lines):
        if _LINE_MAGIC.match(line) or _HELP.match(line):
            indent = line[: len(line) - len(line.lstrip())]
            notes.append(f"{label}: line {i + 1} `{line.strip()[:60]}` was not run (IPython syntax)")
            lines[i] = f"{indent}pass"
    return "\n".join(lines) + ("\n" if source.endswith("\n") else ""), notes


def kernel_program_file(notebook: str | None = None) -> Path:
    """The code the running Jupyter kernel has executed, as a notebook file to grade.

    Inside a kernel, `grader.check()` grades the cells in the order they were run (what the
    kernel's functions are now), minus the cells that call the grader. With `notebook`, or
    outside IPython, the saved notebook file is graded instead.
    """
    import tempfile

    if notebook:
        return Path(notebook)
    try:
        from IPython import get_ipython
    except ImportError as exc:
        raise NotebookError("grader.check() without a notebook path works only inside Jupyter") from exc
    shell = get_ipython()
    if shell is None:
        raise NotebookError("grader.check() without a notebook path works only inside Jupyter")
    inputs = [str(s) for s in shell.user_ns.get("In", [])[1:] if str(s).strip()]
    sources = ["\n".join("pass" if _CALLS_GRADER.match(line) else line for line in s.splitlines())
               for s in inputs]
    nb = nbformat.v4.new_notebook(
        cells=[nbformat.v4.new_code_cell(s) for s in sources],
        metadata={"kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"}},
    )
    folder = Path(tempfile.mkdtemp(prefix="grader-check-"))
    path = folder / "notebook.ipynb"
    nbformat.write(nb, str(path))
    return path
