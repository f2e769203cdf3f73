"""Comparison with tolerances (grader.checks.compare): where two values differ, and how it reads."""

from __future__ import annotations

import math

import numpy as np
import pytest
import torch

from grader.checks.compare import close, compare


def test_numbers_within_the_tolerance_are_equal() -> None:
    assert compare(1.0 + 1e-7, 1.0, rtol=1e-6, atol=0.0) is None
    assert compare(2, 2.0, rtol=0.0, atol=0.0) is None
    mismatch = compare(1.1, 1.0, rtol=1e-6, atol=0.0)
    assert mismatch is not None and mismatch.describe("cost(xs, ys, w)") == "cost(xs, ys, w) is 1.1; expected 1.0"


def test_the_first_differing_entry_of_a_list_is_named_with_a_count() -> None:
    mismatch = compare([1.0, 2.0, 3.5, 4.5], [1.0, 2.0, 3.0, 4.0], rtol=1e-6, atol=1e-9)
    assert mismatch is not None
    assert mismatch.path == "[2]" and (mismatch.differing, mismatch.total) == (2, 4)
    assert mismatch.describe("history", "the reference has") == (
        "history[2] is 3.5; the reference has 3.0; 2 of 4 values differ")


def test_a_list_of_another_length_says_so() -> None:
    mismatch = compare([1.0, 2.0], [1.0, 2.0, 3.0], rtol=1e-6, atol=0.0)
    assert mismatch is not None and mismatch.describe("history") == "history has 2 values; expected 3"


def test_tensors_name_the_shape_or_the_first_differing_position() -> None:
    a = torch.zeros(2, 3)
    b = torch.zeros(2, 3)
    b[1, 2] = 1.0
    mismatch = compare(a, b, rtol=1e-6, atol=1e-9)
    assert mismatch is not None and mismatch.path == "[1, 2]"
    assert mismatch.describe("forward(X, params)") == (
        "forward(X, params)[1, 2] is 0.0; expected 1.0; 1 of 6 values differ")
    shape = compare(torch.zeros(64), torch.zeros(64, 1), rtol=1e-6, atol=0.0)
    assert shape is not None and shape.describe("forward(X, params)") == (
        "forward(X, params) has shape (64,); expected shape (64, 1)")


@pytest.mark.parametrize("actual", [
    torch.tensor(2.0), torch.tensor([2.0]), torch.tensor([[2.0]], dtype=torch.float64),
    np.float64(2.0), np.array([2.0]), 2.0, 2,
])
def test_one_number_compares_as_a_number_whatever_holds_it(actual: object) -> None:
    assert compare(actual, 2.0, rtol=1e-6, atol=0.0) is None
    assert compare(actual, torch.tensor([2.0]), rtol=1e-6, atol=0.0) is None
    assert compare(actual, 3.0, rtol=1e-6, atol=0.0) is not None


def test_float32_and_float64_agree_within_a_relative_tolerance() -> None:
    x = torch.tensor([0.1, 0.2, 0.3], dtype=torch.float64)
    assert compare(x.to(torch.float32), x, rtol=1e-5, atol=0.0) is None
    assert compare(x.to(torch.float32), x, rtol=1e-12, atol=0.0) is not None


def test_nan_and_infinity() -> None:
    assert compare(math.nan, math.nan, rtol=1e-6, atol=0.0) is None
    nan = compare(math.nan, 1.0, rtol=1e-6, atol=0.0)
    assert nan is not None and nan.describe("loss(x, y, w)").startswith("loss(x, y, w) is nan; expected 1.0")
    assert compare(math.inf, math.inf, rtol=1e-6, atol=0.0) is None
    assert compare(math.inf, 1e308, rtol=1.0, atol=0.0) is not None  # no tolerance makes inf finite
    assert not close(1.0, math.nan, 1.0, 1.0)


