"""Evaluating vetted expressions: over a case's variables and a table of callable names.

Calls to the assignment's functions go to whichever side the table holds (the student's sandbox
or the reference), so one declaration serves both.
"""

from __future__ import annotations

import ast
from collections.abc import Callable, Mapping
from typing import Any

from grader.language.syntax import _BINOPS, _UNARY, ExprError, parse, parse_step


class Evaluator:
    """Evaluates vetted expressions over variables and a table of callable names."""

    def __init__(self, functions: Mapping[str, Callable[..., Any]], variables: dict[str, Any]):
        self.functions = functions
        self.variables = variables

    def eval(self, text: str) -> Any:
        return self._eval(parse(text))

    def eval_parsed(self, node: ast.expr) -> Any:
        """Evaluate an expression parsed (and vetted) once before, such as a case's call."""
        return self._eval(node)

    def run_step(self, text: str, parsed: tuple[tuple[str, ...], ast.expr] | None = None) -> None:
        names, node = parsed or parse_step(text)
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
        args, kwargs = self.arguments(node)
        return fn(*args, **kwargs)

    def arguments(self, node: ast.Call) -> tuple[tuple[Any, ...], dict[str, Any]]:
        """A call's arguments, evaluated in order, without making the call."""
        args: list[Any] = []
        for arg in node.args:
            if isinstance(arg, ast.Starred):
                args.extend(self._eval(arg.value))
            else:
                args.append(self._eval(arg))
        kwargs = {kw.arg: self._eval(kw.value) for kw in node.keywords if kw.arg is not None}
        return tuple(args), kwargs
