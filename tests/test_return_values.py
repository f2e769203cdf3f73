"""Return values compared by meaning, and the grader's own failures reported as such (issue 12).

A small course is written to a temporary folder, with a stub that has no return annotations (an
instructor's own assignment need not have them): nothing is coerced before comparison, so
NumPy arrays, tensors, tuples and lists meet the reference's values as they are.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from grader.assignment.loader import load
from grader.grading import Plan, grade
from grader.report import Report
from grader.sandbox.zygote import Zygote
from grader.submission import Submission

TOML = """
[assignment]
name = "tiny"
title = "Return values"
version = "1"

[data]
xs = [1.0, 2.0, 3.0]
k = 2.0

[[checks]]
name = "scale multiplies every value"
target = "scale"
kind = "values"
points = 1
call = "scale(xs, k)"

[[checks]]
name = "stats returns the mean and the values"
target = "stats"
kind = "values"
points = 1
call = "stats(xs)"

[[checks]]
name = "total is the sum"
target = "total"
kind = "values"
points = 1
call = "total(xs)"

[[checks]]
name = "the instructor's own check"
target = "total"
kind = "python"
points = 1
call = "total(xs)"
function = "broken"
"""

STUB = '''
def scale(xs, k):
    raise NotImplementedError("scale")


def stats(xs):
    raise NotImplementedError("stats")


def total(xs):
    raise NotImplementedError("total")
'''

REFERENCE = '''
def scale(xs, k):
    return [x * k for x in xs]


def stats(xs):
    return sum(xs) / len(xs), list(xs)


def total(xs):
    return sum(xs)
'''

CHECKS = '''
def broken(student, reference, variables):
    """An instructor's check with a bug: the grader fails, not the student."""
    return 1 / 0
'''

NUMPY = '''
import numpy as np


def scale(xs, k):
    return np.asarray(xs) * k


def stats(xs):
    a = np.array(xs)
    return [a.mean(), a]


def total(xs):
    return np.array([sum(xs)])
'''

TORCH = '''
import torch


def scale(xs, k):
    return torch.tensor(xs, dtype=torch.float64) * k


def stats(xs):
    t = torch.tensor(xs)
    return (t.mean(), tuple(t))


def total(xs):
    return torch.tensor(sum(xs))
'''


@pytest.fixture(scope="module")
def zygote() -> Iterator[Zygote]:
    z = Zygote()
    z.launch()
    yield z
    z.close()


def graded(tmp_path: Path, source: str, zygote: Zygote) -> Report:
    folder = tmp_path / "assignments" / "tiny"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "assignment.toml").write_text(TOML)
    (folder / "tiny.py").write_text(STUB)
    (folder / "checks.py").write_text(CHECKS)
    solution = tmp_path / "solutions" / "tiny"
    solution.mkdir(parents=True, exist_ok=True)
    (solution / "tiny.py").write_text(REFERENCE)
    (solution / "grading.toml").write_text('seed = "a grading seed of some length"\n')
    assignment = load(folder)
    plan = Plan(assignment, include_hidden=True, reference=assignment.load_reference())
    path = tmp_path / "student.py"
    path.write_text(source)
    return grade(plan, Submission("student", path, source=path), zygote)


@pytest.mark.parametrize("source", [REFERENCE, NUMPY, TORCH], ids=["python", "numpy", "torch"])
def test_the_same_numbers_earn_the_same_points_whatever_holds_them(source: str, tmp_path: Path,
                                                                   zygote: Zygote) -> None:
    report = graded(tmp_path, source, zygote)
    values = {c.name: c for c in report.checks if c.name != "the instructor's own check"}
    assert all(c.status == "passed" for c in values.values()), [(c.name, c.message) for c in values.values()]


def test_a_wrong_numpy_result_is_the_students_failure_not_a_crash(tmp_path: Path, zygote: Zygote) -> None:
    report = graded(tmp_path, NUMPY.replace("np.asarray(xs) * k", "np.asarray(xs) + k"), zygote)
    check = next(c for c in report.checks if c.name == "scale multiplies every value")
    assert check.status == "failed" and not check.grader_error
    assert check.message.startswith("scale(xs, k)[0] is 3.0; expected 2.0")


def test_a_failure_inside_the_grader_is_flagged_and_never_the_students(tmp_path: Path, zygote: Zygote) -> None:
    report = graded(tmp_path, REFERENCE, zygote)
    check = next(c for c in report.checks if c.name == "the instructor's own check")
    assert check.status == "error" and check.grader_error and check.score == 0
    assert "not your fault" in check.message and "tell your instructor" in check.message
    assert "ZeroDivisionError" in check.message and check.detail is not None and "division by zero" in check.detail
    assert not any(c.grader_error for c in report.checks if c is not check)
