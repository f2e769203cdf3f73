"""`grader validate`: before a term starts, the reference earns full marks and the stub earns 0.

It grades the reference solution and the untouched stub with every check, hidden cases
included, and says what does not hold: a check the reference fails is a broken check, a check
the stub passes gives points for nothing, and a crash or a timeout of the stub is a grader bug.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from grader.assignment.loader import Assignment, AssignmentError
from grader.faults import grade_retrying, lend
from grader.grading import Plan
from grader.report import Report
from grader.sandbox.zygote import Zygote
from grader.submission import Submission


@dataclass
class Validation:
    assignment: Assignment
    reference: Report
    stub: Report
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


def validate(assignment: Assignment, zygote: Zygote) -> Validation:
    reference_path = assignment.reference_path
    if reference_path is None:
        raise AssignmentError(f"{assignment.name}: no reference solution under solutions/{assignment.name}/")
    plan = Plan(assignment, include_hidden=True, reference=assignment.load_reference())
    plan.warm()
    ref = grade_retrying(plan, Submission("reference", reference_path, source=reference_path), lend(zygote))
    stub = grade_retrying(plan, Submission("stub", assignment.stub_path, source=assignment.stub_path), lend(zygote))
    problems: list[str] = []
    if plan.hidden_seed_missing:
        problems.append(f"no grading seed: put `seed = \"...\"` in solutions/{assignment.name}/grading.toml "
                        "or set GRADER_SEED; hidden cases were not run")
    for check in ref.checks:
        if check.status != "passed":
            problems.append(f"the reference fails {check.name!r}: {check.message}")
    for check in stub.checks:
        if check.score > 0:
            problems.append(f"the untouched stub earns {check.score:g} on {check.name!r}")
        elif check.status not in ("error", "failed"):
            problems.append(f"the stub's {check.name!r} ended in {check.status}: {check.message}")
    problems += [f"the stub could not be loaded: {e}" for e in stub.errors]
    problems += [f"the reference could not be loaded: {e}" for e in ref.errors]
    return Validation(assignment, ref, stub, problems)
