"""Hidden means hidden: a hidden case's message carries no number from its inputs or the reference.

Reports reach students; a number there, replayed, rebuilds a hidden answer (issue 10). The
student sees which check failed, "hidden case 2 of 3" and the kind of failure; the full text is
the instructor's (`detail`). Public cases keep their numbers.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from grader.checks.cases import Case
from grader.checks.compare import leaves
from grader.checks.messages import error_gist, said, subject
from grader.checks.student import StudentFailure
from grader.sandbox.protocol.calls import ErrorInfo
from tests.conftest import ROOT, SCENARIOS, plan_for
from tests.fake_student import FakeStudent, hidden_case, judge

ALLOWED = re.compile(r"hidden case \d+ of \d+")


def numbers_of(*values: Any) -> set[str]:
    """Every number the values hold, written as messages write numbers (and a few other ways)."""
    found: set[str] = set()
    for value in values:
        for number in (leaves(value) or {}).values():
            found |= {f"{number:.6g}", f"{number:.4g}", f"{number:.3g}", repr(number)}
    return {text for text in found if any(ch.isdigit() for ch in text.lstrip("-0."))}


def assert_hidden_message_is_clean(case: Case, message: str, *values: Any) -> None:
    """Nothing of the case's inputs, the expected or the actual value, and no digit at all outside
    the case's number, the student's own line numbers and the declared call."""
    assert case.hidden and message.endswith(f"— for hidden case {case.index + 1} of {case.count}"), message
    rest = ALLOWED.sub("", message).replace(subject(case), "")
    leaked = [n for n in numbers_of(case.variables, *values) if n in rest]
    assert not leaked, (leaked, message)
    assert not re.search(r"\d", rest), message


@pytest.mark.parametrize(("name", "kind", "target", "wrong"), [
    ("backprop", "values", "forward", lambda e: e * 1.37 + 0.11),  # off by no recognisable factor
    ("backprop", "values", "predict", lambda e: -e),  # a sign flip: the public message would name it
    ("backprop", "values", "loss", lambda e: float("nan")),
    ("gradient_descent", "gradient", None, lambda e: e / 2),  # public cases name the factor, hidden ones must not
    ("backprop", "history", None, lambda e: [v * 1.01 for v in e]),
    ("backprop", "history", None, lambda e: [*e, 1.234567]),  # one value too many
    ("gradient_descent", "history", "train_gd", lambda e: [*e[1:], e[-1] * 0.99]),  # shifted by one epoch
    ("two_layer", "values", "forward", lambda e: e.reshape(-1)),  # the wrong shape
])
def test_a_hidden_case_message_names_the_failure_without_its_numbers(name: str, kind: str, target: str | None,
                                                                     wrong: Any) -> None:
    planned, case, expected = hidden_case(name, kind, target)
    actual = wrong(expected)
    returned = (0.5, actual) if kind == "history" else actual  # train returns (w, history)
    verdict = judge(name, planned, case, expected, FakeStudent(returned))
    assert not verdict.passed
    message, detail = said(case, verdict.point, verdict.gist)
    assert_hidden_message_is_clean(case, message, expected, actual)
    assert detail is not None and any(n in detail for n in numbers_of(case.variables))  # the instructor's


def test_converges_on_a_hidden_case_says_what_without_a_number() -> None:
    planned, case, _ = hidden_case("backprop", "converges")
    for history in ([3.0, 2.0, float("inf")], [1.0, 2.5, 3.75], [5.0] * 3, list(range(40, 0, -1))):
        verdict = judge("backprop", planned, case, None, FakeStudent((1.0, [float(v) for v in history])))
        assert not verdict.passed
        assert_hidden_message_is_clean(case, said(case, verdict.point, verdict.gist)[0], history)


def test_an_in_place_change_on_a_hidden_case_names_the_argument_only() -> None:
    planned, case, _ = hidden_case("two_layer", "unchanged_args")
    params = case.variables["params"]
    changed = {k: v + 0.123 for k, v in params.items()}
    before = (case.variables["X"], case.variables["y"], params)
    after = [case.variables["X"], case.variables["y"], changed]
    verdict = judge("two_layer", planned, case, None, FakeStudent(None, args=before, args_after=(after, {})))
    assert not verdict.passed and "changed its argument params in place" in verdict.gist
    assert_hidden_message_is_clean(case, said(case, verdict.point, verdict.gist)[0], changed, params)


def test_what_the_childs_error_says_is_not_shown_for_a_hidden_case() -> None:
    """A submission can raise an exception whose message, or even whose class name, is made of
    its inputs, or raise it at a line number that encodes them (a file padded with blank lines);
    the gist keeps a builtin error's name, nothing else."""
    _, case, _ = hidden_case("backprop", "history")
    leaky = ErrorInfo("ValueError", "xs=[0.952367, 1.27199]", "hw.py", 12, "raise ValueError(repr(xs))",
                      "raise ValueError(repr(xs))")
    gist = error_gist(leaky)
    assert gist.startswith("raised ValueError") and not re.search(r"\d", gist)
    padded = ErrorInfo("ValueError", "", "hw.py", 99918)
    assert "99918" not in error_gist(padded)
    named = ErrorInfo("Leak_0_952367", "", "hw.py", 31415926)
    assert error_gist(named).startswith("raised an exception")
    failure = StudentFailure("error", "train([0.952367], ...) raised ValueError: xs=[0.952367]",
                             "train(...) " + error_gist(leaky))
    message, detail = said(case, failure.message, failure.gist, call_shown=True)
    assert_hidden_message_is_clean(case, message, [0.952367])
    assert detail is not None and "0.952367" in detail


