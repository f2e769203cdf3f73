"""One submission in, one report out: the sandboxed session, the checks, the scores.

`Plan` holds everything that does not depend on the student (cases, the reference's answers),
built once per batch; `grade` runs one submission against it. Whatever the submission does, a
report comes back: unreadable files, crashes and timeouts are scored, not raised.
"""

from __future__ import annotations

import functools
import hashlib
import time
from datetime import UTC, datetime
from types import ModuleType

import torch

from grader import __version__
from grader.assignment.loader import Assignment
from grader.checks.answers import Answers
from grader.checks.cases import build_cases, evaluate_data
from grader.checks.kind import Context
from grader.checks.kinds import KINDS
from grader.checks.messages import load_failure
from grader.checks.reference import ReferenceSide
from grader.checks.runner import Outcome, PlannedCheck, run_check
from grader.checks.student import StudentSide
from grader.checks.suspects import Suspect, all_suspects, mistakes_path
from grader.report import CheckResult, Report, SandboxInfo, SubmissionInfo
from grader.sandbox.protections import describe
from grader.sandbox.results import LoadResult, MachineFault
from grader.sandbox.session import Session
from grader.sandbox.zygote import Zygote
from grader.submission import Submission, SubmissionError, load, sha256_of


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
        self.answers = Answers(side, recorded)
        self.context = Context(assignment, side, self.answers)
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
            stub = frozenset(assignment.signatures)
            self.checks.append(PlannedCheck.of(check, KINDS[check.kind], cases, stub))
        self.context.suspects = self._suspects()

    def _suspects(self) -> list[Suspect]:
        """The mistakes the checks can name: from the solution's folder, or (without it) the other
        accepted conventions expected.json records."""
        if self.context.reference is not None:
            return all_suspects(self.assignment)
        found = {s.name: s for p in self.checks for s in self.answers.recorded_accepted(p.spec)}
        return list(found.values())

    def warm(self) -> None:
        """Compute every answer of the reference now, so a broken declaration stops the batch
        before any student is graded (raises ConfigError naming the check)."""
        for planned in self.checks:
            if not planned.kind.needs_reference or self.context.reference is None:
                continue
            accepted = [s for s in self.context.suspects if s.accepted]
            for case in planned.cases:
                self.answers.get(planned.spec, case, planned.kind)
                for suspect in accepted:  # recorded in expected.json with the reference's answers
                    if suspect.fn in case.used_names():
                        self.answers.variant(planned.spec, case, planned.kind, suspect)

    @property
    def max_score(self) -> float:
        return float(sum(p.spec.points for p in self.checks))

    @functools.cached_property
    def fingerprint(self) -> str:
        """Everything about the grading that is not the submission: a change regrades everyone."""
        a = self.assignment
        digest = hashlib.sha256()
        for path in (a.source, a.reference_path, a.folder / "checks.py", mistakes_path(a)):
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
        detail=outcome.detail, grader_error=outcome.grader_error,
    )


def submitted_name(sub: Submission, default: str) -> str:
    """The file the student handed in, as messages should name it (not the stub's name)."""
    return sub.source.name if sub.source is not None and sub.source.name else default


def load_problems(load_result: LoadResult, notebook: bool, filename: str) -> tuple[list[str], list[str]]:
    """(notes, errors) about loading: a failure, and the cells (or top-level statements) that raised."""
    notes: list[str] = []
    errors = [] if load_result.ok else [load_failure(load_result, filename)[1]]
    for cell_error in load_result.cell_errors:
        error = cell_error.error
        where = f" (line {error.line})" if error.line and cell_error.cell != f"line {error.line}" else ""
        if notebook:  # a notebook's cell
            notes.append(f"{cell_error.cell}: raised {error.type}: {error.message[:200]}{where}; "
                         "the following cells ran anyway")
        else:  # a top-level statement of a .py file: the file does not run as it is
            errors.append(f"{filename} raised {error.type} at {cell_error.cell} while being loaded: "
                          f"{error.message[:200]}{where}; the rest of the file ran, and its functions were graded")
    return notes, errors


def grade(plan: Plan, sub: Submission, zygote: Zygote, open_session: type[Session] = Session) -> Report:
    """Grade one submission; never raises for anything the submission does (MachineFault: the
    machine broke the run, so nothing of it is kept and the caller grades it again).

    `open_session` is the sandbox's Session; benchmarks/ substitutes an instrumented one, or one
    that runs the code in its own process to measure the cost of isolation (never the CLI)."""
    started, t0 = _now(), time.monotonic()
    assignment = plan.assignment
    info = SubmissionInfo(path=str(sub.path), sha256=sha256_of(sub.source), late=sub.late, name=sub.name,
                          files=[sub.source.name] if sub.source else [], notes=list(sub.notes),
                          **sub.origin_fields())
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
        with open_session(zygote, loaded.program, list(assignment.signatures), assignment.spec.limits) as session:
            student = StudentSide(session, assignment, submitted_name(sub, assignment.student_file))
            notes, problems = load_problems(session.load(), loaded.program.keep_going, student.filename)
            info.notes += notes
            errors += problems
            for planned in plan.checks:
                outcome = run_check(planned, student, plan.answers, plan.context)
                results.append(_result(planned, outcome))
                info.notes += [note for note in outcome.notes if note not in info.notes]
            info.notes += student.notes
            output = student.output()
            sandbox = SandboxInfo(tier=zygote.tier.name,
                                  protections=describe(zygote.tier, assignment.spec.limits, session.protections))
            if session.fault:  # what this run found says nothing about the submission
                raise MachineFault(session.fault)
    score = float(sum(r.score for r in results))
    return Report(
        assignment=assignment.name, assignment_version=assignment.version, student=sub.student,
        score=score, max_score=plan.max_score, checks=results, submission=info, errors=errors,
        grading_key=plan.grading_key(info.sha256 or f"unreadable:{sub.path}"),
        output=output, sandbox=sandbox, torch_version=torch.__version__, started_at=started,
        duration_s=round(time.monotonic() - t0, 3),
    )
