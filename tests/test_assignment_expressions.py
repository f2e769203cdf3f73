"""A mistake in any expression of assignment.toml is one line naming the file and the field, exit 2.

Expressions run late (a hidden case's variables only when grading), so each is checked when the
assignment loads, in the scope it will run in; then the course data, the explicit cases and one
draw of every group are evaluated for real.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from grader.assignment.loader import AssignmentError, load
from tests.conftest import ROOT

BASE = (ROOT / "assignments" / "backprop" / "assignment.toml").read_text()

# (change to backprop's assignment.toml, the field, words of the message)
MISTAKES = [
    (('xs = "uniform(0.5, 2.5, n=n)"', 'xs = "unifrom(0.5, 2.5, n=n)"'), "groups.hidden_training.xs",
     "unknown helper 'unifrom' (did you mean 'uniform'?)"),
    (('ys = "slope * xs + normal(0.0, 0.1, n=n)"', 'ys = "labels"'), "groups.hidden_training.ys",
     "unknown name 'labels'"),
    (('slope = "choice([-1.0, 1.0]) * uniform(2.5, 4.0)"', 'slope = "choice([-1.0, 1.0]) * uniform(2.5)"'),
     "groups.hidden_training.slope", "missing 1 required positional argument: 'high'"),
    (('x = "uniform(-4.0, 4.0)"', 'x = "forward(1.0, 2.0)"'), "groups.points.x", "forward() is a function of the stub"),
    (('call = "predict(x, w)"', 'call = "predict(uniform(0.0, 1.0), w)"'), "checks[7].call",
     "uniform() draws at random"),
    (('call = "predict(x, w)"', 'call = "predcit(x, w)"'), "checks[7].call",
     "unknown function 'predcit': neither a function of the stub nor a helper (did you mean 'predict'?)"),
    (('wrt = ["w"]', 'wrt = ["ww"]'), "checks[2].wrt", "'ww' is not a variable for cases[0] (did you mean 'w'?)"),
    (('loss = "loss(x, y, tensor([w]))"', 'loss = "loss(x, y, tensor([v]))"'), "checks[2].loss",
     "unknown name 'v' for cases[0]"),
    (('history = "result[1]"', 'history = "results[1]"'), "checks[4].history", "takes the history out of `result`"),
    (('length = "epochs"', 'length = "epoch"'), "checks[5].length",
     "unknown name 'epoch' on the course data (did you mean 'epochs'?)"),
    (('steps = ["w = train(xs, ys, w0=w0, lr=lr, epochs=epochs)[0]"]',
      'steps = ["w = train(xs, ys, w0=w0, lr=rate, epochs=epochs)[0]"]'), "checks[8].steps[0]", "unknown name 'rate'"),
    (('cases = [{x = 1.0, w = 1.0}, {x = 3.0, w = 0.5}]', 'cases = [{x = 1.0, w = 1.0}, {x = 3.0}]'),
     "checks[0].call", "unknown name 'w' for cases[1]"),
    (('cases = [{x = 2.0, y = 4.0, w = 1.0}, {x = 3.0', 'cases = [{x = "2.0 +", y = 4.0, w = 1.0}, {x = 3.0'),
     "checks[1].cases[0].x", "is not a valid expression"),
    (("epochs = 100", 'epochs = "randint(5, 20, n=1.5)"'), "data.epochs", "n must be a count or a shape"),
    (('call = "predict(x, w)"', 'call = "predict(x, tensor)"'), "checks[7].call", "'tensor' is a function"),
]


def course(tmp_path: Path, toml: str) -> Path:
    """A course with backprop's stub and solution, and the given assignment.toml."""
    folder = tmp_path / "assignments" / "backprop"
    folder.mkdir(parents=True)
    for name in ("backprop.py", "expected.json"):
        shutil.copy(ROOT / "assignments" / "backprop" / name, folder)
    shutil.copytree(ROOT / "solutions" / "backprop", tmp_path / "solutions" / "backprop")
    (folder / "assignment.toml").write_text(toml)
    return tmp_path


@pytest.mark.parametrize(("change", "field", "words"), MISTAKES, ids=[m[1] for m in MISTAKES])
def test_an_expression_mistake_names_the_file_and_the_field(tmp_path: Path, change: tuple[str, str], field: str,
                                                            words: str) -> None:
    old, new = change
    assert old in BASE, old
    root = course(tmp_path, BASE.replace(old, new, 1))
    with pytest.raises(AssignmentError) as raised:
        load(root / "assignments" / "backprop")
    message = str(raised.value)
    assert message.startswith(f"{root / 'assignments' / 'backprop' / 'assignment.toml'}: {field}: "), message
    assert words in message
    assert "\n" not in message


def test_the_course_assignments_have_no_expression_mistakes() -> None:
    for name in ("linear_model", "gradient_descent", "backprop", "quadratic", "two_layer"):
        load(name)


def test_a_name_used_before_it_is_drawn_is_caught() -> None:
    from grader.assignment.expressions import problems
    from grader.assignment.spec import AssignmentSpec

    spec = AssignmentSpec.model_validate({
        "assignment": {"name": "a", "title": "A"},
        "data": {"ys": "xs", "xs": [1.0]},
        "groups": {"g": {"y": "2 * x", "x": "uniform(0.0, 1.0)"}},
        "checks": [{"name": "c", "target": "f", "kind": "values", "points": 1, "call": "f(xs)", "random": "g"}],
    })
    found = problems(spec, {"f"})
    assert [p.split(":")[0] for p in found] == ["data.ys", "groups.g.y"]


SUBPROCESS_MISTAKES = [MISTAKES[0], MISTAKES[1], MISTAKES[2]]  # a typo, an undefined name, a failing draw


@pytest.mark.parametrize("verb", ["validate", "generate"])
@pytest.mark.parametrize(("change", "field", "words"), SUBPROCESS_MISTAKES, ids=[m[1] for m in SUBPROCESS_MISTAKES])
def test_the_commands_print_one_line_and_exit_2(tmp_path: Path, verb: str, change: tuple[str, str], field: str,
                                                words: str) -> None:
    old, new = change
    root = course(tmp_path, BASE.replace(old, new, 1))
    done = subprocess.run([sys.executable, "-m", "grader", verb, "backprop"], cwd=root, capture_output=True,
                          text=True, timeout=120)
    assert done.returncode == 2, done.stdout + done.stderr
    assert done.stderr.count("\n") == 1 and "Traceback" not in done.stderr, done.stderr
    assert re.match(rf"error: assignments/backprop/assignment\.toml: {re.escape(field)}: ", done.stderr), done.stderr
    assert words in done.stderr
