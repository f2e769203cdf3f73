"""`run_autograder`: grade /autograder/submission, write /autograder/results/results.json.

The zygote starts before the reference is imported and its children get an empty view of
/autograder (the source with the solutions and the seed, the results, the submission) on the
linux-rlimit tier; the bwrap tier shows them nothing anyway. Any failure of the grader itself
still ends in a valid results.json (score 0, a message for the student) and the cause on stdout,
which only instructors see.
"""

from __future__ import annotations

import json
import signal
import traceback
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from types import FrameType
from typing import Any, TextIO

from grader.assignment.loader import Assignment
from grader.errors import UserError
from grader.filenames import files_below
from grader.numbers import points
from grader.report import Report
from grader.reports import write_atomic
from grader.submission import Submission, linked, pick_source, student_id

GRADESCOPE_ROOT = Path("/autograder")


class AutograderError(UserError):
    """The autograder is set up wrongly (no reference, no seed); the message is for instructors."""


@dataclass(frozen=True)
class Paths:
    root: Path
    submission: Path
    results: Path
    metadata: Path
    source: Path

    @classmethod
    def under(cls, root: Path = GRADESCOPE_ROOT, *, submission: Path | None = None, results: Path | None = None,
              metadata: Path | None = None, source: Path | None = None) -> Paths:
        return cls(root, submission or root / "submission", results or root / "results",
                   metadata or root / "submission_metadata.json", source or root / "source")

    @property
    def results_json(self) -> Path:
        return self.results / "results.json"


def read_metadata(path: Path) -> dict[str, Any]:
    """submission_metadata.json, leniently: the doc says it may change, so anything odd is ignored."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def student_of(metadata: dict[str, Any]) -> str:
    users = metadata.get("users")
    if isinstance(users, list) and users and isinstance(users[0], dict):
        user = users[0]
        for field in ("email", "name", "id"):
            if user.get(field):
                return student_id(str(user[field]))
    return "submission"


def created_at(metadata: dict[str, Any]) -> datetime | None:
    """When the student submitted, as Gradescope says (None if it does not, or not readably)."""
    try:
        when = datetime.fromisoformat(str(metadata["created_at"]))
    except (KeyError, TypeError, ValueError):
        return None
    return when if when.tzinfo is not None else None


def is_late(metadata: dict[str, Any]) -> bool | None:
    assignment = metadata.get("assignment")
    due = assignment.get("due_date") if isinstance(assignment, dict) else None
    try:
        return datetime.fromisoformat(str(metadata["created_at"])) > datetime.fromisoformat(str(due))
    except (KeyError, TypeError, ValueError):
        return None


def find_submission(folder: Path, assignment: Assignment, student: str) -> Submission:
    """The file to grade: the expected name at the top, the only source file, or the expected name
    anywhere below (students often upload a folder)."""
    if not folder.is_dir() or not any(folder.iterdir()):
        return Submission(student, folder, problem=f"nothing was submitted (expected {assignment.student_file})")
    source, problem = pick_source(folder, assignment)
    if source is None:
        wanted = {assignment.student_file, f"{Path(assignment.student_file).stem}.ipynb"}
        found = [p for p in files_below(folder, links=True) if p.name in wanted]
        if len(found) == 1:
            source, problem = found[0], None
    if source is not None and linked(source, folder):
        return Submission(student, folder, problem=f"{source.name} is a symbolic link; submit the file itself")
    return Submission(student, folder, source=source, problem=problem)


def grade_one(assignment_ref: str | Path, paths: Paths, sandbox: str | None, solutions: Path | None) -> Report:
    """The whole grading run for one submission (raises only if the autograder is broken)."""
    from grader.sandbox.tiers import detect
    from grader.sandbox.zygote import Zygote

    zygote = Zygote(detect(sandbox), hide=[str(p) for p in (paths.root, paths.source, paths.results,
                                                               paths.submission)])
    zygote.launch()  # torch loads in the worker while the grader reads the assignment
    try:
        from grader.assignment.loader import load
        from grader.faults import grade_retrying, lend
        from grader.grading import Plan
        assignment = load(assignment_ref, solutions=solutions)
        reference = assignment.load_reference()
        if reference is None:
            raise AutograderError(f"{assignment.name}: no reference solution in the autograder "
                                  f"(solutions/{assignment.name}/{assignment.student_file})")
        plan = Plan(assignment, include_hidden=True, reference=reference)
        if plan.hidden_seed_missing:
            raise AutograderError(f"{assignment.name}: no grading seed in the autograder "
                                  f"(solutions/{assignment.name}/grading.toml)")
        plan.warm()
        metadata = read_metadata(paths.metadata)
        sub = find_submission(paths.submission, assignment, student_of(metadata))
        sub.late = is_late(metadata)
        zygote.wait()
        report = grade_retrying(plan, sub, lend(zygote))  # what the machine breaks is graded again
        policy = assignment.spec.late
        if policy is None:
            return report
        from grader.adjust import Timing, apply  # the [late] policy: results.json carries the final score

        timing = Timing(created_at(metadata), "Gradescope's submission time", sub.late)
        return apply(report, [], (policy, timing))
    finally:
        zygote.close()


def _terminated(signum: int, frame: FrameType | None) -> None:
    raise SystemExit(f"stopped by signal {signum}")


def run(assignment_ref: str | Path, paths: Paths, *, sandbox: str | None = None, solutions: Path | None = None,
        log: TextIO) -> int:
    """Grade and write results.json; 0 when the submission was graded, 2 when the autograder failed."""
    from grader.export.gradescope import failure, results

    previous = signal.signal(signal.SIGTERM, _terminated)
    try:
        report = grade_one(assignment_ref, paths, sandbox, solutions)
        data, code = results(report), 0
        _describe(report, log)
    except BaseException as exc:
        data, code = failure(), 2
        log.write(f"AUTOGRADER ERROR (the student sees only that grading failed): {type(exc).__name__}: {exc}\n")
        log.write("".join(traceback.format_exception(exc)))
    finally:
        signal.signal(signal.SIGTERM, previous)
    write_atomic(paths.results_json, json.dumps(data, indent=2, ensure_ascii=False, allow_nan=False) + "\n")
    log.write(f"wrote {paths.results_json}\n")
    log.flush()
    return code


def _describe(report: Report, log: TextIO) -> None:
    """For the instructors' stdout: the verdicts, and what the code printed (not shown to students)."""
    tier = report.sandbox.tier if report.sandbox else "none"
    log.write(f"{report.student}: {points(report.score)}/{points(report.max_score)} in {report.duration_s:.1f} s "
              f"(sandbox {tier}, submission {report.submission.kind})\n")
    for check in report.checks:
        log.write(f"  {check.status:8} {points(check.score)}/{points(check.max_score)}  {check.name} "
                  f"[{check.visibility}]\n")
    for line in [*report.errors, *report.submission.notes]:
        log.write(f"  ! {line}\n")
    if report.output:
        log.write("--- what the submission printed (instructors only) ---\n" + report.output + "\n")
