"""The terminal side of a batch: grader.progress events as a rich bar, or as plain lines in logs.

On a terminal: a live bar with the rate, the time left and counts of verdicts. Elsewhere (CI
logs, a pipe): a line every five seconds and one at the end. Notes and warnings are printed as
they come. Everything printed is escaped (student ids are in the messages).
"""

from __future__ import annotations

import threading
import time
from collections import Counter
from types import TracebackType
from typing import TYPE_CHECKING

from rich.console import Console
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TaskID, TextColumn, TimeRemainingColumn

from grader.progress import Event
from grader.text import MESSAGE_LIMIT, clean

if TYPE_CHECKING:
    from grader.report import Report

LOG_EVERY_S = 5.0


def verdict(report: Report) -> str:
    if report.has_grader_error:
        return "grader errors"
    if report.errors:
        return "errors"
    if any(c.status == "timeout" for c in report.checks):
        return "timeouts"
    return "full marks" if report.score == report.max_score else "partial"


def shown(text: str) -> str:
    """Text from reports or paths, safe to print with markup: cleaned of escapes, markup escaped."""
    return escape(clean(text, MESSAGE_LIMIT))


class TerminalProgress:
    """A grader.progress callback that draws on `console`; use it as a context manager so the
    bar is taken down however the batch ends."""

    def __init__(self, console: Console) -> None:
        self.console = console
        self.counts: Counter[str] = Counter()
        self._bar: Progress | None = None
        self._task: TaskID | None = None
        self._started = time.monotonic()
        self._logged = 0.0
        self._lock = threading.Lock()

    def __call__(self, event: Event) -> None:
        with self._lock:
            if event.kind == "start":
                self._start(event.total)
            elif event.kind == "graded" and event.report is not None:
                self.counts[verdict(event.report)] += 1
                self._tick(event.done, event.total)
            elif event.kind in ("warning", "stopping"):
                self.console.print(f"[yellow]{shown(event.text)}[/]")
            elif event.kind == "retry":
                self.console.print(f"[yellow]retry:[/] {shown(event.text)}")
            else:
                self.console.print(shown(event.text))

    def _line(self, done: int) -> str:
        elapsed = max(time.monotonic() - self._started, 1e-9)
        summary = ", ".join(f"{n} {k}" for k, n in sorted(self.counts.items()))
        return f"{done / elapsed:.1f}/s; {summary}"

    def _start(self, total: int) -> None:
        self._started = time.monotonic()
        if self.console.is_terminal and total:
            self._bar = Progress(TextColumn("[bold]grading"), BarColumn(), MofNCompleteColumn(),
                                 TimeRemainingColumn(), TextColumn("{task.fields[status]}"), console=self.console)
            self._task = self._bar.add_task("grading", total=total, status="")
            self._bar.start()

    def _tick(self, done: int, total: int) -> None:
        if self._bar is not None and self._task is not None:
            self._bar.update(self._task, completed=done, status=self._line(done))
        elif done == total or time.monotonic() - self._logged >= LOG_EVERY_S:
            self._logged = time.monotonic()
            self.console.print(f"graded {done}/{total} ({self._line(done)})", highlight=False)

    def __enter__(self) -> TerminalProgress:
        return self

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        if self._bar is not None:
            self._bar.stop()
            self._bar = None
