"""Running one check over its cases, and the reference's answers those cases are judged against.

A check passes only when every case passes (public, random and hidden alike), so a hard-coded
answer that fits the course data earns nothing. The message is the first failing case's, with a
count of how many cases failed.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, Literal, Protocol

import torch

from grader.assignment.loader import Assignment
from grader.assignment.spec import CheckSpec
from grader.checks.cases import Case, make_helpers
from grader.checks.expr import Evaluator, ExprError
from grader.checks.sides import ReferenceFailure, ReferenceSide, StudentFailure, StudentSide
from grader.sandbox.inside import values

Status = Literal["passed", "failed", "error", "timeout", "skipped"]
log = logging.getLogger("grader")


class ConfigError(RuntimeError):
    """A check's declaration cannot be evaluated (unknown name, bad shape): fix assignment.toml."""


class NoReference(LookupError):
    """Neither the reference solution nor a recorded answer is available for this case."""


@dataclass
class Verdict:
    passed: bool
    message: str = ""
    data: dict[str, Any] | None = None


@dataclass
class Outcome:
    status: Status
    message: str
    cases_passed: int = 0
    cases_total: int = 0
    hidden_total: int = 0
    data: dict[str, Any] | None = None


@dataclass
class Context:
    """What a kind may use besides the student: the reference (when the grader has it)."""

    assignment: Assignment
    reference: ReferenceSide | None


class Kind(Protocol):
    needs_reference: bool  # judged against the reference's answers (pipelined: optional attribute)

    def expected(self, check: Any, case: Case, reference: ReferenceSide) -> Any: ...

    def judge(self, check: Any, case: Case, student: StudentSide, expected: Any, ctx: Context) -> Verdict: ...


def evaluate(
    case: Case,
    functions: Mapping[str, Callable[..., Any]],
    default_dtype: torch.dtype = torch.float32,
    extra: Mapping[str, Any] | None = None,
) -> Any:
    """Run a case's steps and call with the given side's functions; returns the call's value."""
    variables = dict(case.variables)
    if extra:
        variables.update(extra)
    evaluator = Evaluator(_namespace(functions, default_dtype), variables)
    try:
        for step in case.steps:
            evaluator.run_step(step)
        return evaluator.eval(case.call)
    except ExprError as exc:
        raise ConfigError(f"{case.call!r}: {exc}") from exc


_namespaces: dict[tuple[int, torch.dtype], tuple[Mapping[str, Any], dict[str, Callable[..., Any]]]] = {}


def _namespace(functions: Mapping[str, Callable[..., Any]], dtype: torch.dtype) -> dict[str, Callable[..., Any]]:
    """Helpers plus a side's functions, merged once per side (the table is the same every case)."""
    key = (id(functions), dtype)
    cached = _namespaces.get(key)
    if cached is None or cached[0] is not functions:
        if len(_namespaces) > 256:
            _namespaces.clear()
        cached = (functions, {**make_helpers(default_dtype=dtype), **functions})
        _namespaces[key] = cached
    return cached[1]


def pick(expression: str, result: Any) -> Any:
    """Evaluate a path such as `result[1]` on a call's result."""
    try:
        return Evaluator({}, {"result": result}).eval(expression)
    except (ExprError, IndexError, KeyError, TypeError) as exc:
        raise ConfigError(f"{expression!r} cannot be taken from the result: {exc}") from exc


def subject(case: Case) -> str:
    """The call as declared, with its steps: `predict(4.0, w) with w = train(xs, ys)[0]`."""
    text = case.call
    if case.steps:
        text += " with " + "; ".join(case.steps)
    return text


def lead(case: Case) -> str:
    """`with x=2.0, w=1.0: ` before a message about a value the case produced."""
    described = case.describe()
    return f"with {described}: " if described else ""


def origin(case: Case) -> str:
    """`hidden case 2 of 3: ` before a failure whose message already shows the call's inputs."""
    if case.group == "case":
        return ""
    return f"{case.group} case {case.index + 1} of {case.count}: "