def test_tuples_and_dicts_are_walked_item_by_item() -> None:
    mismatch = compare((1.0, [2.0, 3.0]), (1.0, [2.0, 4.0]), rtol=1e-6, atol=0.0)
    assert mismatch is not None and mismatch.path == "[1][1]"
    grads = {"W1": torch.zeros(2, 2), "b1": torch.zeros(2)}
    wrong = {"W1": torch.zeros(2, 2), "b1": torch.ones(2)}
    found = compare(wrong, grads, rtol=1e-6, atol=1e-9)
    assert found is not None and found.path == "['b1'][0]"
    keys = compare({"W1": 1.0}, {"W1": 1.0, "b1": 2.0}, rtol=0.0, atol=0.0)
    assert keys is not None and keys.describe("backward(X, y, params)") == (
        "backward(X, y, params) has keys ['W1']; expected ['W1', 'b1']")
    items = compare((1.0, [2.0]), (1.0, [2.0], 3.0), rtol=0.0, atol=0.0)
    assert items is not None and items.describe("train(xs, ys)") == "train(xs, ys) has 2 items; expected 3"
    one = compare([1.0], [1.0, 2.0], rtol=0.0, atol=0.0)
    assert one is not None and one.describe("history") == "history has 1 value; expected 2"


@pytest.mark.parametrize("actual", [
    [1.0, 2.0, 3.0], (1.0, 2.0, 3.0), np.array([1.0, 2.0, 3.0]), torch.tensor([1.0, 2.0, 3.0]),
    [torch.tensor(1.0), np.float32(2.0), 3],  # a list of 0-d tensors and NumPy scalars holds numbers too
])
def test_sequences_compare_as_the_numbers_they_hold(actual: object) -> None:
    for expected in ([1.0, 2.0, 3.0], (1.0, 2.0, 3.0), torch.tensor([1.0, 2.0, 3.0], dtype=torch.float64)):
        assert compare(actual, expected, rtol=1e-6, atol=0.0) is None, (actual, expected)
    found = compare(actual, [1.0, 2.0, 4.0], rtol=1e-6, atol=0.0)
    assert found is not None and found.path == "[2]"


def test_a_numpy_array_against_a_list_never_raises() -> None:
    """Without a return annotation nothing is coerced first: an array meets a list as it is."""
    found = compare(np.array([1.0, 5.0]), [1.0, 2.0], rtol=1e-6, atol=0.0)
    assert found is not None and found.describe("f()") == "f()[1] is 5.0; expected 2.0; 1 of 2 values differ"
    assert compare(np.array([[1.0], [2.0]]), [[1.0], [2.0]], rtol=0.0, atol=0.0) is None
    assert compare([[1.0], [2.0]], torch.tensor([[1.0], [2.0]]), rtol=0.0, atol=0.0) is None
    assert compare("text", [1.0], rtol=0.0, atol=0.0) is not None
    assert compare(np.array([True, False]), [1.0, 0.0], rtol=0.0, atol=0.0) is not None


def test_a_tuple_result_may_come_back_as_a_list() -> None:
    expected = (2.0, [7.3, 4.0])
    assert compare([2.0, np.array([7.3, 4.0])], expected, rtol=1e-6, atol=0.0) is None
    found = compare([2.5, [7.3, 4.0]], expected, rtol=1e-6, atol=0.0)
    assert found is not None and found.path == "[0]"


def test_bools_compare_exactly() -> None:
    assert compare(True, True, rtol=0.5, atol=0.5) is None
    assert compare(False, True, rtol=0.5, atol=0.5) is not None
    assert compare(True, 1.0, rtol=0.5, atol=0.5) is not None


def test_exact_comparison_sees_an_in_place_change() -> None:
    before = {"W1": torch.tensor([[0.5, -0.25]])}
    after = {"W1": torch.tensor([[0.5, -0.2500001]])}
    found = compare(after, before, rtol=0.0, atol=0.0)
    assert found is not None and found.path == "['W1'][0, 1]"


def test_a_wrong_shape_is_named_before_a_wrong_value_in_another_entry() -> None:
    grads = {"W1": torch.ones(1, 8), "b1": torch.ones(8)}
    found = compare({"W1": torch.zeros(1, 8), "b1": torch.tensor(8.0)}, grads, rtol=1e-6, atol=0.0)
    assert found is not None and found.describe("backward(X, y, params)") == (
        "backward(X, y, params)['b1'] has shape (); expected shape (8,)")
