"""Fitting the checks' calls to the student's own signature (grader.checks.signatures).

The student's function is described exactly as the sandbox describes it (the child's own
`signature`), so these are the cases grading meets: the course's renamed parameters, a different
order or number, defaults that differ, *args, a name that is not a function.
"""

from __future__ import annotations

from typing import Any

import pytest

from grader.assignment.loader import MISSING, Param, Signature
from grader.assignment.returns import ANY
from grader.checks.signatures import arrange, default_problem, fit, renaming_note
from grader.sandbox.inside.child import signature as described

TRAIN = Signature("train", (Param("xs"), Param("ys"), Param("w0", 1.0), Param("lr", 0.01), Param("epochs", 100)), ANY)
COST = Signature("cost", (Param("xs"), Param("ys"), Param("w")), ANY)


def test_the_stubs_own_names_go_by_position_without_a_note() -> None:
    def train(xs: Any, ys: Any, w0: float = 1.0, lr: float = 0.01, epochs: int = 100) -> None: ...

    plan = fit(TRAIN, described(train), "hw.py")
    assert plan.problem is None and plan.by_position == 5 and not plan.renamed
    assert renaming_note(TRAIN, plan) is None


def test_the_courses_own_names_are_a_note_never_a_failure() -> None:
    def train(x_data: Any, y_data: Any, w: float = 1.0, lr: float = 0.01, epoch: int = 100) -> None: ...

    plan = fit(TRAIN, described(train), "hw.py")
    assert plan.problem is None and plan.reordered is None
    assert plan.renamed == (("xs", "x_data"), ("ys", "y_data"), ("w0", "w"), ("epochs", "epoch"))
    note = renaming_note(TRAIN, plan)
    assert note is not None and "x_data for xs" in note and "no points lost" in note
    args, kwargs = arrange(TRAIN, plan, ([1.0], [2.0]), {"lr": 0.1, "epochs": 5})
    assert args == [[1.0], [2.0], 1.0, 0.1, 5] and kwargs == {}  # every value by position, defaults filled in


def test_names_never_decide_roles_but_a_reordering_is_shown_with_both_signatures() -> None:
    """`cost(w, xs, ys)` gets the stub's (xs, ys, w) by position: a student may name the x**2
    coefficient w2. If the check then fails, the message shows both signatures."""

    def cost(w: float, xs: Any, ys: Any) -> None: ...

    plan = fit(COST, described(cost), "hw.py")
    assert plan.problem is None and plan.by_position == 3
    assert plan.reordered == ("hw.py defines cost(w, xs, ys), but the assignment needs cost(xs, ys, w), and the "
                              "arguments were passed by position")
    assert arrange(COST, plan, ([1.0], [2.0], 0.5), {}) == ([[1.0], [2.0], 0.5], {})


def test_too_few_parameters_is_a_failure_naming_the_count() -> None:
    def train(xs: Any, ys: Any, lr: float = 0.01, epochs: int = 100) -> None: ...

    plan = fit(TRAIN, described(train), "my_homework.py")
    assert plan.problem is not None and plan.status == "failed"
    assert plan.problem.startswith("my_homework.py defines train(xs, ys, lr=0.01, epochs=100), but the assignment "
                                   "needs train(xs, ys, w0=1.0, lr=0.01, epochs=100)")
    assert plan.problem.endswith(": it takes 4 parameters where the stub has 5 (none for w0)")


def test_extra_parameters_need_defaults() -> None:
    def cost(xs: Any, ys: Any, w: float, verbose: bool) -> None: ...

    def cost_with_default(xs: Any, ys: Any, w: float, verbose: bool = False) -> None: ...

    problem = fit(COST, described(cost), "hw.py").problem
    assert problem is not None and "extra parameters ['verbose'] need default values" in problem
    assert fit(COST, described(cost_with_default), "hw.py").problem is None


def test_star_args_take_the_call_as_written() -> None:
    def cost(*args: Any) -> None: ...

    plan = fit(COST, described(cost), "hw.py")
    assert plan.problem is None
    assert arrange(COST, plan, (1, 2), {"w": 3}) == ([1, 2, 3], {})


def test_no_function_is_an_error_and_a_value_is_not_a_function() -> None:
    missing = fit(COST, None, "hw.py")
    assert missing.status == "error" and missing.problem == (
        "hw.py defines no function cost; the assignment needs cost(xs, ys, w)")
    value = fit(COST, described(3.5), "hw.py")
    assert value.status == "error" and value.problem == "cost in hw.py is a float, not a function"


@pytest.mark.parametrize(("student_default", "problem"), [
    (1.0, None),
    (1, None),  # an int default equal to the stub's float is the same default
    (0.5, "train's default for w0 is 0.5; the assignment says w0=1.0"),
])
def test_defaults_the_call_relies_on_must_match(student_default: float, problem: str | None) -> None:
    def train(xs: Any, ys: Any, w0: float = student_default, lr: float = 0.01, epochs: int = 100) -> None: ...

    plan = fit(TRAIN, described(train), "hw.py")
    assert default_problem(TRAIN, plan, 2, set()) == problem
    assert default_problem(TRAIN, plan, 2, {"w0"}) is None  # the call passes w0: its default is not used


def test_a_missing_default_is_named_with_the_renamed_parameter() -> None:
    def train(xs: Any, ys: Any, start: float, lr: float = 0.01, epochs: int = 100) -> None: ...

    plan = fit(TRAIN, described(train), "hw.py")
    assert default_problem(TRAIN, plan, 2, {"lr"}) == (
        "train's parameter w0 (your start) needs the default 1.0, as in train(xs, ys, w0=1.0, lr=0.01, epochs=100)")


def test_arrange_makes_equivalent_calls_identical() -> None:
    """`train(xs, ys)` and the same call with every default spelled out are one call, answered once."""

    def train(xs: Any, ys: Any, w0: float = 1.0, lr: float = 0.01, epochs: int = 100) -> None: ...

    plan = fit(TRAIN, described(train), "hw.py")
    short = arrange(TRAIN, plan, ([1.0], [2.0]), {})
    spelled = arrange(TRAIN, plan, ([1.0], [2.0]), {"w0": 1.0, "lr": 0.01, "epochs": 100})
    mixed = arrange(TRAIN, plan, ([1.0], [2.0], 1.0), {"epochs": 100})
    assert short == spelled == mixed == ([[1.0], [2.0], 1.0, 0.01, 100], {})


def test_arrange_sends_keyword_only_parameters_by_name() -> None:
    def train(xs: Any, ys: Any, *, w0: float = 1.0, lr: float = 0.01, epochs: int = 100) -> None: ...

    plan = fit(TRAIN, described(train), "hw.py")
    assert plan.problem is None
    assert arrange(TRAIN, plan, ([1.0], [2.0]), {"lr": 0.1}) == (
        [[1.0], [2.0]], {"w0": 1.0, "lr": 0.1, "epochs": 100})


def test_arrange_leaves_a_call_missing_a_required_argument_as_written() -> None:
    def cost(xs: Any, ys: Any, w: float) -> None: ...

    plan = fit(COST, described(cost), "hw.py")
    assert arrange(COST, plan, ([1.0],), {}) == ([[1.0]], {})  # the call itself will say what is missing


def test_signature_rendering_marks_required_parameters() -> None:
    assert Param("xs").default is MISSING and Param("xs").render() == "xs"
    assert TRAIN.render() == "train(xs, ys, w0=1.0, lr=0.01, epochs=100)"
