"""One submission in, one report out: the sandboxed session, the checks, the scores.

`Plan` holds everything that does not depend on the student (cases, the reference's answers),
built once per batch; `grade` runs one submission against it. Whatever the submission does, a
report comes back: unreadable files, crashes and timeouts are scored, not raised.
"""

from __future__ import annotations

import functools
import hashlib
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from types import ModuleType

import torch

from grader import __version__
from grader.assignment.loader import Assignment
from grader.assignment.spec import CheckSpec
from grader.checks.cases import Case, build_cases, evaluate_data
from grader.checks.registry import KINDS
from grader.checks.runner import Context, Expectations, Kind, Outcome, run_check
from grader.checks.sides import ReferenceSide, StudentSide, load_failure
from grader.report import CheckResult, Report, SandboxInfo, SubmissionInfo
from grader.sandbox.protections import describe
from grader.sandbox.session import Session
from grader.sandbox.zygote import Zygote
from grader.submission import Submission, SubmissionError, load, sha256_of


@dataclass
class PlannedCheck:
    spec: CheckSpec
    kind: Kind
    cases: list[Case]


class Plan:
    """The checks of an assignment with their cases and the reference's answers to them."""

    def __init__(
        self,
        assignment: Assignment,
        *,
        include_hidden: bool,
        reference: ModuleType | None,
        recorded: dict[str, dict[str, object]] | None = None,
        only_visible: bool = False,
        seed: str | None = None,
    ):
        # The grader's own tensors are tiny; with more threads OpenMP workers spin-wait after
        # every op and take the core that the sandboxed workers need (measured: 2x the CPU).
        torch.set_num_threads(1)
        self.assignment = assignment
        self.include_hidden = include_hidden
        seed = (seed or assignment.hidden_seed()) if include_hidden else None
        self.hidden_seed = seed
        self.hidden_seed_missing = include_hidden and seed is None
        side = ReferenceSide(reference, assignment) if reference is not None else None
        self.context = Context(assignment, side)
        self.expectations = Expectations(assignment, side, recorded)
        spec = assignment.spec
        data = evaluate_data(spec.data, assignment.public_seed)
        self.checks: list[PlannedCheck] = []
        for check in spec.checks:
            if only_visible and check.visibility != "visible":
                continue
            random, hidden = spec.group(check.random), spec.group(check.hidden)
            cases = build_cases(
                call=check.call, steps=check.steps, data=data, explicit=check.cases,
                random=random.as_table() if random else None,
                hidden=hidden.as_table() if hidden else None,
                public_seed=assignment.public_seed, hidden_seed=seed,
            )
            self.checks.append(PlannedCheck(check, KINDS[check.kind], cases))

    def warm(self) -> None:
        """Compute every answer of the reference now, so a broken declaration stops the batch
        before any student is graded (raises ConfigError naming the check)."""
        for planned in self.checks:
            if not planned.kind.needs_reference or self.context.reference is None:
                continue
            for case in planned.cases:
                self.expectations.get(planned.spec, case, planned.kind)

    @property
    def max_score(self) -> float:
        return float(sum(p.spec.points for p in self.checks))

    @functools.cached_property
    def fingerprint(self) -> str:
        """Everything about the grading that is not the submission: a change regrades everyone."""
        a = self.assignment
        digest = hashlib.sha256()
        for path in (a.source, a.reference_path, a.folder / "checks.py"):
            if path is not None and path.is_file():
                digest.update(path.read_bytes())
        digest.update(f"{a.name}|{a.version}|{self.include_hidden}|{__version__}".encode())
        digest.update(hashlib.sha256((self.hidden_seed or "").encode()).digest())
        return digest.hexdigest()

    def grading_key(self, submission_sha256: str) -> str:
        return hashlib.sha256(f"{self.fingerprint}|{submission_sha256}".encode()).hexdigest()[:40]


def _now() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def _result(planned: PlannedCheck, outcome: Outcome) -> CheckResult:
    spec = planned.spec
    passed = outcome.status == "passed"
    return CheckResult(
        name=spec.name, target=spec.target, score=float(spec.points) if passed else 0.0,
        max_score=float(spec.points), status=outcome.status, visibility=spec.visibility,
        message=outcome.message, cases_passed=outcome.cases_passed, cases_total=outcome.cases_total,
        hidden_cases=outcome.hidden_total, hint=None if passed else spec.hint, data=outcome.data,
    )


def grade(plan: Plan, sub: Submission, zygote: Zygote) -> Report:
    """Grade one submission; never raises for anything the submission does."""
    started, t0 = _now(), time.monotonic()
    assignment = plan.assignment
    info = SubmissionInfo(path=str(sub.path), sha256=sha256_of(sub.source), late=sub.late, name=sub.name,
                          files=[sub.source.name] if sub.source else [], notes=list(sub.notes))
    errors: list[str] = []
    results: list[CheckResult] = []
    output = ""
    sandbox: SandboxInfo | None = None
    try:
        loaded = load(sub)
    except SubmissionError as exc:
        info.kind = "unreadable" if sub.source else "missing"
        errors.append(str(exc))
        results = [
            _result(p, Outcome("error", f"not graded: {exc}", 0, len(p.cases), 0)) for p in plan.checks
        ]
    else:
        info.kind, info.sha256 = loaded.kind, loaded.sha256  # type: ignore[assignment]
        info.notes += loaded.notes
        with Session(zygote, loaded.program, list(assignment.signatures), assignment.spec.limits) as session:
            student = StudentSide(session, assignment)
            load_result = session.load()
            if not load_result.ok:
                errors.append(load_failure(load_result, assignment.student_file)[1])
            for error in load_result.cell_errors:
                where = f" (line {error['line']})" if error.get("line") else ""
                info.notes.append(
                    f"{error.get('cell')}: raised {error.get('type')}: {error.get('message', '')[:200]}"
                    f"{where}; the following cells ran anyway"
                )
            for planned in plan.checks:
                outcome = run_check(planned.spec, planned.cases, planned.kind, student,
                                    plan.expectations, plan.context)
                results.append(_result(planned, outcome))
            output = "".join(session.stdout_parts)
            sandbox = describe(zygote.tier, assignment.spec.limits, session.protections)
    score = float(sum(r.score for r in results))
    return Report(
        assignment=assignment.name, assignment_version=assignment.version, student=sub.student,
        score=score, max_score=plan.max_score, checks=results, submission=info, errors=errors,
        grading_key=plan.grading_key(info.sha256 or f"unreadable:{sub.path}"),
        output=output, sandbox=sandbox, torch_version=torch.__version__, started_at=started,
        duration_s=round(time.monotonic() - t0, 3),
    )
