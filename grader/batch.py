"""Many submissions: grade them on warm workers in parallel, write each report, summarise.

Each submission is an independent job (submission → report, written atomically), so a batch
can stop anywhere. Rerunning the same command grades only what is missing: a report whose
`grading_key` matches (same submission, same assignment and reference, same grading seed) is
kept. Ctrl-C lets the submissions in progress finish, writes nothing half-done and says how to
resume. Progress is a rich bar on a terminal and plain periodic lines elsewhere (CI logs).
"""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Callable, Iterator
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from pydantic import ValidationError
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TaskID, TextColumn, TimeRemainingColumn

from grader.grading import Plan, grade
from grader.report import Report, read_report, write_atomic
from grader.sandbox.pool import Pool
from grader.submission import Submission, sha256_of
from grader.summary import summarize, summary_csv

Grader = Callable[[Submission], Report]


@dataclass
class BatchResult:
    reports: list[Report] = field(default_factory=list)
    graded: int = 0
    reused: int = 0
    seconds: float = 0.0
    interrupted: bool = False


def report_path(out: Path, student: str) -> Path:
    return out / f"{student}.json"


def source_sha256(sub: Submission) -> str | None:
    return sha256_of(sub.source) or None


def reusable(plan: Plan, sub: Submission, out: Path) -> Report | None:
    """The existing report of this submission, if it was graded exactly as it would be now."""
    path = report_path(out, sub.student)
    digest = source_sha256(sub)
    if digest is None or not path.is_file():
        return None
    try:
        report = read_report(path)
    except (OSError, ValueError, ValidationError):
        return None  # unreadable or from another schema: grade again
    return report if report.grading_key == plan.grading_key(digest) else None


def local_grader(plan: Plan, pool: Pool) -> Grader:
    def job(sub: Submission) -> Report:
        with pool.borrow() as zygote:
            return grade(plan, sub, zygote)

    return job


def run(plan: Plan, subs: list[Submission], out: Path, pool: Pool | None, console: Console, *,
        resume: bool = True, jobs: int | None = None, grader: Grader | None = None,
        set_aside: list[str] | None = None) -> BatchResult:
    """Grade every submission into `out` (reusing matching reports unless `resume` is off)."""
    out.mkdir(parents=True, exist_ok=True)
    for stale in out.glob(".*.tmp"):  # left by a grader that was killed mid-write
        stale.unlink(missing_ok=True)
    result = BatchResult()
    started = time.monotonic()
    done: dict[str, Report] = {}
    todo: list[Submission] = []
    for sub in subs:
        old = reusable(plan, sub, out) if resume else None
        if old is not None:
            done[sub.student] = old
        else:
            todo.append(sub)
    result.reused = len(done)
    if result.reused:
        console.print(f"{result.reused} submission(s) already graded with this assignment and seed: kept")
    job = grader or local_grader(plan, pool if pool is not None else _no_pool())
    workers = jobs or (len(pool.zygotes) if pool is not None else 1)
    counts: Counter[str] = Counter(_verdict(r) for r in done.values())

    def write(sub: Submission) -> Report:
        report = job(sub)  # a job that was started always finishes and writes a whole report
        write_atomic(report_path(out, sub.student), report.to_json())
        return report

    with _progress(console, len(todo), counts) as tick, ThreadPoolExecutor(max(1, workers)) as executor:
        pending: set[Future[Report]] = set()
        queue = iter(todo)
        try:
            for sub in _take(queue, workers * 2):
                pending.add(executor.submit(write, sub))
            while pending:
                finished, pending = wait(pending, return_when=FIRST_COMPLETED)
                for future in finished:
                    report = future.result()
                    done[report.student] = report
                    result.graded += 1
                    counts[_verdict(report)] += 1
                    tick()
                    for sub in _take(queue, 1):
                        pending.add(executor.submit(write, sub))
        except KeyboardInterrupt:
            result.interrupted = True
            console.print("[yellow]interrupted: finishing the submissions in progress...[/]")
            for future in pending:
                report = future.result()
                done[report.student] = report
                result.graded += 1
    result.reports = [done[sub.student] for sub in subs if sub.student in done]
    result.seconds = time.monotonic() - started
    if result.reports:
        write_summaries(out, result.reports, set_aside)
    if result.interrupted:
        missing = len(subs) - len(result.reports)
        console.print(f"[yellow]{missing} submission(s) not graded; run the same command again to finish[/]")
        raise KeyboardInterrupt
    return result


def _take(queue: Iterator[Submission], n: int) -> list[Submission]:
    items = []
    for _ in range(n):
        item = next(queue, None)
        if item is None:
            break
        items.append(item)
    return items


def _no_pool() -> Pool:
    raise ValueError("local grading needs a pool of workers")


def write_summaries(out: Path, reports: list[Report], set_aside: list[str] | None = None) -> None:
    """summary.json and summary.csv over every report of this batch."""
    summary = summarize(reports, set_aside)
    write_atomic(out / "summary.json", summary.model_dump_json(indent=2) + "\n")
    write_atomic(out / "summary.csv", summary_csv(reports))


def _verdict(report: Report) -> str:
    if report.errors:
        return "errors"
    if any(c.status == "timeout" for c in report.checks):
        return "timeouts"
    return "full marks" if report.score == report.max_score else "partial"


@contextmanager
def _progress(console: Console, total: int, counts: Counter[str]) -> Iterator[Callable[[], None]]:
    """`tick()` after each graded submission: a live bar on terminals, a line every 5 s in logs."""
    started = time.monotonic()
    state = {"done": 0, "last": 0.0}
    bar: Progress | None = None
    task: TaskID | None = None

    def line() -> str:
        elapsed = max(time.monotonic() - started, 1e-9)
        summary = ", ".join(f"{n} {k}" for k, n in sorted(counts.items()))
        return f"{state['done'] / elapsed:.1f}/s; {summary}"

    def tick() -> None:
        state["done"] += 1
        if bar is not None and task is not None:
            bar.update(task, advance=1, status=line())
        elif state["done"] == total or time.monotonic() - state["last"] >= 5.0:
            state["last"] = time.monotonic()
            console.print(f"graded {state['done']}/{total} ({line()})", highlight=False)

    if console.is_terminal and total:
        bar = Progress(TextColumn("[bold]grading"), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn(),
                       TextColumn("{task.fields[status]}"), console=console)
        task = bar.add_task("grading", total=total, status="")
        with bar:
            yield tick
    else:
        yield tick
