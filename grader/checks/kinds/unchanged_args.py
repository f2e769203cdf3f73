"""`unchanged_args`: the call leaves the caller's data as it was.

Arguments cross into the sandbox as copies, so an in-place update there cannot hurt the grader;
to see it, the child sends the arguments back after the call and they are compared exactly.
"""

from __future__ import annotations

from typing import Any

from grader.assignment.spec import UnchangedArgsCheck
from grader.checks.cases import Case
from grader.checks.compare import compare
from grader.checks.formatting import brief
from grader.checks.kind import Context, Verdict
from grader.checks.messages import subject
from grader.checks.reference import ReferenceSide
from grader.checks.student import Ask, StudentSide


class UnchangedArgsKind:
    needs_reference = False
    pipelined = False

    def expected(self, check: UnchangedArgsCheck, case: Case, reference: ReferenceSide) -> Any:
        return None

    def judge(self, check: UnchangedArgsCheck, case: Case, student: StudentSide, expected: Any,
              ctx: Context) -> Verdict:
        record = student.evaluate(case, Ask(return_args=True)).last
        if record is None or record.result.args_after is None:
            return Verdict(True)
        after_args, after_kwargs = record.result.args_after
        params = [p.name for p in ctx.assignment.signatures[record.fn].params]
        before = dict(zip(params, record.args, strict=False)) | record.kwargs
        after = dict(zip(params, after_args, strict=False)) | after_kwargs
        for name, value in before.items():
            mismatch = compare(after.get(name), value, 0.0, 0.0)
            if mismatch:
                where = f"{name}{mismatch.path}"
                advice = ("Work on copies (for example {k: v.clone() for k, v in params.items()}) and return "
                          "new values.")
                changed = f"{subject(case)} changed its argument {name} in place"
                return Verdict(False, f"{changed}: {where} was {brief(mismatch.expected)} and is now "
                               f"{brief(mismatch.actual)}. {advice}", f"{changed}. {advice}")
        return Verdict(True)