def test_public_cases_keep_their_numbers() -> None:
    plan = plan_for("backprop")
    planned = next(p for p in plan.checks if p.spec.kind == "gradient")
    case = next(c for c in planned.cases if c.group == "case")
    expected = plan.answers.get(planned.spec, case, planned.kind)
    verdict = judge("backprop", planned, case, expected, FakeStudent(-expected))
    message, detail = said(case, verdict.point, verdict.gist)
    assert detail is None and "the sign is flipped" in message
    assert f"{-expected:g}" in message and "x=2.0, y=4.0, w=1.0" in message


# -- the attack: rebuild hidden answers from a class's reports, hand them in ----------------------

CLASS = ("lr_ignored", "epochs_ignored", "literal_history", "grad_not_zeroed", "hardcoded_predict", "never_updated")
# Probes an attacker hands in first: the right training, but a weight off by 10% on some inputs,
# so that between them every hidden case is the first failing one of some report.
PROBE = """
import torch

def forward(x, w):
    return x * w

def loss(x, y, w):
    return (forward(x, w) - y) ** 2

def manual_gradient(x, y, w):
    return 2 * x * (x * w - y)

def train(xs, ys, w0=1.0, lr=0.01, epochs=100):
    w = torch.tensor([w0], requires_grad=True)
    history = []
    for epoch in range(epochs):
        for x, y in zip(xs, ys):
            l = loss(x, y, w)
            l.backward()
            w.data = w.data - lr * w.grad.data
            w.grad.data.zero_()
        history.append(l.item())
    return w.item() * (1.1 if {condition} else 1.0), history

def predict(x, w):
    return x * w
"""
PRINTER = PROBE.replace("{condition}", "False").replace(
    "    w = torch.tensor([w0], requires_grad=True)\n",
    "    print('called with', xs, ys, w0, lr, epochs)\n    w = torch.tensor([w0], requires_grad=True)\n")
CONDITIONS = {"probe_negative": "w0 < 0", "probe_positive": "0 <= w0 != 1.0", "probe_odd": "epochs % 2 == 1",
              "probe_even": "epochs % 2 == 0 and epochs != 100", "probe_slow": "lr < 0.0175",
              "probe_fast": "lr >= 0.0175"}
NUMBER = r"-?\d+(?:\.\d+)?(?:e-?\d+)?"


