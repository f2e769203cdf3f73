"""Jupyter notebooks in: their code cells, in order, as the program to grade.

The grader runs the code cells top to bottom, as a fresh "Restart & Run All" would, whatever
order they were last run in; stored outputs are ignored, so a notebook is graded on what its
code does, never on what it once printed. IPython syntax is turned into plain Python by
grader.magics, the notebook's own `grader.check()` self-check is left out, and every change is a
note on the report. A file that is not a usable Python notebook is a NotebookError whose
message names the file and says what to do; one that Jupyter would still open (a schema
detail wrong) is graded, with a note.
"""

from __future__ import annotations

import ast
import json
import re
import warnings
from pathlib import Path
from typing import Any

import nbformat

from grader.errors import UserError
from grader.magics import UNPARSABLE, Converted, replace_nodes, to_python
from grader.sandbox.results import Cell

RESAVE = "open it in Jupyter and save it again (File > Save), or hand in a .py file"
# A notebook that says it is a kernel's input history (see grader.kernel) is labelled by
# execution count, `In [5]`, as Jupyter shows it; a file by position, `code cell 3`.
HISTORY_KEY = "kernel_history"
# What Jupyter has that a plain interpreter lacks: `display` is a builtin there.
PRELUDE = '''
def display(*objs, **kwargs):
    """Jupyter's display(), outside Jupyter: print each object's repr."""
    for obj in objs:
        print(repr(obj))
'''
_USES_DISPLAY = re.compile(r"\bdisplay\s*\(")


class NotebookError(UserError):
    """The file is not a usable Python notebook; the message says what to do."""


def read_cells(path: Path, filename: str) -> tuple[list[Cell], list[str]]:
    """Code cells of a notebook as program cells, and notes about what was changed."""
    nb, notes = _read(path, filename)
    language = _language(nb)
    if language and language.lower() not in ("python", "python3"):
        raise NotebookError(
            f"{filename} is a notebook for the {language} kernel; this assignment needs a Python "
            "notebook: in Jupyter, Kernel > Change Kernel > Python 3, then save it"
        )
    code = [c for c in nb.cells if c.get("cell_type") == "code"]
    mark = nb.metadata.get("grader")
    history = isinstance(mark, dict) and bool(mark.get(HISTORY_KEY))
    if not any(str(c.get("source", "")).strip() for c in code):
        raise NotebookError(
            "this kernel has run no code yet: run the notebook's cells first" if history else
            f"{filename} has no code ({len(nb.cells)} cell(s), none of them a code cell with code in it); "
            "was it saved before it was handed in? Save it in Jupyter and hand it in again"
        )
    if not history:
        notes += _order_note(filename, code)
    cells: list[Cell] = []
    grader_names: set[str] = set()
    for number, cell in enumerate(code, start=1):
        label = f"{filename} (In [{cell.get('execution_count')}])" if history else f"{filename} (code cell {number})"
        converted = _converted(str(cell.get("source", "")), label)
        notes += converted.notes
        source, dropped = without_self_checks(converted.source, grader_names)
        if dropped and not history:  # in the kernel, the student has just called it
            notes.append(f"{label}: `{dropped}` was not run: the self-check runs in your own Jupyter, "
                         "not during grading")
        if source.strip():
            cells.append(Cell(source, label, label))
    if any(_USES_DISPLAY.search(c.source) for c in cells):
        cells.insert(0, Cell(PRELUDE, "<jupyter>", "<jupyter>"))
    return cells, notes


def _converted(source: str, label: str) -> Converted:
    try:
        return to_python(source, label)
    except Exception as exc:  # whatever IPython's reader trips on, the cell still runs
        return Converted(source, [f"{label}: could not be read as IPython ({type(exc).__name__}); it runs as it is"])


