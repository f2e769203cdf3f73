"""What an expression of assignment.toml may say: parsing, and the vetting that keeps it safe.

Text is parsed with `ast` and only literals, names, arithmetic, subscripts and calls of plain
names are accepted: no attribute access, no import, no lambda, no comprehension. The names an
expression uses and calls are read here too, so that declarations can be checked when an
assignment loads, long before anything is evaluated.
"""

from __future__ import annotations

import ast
import operator
from collections.abc import Callable
from typing import Any

_BINOPS: dict[type[ast.operator], Callable[[Any, Any], Any]] = {
    ast.Add: operator.add,
    ast.Sub: operator.sub,
    ast.Mult: operator.mul,
    ast.Div: operator.truediv,
    ast.Pow: operator.pow,
    ast.Mod: operator.mod,
    ast.FloorDiv: operator.floordiv,
}
_UNARY: dict[type[ast.unaryop], Callable[[Any], Any]] = {
    ast.USub: operator.neg,
    ast.UAdd: operator.pos,
}


class ExprError(ValueError):
    """The text is not in the expression language, or names something unknown."""


def parse(text: str) -> ast.expr:
    """Parse and vet one expression."""
    try:
        tree = ast.parse(text.strip(), mode="eval")
    except SyntaxError as exc:
        raise ExprError(f"{text!r} is not a valid expression: {exc.msg}") from exc
    _vet(tree.body, text)
    return tree.body


def parse_step(text: str) -> tuple[tuple[str, ...], ast.expr]:
    """Parse `name = expr` or `a, b = expr`; returns the target names and the expression."""
    try:
        module = ast.parse(text.strip(), mode="exec")
    except SyntaxError as exc:
        raise ExprError(f"{text!r} is not a valid step: {exc.msg}") from exc
    if len(module.body) != 1 or not isinstance(module.body[0], ast.Assign):
        raise ExprError(f"{text!r}: a step is one assignment, `name = expression`")
    assign = module.body[0]
    if len(assign.targets) != 1:
        raise ExprError(f"{text!r}: one target per step")
    target = assign.targets[0]
    if isinstance(target, ast.Name):
        names: tuple[str, ...] = (target.id,)
    elif isinstance(target, ast.Tuple) and all(isinstance(e, ast.Name) for e in target.elts):
        names = tuple(e.id for e in target.elts if isinstance(e, ast.Name))
    else:
        raise ExprError(f"{text!r}: the target must be a name or a tuple of names")
    _vet(assign.value, text)
    return names, assign.value


def called_names(text: str, *, step: bool = False) -> set[str]:
    """Names of the functions an expression (or a step) calls, to validate an assignment."""
    node: ast.AST = parse_step(text)[1] if step else parse(text)
    return {
        n.func.id for n in ast.walk(node) if isinstance(n, ast.Call) and isinstance(n.func, ast.Name)
    }


def names_used(text: str) -> set[str]:
    node: ast.AST = parse(text)
    return {n.id for n in ast.walk(node) if isinstance(n, ast.Name)}


def _vet(node: ast.AST, text: str) -> None:
    allowed = (
        ast.Constant, ast.Name, ast.Load, ast.Store, ast.List, ast.Tuple, ast.Dict, ast.UnaryOp,
        ast.BinOp, ast.Subscript, ast.Slice, ast.Call, ast.keyword, ast.Starred,
        *_BINOPS, *_UNARY,
    )
    for sub in ast.walk(node):
        if not isinstance(sub, allowed):
            raise ExprError(f"{text!r}: {type(sub).__name__} is not allowed in check expressions")
        if isinstance(sub, ast.Call) and not isinstance(sub.func, ast.Name):
            raise ExprError(f"{text!r}: only plain function names can be called")
