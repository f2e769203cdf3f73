"""The expression language of assignment.toml: what it accepts, what it refuses, what it computes.

Declarations are instructors' text evaluated in the trusted grader, so the language is a vetted
subset of Python: literals, names, arithmetic, subscripts and calls of known functions only.
"""

from __future__ import annotations

import pytest
import torch

from grader.checks.cases import Case
from grader.checks.prefetch import FirstCall, first_call
from grader.language.evaluator import Evaluator
from grader.language.helpers import make_helpers
from grader.language.syntax import ExprError, called_names, names_used, parse, parse_step


@pytest.mark.parametrize("text", [
    "xs.append(1)",  # attribute access
    "__import__('os')",  # a name that is not a helper is refused when called, but the call itself parses
    "(lambda: 1)()",
    "[x for x in xs]",
    "a if b else c",
    "x and y",
    "f(x)(y)",  # only plain names can be called
])
def test_anything_beyond_the_subset_is_refused_or_unknown(text: str) -> None:
    with pytest.raises(ExprError):
        Evaluator(make_helpers(), {"xs": [1.0], "x": 1.0, "y": 2.0, "a": 1, "b": 2, "c": 3}).eval(text)


def test_a_syntax_error_names_the_text() -> None:
    with pytest.raises(ExprError, match=r"'train\(xs' is not a valid expression"):
        parse("train(xs")


def test_arithmetic_subscripts_slices_and_calls() -> None:
    variables = {"xs": [1.0, 2.0, 3.0], "w": 2.0}
    evaluator = Evaluator({"double": lambda v: 2 * v, **make_helpers()}, variables)
    assert evaluator.eval("w ** 2 + 1") == 5.0
    assert evaluator.eval("xs[1:]") == [2.0, 3.0]
    assert evaluator.eval("-xs[-1] // 2") == -2.0
    assert evaluator.eval("double(*xs[:1])") == 2.0
    assert evaluator.eval("{'a': w, 'b': (w, 1)}") == {"a": 2.0, "b": (2.0, 1)}
    assert evaluator.eval("grid(0.0, 0.3, 0.1)") == [0.0, 0.1, 0.2, 0.3]
    tensor = evaluator.eval("tensor([w], requires_grad=True)")
    assert isinstance(tensor, torch.Tensor) and tensor.requires_grad and tensor.dtype == torch.float32


def test_unknown_names_and_functions_are_named() -> None:
    evaluator = Evaluator(make_helpers(), {"xs": [1.0]})
    with pytest.raises(ExprError, match="unknown name 'ys'"):
        evaluator.eval("ys")
    with pytest.raises(ExprError, match="unknown function 'train'"):
        evaluator.eval("train(xs)")


def test_steps_assign_one_name_or_unpack_several() -> None:
    variables: dict[str, object] = {"pair": (1.0, [2.0])}
    evaluator = Evaluator(make_helpers(), variables)
    evaluator.run_step("w, history = pair")
    assert variables["w"] == 1.0 and variables["history"] == [2.0]
    with pytest.raises(ExprError, match="2 values for 3 names"):
        evaluator.run_step("a, b, c = pair")
    assert parse_step("w = train(xs, ys)[0]")[0] == ("w",)
    for bad in ("w += 1", "w = v = 1", "w.x = 1", "1"):
        with pytest.raises(ExprError):
            parse_step(bad)


def test_names_and_called_functions_are_read_without_running_anything() -> None:
    assert names_used("train(xs, ys, lr=lr)[1]") == {"train", "xs", "ys", "lr"}
    assert called_names("predict(x, train(xs, ys)[0])") == {"predict", "train"}
    assert called_names("w = train(xs, ys)[0]", step=True) == {"train"}


def test_random_helpers_need_a_seeded_generator() -> None:
    with pytest.raises(ExprError, match="random helpers"):
        Evaluator(make_helpers(), {}).eval("uniform(0.0, 1.0)")


STUB = frozenset({"train", "predict", "loss"})


def _case(call: str, steps: tuple[str, ...] = (), **variables: object) -> Case:
    return Case("case", 0, 1, dict(variables), call, steps)


def test_the_first_call_is_read_from_the_expression() -> None:
    found = first_call(_case("train(xs, ys, lr=lr * 2)[1]", xs=[1.0], ys=[2.0], lr=0.01), STUB)
    assert found == FirstCall("train", ([1.0], [2.0]), {"lr": 0.02})


def test_the_first_call_is_the_innermost_and_may_sit_in_a_step() -> None:
    inner = first_call(_case("predict(x, train(xs, ys)[0])", x=4.0, xs=[1.0], ys=[2.0]), STUB)
    assert inner == FirstCall("train", ([1.0], [2.0]), {})
    stepped = first_call(_case("predict(x, w)", ("scale = x * 2", "w = train(xs, ys, lr=scale)[0]"),
                               x=4.0, xs=[1.0], ys=[2.0]), STUB)
    assert stepped == FirstCall("train", ([1.0], [2.0]), {"lr": 8.0})


def test_helpers_in_the_arguments_are_evaluated_but_nothing_of_the_student_runs() -> None:
    found = first_call(_case("loss(x, y, tensor([w], requires_grad=True))", x=2.0, y=4.0, w=1.0), STUB)
    assert found is not None and found.fn == "loss" and found.args[:2] == (2.0, 4.0)
    weight = found.args[2]
    assert isinstance(weight, torch.Tensor) and weight.requires_grad


def test_no_first_call_when_none_can_be_known() -> None:
    assert first_call(_case("len(xs)", xs=[1.0]), STUB) is None  # no student function at all
    assert first_call(_case("train(undefined)"), STUB) is None  # the real evaluation will say why