def _read(path: Path, filename: str) -> tuple[nbformat.NotebookNode, list[str]]:
    """The notebook, or a NotebookError saying why there is none; notes if it is only
    nearly valid."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as exc:
        raise NotebookError(f"{filename} is not a notebook: it is not UTF-8 text (byte {exc.start}); {RESAVE}") from exc
    if not text.strip():
        raise NotebookError(f"{filename} is empty (0 bytes of notebook); {RESAVE}")
    try:
        data = json.loads(text)
    except ValueError as exc:
        raise NotebookError(f"{filename} is not a notebook: {_not_json(text)}; {RESAVE}") from exc
    if not isinstance(data, dict) or not ("cells" in data or "worksheets" in data):
        raise NotebookError(f"{filename} is JSON but not a Jupyter notebook (it has no cells); {RESAVE}")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # nbformat warns about missing cell ids; Jupyter adds them
        try:
            nb = nbformat.reads(text, as_version=4)
        except Exception as exc:
            raise NotebookError(f"{filename} is not a Jupyter notebook ({_short(exc)}); {RESAVE}") from exc
    if not _usable(nb):
        raise NotebookError(f"{filename} is not a Jupyter notebook: its cells cannot be read; {RESAVE}")
    try:
        nbformat.validate(nb)
    except nbformat.ValidationError as exc:
        return nb, [f"{filename} does not quite follow the notebook format ({_short(exc)}); it was graded "
                    "anyway, but saving it again in Jupyter fixes this"]
    return nb, []


def _not_json(text: str) -> str:
    try:
        compile(text, "<submission>", "exec", dont_inherit=True)
    except (SyntaxError, ValueError):
        return "it is not valid JSON (a notebook file is JSON; this one may be cut short or edited by hand)"
    return "it is Python source, not JSON: rename it to .py, or open it in Jupyter as a notebook and save that"


def _usable(nb: Any) -> bool:
    cells = nb.get("cells") if isinstance(nb, dict) else None
    return isinstance(cells, list) and all(
        isinstance(c, dict) and (c.get("cell_type") != "code" or isinstance(c.get("source", ""), str))
        for c in cells
    ) and isinstance(nb.get("metadata", {}), dict)


def _short(exc: Exception) -> str:
    message = getattr(exc, "message", None) or str(exc)
    return str(message).splitlines()[0][:200] if str(message).strip() else type(exc).__name__


def _language(nb: nbformat.NotebookNode) -> str | None:
    spec = nb.metadata.get("kernelspec") or {}
    info = nb.metadata.get("language_info") or {}
    language = (spec.get("language") if isinstance(spec, dict) else None) or (
        info.get("name") if isinstance(info, dict) else None)
    return str(language) if language else None


def _order_note(filename: str, code: list[Any]) -> list[str]:
    counts = [c.get("execution_count") for c in code]
    counts = [n for n in counts if isinstance(n, int)]
    if counts == sorted(counts):
        return []
    return [f"{filename}: its cells were last run in another order than top to bottom (execution counts "
            f"{', '.join(map(str, counts[:12]))}{', ...' if len(counts) > 12 else ''}); the grader runs them "
            "top to bottom, as Kernel > Restart & Run All does: do that to see what the grader sees"]


def without_self_checks(source: str, names: set[str]) -> tuple[str, str]:
    """The cell without its top-level `import grader` and `grader.check(...)` statements (each
    replaced by `pass`); `names` collects what the notebook's imports bind, across cells.
    Also returns the first statement dropped, for the note."""
    try:
        tree = ast.parse(source)
    except UNPARSABLE:
        return source, ""
    edits: list[tuple[ast.AST, str]] = []
    for stmt in tree.body:
        if _imports_grader(stmt, names) or _calls_grader(stmt, names):
            edits.append((stmt, "pass"))
    if not edits:
        return source, ""
    first = edits[0][0]
    shown = source.split("\n")[getattr(first, "lineno", 1) - 1].strip()[:60]
    return replace_nodes(source, edits), shown


def _imports_grader(stmt: ast.stmt, names: set[str]) -> bool:
    if isinstance(stmt, ast.Import) and any(a.name.split(".")[0] == "grader" for a in stmt.names):
        names.update((a.asname or a.name).split(".")[0] for a in stmt.names)
        return True
    if isinstance(stmt, ast.ImportFrom) and (stmt.module or "").split(".")[0] == "grader" and not stmt.level:
        names.update(a.asname or a.name for a in stmt.names)
        return True
    return False


def _calls_grader(stmt: ast.stmt, names: set[str]) -> bool:
    value = stmt.value if isinstance(stmt, ast.Expr | ast.Assign | ast.AnnAssign) else None
    if not isinstance(value, ast.Call):
        return False
    func = value.func
    while isinstance(func, ast.Attribute):
        func = func.value
    return isinstance(func, ast.Name) and func.id in names
