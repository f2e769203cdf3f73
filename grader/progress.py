"""What a batch tells whoever watches it: events through one callback, no terminal assumed.

`grader.api.grade(..., progress=callback)` calls `callback(event)` as the batch goes; the rich
display of `grader grade` (grader.commands.display) is one such callback, a test's list.append
another. Events may come from grading threads (a retry), so a callback must be thread-safe.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

if TYPE_CHECKING:  # parsing the command line must not load pydantic
    from grader.report import Report

Kind = Literal["note", "warning", "start", "graded", "retry", "stopping"]


@dataclass(frozen=True)
class Event:
    """`note`/`warning`: a line for the person running the batch (`text`); `start`: `total`
    submissions are about to be graded; `graded`: `report` was written, `done` of `total`;
    `retry`: the machine broke a submission's run and it is graded again (`text` says whose);
    `stopping`: the batch stops early (Ctrl-C, a full disk) after the runs in progress."""

    kind: Kind
    text: str = ""
    done: int = 0
    total: int = 0
    report: Report | None = None


Progress = Callable[[Event], None]


def silent(event: Event) -> None:
    """The callback that ignores everything."""
