"""`history` and `converges`: what a training loop reports, epoch by epoch.

`history` compares the loss history with the reference's entry by entry, with a relative
tolerance and an absolute floor scaled to the history's size (float32 and float64 runs of a
correct loop agree to about 1e-6 of the first loss; a wrong learning rate or update rule does
not). `converges` needs no reference: the losses are finite, end lower than they start, and end
below a bound when one is declared.
"""

from __future__ import annotations

import math
from typing import Any

from grader.assignment.spec import ConvergesCheck, HistoryCheck
from grader.checks.cases import Case, brief, fmt, make_helpers
from grader.checks.compare import compare
from grader.checks.expr import Evaluator
from grader.checks.runner import Context, Verdict, evaluate, lead, pick, plain, subject
from grader.checks.sides import ReferenceSide, StudentFailure, StudentSide

FLOOR = 1e-6  # absolute tolerance, as a fraction of the largest reference loss


def _history(check: HistoryCheck | ConvergesCheck, case: Case, result: Any, student: bool) -> list[float]:
    history = pick(check.history, result)
    if not isinstance(history, list) or not all(isinstance(v, float) for v in history):
        if student:
            raise StudentFailure("failed", f"{lead(case)}the history in {check.history} of "
                                 f"{subject(case)} is {brief(history)}, not a list of numbers")
        return []
    return history


class HistoryKind:
    needs_reference = True
    pipelined = True  # its cases' calls are independent: see runner.first_calls

    def expected(self, check: HistoryCheck, case: Case, reference: ReferenceSide) -> Any:
        return _history(check, case, evaluate(case, reference.functions()), student=False)

    def judge(self, check: HistoryCheck, case: Case, student: StudentSide, expected: Any,
              ctx: Context) -> Verdict:
        actual = _history(check, case, evaluate(case, student.functions()), student=True)
        # Only the first public case's numbers reach the report (see runner.run_check).
        data = None if case.hidden else {"history": plain(actual), "reference": plain(expected)}
        scale = max((abs(v) for v in expected if math.isfinite(v)), default=1.0)
        atol = max(check.atol, FLOOR * scale)
        mismatch = compare(actual, expected, check.rtol, atol)
        if mismatch is None:
            return Verdict(True, data=data)
        message = f"{lead(case)}{subject(case)}: " + mismatch.describe("history", "the reference has")
        if len(actual) != len(expected):
            message += " (one value per epoch: is `epochs` used?)"
        else:
            agree = 0
            for a, e in zip(actual, expected, strict=True):
                if not math.isclose(a, e, rel_tol=check.rtol, abs_tol=atol):
                    break
                agree += 1
            if agree == 0:
                message += " (they differ from the first value on)"
            else:
                first = "the first value agrees" if agree == 1 else f"the first {agree} values agree"
                message += f" ({first}, then the histories drift apart)"
        return Verdict(False, message, data)


class ConvergesKind:
    needs_reference = False
    pipelined = True  # its cases' calls are independent: see runner.first_calls

    def expected(self, check: ConvergesCheck, case: Case, reference: ReferenceSide) -> Any:
        return None

    def judge(self, check: ConvergesCheck, case: Case, student: StudentSide, expected: Any,
              ctx: Context) -> Verdict:
        history = _history(check, case, evaluate(case, student.functions()), student=True)
        data = None if case.hidden else {"history": plain(history)}
        where = f"{lead(case)}the loss history of {subject(case)}"
        if not history:
            return Verdict(False, f"{where} is empty", data)
        if check.length is not None:
            want = Evaluator(make_helpers(), dict(case.variables)).eval(check.length)
            if len(history) != want:
                return Verdict(False, (
                    f"{where} has {len(history)} values; expected {want}, one per epoch "
                    "(is `epochs` used?)"), data)
        for i, value in enumerate(history):
            if not math.isfinite(value):
                if i == 0:
                    why = "the loss is not a number from the start: check the loss itself"
                else:
                    why = "training diverged (learning rate too large, or a sign error in the update?)"
                return Verdict(False, f"{where} has {fmt(value)} at epoch {i}: {why}", data)
        first, last = history[0], history[-1]
        if len(history) > 1 and not last < first:
            return Verdict(False, f"{where} does not decrease: it goes from {fmt(first)} to {fmt(last)}", data)
        if check.final_below is not None and not last < check.final_below:
            return Verdict(False, (
                f"{where} ends at {fmt(last)}, above the bound {fmt(check.final_below)}"), data)
        return Verdict(True, data=data)