def grade(folder: Path, out: Path) -> list[dict[str, Any]]:
    result = subprocess.run([sys.executable, "-m", "grader", "grade", "backprop", str(folder), "--out", str(out),
                             "--jobs", "2"], cwd=ROOT, capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stdout + result.stderr
    return [json.loads(p.read_text()) for p in sorted(out.glob("*.json")) if p.stem not in ("summary",)]


def replay_table(reports: list[dict[str, Any]]) -> dict[tuple[float, ...], float]:
    """What a student can rebuild from what students see (message and hint): hidden inputs
    (w0, lr, epochs) mapped to the weight the reference expects."""
    table: dict[tuple[float, ...], float] = {}
    for report in reports:
        for check in report.get("checks", []):
            seen = f"{check['message']} {check.get('hint') or ''}"
            inputs = dict(re.findall(rf"\b(w0|lr|epochs)=({NUMBER})", seen))
            weight = re.search(rf"\[0\] is {NUMBER}; expected ({NUMBER})", seen)
            if "trained weight" in check["name"] and {"w0", "lr", "epochs"} <= set(inputs) and weight:
                table[(float(inputs["w0"]), float(inputs["lr"]), float(inputs["epochs"]))] = float(weight.group(1))
    return table


REPLAYER = '''
# No training code: the course's answer, and the weights other students' reports gave away.
TABLE = {table!r}


def forward(x, w):
    return x * w


def loss(x, y, w):
    return (forward(x, w) - y) ** 2


def manual_gradient(x, y, w):
    return 2 * x * (x * w - y)


def train(xs, ys, w0=1.0, lr=0.01, epochs=100):
    for (a, b, n), weight in TABLE.items():
        if abs(a - w0) <= 1e-5 * max(1.0, abs(a)) and abs(b - lr) <= 1e-5 * b and n == epochs:
            return weight, [0.0] * epochs
    return 2.0, [7.315943, 3.9987974] + [0.0] * (epochs - 2)


def predict(x, w):
    return x * w
'''


def test_a_submission_built_from_the_previous_runs_reports_gains_nothing(tmp_path: Path) -> None:
    folder = tmp_path / "class"
    folder.mkdir()
    for name in CLASS:
        (folder / f"{name}.py").write_text((SCENARIOS / "backprop" / f"{name}.py").read_text())
    for name, condition in CONDITIONS.items():
        (folder / f"{name}.py").write_text(PROBE.replace("{condition}", condition))
    (folder / "printer.py").write_text(PRINTER)
    first = grade(folder, tmp_path / "first")
    hidden_inputs = {number for r in first for c in r["checks"]
                     for inputs in re.findall(r"hidden case \d+ of \d+ \((.*?)\)", c.get("detail") or "")
                     for number in re.findall(NUMBER, inputs) if len(number) > 4}
    assert hidden_inputs, "the instructor's details name the hidden inputs"
    assert any("hidden case" in c["message"] for r in first for c in r["checks"])
    for report in first:
        for check in report["checks"]:
            if "hidden case" in check["message"]:
                assert not re.search(rf"\b(w0|lr|epochs|x)={NUMBER}", check["message"]), check["message"]
    printed = next(r for r in first if r["student"] == "printer")["output"]
    assert "called with [1.0, 2.0, 3.0]" in printed  # a public case's output is kept
    assert not [n for n in hidden_inputs if n in printed], "a hidden case's printed inputs reached the report"
    table = replay_table(first)
    second = tmp_path / "second"
    second.mkdir()
    (second / "replayer.py").write_text(REPLAYER.format(table=table))
    (second / "stub.py").write_text((ROOT / "assignments" / "backprop" / "backprop.py").read_text())
    reports = {r["student"]: r for r in grade(second, tmp_path / "second_out")}
    faked = {"train", "predict"}

    def on_faked(student: str) -> float:
        return sum(c["score"] for c in reports[student]["checks"]
                   if c["target"] in faked and "x * w" not in c["name"])  # predict's own formula is honest

    assert on_faked("replayer") <= on_faked("stub"), [
        (c["name"], c["score"]) for c in reports["replayer"]["checks"] if c["target"] in faked]
