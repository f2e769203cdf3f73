"""Many submissions: grade them with an executor in parallel, write each report, summarise.

Each submission is an independent job (submission → report, written atomically), so a batch
can stop anywhere. Rerunning the same command grades only what is missing: a report whose
`grading_key` matches (same submission, same assignment and reference, same grading seed) is
kept; a grader-error report has no key, so it is graded again. Ctrl-C lets the submissions in
progress finish, writes nothing half-done and says how to resume. A full disk or an output
folder that cannot be written stops the batch with one message (OutputFolderError); reports
already written stay, and no partial file is left. Progress goes to a callback
(grader.progress), never to a terminal directly.

Every report is written final (grader.adjust): the late policy assessed on the submission's
time, and the instructor's decisions in `out`/overrides.toml applied, which are checked before
anything is graded. A kept report is assessed again too, and rewritten if that changes it, so a
new --times file, an extension or an override reaches it without grading it again.
"""

from __future__ import annotations

import errno
import tempfile
import time
from collections.abc import Callable, Iterator
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from dataclasses import dataclass, field
from pathlib import Path

from grader import adjust, overrides
from grader.executors import Executor
from grader.grading import Plan
from grader.progress import Event, Progress, silent
from grader.report import Report
from grader.reports import (
    ReportFolderError,
    path_for,
    read_report,
    remove_stale_temporaries,
    write_report,
)
from grader.submission import Submission, sha256_of
from grader.summary import write_summaries

STORAGE_ERRNOS = {errno.ENOSPC: "the disk is full", errno.EDQUOT: "the disk quota is used up",
                  errno.EROFS: "the file system is read-only", errno.EACCES: "permission denied",
                  errno.EPERM: "permission denied"}


class OutputFolderError(ReportFolderError):
    """The reports cannot be written (full disk, read-only or forbidden folder): the batch stops."""


@dataclass
class BatchResult:
    reports: list[Report] = field(default_factory=list)
    graded: int = 0
    reused: int = 0
    seconds: float = 0.0
    interrupted: bool = False

    @property
    def grader_errors(self) -> list[str]:
        """Students whose report is a grader error (of a check or of the whole submission)."""
        return [r.student for r in self.reports if r.has_grader_error]


def reusable(plan: Plan, sub: Submission, out: Path) -> Report | None:
    """The existing report of this submission, if it was graded exactly as it would be now."""
    path = path_for(out, sub.student)
    digest = sha256_of(sub.source)
    if not digest or not path.is_file():
        return None
    try:
        report = read_report(path)
    except ReportFolderError:
        return None  # unreadable or from another schema: grade again
    if report.student != sub.student:
        return None
    return report if report.grading_key == plan.grading_key(digest) else None


def storage_error(exc: OSError, out: Path, written: int | None = None) -> OutputFolderError | None:
    """The one message for a report folder that cannot take more (None: not a storage problem);
    `written`: how many reports are there already (None: the batch has not started)."""
    what = STORAGE_ERRNOS.get(exc.errno or 0)
    if what is None:
        return None
    name = Path(str(exc.filename)) if exc.filename else out
    where = out if name.name.startswith(".") else name  # a temporary file's name means nothing to anyone
    fix = "free some space there" if exc.errno in (errno.ENOSPC, errno.EDQUOT) else \
        "make it writable or choose another --out folder"
    kept = "" if written is None else \
        f": the {written} report(s) already there are whole and kept, the others will be graded"
    return OutputFolderError(f"cannot write the reports to {out} ({what}: {where}); {fix} and run the same "
                             f"command again{kept}")


