"""`history`: a training loop's loss history against the reference's, entry by entry.

The tolerance is relative with an absolute floor scaled to the history's size: float32 and
float64 runs of a correct loop agree to about 1e-6 of the first loss; a wrong learning rate or
update rule does not.
"""

from __future__ import annotations

import math
from typing import Any

from grader.assignment.spec import ConvergesCheck, HistoryCheck
from grader.checks.cases import Case, run_case
from grader.checks.compare import compare
from grader.checks.diagnose import Judged, diagnose
from grader.checks.formatting import brief, plain
from grader.checks.kind import Context, Verdict, pick
from grader.checks.messages import subject
from grader.checks.reference import ReferenceSide
from grader.checks.student import StudentFailure, StudentSide

FLOOR = 1e-6  # absolute tolerance, as a fraction of the largest reference loss
EPOCHS = " (one value per epoch: is `epochs` used?)"
EMPTY = " (the history is empty: is a value appended to it once per epoch?)"


def history_of(check: HistoryCheck | ConvergesCheck, case: Case, result: Any, student: bool) -> list[float]:
    """The history in a call's result (`check.history`, e.g. `result[1]`), as a list of floats."""
    history = pick(check.history, result)
    if not isinstance(history, list) or not all(isinstance(v, float) for v in history):
        if student:
            where = f"the history in {check.history} of {subject(case)}"
            raise StudentFailure("failed", f"{where} is {brief(history)}, not a list of numbers",
                                 f"{where} is not a list of numbers")
        return []
    return history


class HistoryKind:
    needs_reference = True
    pipelined = True  # its cases' first calls are independent: see checks.prefetch

    def expected(self, check: HistoryCheck, case: Case, reference: ReferenceSide) -> Any:
        return history_of(check, case, run_case(case, reference.functions), student=False)

    def judge(self, check: HistoryCheck, case: Case, student: StudentSide, expected: Any,
              ctx: Context) -> Verdict:
        actual = history_of(check, case, student.evaluate(case).value, student=True)
        # Only the first public case's numbers reach the report (see runner.run_check).
        data = None if case.hidden else {"history": plain(actual), "reference": plain(expected)}
        scale = max((abs(v) for v in expected if math.isfinite(v)), default=1.0)
        atol = max(check.atol, FLOOR * scale)
        mismatch = compare(actual, expected, check.rtol, atol)
        if mismatch is None:
            return Verdict(True, data=data)
        found = diagnose(Judged(check, case, self, actual, expected, check.rtol, atol, ctx), mismatch)
        if found.accepted is not None:
            note = f"{found.accepted.fn}: {found.accepted.words}; that convention is right too, and was accepted"
            return Verdict(True, data=data, note=note)
        point = f"{subject(case)}: " + mismatch.describe("history", "the reference has")
        gist = f"{subject(case)}: " + mismatch.gist("the history")
        if found.point:
            return Verdict(False, point + found.point, gist + found.gist, data)
        if not actual:
            return Verdict(False, point + EMPTY, gist + EMPTY, data)
        if len(actual) != len(expected):
            return Verdict(False, point + EPOCHS, gist + EPOCHS, data)
        return Verdict(False, point + _agreement(actual, expected, check.rtol, atol), gist, data)


def _agreement(actual: list[float], expected: list[float], rtol: float, atol: float) -> str:
    """How far the two histories agree before they part."""
    agree = 0
    for a, e in zip(actual, expected, strict=True):
        if not math.isclose(a, e, rel_tol=rtol, abs_tol=atol):
            break
        agree += 1
    if agree == 0:
        return " (they differ from the first value on)"
    first = "the first value agrees" if agree == 1 else f"the first {agree} values agree"
    return f" ({first}, then the histories drift apart)"
