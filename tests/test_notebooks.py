"""Notebook submissions without a sandbox: reading, IPython syntax, the notes that say so.

Grading them (same scores as the .py) is in test_scenarios.py (tests/scenarios/backprop/nb_*)
and test_authoring.py; the in-notebook self-check is in test_notebook_kernel.py.
"""

from __future__ import annotations

import json
import time
from pathlib import Path

import nbformat
import pytest

from grader.magics import split_lines, to_python
from grader.notebooks import NotebookError, read_cells, without_self_checks
from tests.notebook_scenarios import build

LABEL = "hw.ipynb (code cell 1)"


def convert(source: str) -> str:
    return to_python(source, LABEL).source


@pytest.mark.parametrize("source", [
    "%matplotlib inline\nimport torch\n",
    "!pip install torch\nx = 1\n",
    "for i in range(3):\n    !echo hi\n    %time g(i)\ny = 2\n",
    "%time f(1, \\\n  2)\nafter = 1\n",
    "\n\n%%time\nx = 1\n!ls\ny = 2\n",
    "  x = 1\n  y = 2\n",
    ">>> x = 1\n>>> y = 2\n",
    "x = 'é'; get_ipython().system('a'); get_ipython().system('b')\nz = 3\n",
    "def f(:\n  !ls\n",
    "s = '''\n!text\n%%time\n'''\nt = 1\n",
])
def test_line_numbers_are_kept(source: str) -> None:
    """Line N of the converted cell is line N of the student's cell, so messages point right."""
    out = split_lines(convert(source))
    assert len(out) == len(split_lines(source)), out
    last = split_lines(source)[-1].strip()
    assert out[-1].strip() == last.lstrip(">").strip() or last.startswith("!"), out


def test_what_runs_and_what_does_not() -> None:
    assert convert("%time y = f(2)") == "y = f(2)"
    assert convert("r = %time 3 + 4") == "r = (3 + 4)"
    assert convert("files = !ls") == "files = []"
    assert convert("%timeit f()\n") == "None"  # Jupyter keeps nothing %timeit runs
    assert convert("!pip install torch") == "None"
    assert convert("f?") == "None"
    assert convert("%%timeit\ndef f():\n    pass") == ""
    assert convert("%%bash\nls") == ""
    assert convert("%%capture out\nx = 1") == "\nx = 1"
    assert "from pylab import *" in convert("%pylab inline")
    assert convert("if True:\n    %pylab inline") == "if True:\n    None"  # import * only at the top


def test_text_that_looks_like_ipython_is_left_alone() -> None:
    """IPython's tokenizer, not a regex: strings, comments and `%` formatting are Python."""
    for source in ("s = '''\n!not a command\n%%time\n'''", "print('%s' % 1)  # !ls", "x = 5 % 2"):
        converted = to_python(source, LABEL)
        assert converted.source == source and converted.notes == []


def test_notes_say_which_line_and_what_was_done() -> None:
    notes = to_python("import torch\n!pip install torch\nx = !ls\n%time y = 1\n%matplotlib inline", LABEL).notes
    assert notes == [
        "hw.ipynb (code cell 1), line 2: `!pip install torch` was not run (packages cannot be installed "
        "during grading; use the course's packages)",
        "hw.ipynb (code cell 1), line 3: `x = !ls` was not run (shell commands do not run during grading); "
        "its output is an empty list",
        "hw.ipynb (code cell 1), line 4: `%time y = 1` ran without timing",
        "hw.ipynb (code cell 1), line 5: `%matplotlib inline` was not run (not needed: plots are drawn off "
        "screen during grading)",
    ]
    body = to_python("%%time\nx = 1\n!ls", LABEL).notes
    assert body[0] == "hw.ipynb (code cell 1): %%time: ran the cell's code without timing it"
    assert body[1].startswith("hw.ipynb (code cell 1), line 3: `!ls`")


def test_a_cell_that_would_take_minutes_to_read_runs_as_python() -> None:
    """IPython re-reads a cell once per change: thousands of escapes in a big cell are refused
    (with a note) rather than keep the grader busy; plain Python skips IPython altogether."""
    started = time.monotonic()
    hostile = to_python("!ls\nx = 1\n" * 50_000, LABEL)
    assert hostile.notes == [f"{LABEL}: too large to read as IPython (500,000 characters, 50000 lines of IPython "
                             "syntax); it runs as plain Python"]
    plain = "def f(x):\n    return x % 2 != 0\n" * 50_000
    assert to_python(plain, LABEL).source == plain
    assert time.monotonic() - started < 2
    assert convert("x = 1\nget_ipython().system('ls')") == "x = 1\nNone"  # as exported by nbconvert


