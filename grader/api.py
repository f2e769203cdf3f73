"""The grader from Python, without a terminal: the verbs of the `grader` command as functions.

    from grader import api
    result = api.grade("backprop", ["submissions/"], "out/hw3", jobs=2, progress=print)
    result.reports, result.graded, result.kept, result.grader_errors

`override` records an instructor's decision in a reports folder (`grader override`).

Each function does what its command does and returns what the command prints; errors a user
can fix are raised as grader.errors.UserError (or the sandbox's SandboxError), never printed.
Progress of a batch goes to a callback (grader.progress); the command line's rich display is
one such callback. Heavy imports wait until the sandbox's zygotes are launched, so torch loads
in them while the grader loads it too.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from grader.errors import UserError
from grader.layouts import Layout
from grader.progress import Event, Progress, silent

if TYPE_CHECKING:
    from grader.decisions import Decided
    from grader.executors import Executor
    from grader.feedback.build import Built
    from grader.grading import Plan
    from grader.report import Report
    from grader.sandbox.pool import Pool
    from grader.sandbox.tiers import Tier
    from grader.validate import Validation



@dataclass
class GradeResult:
    """What a batch did: every report of the class (kept ones too), and the counts."""

    reports: list[Report]
    out: Path
    max_score: float
    graded: int = 0
    kept: int = 0
    seconds: float = 0.0
    set_aside: list[str] = field(default_factory=list)

    @property
    def grader_errors(self) -> list[str]:
        """Students whose report is a grader error: not their fault, not to be exported as is."""
        return [r.student for r in self.reports if r.has_grader_error]


def _paths(items: Sequence[str | Path]) -> list[Path]:
    return [Path(item) for item in items]


def grade(assignment: str | Path, submissions: Sequence[str | Path], out: str | Path, *,
          jobs: int | None = None, solutions: str | Path | None = None, layout: Layout = "auto",
          resume: bool = True, sandbox: str | None = None, executor: Literal["local", "dask"] = "local",
          scheduler: str | None = None, dask_workers: int | None = None, times: str | Path | None = None,
          progress: Progress = silent) -> GradeResult:
    """Grade `submissions` (files, folders, LMS downloads, zips) into `out`/<student>.json and the
    summaries, as `grader grade` does; `jobs` warm workers here, or Dask workers. `times`: a file of
    submission times for the late policy; `out`/overrides.toml is applied to every report."""
    from grader.sandbox.pool import Pool
    from grader.sandbox.tiers import detect

    out, subs = Path(out), _paths(submissions)
    solutions = Path(solutions) if solutions is not None else None
    tier = detect(sandbox)
    local = executor == "local"
    hide = [str(p) for p in (_course(assignment), solutions, out, *subs) if p]
    with contextlib.ExitStack() as stack:
        pool = stack.enter_context(Pool(jobs or os.cpu_count() or 1, tier, hide)) if local else None
        if pool is not None:
            pool.launch()  # torch loads in the workers while the grader loads the assignment
        plan = _grading_plan(assignment, solutions)
        from grader import batch
        from grader.intake import intake

        scratch = stack.enter_context(tempfile.TemporaryDirectory(prefix="grader-intake-"))
        found = intake(subs, plan.assignment, layout, workdir=Path(scratch),
                       times_file=Path(times) if times is not None else None)
        for line in found.set_aside:
            progress(Event("warning", f"set aside: {line}"))
        if not found.submissions:
            raise UserError("no submissions found in " + ", ".join(map(str, subs)))
        if pool is not None:
            pool.wait()
            runner: Executor = _local(plan, pool, progress)
        else:
            runner = stack.enter_context(_dask(plan, tier, sandbox, hide, scheduler, dask_workers, progress))
        result = batch.run(plan, found.submissions, out, runner, resume=resume, set_aside=found.set_aside,
                           progress=progress)
    return GradeResult(result.reports, out, plan.max_score, result.graded, result.reused, result.seconds,
                       list(found.set_aside))


def _course(ref: str | Path) -> Path | None:
    path = Path(ref)
    return path.resolve().parent.parent if path.exists() else None


def _grading_plan(ref: str | Path, solutions: Path | None) -> Plan:
    """The plan with hidden cases: needs the reference and the grading seed (UserError if not)."""
    from grader.assignment.loader import load
    from grader.grading import Plan

    assignment = load(str(ref), solutions=solutions)
    reference = assignment.load_reference()
    if reference is None:
        raise UserError(f"{assignment.name}: grading needs the reference solution "
                        f"(solutions/{assignment.name}/{assignment.student_file}, or --solutions)")
    plan = Plan(assignment, include_hidden=True, reference=reference)
    if plan.hidden_seed_missing:
        raise UserError(f"{assignment.name}: no grading seed; put `seed = \"<random text>\"` in "
                        f"solutions/{assignment.name}/grading.toml or set GRADER_SEED")
    plan.warm()
    return plan


def _local(plan: Plan, pool: Pool, progress: Progress) -> Executor:
    from grader.executors.local import LocalExecutor

    return LocalExecutor(plan, pool, progress)


@contextlib.contextmanager
def _dask(plan: Plan, tier: Tier, sandbox: str | None, hide: list[str], scheduler: str | None,
          workers: int | None, progress: Progress) -> Iterator[Executor]:
    from grader.executors import dask_workers as dw
    from grader.sandbox.tiers import hidden_paths

    a = plan.assignment
    spec = dw.PlanSpec(
        assignment=str(a.folder), solutions=str(a.solution_dir) if a.solution_dir else None,
        sandbox=dw.SandboxAsked.of(tier), seed=plan.hidden_seed,
        hide=tuple(hidden_paths(a.folder.parent.parent, a.solution_dir, *hide)),
    )
    runner = dw.connect(scheduler, workers or os.cpu_count() or 1, spec, plan, progress)
    try:
        progress(Event("note", f"grading on Dask: {runner.address}, {runner.slots} worker thread(s), "
                               f"sandbox {spec.sandbox.describe()}"))
        yield runner
    finally:
        runner.close()


def check(file: str | Path | None = None, assignment: str | Path | None = None, *,
          sandbox: str | None = None) -> Report:
    """The self-check's report: the public checks on a student's file, as `grader check` runs them
    (`file` defaults to the working file in the current or the assignment's folder)."""
    from grader.sandbox.tiers import detect
    from grader.sandbox.zygote import Zygote

    hide = [str(p) for p in map(_course, [x for x in (assignment, file) if x]) if p and p.is_dir()]
    zygote = Zygote(detect(sandbox), hide=hide)
    zygote.launch()
    try:
        from grader import selfcheck

        found = selfcheck.find_assignment(str(assignment) if assignment else None, Path(file) if file else None)
        return selfcheck.run(found, Path(file) if file else selfcheck.default_file(found), zygote)
    finally:
        zygote.close()


def validate(assignments: Sequence[str | Path], *, sandbox: str | None = None) -> list[Validation]:
    """For each assignment: does the reference earn full marks and the stub 0 (`grader validate`)."""
    from grader.sandbox.tiers import detect
    from grader.sandbox.zygote import Zygote

    hide = [str(p) for p in map(_course, assignments) if p]
    with Zygote(detect(sandbox), hide=hide) as zygote:
        from grader.assignment.loader import load
        from grader.validate import validate as validate_one

        return [validate_one(load(str(name)), zygote) for name in assignments]


def feedback(folder: str | Path, *, release: str = "none", instructor: bool = False,
             roster: str | Path | None = None, roster_key: str | None = None) -> Built:
    """Student pages and the class dashboard in `folder`/feedback/ (`grader feedback`); `release`
    is none, due or published; `roster` a class list to take students' names from, matched by
    `roster_key` (default: the column of the reports' own LMS ids)."""
    from grader.feedback.build import build
    from grader.feedback.views import View

    return build(Path(folder), View.parse(release, instructor), Path(roster) if roster else None, roster_key)


def override(folder: str | Path, student: str, *, reason: str, points: float | None = None,
             check: str | None = None, extension: str | None = None) -> Decided:
    """Record an instructor's decision in `folder`/overrides.toml (`grader override`): `points` for
    the whole score, `check` and `points` for one check, or `extension` (a due date) for the late
    policy; the student's report and the summaries are rewritten at once. OverrideError (a
    UserError) names what is wrong: no such student or check, a bad value, no late policy."""
    from pydantic import ValidationError

    from grader.decisions import decide
    from grader.overrides import Entry, OverrideError

    try:
        entry = Entry(student=student, check=check, points=points, extension=extension, reason=reason)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"])
        said = first["msg"].removeprefix("Value error, ")
        raise OverrideError(f"--{where}: {said}" if where else said) from exc
    return decide(Path(folder), entry)


@dataclass
class Generated:
    """What `generate` wrote, or with `check`, which files are out of date."""

    assignments: list[str]
    written: list[Path] = field(default_factory=list)
    stale: list[Path] = field(default_factory=list)


def generate(assignments: Sequence[str] = (), *, check: bool = False) -> Generated:
    """Build assignments/ (stubs, notebooks, expected.json) from solutions/ (`grader generate`)."""
    from grader import generate as gen
    from grader.assignment.loader import load, resolve_all
    from grader.grading import Plan

    names = list(assignments) or resolve_all()
    done = Generated([str(name) for name in names])
    for name in names:
        assignment = load(name)
        files = gen.outputs(assignment)
        if check:
            done.stale += gen.stale(files)
        else:
            done.written += gen.write(files)
        assignment = load(name)  # the stub may have just been written
        plan = Plan(assignment, include_hidden=False, reference=assignment.load_reference())
        plan.warm()
        record = plan.answers.public_record(plan.context.suspects)
        expected = gen.Generated(assignment.expected_path, gen.expected_text(record))
        if check:
            done.stale += gen.stale([expected])
        else:
            done.written += gen.write([expected])
    return done
