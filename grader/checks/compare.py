"""Numeric comparison with tolerances, by meaning: the numbers a value holds, not its type.

A float, a NumPy scalar, a 0-d or one-element tensor are the same number; a list, a tuple, a 1-D
tensor or array of numbers are the same numbers. `compare` returns the first place where two
values differ beyond the tolerance (with how many places differ in all), so that messages can
say "history[37] is 0.512; the reference has 0.498 (12 of 100 values differ)". It runs on the
grader's own torch and floats, and never raises on what a submission returned.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any, Literal

import numpy as np
import torch

from grader.checks.formatting import brief

What = Literal["value", "type", "length", "items", "keys", "shape"]


@dataclass(frozen=True)
class Mismatch:
    path: str
    actual: Any
    expected: Any
    reason: str  # for anything but a differing value: "has shape (3,); expected shape (3, 1)"
    differing: int = 1
    total: int = 1
    what: What = "value"

    def describe(self, subject: str, expected_label: str = "expected") -> str:
        """`<subject><path> is A; expected E`, with how many values differ."""
        where = f"{subject}{self.path}"
        if self.reason:
            return f"{where} {self.reason}"
        text = f"{where} is {brief(self.actual)}; {expected_label} {brief(self.expected)}"
        if self.total > 1:
            text += f"; {self.differing} of {self.total} values differ"
        return text

    def gist(self, subject: str) -> str:
        """What differs, in words without a number: for a hidden case, whose numbers stay hidden."""
        if self.what == "value":
            if isinstance(self.actual, float) and not math.isfinite(self.actual):
                return f"{subject} is not finite (nan or inf)"
            return f"{subject} has {'wrong values' if self.total > 1 else 'the wrong value'}"
        return {
            "type": f"{subject} is not the kind of value expected",
            "length": f"{subject} has the wrong number of values",
            "items": f"{subject} has the wrong number of items",
            "keys": f"{subject} has other keys than expected",
            "shape": f"{subject} has the wrong shape",
        }[self.what]


def close(a: float, e: float, rtol: float, atol: float) -> bool:
    if math.isnan(e):
        return math.isnan(a)
    if math.isinf(e) or math.isinf(a):
        return a == e
    return abs(a - e) <= atol + rtol * abs(e)


def compare(actual: Any, expected: Any, rtol: float, atol: float, path: str = "") -> Mismatch | None:
    """The first difference between `actual` and `expected` beyond the tolerance, or None."""
    if isinstance(expected, bool) or isinstance(actual, bool):
        return None if _equal(actual, expected) else _other(path, actual, expected)
    want = number(expected)
    if want is not None:
        got = number(actual)
        if got is None:
            return _other(path, actual, expected)
        return None if close(got, want, rtol, atol) else Mismatch(path, got, want, "")
    if isinstance(expected, (torch.Tensor, np.ndarray)):
        return _compare_arrays(actual, expected, rtol, atol, path)
    numbers, got_numbers = _numbers(expected), _numbers(actual)
    if numbers is not None and got_numbers is not None:
        return _compare_numbers(got_numbers, numbers, rtol, atol, path)
    if isinstance(expected, (list, tuple)):
        return _compare_items(actual, expected, rtol, atol, path)
    if isinstance(expected, dict):
        return _compare_dicts(actual, expected, rtol, atol, path)
    return None if _equal(actual, expected) else _other(path, actual, expected)


def number(value: Any) -> float | None:
    """The one number a value holds: an int or float, a NumPy scalar, a 0-d or one-element array."""
    if isinstance(value, bool):
        return None
    if isinstance(value, (int, float, np.integer, np.floating)):
        return float(value)
    if isinstance(value, (torch.Tensor, np.ndarray)) and math.prod(value.shape) == 1 and value.dtype not in (
            torch.bool, np.bool_):
        return float(value.reshape(-1)[0].item())
    return None


def _numbers(value: Any) -> list[float] | None:
    """The numbers of a flat sequence: a list or tuple of numbers, a 1-D tensor or array."""
    if isinstance(value, (list, tuple)):
        found = [number(v) for v in value]
        return None if None in found else [v for v in found if v is not None]
    if isinstance(value, (torch.Tensor, np.ndarray)) and len(value.shape) == 1 and value.dtype not in (
            torch.bool, np.bool_):
        return [float(v) for v in value.tolist()]
    return None


def _compare_numbers(actual: list[float], expected: list[float], rtol: float, atol: float,
                     path: str) -> Mismatch | None:
    if len(actual) != len(expected):
        return Mismatch(path, actual, expected, f"has {_count(len(actual), 'value')}; expected {len(expected)}",
                        what="length")
    bad = [i for i, (a, e) in enumerate(zip(actual, expected, strict=True)) if not close(a, e, rtol, atol)]
    if not bad:
        return None
    i = bad[0]
    return Mismatch(f"{path}[{i}]", actual[i], expected[i], "", len(bad), len(expected))


def _compare_items(actual: Any, expected: list[Any] | tuple[Any, ...], rtol: float, atol: float,
                   path: str) -> Mismatch | None:
    if isinstance(actual, (torch.Tensor, np.ndarray)):
        return _compare_arrays(actual, expected, rtol, atol, path)  # nested lists of numbers, as an array
    if not isinstance(actual, (list, tuple)):
        return _other(path, actual, expected)
    if len(actual) != len(expected):
        noun = "item" if isinstance(expected, tuple) else "value"
        return Mismatch(path, actual, expected, f"has {_count(len(actual), noun)}; expected {len(expected)}",
                        what="items" if noun == "item" else "length")
    for i, (a, e) in enumerate(zip(actual, expected, strict=True)):
        found = compare(a, e, rtol, atol, f"{path}[{i}]")
        if found:
            return found
    return None


def _compare_dicts(actual: Any, expected: dict[Any, Any], rtol: float, atol: float, path: str) -> Mismatch | None:
    if not isinstance(actual, dict):
        return _other(path, actual, expected)
    if set(actual) != set(expected):
        return Mismatch(path, actual, expected, f"has keys {sorted(map(str, actual))}; expected "
                        f"{sorted(map(str, expected))}", what="keys")
    found = [m for key in expected if (m := compare(actual[key], expected[key], rtol, atol, f"{path}[{key!r}]"))]
    # A gradient of the wrong shape says more than a wrong number in another one: name it first.
    return next((m for m in found if m.what != "value"), found[0] if found else None)


def _compare_arrays(actual: Any, expected: Any, rtol: float, atol: float, path: str) -> Mismatch | None:
    a = _as_tensor(actual)
    e = _as_tensor(expected)
    if a is None or e is None:
        return _other(path, actual, expected)
    if tuple(a.shape) != tuple(e.shape):
        return Mismatch(path, actual, expected, f"has shape {tuple(a.shape)}; expected shape {tuple(e.shape)}",
                        what="shape")
    ok = torch.isclose(a, e, rtol=rtol, atol=atol, equal_nan=True)
    if bool(ok.all()):
        return None
    bad = (~ok).nonzero()
    index = tuple(int(i) for i in bad[0])
    where = f"{path}[{', '.join(map(str, index))}]"
    return Mismatch(where, float(a[index]), float(e[index]), "", int(bad.shape[0]), int(e.numel()))


def _as_tensor(value: Any) -> torch.Tensor | None:
    """A float64 tensor of the numbers a value holds (nested lists and tuples too), or None."""
    if isinstance(value, torch.Tensor):
        return None if value.dtype == torch.bool else value.detach().to(torch.float64)
    if isinstance(value, np.ndarray):
        return None if value.dtype == np.bool_ else torch.from_numpy(np.asarray(value, dtype=np.float64))
    if isinstance(value, (list, tuple)) and value:
        items = [_as_tensor(v) for v in value]
        if any(t is None for t in items) or len({tuple(t.shape) for t in items if t is not None}) != 1:
            return None
        return torch.stack([t for t in items if t is not None])
    single = number(value)
    return None if single is None else torch.tensor(single, dtype=torch.float64)


def _equal(actual: Any, expected: Any) -> bool:
    """Plain equality for what is not numbers (strings, None, bools), never raising."""
    try:
        return type(actual) is type(expected) and bool(actual == expected)
    except Exception:
        return False


def _other(path: str, actual: Any, expected: Any) -> Mismatch:
    return Mismatch(path, actual, expected, f"is {brief(actual)}; expected {brief(expected)}", what="type")


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}{'s' * (n != 1)}"


def leaves(value: Any, path: str = "") -> dict[str, float] | None:
    """Every number a value holds by its path, as `compare` names paths; None if it holds other things."""
    single = number(value)
    if single is not None:
        return {path: single}
    if isinstance(value, (torch.Tensor, np.ndarray)):
        array = _as_tensor(value)
        if array is None:
            return None
        return {f"{path}[{', '.join(map(str, index))}]": float(array[index])
                for index in np.ndindex(*array.shape)}
    items: list[tuple[str, Any]]
    if isinstance(value, (list, tuple)):
        items = [(f"{path}[{i}]", v) for i, v in enumerate(value)]
    elif isinstance(value, dict):
        items = [(f"{path}[{k!r}]", v) for k, v in value.items()]
    else:
        return None
    found: dict[str, float] = {}
    for where, item in items:
        inner = leaves(item, where)
        if inner is None:
            return None
        found.update(inner)
    return found
