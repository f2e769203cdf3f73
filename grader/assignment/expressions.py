"""Every expression of an assignment checked when it loads: one message per mistake, with its field.

An expression is evaluated long after the file is read (a hidden case's variables only when
grading), so a typo would otherwise surface as a traceback in the middle of a batch. Here each
one is read in the scope it will run in (see the table in docs/authoring/reference.md): the
names it uses must be defined above it, the functions it calls must be helpers or the stub's
functions where those are available, random helpers only where a seed is. Then the course data,
the explicit cases and one draw of every group are evaluated for real, which catches wrong
arguments (`uniform(1.0)`) too.
"""

from __future__ import annotations

import ast
import difflib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np

from grader.assignment.helper_docs import RANDOM
from grader.assignment.spec import AssignmentSpec, CaseGroup, CheckBase, ConvergesCheck, GradientCheck, HistoryCheck
from grader.language.draws import RESERVED
from grader.language.evaluator import Evaluator
from grader.language.helpers import finalize, make_helpers
from grader.language.syntax import ExprError, parse, parse_step

HELPERS = frozenset(make_helpers())


@dataclass(frozen=True)
class Scope:
    """What an expression may use: variables, and which functions."""

    variables: frozenset[str]
    stub: frozenset[str] = frozenset()  # the stub's functions, where they may be called
    random: bool = False  # random helpers allowed (case variables are drawn from a seed)
    where: str = ""  # which cases, when one field serves several (" for cases[1]")

    def plus(self, names: Iterable[str]) -> Scope:
        return Scope(self.variables | frozenset(names), self.stub, self.random, self.where)


class _Checker:
    def __init__(self, spec: AssignmentSpec, stub: set[str]):
        self.spec = spec
        self.stub = frozenset(stub)
        self.problems: list[str] = []
        self.seen: set[str] = set()

    def report(self, field: str, message: str, about: str | None = None) -> None:
        """One message per field and name: the first case that shows the mistake is enough."""
        key = f"{field}\0{about if about is not None else message}"
        if key not in self.seen:
            self.seen.add(key)
            self.problems.append(f"{field}: {message}")

    def text(self, field: str, text: Any, scope: Scope, *, step: bool = False) -> tuple[str, ...]:
        """Check one expression (or step); returns the names a step defines."""
        if not isinstance(text, str):
            self.report(field, f"must be a string holding an expression, not {text!r}")
            return ()
        try:
            targets, node = parse_step(text) if step else ((), parse(text))
        except ExprError as exc:
            self.report(field, str(exc))
            return ()
        called = {id(n.func) for n in ast.walk(node) if isinstance(n, ast.Call)}
        for sub in ast.walk(node):
            if isinstance(sub, ast.Name) and id(sub) in called:
                self._call(field, sub.id, scope)
            elif isinstance(sub, ast.Name) and sub.id not in scope.variables:
                self._name(field, sub.id, scope)
        return targets

    def _call(self, field: str, name: str, scope: Scope) -> None:
        if name in scope.stub or (name in HELPERS and (scope.random or name not in RANDOM)):
            return
        if name in RANDOM:
            self.report(field, f"{name}() draws at random and may only be used for case variables ([data], "
                               "cases, groups): draw the value there and use its name here")
        elif name in self.stub:
            self.report(field, f"{name}() is a function of the stub; variables are drawn before any function "
                               "runs: call it in the check's `call` or `steps`")
        elif scope.stub:
            self.report(field, f"unknown function {name!r}: neither a function of the stub nor a helper"
                               f"{_did_you_mean(name, scope.stub | HELPERS)}")
        else:
            self.report(field, f"unknown helper {name!r}{_did_you_mean(name, HELPERS)}")

    def _name(self, field: str, name: str, scope: Scope) -> None:
        if name in HELPERS or name in self.stub:
            self.report(field, f"{name!r} is a function: call it, e.g. {name}(...)")
            return
        if scope.variables == {"result"}:
            self.report(field, f"unknown name {name!r}: this expression takes the history out of `result`, "
                               "the call's result, e.g. `result[1]` or `result`")
            return
        known = sorted(scope.variables)
        listed = f"; known here: {', '.join(known)}" if 0 < len(known) <= 15 else ""
        self.report(field, f"unknown name {name!r}{scope.where}{_did_you_mean(name, known)}: define it "
                           f"in [data], in the case or in a step before it is used{listed}", about=name)

    def variables(self, prefix: str, table: Mapping[str, Any], scope: Scope) -> Scope:
        """A table of case variables, in order: each may use the ones above it."""
        for name, value in table.items():
            if name in RESERVED:
                continue
            if isinstance(value, str):
                self.text(f"{prefix}.{name}", value, scope)
            scope = scope.plus([name])
        return scope

    def call(self, call: tuple[str, str], steps: tuple[str, list[str]], scope: Scope) -> None:
        """Steps in order, each adding its names, then the call: each (field, text)."""
        for k, step in enumerate(steps[1]):
            scope = scope.plus(self.text(f"{steps[0]}[{k}]", step, scope, step=True))
        self.text(call[0], call[1], scope)

    def run(self) -> list[str]:
        spec = self.spec
        data = self.variables("data", spec.data, Scope(frozenset(), random=True))
        for name, group in spec.groups.items():
            self.group(f"groups.{name}", group, data)
        for i, check in enumerate(spec.checks):
            self.check(f"checks[{i}]", check, data)
        return self.problems

    def group(self, prefix: str, group: CaseGroup, data: Scope) -> Scope:
        return self.variables(prefix, group.variables(), data)

    def check(self, prefix: str, check: CheckBase, data: Scope) -> None:
        """The check's call, steps and kind's fields in the scope of each of its case sources."""
        own = (f"{prefix}.call", check.call), (f"{prefix}.steps", check.steps)
        for j, case in enumerate(check.cases):
            where = f"{prefix}.cases[{j}]"
            named = f" for cases[{j}]" if "cases" in check.model_fields_set else " on the course data"
            scope = Scope(self.variables(where, case, data).variables, self.stub, where=named)
            call, steps = own
            if "call" in case:
                call = (f"{where}.call", case["call"])
            if "steps" in case:
                steps = (f"{where}.steps", case["steps"])
                if not (isinstance(case["steps"], list) and all(isinstance(s, str) for s in case["steps"])):
                    self.report(f"{where}.steps", "must be a list of strings (`name = expression`)")
                    steps = (steps[0], [])
            if "label" in case and not isinstance(case["label"], str):
                self.report(f"{where}.label", f"must be a string, not {case['label']!r}")
            self.call(call, steps, scope)
            self.kind_fields(prefix, check, scope)
        for label in ("random", "hidden"):
            ref = getattr(check, label)
            group = self.spec.group(ref)
            if group is None:
                continue
            if isinstance(ref, str):
                at, variables = f"groups.{ref}", data.variables | frozenset(group.variables())
                where = f" for the {label} cases (group {ref!r})"
            else:
                at, where = f"{prefix}.{label}", f" for the {label} cases"
                variables = self.group(at, group, data).variables
            scope = Scope(variables, self.stub, where=where)
            call = own[0] if group.call is None else (f"{at}.call", group.call)
            steps = own[1] if group.steps is None else (f"{at}.steps", group.steps)
            self.call(call, steps, scope)
            self.kind_fields(prefix, check, scope)

    def kind_fields(self, prefix: str, check: CheckBase, scope: Scope) -> None:
        plain = Scope(scope.variables, where=scope.where)
        if isinstance(check, GradientCheck):
            self.text(f"{prefix}.loss", check.loss, Scope(scope.variables, self.stub, where=scope.where))
            for name in check.wrt:
                if name not in scope.variables:
                    self.report(f"{prefix}.wrt", f"{name!r} is not a variable{scope.where}"
                                                 f"{_did_you_mean(name, sorted(scope.variables))}", about=name)
        if isinstance(check, (HistoryCheck, ConvergesCheck)):
            self.text(f"{prefix}.history", check.history, Scope(frozenset({"result"})))
        if isinstance(check, ConvergesCheck) and check.length is not None:
            self.text(f"{prefix}.length", check.length, plain)


