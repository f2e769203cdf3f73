"""`grader generate`: the markers, and each assignment's round trip through its notebook.

The round trip is the authoring contract: the generated notebook's stubs earn 0; the reference's
code pasted into it (each stub code cell replaced by the solution's cell) earns full marks with
hidden cases, with the same per-check results as the reference's .py; the committed files are
what generate writes.
"""

from __future__ import annotations

import copy
from collections.abc import Iterator
from pathlib import Path

import nbformat
import pytest

from grader import generate
from grader.generate import GenerateError, make_notebook, make_stub, percent_cells
from grader.grading import grade
from grader.report import Report
from grader.sandbox.zygote import Zygote
from grader.submission import Submission
from tests.conftest import ASSIGNMENTS, plan_for

SOLUTION = '''\
# %% [markdown]
# # Title
#
# Some teaching.

# %%
import torch
import numpy  # SOLUTION ONLY


# %%
def f(x):
    """Doc."""

    def helper(y):
        return y

    # BEGIN SOLUTION
    return helper(x) * 2
    # END SOLUTION


# %%
# BEGIN SOLUTION
answer = f(2)
# END SOLUTION
'''


def test_markers_make_the_stub() -> None:
    stub = make_stub(SOLUTION, "sol.py")
    assert "numpy" not in stub and "helper(x) * 2" not in stub and "answer" not in stub
    assert '    raise NotImplementedError("f: write your code here (see the docstring)")' in stub  # not "helper"
    assert stub.endswith("# %%\n# Write your code here.\n")  # a raise at the top level would stop the file
    assert "SOLUTION" not in stub
    compile(stub, "stub.py", "exec")


@pytest.mark.parametrize(("source", "message"), [
    ("def f():\n    #BEGIN SOLUTION\n    return 1\n    # END SOLUTION\n", "sol.py:2: `#BEGIN SOLUTION` looks like"),
    ("def f():\n    # BEGIN SOLUTIONS\n", "sol.py:2"),
    ("x = 1  # solution only\n", "sol.py:1"),
    ("def f():\n    # BEGIN SOLUTION\n    return 1\n", "sol.py:2: BEGIN SOLUTION is never closed"),
    ("# END SOLUTION\n", "sol.py:1: END SOLUTION without BEGIN SOLUTION"),
    ("# BEGIN SOLUTION\n# BEGIN SOLUTION\n", "sol.py:2: BEGIN SOLUTION inside another block"),
    ("def f(:\n    pass\n", "sol.py:1: the solution is not valid Python"),
])
def test_bad_markers_are_errors_that_name_the_line(source: str, message: str) -> None:
    """A mistyped marker must stop generate: copied as text, it would hand out the solution."""
    with pytest.raises(GenerateError) as raised:
        make_stub(source, "sol.py")
    assert message in str(raised.value)


def test_the_notebook_teaches_and_is_deterministic() -> None:
    stub = make_stub(SOLUTION, "sol.py")
    text = make_notebook(stub, "Title", "sol.ipynb")
    assert text == make_notebook(stub, "Title", "sol.ipynb")
    nb = nbformat.reads(text, as_version=4)
    nbformat.validate(nb)
    kinds = [c.cell_type for c in nb.cells]
    assert kinds == ["markdown", "code", "code", "code", "markdown", "code"]
    assert nb.cells[0].source == "# Title\n\nSome teaching."
    assert 'grader.check("f")' in nb.cells[-2].source and "grader check sol.ipynb" in nb.cells[-2].source
    assert nb.cells[-1].source == "import grader\n\ngrader.check()"


@pytest.fixture(scope="module")
def zygote() -> Iterator[Zygote]:
    with Zygote() as z:
        yield z


def pasted(name: str) -> nbformat.NotebookNode:
    """The generated notebook with each code cell replaced by the solution's cell."""
    assignment = plan_for(name).assignment
    stem = Path(assignment.student_file).stem
    assert assignment.reference_path is not None
    solution = percent_cells(assignment.reference_path.read_text(encoding="utf-8"))
    stub = percent_cells(assignment.stub_path.read_text(encoding="utf-8"))
    assert [kind for kind, _ in solution] == [kind for kind, _ in stub], "cells must line up"
    nb = nbformat.read(assignment.folder / f"{stem}.ipynb", as_version=4)
    filled = copy.deepcopy(nb)
    for cell, (kind, body) in zip(filled.cells, solution, strict=False):
        assert cell.cell_type == kind
        if kind == "code":
            cell.source = body
    assert [c.source for c in filled.cells[len(solution):]] == [c.source for c in nb.cells[len(solution):]]
    assert any("NotImplementedError" in c.source for c in nb.cells)
    return filled


def graded(name: str, path: Path, zygote: Zygote) -> Report:
    plan = plan_for(name)
    return grade(plan, Submission(path.stem, path, source=path), zygote)


def results(report: Report) -> list[tuple[str, str, float]]:
    return [(c.name, c.status, c.score) for c in report.checks]


@pytest.mark.parametrize("name", ASSIGNMENTS)
def test_round_trip(name: str, tmp_path: Path, zygote: Zygote) -> None:
    assignment = plan_for(name).assignment
    stale = generate.stale(generate.outputs(assignment))
    assert not stale, f"run `grader generate`: {stale}"
    stem = Path(assignment.student_file).stem
    stub = graded(name, assignment.folder / f"{stem}.ipynb", zygote)
    assert stub.score == 0.0 and stub.errors == [], results(stub)
    assert {c.status for c in stub.checks} == {"error"}
    (tmp_path / "solution.ipynb").write_text(nbformat.writes(pasted(name)), encoding="utf-8")
    notebook = graded(name, tmp_path / "solution.ipynb", zygote)
    assert notebook.score == notebook.max_score, results(notebook)
    assert notebook.submission.kind == "ipynb" and notebook.errors == []
    assert assignment.reference_path is not None
    script = graded(name, assignment.reference_path, zygote)
    assert results(notebook) == results(script)
    assert [c.cases_total for c in notebook.checks] == [c.cases_total for c in script.checks]
