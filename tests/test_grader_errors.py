"""A check that fails inside the grader is a grader error everywhere (issue 12).

The course gets a custom check with a real bug of the kind the issue found (`if value > 0` on a
tensor of more than one value), and a student whose `forward` returns such a tensor. The grader's
failure must not pass for the student's 0: the report says so, summary.json counts it, `grader
grade` exits 3, the dashboard shows it, and every export refuses the score unless told to.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from grader.reports import read_report
from tests.conftest import ROOT

GRADER = [sys.executable, "-m", "grader"]

CHECK = '''
[[checks]]
name = "forward is positive for positive inputs"
target = "forward"
kind = "python"
points = 1
function = "forward_is_positive"
call = "forward(x, tensor([w0]))"
'''

CHECKS_PY = '''
import torch


def forward_is_positive(student, reference, variables):
    value = student["forward"](2.0, torch.tensor([1.5]))
    if value > 0:  # the bug: a tensor of several values has no truth value
        return None
    return "forward(2.0, tensor([1.5])) should be positive"
'''

TWICE = '''

def forward(x, w):
    return torch.cat([x * w, x * w])
'''


@pytest.fixture(scope="module")
def graded(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, subprocess.CompletedProcess[str]]:
    """The class graded with the buggy check: `alice` correct, `bob` with a two-valued forward."""
    tmp = tmp_path_factory.mktemp("grader-errors")
    course = tmp / "course"
    for part in ("assignments", "solutions"):
        shutil.copytree(ROOT / part / "backprop", course / part / "backprop")
    toml = course / "assignments" / "backprop" / "assignment.toml"
    toml.write_text(toml.read_text() + CHECK)
    (course / "assignments" / "backprop" / "checks.py").write_text(CHECKS_PY)
    reference = (ROOT / "solutions" / "backprop" / "backprop.py").read_text()
    (tmp / "class").mkdir()
    (tmp / "class" / "alice.py").write_text(reference)
    (tmp / "class" / "bob.py").write_text(reference + TWICE)
    out = tmp / "out"
    run = subprocess.run([*GRADER, "grade", str(course / "assignments" / "backprop"), str(tmp / "class"),
                          "--out", str(out), "--jobs", "1"], capture_output=True, text=True, timeout=600, cwd=ROOT)
    return out, run


def test_the_report_says_the_grader_failed_and_grade_exits_3(
        graded: tuple[Path, subprocess.CompletedProcess[str]]) -> None:
    out, run = graded
    assert run.returncode == 3, run.stdout + run.stderr
    assert "1 grader error(s)" in run.stdout.replace("\n", " ") and "bob" in run.stdout
    bob = read_report(out / "bob.json")
    check = next(c for c in bob.checks if c.name == "forward is positive for positive inputs")
    assert check.grader_error and check.status == "error" and check.score == 0
    assert "not a problem with your code" in check.message or "not your fault" in check.message
    assert bob.has_grader_error
    alice = read_report(out / "alice.json")
    assert not alice.has_grader_error and alice.score == alice.max_score


def test_summary_counts_the_grader_errors_and_names_the_students(
        graded: tuple[Path, subprocess.CompletedProcess[str]]) -> None:
    out, _ = graded
    summary = json.loads((out / "summary.json").read_text())
    assert summary["grader_errors"] == 1 and summary["grader_error_students"] == ["bob"]
    assert "grader error" in (out / "summary.csv").read_text()


def test_the_dashboard_shows_the_grader_errors(graded: tuple[Path, subprocess.CompletedProcess[str]]) -> None:
    out, _ = graded
    run = subprocess.run([*GRADER, "feedback", str(out)], capture_output=True, text=True, timeout=300, cwd=ROOT)
    assert run.returncode == 0, run.stderr
    page = (out / "feedback" / "index.html").read_text()
    banner = page.split('id="grader-errors"', 1)[1].split("</div>", 1)[0]
    assert "1 submission(s) hit a grader error" in banner and ">bob<" in banner and "alice" not in banner


@pytest.mark.parametrize(("fmt", "extra"), [
    ("csv", []), ("canvas", []), ("moodle", []), ("blackboard", []), ("junit", []),
    ("gradescope", ["--output", "{tmp}/gs"]), ("classroom", []),
])
def test_every_export_refuses_a_grader_error_unless_allowed(
        graded: tuple[Path, subprocess.CompletedProcess[str]], tmp_path: Path, fmt: str, extra: list[str]) -> None:
    out, _ = graded
    source = out / "bob.json" if fmt == "classroom" else out  # classroom takes one report
    command = [*GRADER, "export", "--format", fmt, str(source), *(e.format(tmp=tmp_path) for e in extra)]
    refused = subprocess.run(command, capture_output=True, text=True, timeout=300, cwd=ROOT)
    assert refused.returncode == 2, refused.stderr
    assert "grader errors" in refused.stderr and "bob" in refused.stderr and "--allow-grader-errors" in refused.stderr
    assert "Traceback" not in refused.stderr and refused.stdout == ""
    assert not (tmp_path / "gs").exists()

    allowed = subprocess.run([*command, "--allow-grader-errors"], capture_output=True, text=True, timeout=300,
                             cwd=ROOT)
    assert allowed.returncode == 0, allowed.stderr
    assert "bob" in allowed.stderr  # still named, as a warning
    if fmt == "gradescope":
        assert (tmp_path / "gs" / "bob" / "results.json").is_file()
    elif fmt == "classroom":  # one student's result: no id in it
        assert json.loads(allowed.stdout)["status"] == "error"
    else:
        assert "bob" in allowed.stdout
