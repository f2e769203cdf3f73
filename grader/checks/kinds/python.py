"""`python`: a check written by the instructor in the assignment's `checks.py`.

The function receives the student's functions, the reference's (or None on a machine without
the solution) and the case's variables, and returns None when the case passes or a message for
the student when it does not. Student calls inside it are sandboxed like any other.
"""

from __future__ import annotations

from typing import Any

from grader.assignment.spec import PythonCheck
from grader.checks.cases import Case
from grader.checks.errors import ConfigError
from grader.checks.kind import Context, Verdict
from grader.checks.messages import subject
from grader.checks.reference import ReferenceSide
from grader.checks.student import StudentSide, functions_of


class PythonKind:
    needs_reference = False
    pipelined = False

    def expected(self, check: PythonCheck, case: Case, reference: ReferenceSide) -> Any:
        return None

    def judge(self, check: PythonCheck, case: Case, student: StudentSide, expected: Any,
              ctx: Context) -> Verdict:
        module = ctx.assignment.custom_checks
        function = getattr(module, check.function, None)
        if not callable(function):
            raise ConfigError(f"checks.py defines no {check.function}()")
        reference = ctx.reference.functions if ctx.reference else None
        message = function(functions_of(student), reference, dict(case.variables))
        if message is None:
            return Verdict(True)
        return Verdict(False, str(message), f"{subject(case)} did not pass this check")