def test_self_checks_are_left_out_across_cells() -> None:
    names: set[str] = set()
    first, dropped = without_self_checks("from grader import check as c\nx = 1", names)
    assert (first, dropped) == ("pass\nx = 1", "from grader import check as c")
    assert without_self_checks("c('train')\nresult = c(\n    'loss')\ny = 2", names)[0] == "pass\npass\n\ny = 2"
    assert without_self_checks("import grader; grader.check()", set())[0] == "pass; pass"
    assert without_self_checks("def check():\n    import grader", set())[1] == ""  # only the top level


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def notebook(*sources: str, **metadata: object) -> str:
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(s) for s in sources], metadata=metadata)
    return str(nbformat.writes(nb))


@pytest.mark.parametrize(("text", "message"), [
    ("", "hw.ipynb is empty"),
    ('{"cells": [{"cell_type": "code", "source": "def f(', "hw.ipynb is not a notebook: it is not valid JSON"),
    ("def forward(x, w):\n    return x * w\n", "it is Python source, not JSON: rename it to .py"),
    ("[1, 2]", "hw.ipynb is JSON but not a Jupyter notebook"),
    ('{"nbformat": 9, "nbformat_minor": 0, "cells": []}', "hw.ipynb is not a Jupyter notebook (Unsupported nbformat"),
    ('{"nbformat": 4, "nbformat_minor": 4, "metadata": {}, "cells": [{"cell_type": "code", "source": 5, '
     '"metadata": {}, "outputs": [], "execution_count": null}]}', "hw.ipynb is not a Jupyter notebook: its cells"),
    ('{"nbformat": 4, "nbformat_minor": 4, "cells": [{"cell_type": "code", "source": "x"}]}',
     "hw.ipynb is not a Jupyter notebook (The notebook is invalid"),
    (notebook("x <- 1", kernelspec={"name": "ir", "language": "R", "display_name": "R"}),
     "a notebook for the R kernel"),
    (notebook("", "  "), "hw.ipynb has no code"),
])
def test_unusable_notebooks_say_why(tmp_path: Path, text: str, message: str) -> None:
    with pytest.raises(NotebookError) as raised:
        read_cells(write(tmp_path, "hw.ipynb", text), "hw.ipynb")
    assert message in str(raised.value)
    assert "hw.ipynb" in str(raised.value)


def test_not_utf8(tmp_path: Path) -> None:
    path = tmp_path / "hw.ipynb"
    path.write_bytes(b"\xff\xfe{}")
    with pytest.raises(NotebookError, match="not UTF-8"):
        read_cells(path, "hw.ipynb")


def test_a_nearly_valid_notebook_is_graded_with_a_note(tmp_path: Path) -> None:
    """What Jupyter opens (a cell with an unknown key, no execution_count) is graded, not refused."""
    cell = {"cell_type": "code", "source": ["def f(x):\n", "    return x"], "metadata": {}, "outputs": [],
            "extra": True}
    text = json.dumps({"nbformat": 4, "nbformat_minor": 4, "metadata": {}, "cells": [cell]})
    cells, notes = read_cells(write(tmp_path, "hw.ipynb", text), "hw.ipynb")
    assert [c.source for c in cells] == ["def f(x):\n    return x"]
    assert len(notes) == 1 and "does not quite follow the notebook format" in notes[0] and "graded" in notes[0]


def test_old_format_notebooks_are_read(tmp_path: Path) -> None:
    v3 = {"nbformat": 3, "nbformat_minor": 0, "metadata": {}, "worksheets": [{"cells": [
        {"cell_type": "code", "input": "x = 1", "language": "python", "outputs": []}]}]}
    cells, _ = read_cells(write(tmp_path, "hw.ipynb", json.dumps(v3)), "hw.ipynb")
    assert [c.source for c in cells] == ["x = 1"]


def test_cells_are_labelled_for_messages(tmp_path: Path) -> None:
    text = notebook("x = 1", "y = display(x)")
    cells, _ = read_cells(write(tmp_path, "hw.ipynb", text), "hw.ipynb")
    assert [c.label for c in cells] == ["<jupyter>", "hw.ipynb (code cell 1)", "hw.ipynb (code cell 2)"]
    assert "def display" in cells[0].source  # Jupyter's builtin, for code that calls it
    nb = nbformat.reads(text, as_version=4)
    nb.metadata["grader"] = {"kernel_history": True}
    for count, cell in zip((4, 7), nb.cells, strict=True):
        cell.execution_count = count
    cells, _ = read_cells(write(tmp_path, "history.ipynb", nbformat.writes(nb)), "hw.ipynb")
    assert [c.label for c in cells][1:] == ["hw.ipynb (In [4])", "hw.ipynb (In [7])"]


def test_notebook_scenarios_are_built_by_their_script() -> None:
    """tests/scenarios/backprop/nb_*.ipynb are exactly what tests/notebook_scenarios.py builds."""
    stale = [path.name for path, text in build().items()
             if not path.is_file() or path.read_text(encoding="utf-8") != text]
    assert not stale, f"run `python -m tests.notebook_scenarios`: {stale}"
