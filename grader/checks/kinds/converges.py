"""`converges`: the loss history is finite, one value per epoch, decreasing, below a bound.

It needs no reference, so it holds on data no reference has seen: a loop that diverges, stalls
or records the wrong number of values fails it whatever the details of its updates.
"""

from __future__ import annotations

import math
from typing import Any

from grader.assignment.spec import ConvergesCheck
from grader.checks.cases import Case
from grader.checks.formatting import fmt, plain
from grader.checks.kind import Context, Verdict
from grader.checks.kinds.history import history_of
from grader.checks.messages import subject
from grader.checks.reference import ReferenceSide
from grader.checks.student import StudentSide
from grader.language.evaluator import Evaluator
from grader.language.helpers import plain_helpers


class ConvergesKind:
    needs_reference = False
    pipelined = True  # its cases' first calls are independent: see checks.prefetch

    def expected(self, check: ConvergesCheck, case: Case, reference: ReferenceSide) -> Any:
        return None

    def judge(self, check: ConvergesCheck, case: Case, student: StudentSide, expected: Any,
              ctx: Context) -> Verdict:
        history = history_of(check, case, student.evaluate(case).value, student=True)
        data = None if case.hidden else {"history": plain(history)}
        where = f"the loss history of {subject(case)}"
        if not history:
            return Verdict(False, f"{where} is empty", f"{where} is empty", data)
        if check.length is not None:
            want = Evaluator(plain_helpers(), dict(case.variables)).eval(check.length)
            if len(history) != want:
                return Verdict(False, f"{where} has {len(history)} values; expected {want}, one per epoch "
                               "(is `epochs` used?)", f"{where} has the wrong number of values: one per "
                               "epoch is expected (is `epochs` used?)", data)
        for i, value in enumerate(history):
            if not math.isfinite(value):
                if i == 0:
                    why = "the loss is not a number from the start: check the loss itself"
                else:
                    why = "training diverged (learning rate too large, or a sign error in the update?)"
                return Verdict(False, f"{where} has {fmt(value)} at epoch {i}: {why}", f"{where} is not finite: {why}",
                               data)
        first, last = history[0], history[-1]
        if len(history) > 1 and not last < first:
            return Verdict(False, f"{where} does not decrease: it goes from {fmt(first)} to {fmt(last)}",
                           f"{where} does not decrease", data)
        if check.final_below is not None and not last < check.final_below:
            bound = f"above the bound {fmt(check.final_below)}"
            return Verdict(False, f"{where} ends at {fmt(last)}, {bound}", f"{where} ends {bound}", data)
        return Verdict(True, data=data)
