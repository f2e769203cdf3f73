"""Faults of the machine are never the student's: grade again from scratch, then own up.

When a run of a submission was broken by something outside it (a worker killed from outside,
a zygote that vanished: `MachineFault`, see grader.sandbox.channels), nothing of that run is
kept: the whole submission is graded again in a fresh child (the zygote restarts itself if it
died), after a back-off, a bounded number of times. A report that needed a retry says so in a
note. If every attempt fails, the report is a grader error: score 0, each check `error` with a
"not your fault" message, `grader_error` set and no `grading_key`, so summary.json counts it,
`grader grade` exits non-zero and the next run grades it again.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from datetime import UTC, datetime

import torch

from grader.grading import Plan, grade
from grader.report import RETRY_NOTE, CheckResult, Report, SubmissionInfo
from grader.sandbox.results import MachineFault
from grader.sandbox.zygote import WorkerStartError, Zygote
from grader.submission import Submission, sha256_of

log = logging.getLogger("grader")
ATTEMPTS = 4
BACKOFF_S = (0.5, 2.0, 5.0)
"""Seconds to wait before the second, third and fourth attempt: long enough for an overloaded
machine (an OOM killer at work) to settle, short enough not to stall a batch."""

Borrow = Callable[[], AbstractContextManager[Zygote]]
"""Lends a zygote for one attempt (a pool's `borrow`, or one zygote's)."""


def lend(zygote: Zygote) -> Borrow:
    """`Borrow` for a single zygote (a self-check, a validation, Gradescope's one submission)."""

    @contextmanager
    def borrow() -> Iterator[Zygote]:
        yield zygote

    return borrow


def grade_retrying(plan: Plan, sub: Submission, borrow: Borrow, *, attempts: int = ATTEMPTS,
                   backoff: tuple[float, ...] = BACKOFF_S, on_retry: Callable[[str], None] | None = None,
                   start_errors_are_faults: bool = False) -> Report:
    """Grade `sub`, again from scratch after each machine fault; a grader-error report if all fail.

    A WorkerStartError that escapes grading (a child that cannot be isolated, a broken
    handshake) is retried like a fault when `start_errors_are_faults` (the sandbox has worked in
    this batch before); otherwise it is raised: a sandbox that never worked is misconfigured."""
    faults: list[str] = []
    for attempt in range(max(1, attempts)):
        if attempt:
            time.sleep(backoff[min(attempt, len(backoff)) - 1] if backoff else 0.0)
        try:
            with borrow() as zygote:
                report = grade(plan, sub, zygote)
        except MachineFault as exc:
            faults.append(str(exc))
        except WorkerStartError as exc:
            if not start_errors_are_faults:
                raise
            faults.append(str(exc))
        except Exception as exc:  # a bug of the grader's on this submission: it must not end the batch
            log.exception("grading %s failed inside the grader", sub.student)
            return grader_error_report(plan, sub, [], f"the grader itself failed on this submission "
                                       f"({type(exc).__name__}); not your fault: tell your instructor")
        else:
            if faults:
                report.submission.notes.append(retry_note(faults))
            return report
        if on_retry is not None and attempt + 1 < attempts:
            on_retry(f"{sub.student}: the machine broke the grading ({faults[-1]}); grading it again")
    return grader_error_report(plan, sub, faults)


def retry_note(faults: list[str]) -> str:
    times = "once" if len(faults) == 1 else f"{len(faults)} times"
    return (f"{RETRY_NOTE} the machine running the grader broke its run {times} ({faults[-1]}), not your code; "
            "nothing of the broken run counts")


def grader_error_report(plan: Plan, sub: Submission, faults: list[str], why: str | None = None) -> Report:
    """The report of a submission the grader could not grade (the machine kept failing, or the
    grader itself did): nobody's score, and graded again on the next run."""
    why = why or (f"the machine running the grader failed {len(faults)} time(s) while grading this submission "
                  f"(last: {faults[-1] if faults else 'unknown'}); not your fault: it will be graded again")
    assignment = plan.assignment
    checks = [
        CheckResult(name=p.spec.name, target=p.spec.target, score=0.0, max_score=float(p.spec.points),
                    status="error", visibility=p.spec.visibility, message=f"not graded: {why}",
                    cases_total=len(p.cases), grader_error=True)
        for p in plan.checks
    ]
    kind = "missing" if sub.source is None else ("ipynb" if sub.source.suffix == ".ipynb" else "py")
    info = SubmissionInfo(path=str(sub.path), sha256=sha256_of(sub.source), kind=kind, late=sub.late,
                          name=sub.name, files=[sub.source.name] if sub.source else [], notes=list(sub.notes),
                          **sub.origin_fields())
    return Report(
        assignment=assignment.name, assignment_version=assignment.version, student=sub.student, score=0.0,
        max_score=plan.max_score, checks=checks, submission=info, grading_key=None, grader_error=why,
        torch_version=torch.__version__, started_at=datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ"),
        duration_s=0.0,
    )
