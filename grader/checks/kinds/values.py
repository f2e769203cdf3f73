"""`values`: the call's result equals the reference's (and, optionally, keeps the graph).

"Keeps the graph" is checked by what it means: the child computes, with autograd as it was
before any student code ran, the gradient of the result's sum with respect to every argument
that requires grad, and each must reach and equal the reference's. A result that merely
carries a `grad_fn` (say `torch.tensor([x * w.item()]) + 0 * torch.zeros(1, requires_grad=True)`)
has no gradient with respect to `w` and fails.
"""

from __future__ import annotations

from typing import Any

import torch

from grader.assignment.spec import ValuesCheck
from grader.checks.cases import Case, run_case
from grader.checks.compare import compare
from grader.checks.diagnose import Judged, diagnose
from grader.checks.kind import Context, Verdict
from grader.checks.messages import subject
from grader.checks.reference import ReferenceSide
from grader.checks.student import Ask, CallRecord, StudentSide
from grader.sandbox.protocol import codec


class ValuesKind:
    needs_reference = True
    pipelined = True  # its cases' first calls are independent: see checks.prefetch

    def expected(self, check: ValuesCheck, case: Case, reference: ReferenceSide) -> Any:
        return run_case(case, reference.functions)

    def judge(self, check: ValuesCheck, case: Case, student: StudentSide, expected: Any,
              ctx: Context) -> Verdict:
        run = student.evaluate(case, Ask(want_grads=check.keeps_graph))
        mismatch = compare(run.value, expected, check.rtol, check.atol)
        if mismatch:
            found = diagnose(Judged(check, case, self, run.value, expected, check.rtol, check.atol, ctx), mismatch)
            if found.accepted is None:
                return Verdict(False, mismatch.describe(subject(case)) + found.point,
                               mismatch.gist(subject(case)) + found.gist)
        record = run.last
        if check.keeps_graph and record is not None:
            names = [p.name for p in ctx.assignment.signatures[record.fn].params]
            args, kwargs = record.sent
            reference, fn = ctx.reference, record.fn
            wanted = None if reference is None else ctx.answers.derived(
                check, case, "grads " + repr(codec.encode([args, kwargs])),
                lambda: _reference_grads(reference, fn, args, kwargs))
            problem = _graph_problem(record, names, wanted, check)
            if problem:
                text = f"{subject(case)} has the right value, but {problem}"
                return Verdict(False, text, text)
        return Verdict(True)  # an accepted convention's values need no note: its history check gives one


CUT = ("so .backward() cannot reach it: the graph was cut (by .item(), float(), .data, .detach() "
       "or a new torch.tensor) on the way")


def _graph_problem(record: CallRecord, names: list[str], wanted: list[Any] | None,
                   check: ValuesCheck) -> str | None:
    """Why the gradient from the student's result to its weights is missing or wrong, if it is."""
    args, kwargs = record.sent
    named = [*zip(names, args, strict=False), *kwargs.items()]  # the order the child lists gradients in
    leaves = [(name, v) for name, v in named if isinstance(v, torch.Tensor) and v.requires_grad]
    grads = record.result.grads or []
    if not leaves:
        return None
    if len(grads) != len(leaves):
        return "no gradient came back with it " + CUT
    for i, (name, _) in enumerate(leaves):
        if grads[i] is None:
            if wanted is None or wanted[i] is not None:
                return f"no gradient flows from it back to {name}, {CUT}"
            continue
        if wanted is not None and wanted[i] is not None and compare(grads[i], wanted[i], check.rtol, check.atol):
            return (f"the gradient that flows from it back to {name} is not the one of the computation "
                    "asked for: the graph is not the one the value suggests")
    return None


def _reference_grads(reference: ReferenceSide, fn: str, args: list[Any], kwargs: dict[str, Any]) -> list[Any]:
    """The reference's d(sum of the result)/d(each argument that requires grad), None where none."""
    leaves: list[torch.Tensor] = []

    def leaf(value: Any) -> Any:
        if isinstance(value, torch.Tensor) and value.requires_grad:
            value = value.detach().clone().requires_grad_(True)
            leaves.append(value)
        return value

    call_args = [leaf(v) for v in args]
    call_kwargs = {k: leaf(v) for k, v in kwargs.items()}
    with torch.enable_grad():
        out = reference.call_raw(fn, *call_args, **call_kwargs)
        if not isinstance(out, torch.Tensor) or not out.requires_grad:
            return [None] * len(leaves)
        grads = torch.autograd.grad(out.sum(), leaves, allow_unused=True)
    return [None if g is None else g.detach() for g in grads]
