"""The floor: the same checks on the same submissions with no isolation at all, for benchmarks only.

`InProcessSession` stands in for the sandbox's Session: it runs the child's own load and call
code (grader/sandbox/inside/child.py) in this process — no fork, no namespaces, no seccomp, no
socket — so the grader's checks, the reference's answers, the value codec on both sides and the
student's code all cost what they cost when graded, and only the isolation and the process
boundary are gone. Never reachable from the command line: student code here runs in the
process that scores it, which is exactly what the grader exists to avoid.

`grade_share` grades a list of files in one such process (run one per job, in parallel).
"""

from __future__ import annotations

import contextlib
import os
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from types import TracebackType
from typing import Any

from grader.sandbox.inside import child, warm
from grader.sandbox.limits import Limits
from grader.sandbox.protocol import codec
from grader.sandbox.protocol.calls import Call, CellSource, ErrorInfo, Load
from grader.sandbox.results import CallResult, LoadResult, Program
from grader.sandbox.zygote import Zygote


class InProcessSession:
    """Session's interface, answered in this process by the child's own code."""

    def __init__(self, zygote: Zygote, program: Program, functions: list[str], limits: Limits) -> None:
        self.program = program
        self.functions = functions
        self.fault: str | None = None
        self.protections = ["none: the floor runs the code in the grader's own process (a benchmark)"]
        self._load: LoadResult | None = None
        self._memo: dict[str, CallResult] = {}

    def __enter__(self) -> InProcessSession:
        return self

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None) -> None:
        return None

    def load(self) -> LoadResult:
        if self._load is None:
            child.capture.kept, child.capture.reported = 0, False  # each child starts with its own budget
            cells = tuple(CellSource(c.source, c.filename, c.label) for c in self.program.cells)
            reply = child._load(Load(cells, self.program.keep_going, tuple(self.functions)))
            self._load = (LoadResult("ok", reply.functions, reply.cell_errors, stdout=reply.stdout) if reply.ok else
                          LoadResult("error", failure=CallResult("error", error=reply.error or ErrorInfo("Error"))))
        return self._load

    def call(self, fn: str, args: list[Any], kwargs: dict[str, Any] | None = None, *, by_hand: bool = False,
             return_args: bool = False, want_grads: bool = False) -> CallResult:
        request = Call(fn, codec.encode(list(args)), codec.encode(dict(kwargs or {})), by_hand, return_args,
                       want_grads)
        key = repr((request.fn, request.args, request.kwargs, by_hand, return_args, want_grads))
        if key not in self._memo:
            self._memo[key] = self._answer(request)
        return self._memo[key]

    def _answer(self, request: Call) -> CallResult:
        if not self.load().ok:
            failure = self.load().failure
            assert failure is not None
            return failure
        reply = child._call(request)
        if not reply.ok:
            return CallResult("error", error=reply.error or ErrorInfo("Error"), stdout=reply.stdout,
                              autograd=reply.autograd)
        return CallResult("ok", value=codec.decode(reply.value), stdout=reply.stdout, autograd=reply.autograd,
                          args_after=None if reply.args_after is None else codec.decode(reply.args_after),
                          grads=None if reply.grads is None else codec.decode(reply.grads))

    def prefetch(self, calls: list[tuple[str, list[Any], dict[str, Any], bool]]) -> None:
        return None  # nothing to pipeline without a process boundary


@contextlib.contextmanager
def as_a_child() -> Iterator[None]:
    """This process set up as a zygote's child would be (capped print, watchers), output captured."""
    warm.prepare()
    warm.load_extras()  # as the sub-zygote has them: torch.optim's first use imports a lot
    saved = os.dup(1)
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, 1)  # where a child's capture copies what it keeps (its output pipe)
    sys.stdout = sys.stderr = child.capture
    try:
        yield
    finally:
        sys.stdout, sys.stderr = sys.__stdout__, sys.__stderr__
        os.dup2(saved, 1)
        os.close(saved)
        os.close(devnull)


def grade_share(assignment: str, files: list[str]) -> float:
    """Seconds to grade `files` in this process with the floor's session (the plan is built first)."""
    from grader.assignment.loader import load
    from grader.grading import Plan, grade
    from grader.sandbox.tiers import detect
    from grader.submission import Submission

    loaded = load(assignment)
    plan = Plan(loaded, include_hidden=True, reference=loaded.load_reference())
    plan.warm()
    zygote = Zygote(detect("portable"))  # never started: only its tier is read
    with as_a_child():
        started = time.perf_counter()
        for path in map(Path, files):
            grade(plan, Submission(path.stem, path, source=path), zygote, open_session=InProcessSession)  # type: ignore[arg-type]
        return time.perf_counter() - started
