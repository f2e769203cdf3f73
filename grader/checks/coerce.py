"""Returned values in the shape the stub declares, or a message that says what is wrong with them.

The contract lets a number come back as a float, a one-element tensor or a NumPy scalar, and a
history as a list or a 1-D tensor. Coercion turns what a function returned (already plain data,
decoded on the grader's side) into the declared shape, or says precisely what is wrong with it.
The declared shapes themselves are read from the stub by grader.assignment.returns.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import torch

from grader.assignment.returns import RType
from grader.sandbox.protocol.codec import Opaque


class ReturnMismatch(ValueError):
    """The value does not have the declared shape; the message says how, for a student."""


def what_it_is(value: Any) -> str:
    """What a value is, in words: 'a list of 3 items', 'a tensor of shape (2, 1)'."""
    if value is None:
        return "None"
    if isinstance(value, bool):
        return f"a bool ({value})"
    if isinstance(value, (int, float)):
        return f"the number {value!r}"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, torch.Tensor):
        return f"a tensor of shape {tuple(value.shape)}"
    if isinstance(value, np.ndarray):
        return f"a NumPy array of shape {value.shape}"
    if isinstance(value, list):
        return f"a list of {len(value)} item{'s' * (len(value) != 1)}"
    if isinstance(value, tuple):
        return f"a tuple of {len(value)} item{'s' * (len(value) != 1)}"
    if isinstance(value, dict):
        return f"a dict with keys {sorted(value)[:6]}"
    if isinstance(value, Opaque):
        return f"an object of type {value.type_name}"
    return f"a {type(value).__name__}"


def coerce(value: Any, rtype: RType, where: str = "the result") -> Any:
    """Return `value` in the shape `rtype` declares, or raise ReturnMismatch saying why not."""
    kind = rtype.kind
    if kind == "any":
        return value
    if kind in ("float", "int"):
        number = _number(value)
        if number is None:
            raise ReturnMismatch(f"{where} should be a number, but it is {what_it_is(value)}")
        return float(number) if kind == "float" else number
    if kind == "bool":
        if isinstance(value, bool):
            return value
        raise ReturnMismatch(f"{where} should be True or False, but it is {what_it_is(value)}")
    if kind == "tensor":
        return _tensor(value, where)
    if kind == "list":
        items = _sequence(value)
        if items is None:
            raise ReturnMismatch(f"{where} should be a list, but it is {what_it_is(value)}")
        return [coerce(v, rtype.items[0], f"{where}[{i}]") for i, v in enumerate(items)]
    if kind == "tuple":
        items = _sequence(value)
        n = len(rtype.items)
        if items is None or len(items) != n:
            raise ReturnMismatch(f"{where} should be a tuple of {n} items, but it is {what_it_is(value)}")
        return tuple(coerce(v, t, f"{where}[{i}]") for i, (v, t) in enumerate(zip(items, rtype.items, strict=False)))
    if kind == "dict":
        if not isinstance(value, dict):
            raise ReturnMismatch(f"{where} should be a dict, but it is {what_it_is(value)}")
        return {k: coerce(v, rtype.items[0], f"{where}[{k!r}]") for k, v in value.items()}
    raise AssertionError(kind)


def _number(value: Any) -> float | int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, (int, float)):
        return value
    if isinstance(value, (torch.Tensor, np.ndarray)) and math.prod(value.shape) == 1:
        item = value.reshape(-1)[0].item()
        return None if isinstance(item, bool) else item
    return None


def _sequence(value: Any) -> list[Any] | None:
    if isinstance(value, (list, tuple)):
        return list(value)
    if isinstance(value, (torch.Tensor, np.ndarray)) and len(value.shape) == 1:
        return [float(v) for v in value.tolist()]
    return None


def _tensor(value: Any, where: str) -> torch.Tensor:
    if isinstance(value, torch.Tensor):
        return value.detach()
    if isinstance(value, np.ndarray):
        return torch.from_numpy(value)
    if isinstance(value, bool) or value is None:
        raise ReturnMismatch(f"{where} should be a tensor, but it is {what_it_is(value)}")
    if isinstance(value, (int, float)):
        return torch.tensor(float(value), dtype=torch.float64)
    if isinstance(value, (list, tuple)):
        try:
            return torch.tensor(value, dtype=torch.float64)
        except (TypeError, ValueError, RuntimeError):
            pass
    raise ReturnMismatch(f"{where} should be a tensor, but it is {what_it_is(value)}")
