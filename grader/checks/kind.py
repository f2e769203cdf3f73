"""What a check kind is: the reference's answer to a case, and a verdict on the student's.

A kind (grader.checks.kinds) implements `expected` (run in the grader, on the reference; its
answer is kept for the plan) and `judge` (the student's side, through `StudentSide`). Judging
returns a `Verdict`, or raises StudentFailure when a call gave nothing to judge.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Protocol

from grader.assignment.loader import Assignment
from grader.checks.answers import Answers
from grader.checks.cases import Case
from grader.checks.errors import ConfigError
from grader.checks.reference import ReferenceSide
from grader.checks.student import StudentSide
from grader.checks.suspects import Suspect
from grader.language.evaluator import Evaluator
from grader.language.syntax import ExprError


@dataclass
class Verdict:
    """A case's verdict. A failure says what differs twice: `point` with its numbers (a public
    case's message, an instructor's detail), `gist` without any number from the case or the
    reference (a hidden case's message, so that replaying reports cannot rebuild the answers)."""

    passed: bool
    point: str = ""
    gist: str = ""
    data: dict[str, Any] | None = None  # numbers behind the verdict, for plots (public cases only)
    note: str | None = None  # for the report even when the case passed (e.g. another accepted convention)


@dataclass
class Context:
    """What a kind may use besides the student: the reference (when the grader has it), its
    answers, and the mistakes that can be named (checks.diagnose)."""

    assignment: Assignment
    reference: ReferenceSide | None
    answers: Answers
    suspects: list[Suspect] = field(default_factory=list)


class Kind(Protocol):
    needs_reference: bool  # judged against the reference's answers
    pipelined: bool  # its cases' first calls are independent and may be sent ahead (checks.prefetch)

    def expected(self, check: Any, case: Case, reference: ReferenceSide) -> Any: ...

    def judge(self, check: Any, case: Case, student: StudentSide, expected: Any, ctx: Context) -> Verdict: ...


def pick(expression: str, result: Any) -> Any:
    """Evaluate a path such as `result[1]` on a call's result."""
    try:
        return Evaluator({}, {"result": result}).eval(expression)
    except (ExprError, IndexError, KeyError, TypeError) as exc:
        raise ConfigError(f"{expression!r} cannot be taken from the result: {exc}") from exc
