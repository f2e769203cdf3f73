"""`values`: the call's result equals the reference's (and, optionally, keeps the graph)."""

from __future__ import annotations

from typing import Any

from grader.assignment.spec import ValuesCheck
from grader.checks.cases import Case
from grader.checks.compare import compare
from grader.checks.runner import Context, Verdict, evaluate, lead, subject
from grader.checks.sides import ReferenceSide, StudentSide
from grader.sandbox.inside import values


class ValuesKind:
    needs_reference = True
    pipelined = True  # its cases' calls are independent: see runner.first_calls

    def expected(self, check: ValuesCheck, case: Case, reference: ReferenceSide) -> Any:
        return evaluate(case, reference.functions())

    def judge(self, check: ValuesCheck, case: Case, student: StudentSide, expected: Any,
              ctx: Context) -> Verdict:
        actual = evaluate(case, student.functions())
        mismatch = compare(actual, expected, check.rtol, check.atol)
        if mismatch:
            return Verdict(False, lead(case) + mismatch.describe(subject(case)))
        if check.keeps_graph and student.last is not None:
            meta = values.tensor_meta(student.last.result.wire.get("value"))
            if meta is None or not meta["grad_fn"]:
                what = "a tensor without a grad_fn" if meta else "something that is not a tensor"
                return Verdict(False, (
                    f"{lead(case)}{subject(case)} has the right value but returned {what}: the "
                    "graph back to the weights was cut (by .item(), float(), .data, .detach() or "
                    "a new torch.tensor), so .backward() could not reach them"
                ))
        return Verdict(True)
