"""A small, safe expression language for the calls an assignment declares.

`assignment.toml` says what to call as Python-looking text, e.g. `train(xs, ys, lr=lr)[1]` or
`manual_gradients(x, y, w1, w2, b)`. Text is parsed with `ast` and only literals, names,
arithmetic, subscripts and calls of known functions are evaluated; there is no attribute access,
no import, no lambda. Calls to the assignment's functions go to whichever side is being asked
(the student's sandbox or the reference), so one declaration serves both.
"""

from __future__ import annotations

import ast
import functools
import operator
from collections.abc import Callable, Mapping
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


@functools.lru_cache(maxsize=4096)
def parse(text: str) -> ast.expr:
    """Parse and vet one expression (cached: the same text recurs across submissions)."""
    try:
        tree = ast.parse(text.strip(), mode="eval")
    except SyntaxError as exc:
        raise ExprError(f"{text!r} is not a valid expression: {exc.msg}") from exc
    _vet(tree.body, text)
    return tree.body


@functools.lru_cache(maxsize=1024)
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


class Evaluator:
    """Evaluates vetted expressions over variables and a table of callable names."""

    def __init__(self, functions: Mapping[str, Callable[..., Any]], variables: dict[str, Any]):
        self.functions = functions
        self.variables = variables

    def eval(self, text: str) -> Any:
        return self._eval(parse(text))

    def run_step(self, text: str) -> None:
        names, node = parse_step(text)
        value = self._eval(node)
        if len(names) == 1:
            self.variables[names[0]] = value
            return
        try:
            items = list(value)
        except TypeError as exc:
            raise ExprError(f"{text!r}: the value cannot be unpacked into {len(names)} names") from exc
        if len(items) != len(names):
            raise ExprError(f"{text!r}: {len(items)} values for {len(names)} names")
        self.variables.update(zip(names, items, strict=True))

    def _eval(self, node: ast.expr) -> Any:
        if isinstance(node, ast.Constant):
            return node.value
        if isinstance(node, ast.Name):
            if node.id in self.variables:
                return self.variables[node.id]
            raise ExprError(f"unknown name {node.id!r}")
        if isinstance(node, ast.List):
            return [self._eval(e) for e in node.elts]
        if isinstance(node, ast.Tuple):
            return tuple(self._eval(e) for e in node.elts)
        if isinstance(node, ast.Dict):
            return {
                self._eval(k): self._eval(v) for k, v in zip(node.keys, node.values, strict=True)
                if k is not None
            }
        if isinstance(node, ast.UnaryOp):
            return _UNARY[type(node.op)](self._eval(node.operand))
        if isinstance(node, ast.BinOp):
            return _BINOPS[type(node.op)](self._eval(node.left), self._eval(node.right))
        if isinstance(node, ast.Subscript):
            return self._subscript(node)
        if isinstance(node, ast.Call):
            return self._call(node)
        raise ExprError(f"cannot evaluate {type(node).__name__}")

    def _subscript(self, node: ast.Subscript) -> Any:
        container = self._eval(node.value)
        if isinstance(node.slice, ast.Slice):
            lower = self._eval(node.slice.lower) if node.slice.lower else None
            upper = self._eval(node.slice.upper) if node.slice.upper else None
            return container[lower:upper]
        return container[self._eval(node.slice)]

    def _call(self, node: ast.Call) -> Any:
        assert isinstance(node.func, ast.Name)
        name = node.func.id
        fn = self.functions.get(name)
        if fn is None:
            raise ExprError(f"unknown function {name!r}")
        args: list[Any] = []
        for arg in node.args:
            if isinstance(arg, ast.Starred):
                args.extend(self._eval(arg.value))
            else:
                args.append(self._eval(arg))
        kwargs = {kw.arg: self._eval(kw.value) for kw in node.keywords if kw.arg is not None}
        return fn(*args, **kwargs)
