"""Numeric comparison with tolerances, on the grader's own (unpatched) torch and floats.

`compare` walks two values of the same declared shape and returns the first place where they
differ (with how many places differ in all), so that messages can say "history[37] is 0.512;
the reference has 0.498 (12 of 100 values differ)" instead of "assertion failed".
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import numpy as np
import torch

from grader.checks.cases import brief


@dataclass(frozen=True)
class Mismatch:
    path: str
    actual: Any
    expected: Any
    reason: str
    differing: int = 1
    total: int = 1

    def describe(self, subject: str, expected_label: str = "expected") -> str:
        """`<subject><path> is A; expected E (hint)`."""
        where = f"{subject}{self.path}"
        if self.reason:
            return f"{where} {self.reason}"
        text = f"{where} is {brief(self.actual)}; {expected_label} {brief(self.expected)}"
        hint = scalar_hint(self.actual, self.expected)
        if hint:
            text += f" ({hint})"
        if self.total > 1:
            text += f"; {self.differing} of {self.total} values differ"
        return text


def close(a: float, e: float, rtol: float, atol: float) -> bool:
    if math.isnan(e):
        return math.isnan(a)
    if math.isinf(e) or math.isinf(a):
        return a == e
    return abs(a - e) <= atol + rtol * abs(e)


def scalar_hint(actual: Any, expected: Any) -> str:
    """A guess at the usual mistakes, when a number is off in a recognisable way."""
    if not isinstance(actual, float) or not isinstance(expected, float):
        return ""
    if math.isnan(actual):
        return "nan: a division by zero or an overflow?"
    if math.isinf(actual):
        return "infinite: the values blew up; a learning rate or sign problem?"
    if expected == 0 or not math.isfinite(expected):
        return ""
    ratio = actual / expected
    if ratio == 0:
        return ""
    for value, words in (
        (-1.0, "the sign is flipped"),
        (2.0, "twice the expected value: a factor of 2 too many?"),
        (0.5, "half the expected value: a factor of 2 missing?"),
    ):
        if abs(ratio - value) < 1e-3:
            return words
    for value in (ratio, 1 / ratio):
        k = round(value)
        if 3 <= abs(k) <= 10_000 and abs(value - k) < 1e-3 * abs(k):
            times = f"{abs(k)} times" if value == ratio else f"1/{abs(k)} of"
            sign = ", with the opposite sign" if k < 0 else ""
            return f"{times} the expected value{sign}: a missing or extra factor?"
    return ""


def compare(actual: Any, expected: Any, rtol: float, atol: float, path: str = "") -> Mismatch | None:
    """The first difference between `actual` and `expected` beyond the tolerance, or None."""
    if isinstance(expected, (torch.Tensor, np.ndarray)) or isinstance(actual, torch.Tensor):
        return _compare_arrays(actual, expected, rtol, atol, path)
    if isinstance(expected, bool) or isinstance(actual, bool):
        return None if actual == expected else Mismatch(path, actual, expected, "")
    if isinstance(expected, (int, float)) and isinstance(actual, (int, float)):
        if close(float(actual), float(expected), rtol, atol):
            return None
        return Mismatch(path, float(actual), float(expected), "")
    if isinstance(expected, list) and isinstance(actual, list):
        return _compare_lists(actual, expected, rtol, atol, path)
    if isinstance(expected, tuple) and isinstance(actual, tuple):
        if len(actual) != len(expected):
            return Mismatch(path, actual, expected, f"has {len(actual)} items; expected {len(expected)}")
        for i, (a, e) in enumerate(zip(actual, expected, strict=False)):
            found = compare(a, e, rtol, atol, f"{path}[{i}]")
            if found:
                return found
        return None
    if isinstance(expected, dict) and isinstance(actual, dict):
        if set(actual) != set(expected):
            return Mismatch(path, actual, expected,
                            f"has keys {sorted(actual)}; expected {sorted(expected)}")
        for key in expected:
            found = compare(actual[key], expected[key], rtol, atol, f"{path}[{key!r}]")
            if found:
                return found
        return None
    if actual == expected:
        return None
    return Mismatch(path, actual, expected, f"is {brief(actual)}; expected {brief(expected)}")


def _compare_lists(actual: list[Any], expected: list[Any], rtol: float, atol: float, path: str) -> Mismatch | None:
    if len(actual) != len(expected):
        return Mismatch(path, actual, expected, f"has {len(actual)} values; expected {len(expected)}")
    if all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in actual + expected):
        pairs = enumerate(zip(actual, expected, strict=True))
        bad = [i for i, (a, e) in pairs if not close(float(a), float(e), rtol, atol)]
        if not bad:
            return None
        i = bad[0]
        return Mismatch(f"{path}[{i}]", float(actual[i]), float(expected[i]), "", len(bad), len(expected))
    for i, (a, e) in enumerate(zip(actual, expected, strict=False)):
        found = compare(a, e, rtol, atol, f"{path}[{i}]")
        if found:
            return found
    return None


def _compare_arrays(actual: Any, expected: Any, rtol: float, atol: float, path: str) -> Mismatch | None:
    if _single(actual) and _single(expected):  # the common case, without tensor arithmetic
        return compare(_item(actual), _item(expected), rtol, atol, path)
    a = _as_tensor(actual)
    e = _as_tensor(expected)
    if a is None or e is None:
        return Mismatch(path, actual, expected, f"is {brief(actual)}; expected {brief(expected)}")
    if a.numel() == 1 and e.numel() == 1:
        return compare(float(a.reshape(-1)[0]), float(e.reshape(-1)[0]), rtol, atol, path)
    if tuple(a.shape) != tuple(e.shape):
        return Mismatch(path, actual, expected,
                        f"has shape {tuple(a.shape)}; expected shape {tuple(e.shape)}")
    ok = torch.isclose(a, e, rtol=rtol, atol=atol, equal_nan=True)
    if bool(ok.all()):
        return None
    bad = (~ok).nonzero()
    index = tuple(int(i) for i in bad[0])
    where = f"{path}[{', '.join(map(str, index))}]"
    return Mismatch(where, float(a[index]), float(e[index]), "", int(bad.shape[0]), int(e.numel()))


def _single(value: Any) -> bool:
    if isinstance(value, (torch.Tensor, np.ndarray)):
        return math.prod(value.shape) == 1 and value.dtype != torch.bool
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _item(value: Any) -> float:
    if isinstance(value, (torch.Tensor, np.ndarray)):
        return float(value.reshape(-1)[0].item())
    return float(value)


def _as_tensor(value: Any) -> torch.Tensor | None:
    if isinstance(value, torch.Tensor):
        return value.detach().to(torch.float64)
    if isinstance(value, np.ndarray):
        return torch.from_numpy(np.asarray(value, dtype=np.float64))
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return torch.tensor(float(value), dtype=torch.float64)
    return None
