"""Many submissions: grade them on warm workers in parallel, write each report, summarise.

Each submission is an independent job (submission → report written atomically), so a batch can
be interrupted and rerun. Progress is a rich bar on a terminal and plain periodic lines
elsewhere (CI logs).
"""

from __future__ import annotations

import csv
import io
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import dataclass, field
from pathlib import Path

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TaskID, TextColumn, TimeRemainingColumn

from grader.grading import Plan, grade
from grader.report import Report, write_atomic
from grader.sandbox.pool import Pool
from grader.submission import Submission


@dataclass
class BatchResult:
    reports: list[Report] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    seconds: float = 0.0


def report_path(out: Path, student: str) -> Path:
    return out / f"{student}.json"


def run(plan: Plan, subs: list[Submission], out: Path, pool: Pool, console: Console) -> BatchResult:
    """Grade every submission into `out`; returns the reports in the submissions' order."""
    out.mkdir(parents=True, exist_ok=True)
    result = BatchResult()
    started = time.monotonic()
    done: dict[str, Report] = {}
    counts: Counter[str] = Counter()

    def job(sub: Submission) -> Report:
        with pool.borrow() as zygote:
            report = grade(plan, sub, zygote)
        write_atomic(report_path(out, sub.student), report.to_json())
        return report

    with _progress(console, len(subs)) as tick, ThreadPoolExecutor(len(pool.zygotes)) as executor:
        futures = {executor.submit(job, sub): sub for sub in subs}
        for future in as_completed(futures):
            report = future.result()
            done[report.student] = report
            counts.update(_verdict(report))
            tick(counts)
    result.reports = [done[sub.student] for sub in subs]
    result.seconds = time.monotonic() - started
    write_atomic(out / "summary.csv", summary_csv(result.reports))
    return result


def _verdict(report: Report) -> list[str]:
    if report.errors:
        return ["error"]
    if any(c.status == "timeout" for c in report.checks):
        return ["timeout"]
    return ["full marks" if report.score == report.max_score else "partial"]


class _progress:
    """A context manager yielding `tick(counts)`: a bar on terminals, lines in logs."""

    def __init__(self, console: Console, total: int):
        self.console, self.total = console, total
        self.bar: Progress | None = None
        self.task: TaskID | None = None
        self.done = 0
        self.last_line = 0.0
        self.start = time.monotonic()

    def __enter__(self):  # type: ignore[no-untyped-def]
        if self.console.is_terminal:
            self.bar = Progress(
                TextColumn("[bold]grading"), BarColumn(), MofNCompleteColumn(),
                TextColumn("{task.fields[rate]}"), TimeRemainingColumn(),
                TextColumn("{task.fields[counts]}"), console=self.console, transient=False,
            )
            self.bar.__enter__()
            self.task = self.bar.add_task("grading", total=self.total, rate="", counts="")
        return self.tick

    def tick(self, counts: Counter[str]) -> None:
        self.done += 1
        elapsed = max(time.monotonic() - self.start, 1e-9)
        rate = f"{self.done / elapsed:.1f}/s"
        summary = ", ".join(f"{n} {k}" for k, n in sorted(counts.items()))
        if self.bar is not None and self.task is not None:
            self.bar.update(self.task, advance=1, rate=rate, counts=summary)
        elif self.done == self.total or time.monotonic() - self.last_line >= 5.0:
            self.last_line = time.monotonic()
            self.console.print(f"graded {self.done}/{self.total} ({rate}; {summary})", highlight=False)

    def __exit__(self, *exc: object) -> None:
        if self.bar is not None:
            self.bar.__exit__(None, None, None)


def summary_csv(reports: list[Report]) -> str:
    """One row per student: totals, status counts, then each check's score."""
    names = [c.name for c in reports[0].checks] if reports else []
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(["student", "score", "max_score", "percent", "passed", "failed", "error",
                     "timeout", "problems", *names])
    for report in reports:
        status = Counter(c.status for c in report.checks)
        by_name = {c.name: c.score for c in report.checks}
        percent = 100.0 * report.score / report.max_score if report.max_score else 0.0
        writer.writerow([
            report.student, f"{report.score:g}", f"{report.max_score:g}", f"{percent:.1f}",
            status["passed"], status["failed"], status["error"], status["timeout"],
            " | ".join(report.errors)[:500], *(f"{by_name.get(n, 0.0):g}" for n in names),
        ])
    return buffer.getvalue()
