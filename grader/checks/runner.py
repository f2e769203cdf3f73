"""Running one check over its cases: the outcome and the message a student reads.

A check passes only when every case passes (public, random and hidden alike), so a hard-coded
answer that fits the course data earns nothing. Cases run in order (listed, random, hidden) and
the first failure ends the check: no later case could change its points, and the message is that
case's. A failure inside the grader's own code is reported as such (`grader_error`), never as the
student's 0.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from typing import Any, Literal

from grader.assignment.spec import CheckSpec
from grader.checks.answers import Answers
from grader.checks.cases import Case
from grader.checks.errors import ConfigError, NoReference
from grader.checks.kind import Context, Kind
from grader.checks.messages import passed_message, said
from grader.checks.prefetch import FirstCall, first_call, prefetch
from grader.checks.student import StudentFailure, StudentSide

Status = Literal["passed", "failed", "error", "timeout", "skipped"]
log = logging.getLogger("grader")
GRADER_FAULT = "not your fault: the grader failed, not your code; tell your instructor"


@dataclass
class Outcome:
    status: Status
    message: str
    cases_passed: int = 0
    cases_total: int = 0
    hidden_total: int = 0
    data: dict[str, Any] | None = None
    detail: str | None = None  # for instructors only: the full diagnosis
    grader_error: bool = False  # the grader failed on this check: the score means nothing
    notes: list[str] = field(default_factory=list)  # for the report's notes (an accepted convention)


@dataclass(frozen=True)
class PlannedCheck:
    """A check with its cases and, for pipelined kinds, the first call of each case."""

    spec: CheckSpec
    kind: Kind
    cases: list[Case]
    first_calls: list[FirstCall] = field(default_factory=list)

    @classmethod
    def of(cls, spec: CheckSpec, kind: Kind, cases: list[Case], stub: frozenset[str]) -> PlannedCheck:
        calls = [first_call(case, stub) for case in cases] if getattr(kind, "pipelined", False) else []
        return cls(spec, kind, cases, [c for c in calls if c is not None])


@dataclass
class _Tally:
    """What the cases of one check came to, in the order they ran."""

    passed: int = 0
    ran: int = 0
    first: tuple[Status, str, str | None] | None = None  # the failure's status, message and detail
    data: dict[str, Any] | None = None
    notes: list[str] = field(default_factory=list)

    def fail(self, status: Status, said: tuple[str, str | None]) -> None:
        self.first = (status, said[0], said[1])


def run_check(planned: PlannedCheck, student: StudentSide, answers: Answers, ctx: Context) -> Outcome:
    """Judge every case of one check on one submission."""
    check, cases, kind = planned.spec, planned.cases, planned.kind
    if planned.first_calls:
        prefetch(student, planned.first_calls)
    total, hidden = len(cases), sum(case.hidden for case in cases)
    tally = _Tally()
    for case in cases:
        try:
            expected = answers.get(check, case, kind) if kind.needs_reference else None
        except NoReference:
            continue
        tally.ran += 1
        try:
            verdict = kind.judge(check, case, student, expected, ctx)
        except StudentFailure as failure:
            tally.fail(failure.status, said(case, failure.message, failure.gist, call_shown=True))
            break
        except ConfigError:
            raise
        except Exception as exc:
            return grader_failed(check, exc, tally.passed, total, hidden)
        if verdict.data is not None and tally.data is None and not case.hidden:
            tally.data = verdict.data
        if verdict.note and verdict.note not in tally.notes:
            tally.notes.append(verdict.note)
        if verdict.passed:
            tally.passed += 1
        else:
            tally.fail("failed", said(case, verdict.point, verdict.gist))
            break
    return _outcome(tally, total, hidden, student.reordered(check.target))


def _outcome(tally: _Tally, total: int, hidden: int, reordered: str | None) -> Outcome:
    if tally.ran == 0:
        return Outcome("skipped", "needs the reference solution, which is not available here", 0, total, hidden)
    if tally.first is None:
        return Outcome("passed", passed_message(tally.passed, hidden), tally.passed, total, hidden, tally.data,
                       notes=tally.notes)
    status, message, detail = tally.first
    if reordered:  # the names suggest another order than the one the arguments came in
        message, detail = f"{message} ({reordered})", detail and f"{detail} ({reordered})"
    return Outcome(status, message, tally.passed, total, hidden, tally.data, detail, notes=tally.notes)


def grader_failed(check: CheckSpec, exc: Exception, passed: int, total: int, hidden: int) -> Outcome:
    """The grader's own code failed on this check: say so, and mark the score as not to be trusted."""
    log.exception("check %r failed inside the grader", check.name)
    return Outcome("error", f"the grader itself failed on this check ({type(exc).__name__}); {GRADER_FAULT}",
                   passed, total, hidden, detail=f"the grader failed on check {check.name!r}: {type(exc).__name__}: "
                   f"{exc}", grader_error=True)
