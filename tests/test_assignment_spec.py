"""A malformed assignment is rejected with the file and the field path, never a traceback."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from grader.assignment.loader import AssignmentError, load
from tests.conftest import ROOT

BASE = (ROOT / "assignments" / "backprop" / "assignment.toml").read_text()


def course_with(tmp_path: Path, toml: str) -> Path:
    folder = tmp_path / "assignments" / "backprop"
    folder.mkdir(parents=True)
    shutil.copy(ROOT / "assignments" / "backprop" / "backprop.py", folder)
    (folder / "assignment.toml").write_text(toml)
    return folder


@pytest.mark.parametrize(
    ("change", "fragments"),
    [
        (("points = 1.5", 'points = "lots"'), ["checks[2]", "points", "valid number"]),
        (("points = 1.5", "points = -1"), ["checks[2]", "points", "greater than or equal to 0"]),
        (('kind = "gradient"', 'kind = "magic"'), ["checks[2]", "kind", "values"]),
        (('target = "predict"', 'target = "predcit"'), ["checks[7]", ".target", "no function 'predcit'"]),
        (('call = "predict(x, w)"', 'call = "predict(x, w"'), ["checks[7]", "not a valid expression"]),
        (('call = "predict(x, w)"', 'call = "__import__(\'os\')"'), ["checks[7]", "__import__"]),
        (('call = "predict(x, w)"', 'call = "x.__class__"'), ["checks[7]", "Attribute is not allowed"]),
        (('hidden = "hidden_points"', 'hidden = "hiden_points"'), ["hidden", "no group 'hiden_points'"]),
        (("call_timeout_s = 10", "call_timeout_s = 0"), ["limits.call_timeout_s", "greater than 0"]),
        (("[limits]", "[limits]\nbogus = 1"), ["limits.bogus", "Extra inputs are not permitted"]),
        (('name = "backprop"', 'name = "back prop"'), ["assignment.name", "pattern"]),
        (("[[checks]]", "[[checks]\n", ), ["not valid TOML"]),
    ],
)
def test_malformed_assignment_toml(tmp_path: Path, change: tuple[str, str], fragments: list[str]) -> None:
    old, new = change
    assert old in BASE
    folder = course_with(tmp_path, BASE.replace(old, new, 1))
    with pytest.raises(AssignmentError) as info:
        load(folder)
    message = str(info.value)
    assert str(folder / "assignment.toml") in message
    for fragment in fragments:
        assert fragment in message, message


def test_the_command_prints_one_line_and_exits_2(tmp_path: Path) -> None:
    folder = course_with(tmp_path, BASE.replace("points = 1.5", "points = -1", 1))
    result = subprocess.run([sys.executable, "-m", "grader", "validate", str(folder)],
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    assert "assignment.toml" in result.stderr and "checks[2].points" in result.stderr


def test_unknown_assignment_lists_the_known_ones() -> None:
    with pytest.raises(AssignmentError, match="backprop"):
        load("no_such_assignment")