def _did_you_mean(name: str, candidates: Iterable[str]) -> str:
    close = difflib.get_close_matches(name, list(candidates), n=1, cutoff=0.6)
    return f" (did you mean {close[0]!r}?)" if close else ""


def problems(spec: AssignmentSpec, stub_functions: set[str]) -> list[str]:
    """`field: what is wrong` for every expression mistake; then, if there is none, a trial draw."""
    found = _Checker(spec, stub_functions).run()
    return found or trial_draw(spec)


def trial_draw(spec: AssignmentSpec) -> list[str]:
    """Evaluate the course data, every explicit case and one draw of every group."""
    rng = np.random.default_rng(0)
    found: list[str] = []
    data = _draw("data", spec.data, {}, rng, found)
    if found:
        return found  # every case starts from the data: its failure would repeat in each
    tables: list[tuple[str, Mapping[str, Any]]] = [(f"groups.{n}", g.variables()) for n, g in spec.groups.items()]
    for i, check in enumerate(spec.checks):
        tables += [(f"checks[{i}].cases[{j}]", case) for j, case in enumerate(check.cases)]
        tables += [(f"checks[{i}].{label}", group.variables()) for label in ("random", "hidden")
                   if isinstance(group := getattr(check, label), CaseGroup)]
    for prefix, table in tables:
        _draw(prefix, table, data, rng, found)
    return found


def _draw(prefix: str, table: Mapping[str, Any], base: Mapping[str, Any], rng: np.random.Generator,
          found: list[str]) -> dict[str, Any]:
    variables = dict(base)
    evaluator = Evaluator(make_helpers(rng), variables)
    for name, text in table.items():
        if name in RESERVED:
            continue
        if not isinstance(text, str):
            variables[name] = text
            continue
        try:
            variables[name] = evaluator.eval(text)
        except Exception as exc:  # any failure of an author's expression is the author's to fix
            text_of = str(exc).strip().replace("_build_helpers.<locals>.", "")
            message = text_of.splitlines()[0] if text_of else type(exc).__name__
            found.append(f"{prefix}.{name}: {text!r} fails: {message}")
            return {k: finalize(v) for k, v in variables.items()}
    return {k: finalize(v) for k, v in variables.items()}