class Expectations:
    """The reference's answer to each (check, case): computed once per batch, or replayed.

    With the reference solution at hand (an instructor's machine) answers are computed and
    cached; without it (a student's machine) they come from `expected.json`, which
    `grader generate` records for the public cases.
    """

    def __init__(self, assignment: Assignment, reference: ReferenceSide | None,
                 recorded: Mapping[str, Mapping[str, Any]] | None = None):
        self.assignment = assignment
        self.reference = reference
        self.recorded = recorded or {}
        self.cache: dict[tuple[str, str], Any] = {}
        self._hidden: set[tuple[str, str]] = set()
        self._decoded: dict[tuple[str, str], Any] = {}
        self._lock = threading.Lock()

    def get(self, check: CheckSpec, case: Case, kind: Kind) -> Any:
        """The answer, decoded once and shared: checks compare it but never change it."""
        key = (check.name, case.key())
        with self._lock:
            if key not in self.cache:
                self.cache[key] = self._compute(check, case, kind, key)
                if case.hidden:
                    self._hidden.add(key)
            if key not in self._decoded:
                self._decoded[key] = values.decode(self.cache[key])
            return self._decoded[key]

    def _compute(self, check: CheckSpec, case: Case, kind: Kind, key: tuple[str, str]) -> Any:
        if self.reference is not None:
            try:
                return values.encode(kind.expected(check, case, self.reference))
            except ReferenceFailure as exc:
                raise ConfigError(f"check {check.name!r}, {case.describe() or 'course data'}: {exc}") from exc
        recorded = self.recorded.get(check.name, {})
        if key[1] in recorded:
            return recorded[key[1]]
        raise NoReference(check.name)

    def public_record(self) -> dict[str, dict[str, Any]]:
        """The cached answers to non-hidden cases, for `expected.json`."""
        out: dict[str, dict[str, Any]] = {}
        for (name, case_key), wire in sorted(self.cache.items()):
            if (name, case_key) not in self._hidden:
                out.setdefault(name, {})[case_key] = wire
        return out


def first_calls(cases: list[Case], student: StudentSide) -> list[tuple[str, tuple[Any, ...], dict[str, Any]]]:
    """The student call each case starts with, found by evaluating it against recording stand-ins.

    It is the same for every student, so it is worked out once per case and kept on the case.
    """
    from grader.checks.sides import _Recorded

    calls = []
    for case in cases:
        if case.first_call is None and not case.steps:
            try:
                evaluate(case, student.recorders)
                case.first_call = ()  # the call reaches no student function
            except _Recorded as recorded:
                case.first_call = recorded.call
            except Exception:  # the real evaluation will report whatever this was
                case.first_call = ()
        if case.first_call:
            calls.append(case.first_call)
    return calls


def run_check(
    check: CheckSpec, cases: list[Case], kind: Kind, student: StudentSide,
    expectations: Expectations, ctx: Context,
) -> Outcome:
    if getattr(kind, "pipelined", False):
        student.prefetch(first_calls(cases, student))
    passed = 0
    first: tuple[Status, str] | None = None
    failures = 0
    data: dict[str, Any] | None = None
    ran = 0
    stopped = False
    for case in cases:
        student.hidden = case.hidden
        try:
            expected = expectations.get(check, case, kind) if kind.needs_reference else None
        except NoReference:
            continue
        ran += 1
        try:
            verdict = kind.judge(check, case, student, expected, ctx)
        except StudentFailure as failure:
            failures += 1
            if first is None:
                first = (failure.status, f"{origin(case)}{failure.message}")
            if failure.status in ("error", "timeout"):
                stopped = True
                break  # the same failure would repeat on every case
            continue
        except ConfigError:
            raise
        except Exception as exc:
            log.exception("check %r failed inside the grader", check.name)
            return Outcome("error", (
                f"the grader itself failed on this check ({type(exc).__name__}: {exc}); this is "
                "not a problem with your code: tell your instructor"
            ), passed, len(cases), sum(c.hidden for c in cases))
        if verdict.data is not None and data is None and not case.hidden:
            data = verdict.data
        if verdict.passed:
            passed += 1
        else:
            failures += 1
            if first is None:
                first = ("failed", verdict.message)
    total = len(cases)
    hidden = sum(case.hidden for case in cases)
    if ran == 0:
        return Outcome("skipped", "needs the reference solution, which is not available here",
                       0, total, hidden)
    if first is None:
        return Outcome("passed", _passed_message(passed, hidden), passed, total, hidden, data)
    status, message = first
    if failures > 1 and not stopped:
        message += f" [{passed} of {total} cases passed]"
    return Outcome(status, message, passed, total, hidden, data)


def _passed_message(passed: int, hidden: int) -> str:
    text = "the one case passed" if passed == 1 else f"all {passed} cases passed"
    if hidden:
        text += ", a hidden one" if passed == 1 else f", {hidden} of them hidden"
    return text


def plain(value: Any) -> Any:
    """A JSON-ready copy of a value (tensors as nested lists) for a report's `data`."""
    if isinstance(value, torch.Tensor):
        return value.detach().to(torch.float64).tolist()
    if isinstance(value, (list, tuple)):
        return [plain(v) for v in value]
    if isinstance(value, dict):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, (bool, int, float, str)) or value is None:
        return value
    return repr(value)
