"""What each helper of the expression language does, for the authors' reference and for messages.

The helpers themselves live in `grader.language.helpers.make_helpers`; their signatures and defaults
are read from the code when the reference is generated, so only the words are written here. A
test checks that every helper has an entry and that every example evaluates.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class HelperDoc:
    summary: str
    example: str
    random: bool = False  # draws from the case's random generator: not available in `call`
    signature: str | None = None  # only for Python's built-ins, whose signature inspect cannot read


HELPERS: dict[str, HelperDoc] = {
    "tensor": HelperDoc(
        "A tensor from a number, a list (of lists) or a tensor; float32 unless `dtype` says otherwise "
        "(the gradient check's loss is evaluated in float64).",
        "tensor([[1.0, 2.0], [3.0, 4.0]], dtype='float64')"),
    "grid": HelperDoc("Evenly spaced numbers from `start` to `stop`, both included, `step` apart, as a list.",
                      "grid(0.0, 4.0, 0.1)"),
    "column": HelperDoc("Reshapes a tensor to one column, shape (n, 1).", "column(tensor([1.0, 2.0, 3.0]))"),
    "linspace": HelperDoc("`n` evenly spaced numbers from `start` to `stop`, both included, as a list.",
                          "linspace(-2.0, 2.0, 64)"),
    "zeros": HelperDoc("A tensor of zeros of the given shape (float64 unless `dtype` says otherwise).",
                       "zeros(3, 1)"),
    "ones": HelperDoc("A tensor of ones of the given shape (float64 unless `dtype` says otherwise).", "ones(4)"),
    "sin": HelperDoc("Sine, element by element, of a number, a list or a tensor.", "sin(xs)"),
    "cos": HelperDoc("Cosine, element by element, of a number, a list or a tensor.", "cos(xs)"),
    "exp": HelperDoc("Exponential, element by element, of a number, a list or a tensor.", "exp(xs)"),
    "tanh": HelperDoc("Hyperbolic tangent, element by element, of a number, a list or a tensor.", "tanh(xs)"),
    "sorted": HelperDoc("Python's sorted().", "sorted([3.0, 1.0, 2.0])",
                        signature="sorted(iterable, reverse=False)"),
    "len": HelperDoc("Python's len().", "len(xs)", signature="len(obj)"),
    "abs": HelperDoc("Python's abs().", "abs(-2.5)", signature="abs(x)"),
    "round": HelperDoc("Python's round().", "round(2.71828, 2)", signature="round(number, ndigits=None)"),
    "float": HelperDoc("Python's float().", "float(3)", signature="float(x)"),
    "int": HelperDoc("Python's int().", "int(3.0)", signature="int(x)"),
    "list": HelperDoc("Python's list().", "list((1.0, 2.0))", signature="list(iterable)"),
    "uniform": HelperDoc(
        "A number drawn uniformly from [low, high); with `n`, a list of `n` numbers, or a table (a list "
        "of lists) when `n` is a shape such as `(3, 2)`: wrap it in `tensor(...)` for a matrix.",
        "tensor(uniform(-2.0, 2.0, n=(3, 2)))", random=True),
    "normal": HelperDoc(
        "A number drawn from a normal distribution; with `n`, a list, or a table when `n` is a shape.",
        "normal(0.0, 0.1, n=4)", random=True),
    "randint": HelperDoc(
        "An integer drawn from [low, high], both ends included; with `n`, a list, or a table when `n` "
        "is a shape.", "randint(3, 8)", random=True),
    "choice": HelperDoc("One of the options, drawn with equal chances.", "choice([-1.0, 1.0])", random=True),
    "randn": HelperDoc(
        "A tensor of the given shape drawn from a standard normal distribution, times `scale` "
        "(float64 unless `dtype` says otherwise).", "randn(4, 2, scale=0.5)", random=True),
}

RANDOM = frozenset(name for name, doc in HELPERS.items() if doc.random)


def signature(name: str, fn: Callable[..., Any]) -> str:
    """`uniform(low, high, n=None)`: read from the code, or the entry's own for a built-in."""
    doc = HELPERS.get(name)
    if doc is not None and doc.signature is not None:
        return doc.signature
    params = []
    for param in inspect.signature(fn).parameters.values():
        text = f"*{param.name}" if param.kind is param.VAR_POSITIONAL else param.name
        if param.default is not param.empty:
            text += f"={param.default!r}"
        params.append(text)
    return f"{name}({', '.join(params)})"