def run(plan: Plan, subs: list[Submission], out: Path, executor: Executor, *, resume: bool = True,
        set_aside: list[str] | None = None, progress: Progress = silent) -> BatchResult:
    """Grade every submission into `out` (reusing matching reports unless `resume` is off)."""
    result = BatchResult()
    started = time.monotonic()
    try:  # a folder that cannot be written is found now, not after the first submissions are graded
        out.mkdir(parents=True, exist_ok=True)
        remove_stale_temporaries(out)
        with tempfile.NamedTemporaryFile(dir=out, prefix=".probe.", suffix=".tmp"):
            pass
    except OSError as exc:
        raise storage_error(exc, out) or exc from exc
    entries = _decisions(out, plan, subs, progress)
    policy = plan.assignment.spec.late

    def finish(report: Report, sub: Submission) -> Report:
        timing = adjust.Timing(sub.submitted_at, sub.time_source, sub.late)
        return adjust.apply(report, entries, (policy, timing) if policy else None)

    done: dict[str, Report] = {}
    todo: list[Submission] = []
    for sub in subs:
        old = reusable(plan, sub, out) if resume else None
        if old is not None:
            done[sub.student] = _rewritten(out, sub, old, finish(old, sub), len(done))
        else:
            todo.append(sub)
    result.reused = len(done)
    if result.reused:
        progress(Event("note", f"{result.reused} submission(s) already graded with this assignment and seed: kept"))
    progress(Event("start", total=len(todo)))
    stopped = _grade_all(todo, out, executor, done, result, progress, finish)
    result.reports = [done[sub.student] for sub in subs if sub.student in done]
    result.seconds = time.monotonic() - started
    if isinstance(stopped, OutputFolderError):
        raise stopped
    if result.reports:
        try:
            write_summaries(out, result.reports, set_aside)
        except OSError as exc:
            raise storage_error(exc, out, len(result.reports)) or exc from exc
    unknown = [r.student for r in result.reports if r.late and r.late.submitted_at is None]
    if unknown:
        progress(Event("warning", f"{len(unknown)} submission(s) have no submission time, so no late penalty: "
                                  f"{', '.join(unknown[:10])}{' ...' if len(unknown) > 10 else ''}; give the "
                                  "times with --times FILE (docs/grading.md)"))
    if result.interrupted:
        missing = len(subs) - len(result.reports)
        progress(Event("warning", f"{missing} submission(s) not graded; run the same command again to finish"))
        raise KeyboardInterrupt
    return result


def _grade_all(todo: list[Submission], out: Path, executor: Executor, done: dict[str, Report],
               result: BatchResult, progress: Progress,
               finish: Callable[[Report, Submission], Report]) -> OutputFolderError | None:
    """Grade and write `todo`, `slots` at a time; on Ctrl-C or a storage error, let the runs in
    progress finish, start no more, and return the storage error (Ctrl-C: `result.interrupted`)."""
    slots = max(1, executor.slots)
    stopped: OutputFolderError | None = None

    def write(sub: Submission) -> tuple[Submission, Report]:
        report = finish(executor.grade(sub), sub)  # a job that was started finishes and writes a whole report
        try:
            write_report(out, report, sub.student)
        except OSError as exc:
            problem = storage_error(exc, out, len(done))
            if problem is None:
                raise
            raise problem from exc
        return sub, report

    def collect(future: Future[tuple[Submission, Report]]) -> None:
        nonlocal stopped
        try:
            sub, report = future.result()
        except OutputFolderError as exc:
            stopped = stopped or exc
            return
        done[sub.student] = report
        result.graded += 1
        progress(Event("graded", done=result.graded, total=len(todo), report=report))

    with ThreadPoolExecutor(slots) as threads:
        pending: set[Future[tuple[Submission, Report]]] = set()
        queue = iter(todo)
        try:
            pending |= {threads.submit(write, sub) for sub in _take(queue, slots * 2)}
            while pending and stopped is None:
                finished, pending = wait(pending, return_when=FIRST_COMPLETED)
                for future in finished:
                    collect(future)
                if stopped is None:
                    pending |= {threads.submit(write, sub) for sub in _take(queue, len(finished))}
        except KeyboardInterrupt:
            result.interrupted = True
        if pending:
            why = "interrupted" if result.interrupted else "stopping"
            progress(Event("stopping", f"{why}: finishing the submissions in progress..."))
        for future in pending:
            if not future.cancel():
                collect(future)
    return stopped


def _decisions(out: Path, plan: Plan, subs: list[Submission], progress: Progress) -> list[overrides.Entry]:
    """overrides.toml, checked against this batch's students (and those with a report in `out`)
    and the assignment's checks: a mistake stops the batch before anything is graded."""
    entries = overrides.load(out)
    policy = plan.assignment.spec.late
    names = {planned.spec.name for planned in plan.checks}
    students = {sub.student: names for sub in subs}
    students.update({e.student: names for e in entries if path_for(out, e.student).is_file()})
    overrides.check_against(entries, out, students, dict.fromkeys(students, policy is not None))
    strangers = sorted(set(policy.extensions) - set(students)) if policy else []
    if strangers:
        progress(Event("warning", f"[late] extensions name student(s) with no submission here: "
                                  f"{', '.join(strangers[:10])}"))
    return entries


def _rewritten(out: Path, sub: Submission, old: Report, new: Report, written: int) -> Report:
    """A kept report, rewritten when assessing it again changed it (a storage error stops the batch)."""
    if new != old:
        try:
            write_report(out, new, sub.student)
        except OSError as exc:
            raise storage_error(exc, out, written) or exc from exc
    return new


def _take(queue: Iterator[Submission], n: int) -> list[Submission]:
    items = []
    for _ in range(n):
        item = next(queue, None)
        if item is None:
            break
        items.append(item)
    return items

