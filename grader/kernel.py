"""What the running Jupyter kernel has executed, as a notebook file the grader can read.

`grader.check()` in a notebook grades the code as it stands in the kernel: every cell run so
far, in the order it was run (each with its execution count, so messages say `In [5]`), which
is what defines the kernel's functions now, saved or not. The raw input is kept, so magics go
through the same conversion as in a notebook file, and so do the self-check calls themselves.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import nbformat

from grader.notebooks import HISTORY_KEY, NotebookError

OUTSIDE = ("grader.check() needs Jupyter (or IPython) to know what code to check; from a terminal run "
           "`grader check ASSIGNMENT FILE`, or pass the notebook: grader.check(notebook=\"FILE.ipynb\")")


def shell() -> Any:
    """The running IPython shell, or a NotebookError."""
    try:
        from IPython import get_ipython
    except ImportError as exc:
        raise NotebookError(OUTSIDE) from exc
    found = get_ipython()
    if found is None:
        raise NotebookError(OUTSIDE)
    return found


def write_history(path: Path) -> Path:
    """Write the kernel's input history to `path` as a notebook marked as a history."""
    raw = list(shell().history_manager.input_hist_raw)
    cells = []
    for count, source in enumerate(raw):
        if count == 0 or not str(source).strip():
            continue
        cell = nbformat.v4.new_code_cell(str(source))
        cell["execution_count"] = count
        cell["id"] = f"in-{count}"
        cells.append(cell)
    nb = nbformat.v4.new_notebook(cells=cells, metadata={
        "kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"},
        "grader": {HISTORY_KEY: True},
    })
    nbformat.write(nb, str(path))
    return path


def notebook_name() -> str | None:
    """The notebook this kernel serves, when the front end says (Jupyter Server, VS Code)."""
    name = os.environ.get("JPY_SESSION_NAME")
    if not name:
        user = getattr(shell(), "user_ns", {})
        name = user.get("__vsc_ipynb_file__") or user.get("__session__")
    return str(name) if name else None
