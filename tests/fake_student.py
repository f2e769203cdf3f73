"""A student side without a sandbox, for judging a kind on chosen values: what a check says."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from grader.checks.cases import Case
from grader.checks.kind import Verdict
from grader.checks.runner import PlannedCheck
from grader.checks.student import Ask, CallRecord, Evaluation, StudentFailure
from grader.sandbox.results import CallResult
from tests.conftest import plan_for


class FakeStudent:
    """A student side whose every evaluation returns `value` (or raises `failure`)."""

    def __init__(self, value: Any, failure: StudentFailure | None = None, args: tuple[Any, ...] = (),
                 args_after: Any = None):
        self.value, self.failure, self.args, self.args_after = value, failure, args, args_after

    def evaluate(self, case: Case, ask: Ask | None = None) -> Evaluation:
        if self.failure is not None:
            raise self.failure
        result = CallResult("ok", value=self.value, args_after=self.args_after)
        record = CallRecord(case.call.split("(")[0], self.args, {}, (list(self.args), {}), result, self.value)
        return Evaluation(self.value, [record])


def hidden_case(name: str, check_kind: str, target: str | None = None) -> tuple[PlannedCheck, Case, Any]:
    """The first hidden case of the assignment's first check of that kind (and target), or its
    first case made hidden when the check has none."""
    planned = checked(name, check_kind, target)
    case = next((c for c in planned.cases if c.hidden), None) or replace(planned.cases[0], group="hidden")
    answers = plan_for(name).answers
    expected = answers.get(planned.spec, case, planned.kind) if planned.kind.needs_reference else None
    return planned, case, expected


def judge(name: str, planned: PlannedCheck, case: Case, expected: Any, student: FakeStudent) -> Verdict:
    return planned.kind.judge(planned.spec, case, student, expected, plan_for(name).context)  # type: ignore[arg-type]


def checked(name: str, check_kind: str, target: str | None = None, named: str = "") -> PlannedCheck:
    """The assignment's first check of that kind (and target, and with `named` in its name)."""
    return next(p for p in plan_for(name).checks
                if p.spec.kind == check_kind and target in (None, p.spec.target) and named in p.spec.name)


def public_case(name: str, check_kind: str, target: str | None = None,
                named: str = "") -> tuple[PlannedCheck, Case, Any]:
    """The first explicit case of such a check, with the reference's answer to it."""
    planned = checked(name, check_kind, target, named)
    case = next(c for c in planned.cases if c.group == "case")
    return planned, case, plan_for(name).answers.get(planned.spec, case, planned.kind)
