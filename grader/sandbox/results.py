"""What a submission's program is, and what loading it or calling one of its functions gave."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

from grader.sandbox.channels import ExitStatus
from grader.sandbox.protocol.calls import CellError, ErrorInfo, ExitNote, FunctionInfo

Status = Literal["ok", "error", "timeout", "crashed"]


class MachineFault(Exception):
    """The machine, not the submission, broke this run (a worker killed from outside, a zygote
    that vanished): the grade must not be kept; grade the submission again from scratch."""


@dataclass(frozen=True)
class Cell:
    """A piece of the submission's source, executed in order in one module."""

    source: str
    filename: str
    label: str


@dataclass(frozen=True)
class Program:
    cells: tuple[Cell, ...]
    keep_going: bool = False  # notebooks: a cell that raises does not stop the next ones


@dataclass
class CallResult:
    """What one call (or the load) gave: a value, or why there is none."""

    status: Status
    value: Any = None
    error: ErrorInfo | None = None
    stdout: str = ""
    autograd: tuple[str, ...] = ()
    args_after: Any = None
    grads: list[Any] | None = None  # d(sum of the value)/d(each argument requiring grad), None: no path
    exit: ExitStatus | None = None
    exit_note: ExitNote | None = None
    reason: str = ""
    output_tail: str = ""  # the end of what was printed during the request that did not finish
    fault: str | None = None  # the machine, not the submission, ended the run (see Session.fault)

    @property
    def ok(self) -> bool:
        return self.status == "ok"


@dataclass
class LoadResult:
    status: Status
    functions: dict[str, FunctionInfo | None] = field(default_factory=dict)
    cell_errors: tuple[CellError, ...] = ()
    failure: CallResult | None = None
    stdout: str = ""

    @property
    def ok(self) -> bool:
        return self.status == "ok"
