"""Sending a check's calls ahead: every case's first student call, in one pipelined exchange.

A case's first call to a student function is known before anything runs: it is the first stub
function call that completes when the case's steps and call are evaluated (the innermost
first, left to right), and its arguments use only the case's variables and the helpers. It is
found by reading the parsed expressions, once per case when the plan is built, and the same for
every student. The sandbox then computes the answers while the grader judges the first ones.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass
from typing import Any

from grader.checks.cases import Case
from grader.checks.student import StudentFailure, StudentSide
from grader.language.evaluator import Evaluator
from grader.language.helpers import plain_helpers
from grader.language.syntax import ExprError, parse, parse_step


@dataclass(frozen=True)
class FirstCall:
    fn: str
    args: tuple[Any, ...]
    kwargs: dict[str, Any]


def first_call(case: Case, stub: frozenset[str]) -> FirstCall | None:
    """The student call `case` makes first, or None when it cannot be known in advance."""
    evaluator = Evaluator(plain_helpers(), dict(case.variables))
    try:
        for step in case.steps:
            found = _first(parse_step(step)[1], stub)
            if found is not None:
                return _call(evaluator, found)
            evaluator.run_step(step)
        found = _first(parse(case.call), stub)
        return _call(evaluator, found) if found is not None else None
    except (ExprError, LookupError, TypeError, ValueError, ArithmeticError):
        return None  # the real evaluation reports the declaration's problem


def _first(node: ast.AST, stub: frozenset[str]) -> ast.Call | None:
    """The first stub call to complete in evaluation order: arguments before the call itself."""
    for child in ast.iter_child_nodes(node):
        found = _first(child, stub)
        if found is not None:
            return found
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in stub:
        return node
    return None


def _call(evaluator: Evaluator, node: ast.Call) -> FirstCall:
    assert isinstance(node.func, ast.Name)
    args, kwargs = evaluator.arguments(node)
    return FirstCall(node.func.id, args, kwargs)


def prefetch(student: StudentSide, calls: list[FirstCall]) -> None:
    """Have the sandbox answer these calls back to back, ahead of the checks that need them.

    Calls the student's function cannot take are left out: the check itself will say why."""
    if not student.session.load().ok:
        return
    batch = []
    for call in calls:
        try:
            args, kwargs = student.arranged(call.fn, call.args, call.kwargs)
        except StudentFailure:
            continue
        batch.append((call.fn, args, kwargs, student.assignment.signatures[call.fn].by_hand))
    student.session.prefetch(batch)
