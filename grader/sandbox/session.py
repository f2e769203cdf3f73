"""One submission's conversation with the sandbox: load its code, call its functions.

A child is forked lazily and re-forked after anything kills it, so a call that times out or
crashes costs only that call. Each call has a wall-clock deadline (the smaller of the per-call
timeout and what is left of the submission's budget); past it the child's process group gets
SIGKILL. Replies are decoded from plain data; the session never unpickles anything.
"""

from __future__ import annotations

import socket
import time
from dataclasses import dataclass, field
from typing import Any, Literal

from grader.sandbox.inside import frames, values
from grader.sandbox.inside.worker import needs_extras
from grader.sandbox.limits import Limits
from grader.sandbox.zygote import ExitStatus, WorkerStartError, Zygote

Status = Literal["ok", "error", "timeout", "crashed"]
PIPELINE = 64  # calls per write when prefetching: well within a socket's buffer


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
    wire: Any = None
    error: dict[str, Any] = field(default_factory=dict)
    stdout: str = ""
    autograd: list[str] = field(default_factory=list)
    args_after: Any = None
    exit: ExitStatus | None = None
    exit_note: dict[str, Any] | None = None
    reason: str = ""
    coerced: dict[Any, Any] = field(default_factory=dict)  # the value in the shapes asked for so far

    @property
    def ok(self) -> bool:
        return self.status == "ok"


@dataclass
class LoadResult:
    status: Status
    functions: dict[str, Any] = field(default_factory=dict)
    cell_errors: list[dict[str, Any]] = field(default_factory=list)
    failure: CallResult | None = None
    stdout: str = ""

    @property
    def ok(self) -> bool:
        return self.status == "ok"


class Session:
    """Runs one submission's program in forked children and answers function calls."""

    def __init__(self, zygote: Zygote, program: Program, functions: list[str], limits: Limits):
        self.zygote = zygote
        self.program = program
        self.functions = functions
        self.limits = limits
        self.started = time.monotonic()
        self.deadline = self.started + limits.submission_timeout_s
        self._child: tuple[int, socket.socket] | None = None
        self._load: LoadResult | None = None
        self._memo: dict[str, CallResult] = {}
        self._pending: list[tuple[str, str]] = []  # prefetched calls whose answers are unread
        self._pending_keys: set[str] = set()
        self._timed_out: dict[str, str] = {}
        self.stdout_parts: list[str] = []
        self.protections: list[str] = []
        self.children = 0
        self.extras = needs_extras([cell.source for cell in program.cells])

    # -- lifecycle -----------------------------------------------------------------------------

    def load(self) -> LoadResult:
        """Run the program once (cached); a failure here fails every call."""
        if self._load is None:
            self._load = self._fresh_child()
        return self._load

    def _fresh_child(self) -> LoadResult:
        self._drop_child()
        pid, sock = self.zygote.spawn(self.limits, self.extras)
        self._child = (pid, sock)
        self.children += 1
        try:
            hello = frames.recv(sock, deadline=time.monotonic() + 30)
        except frames.FrameError as exc:
            self._drop_child()
            raise WorkerStartError(f"a sandboxed worker did not start: {exc}") from exc
        if not isinstance(hello, dict) or not hello.get("ready"):
            self._drop_child()
            error = hello.get("sandbox_error") if isinstance(hello, dict) else hello
            raise WorkerStartError(f"the sandbox could not isolate a worker: {error}")
        self.protections = [str(p) for p in hello.get("protections") or []]
        request = {
            "op": "load",
            "cells": [
                {"source": c.source, "filename": c.filename, "label": c.label}
                for c in self.program.cells
            ],
            "keep_going": self.program.keep_going,
            "functions": self.functions,
        }
        result = self._exchange(request, self.limits.load_timeout_s, "loading the file")
        if not result.ok:
            return LoadResult(result.status, failure=result)
        reply = result.wire
        return LoadResult(
            "ok",
            functions=reply.get("functions") or {},
            cell_errors=list(reply.get("cell_errors") or []),
            stdout=result.stdout,
        )

    def _drop_child(self, wait: bool = False) -> ExitStatus | None:
        """Kill the current child; `wait` for its exit status when a message needs it."""
        self._pending, self._pending_keys = [], set()  # their answers died with the child
        if self._child is None:
            return None
        pid, sock = self._child
        self._child = None
        sock.close()
        return self.zygote.reap(pid, wait)

    def close(self) -> None:
        self._drop_child()

    def __enter__(self) -> Session:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @property
    def remaining(self) -> float:
        return self.deadline - time.monotonic()

    # -- calls ---------------------------------------------------------------------------------

    def call(
        self,
        fn: str,
        args: list[Any],
        kwargs: dict[str, Any] | None = None,
        *,
        by_hand: bool = False,
        return_args: bool = False,
    ) -> CallResult:
        """Call `fn(*args, **kwargs)` in the child; identical calls are answered from memory."""
        kwargs = kwargs or {}
        wire_args = values.encode(list(args))
        wire_kwargs = values.encode(dict(kwargs))
        key = self._key(fn, wire_args, wire_kwargs, by_hand, return_args)
        if key not in self._memo and key in self._pending_keys:
            self._drain(until=key)  # its answer is on the way: read up to it
        if key in self._memo:
            return self._memo[key]
        self._drain()  # the protocol is one reply per request, in order
        result = self._call_uncached(fn, wire_args, wire_kwargs, by_hand, return_args)
        self._memo[key] = result
        return result

    @staticmethod
    def _key(fn: str, wire_args: Any, wire_kwargs: Any, by_hand: bool, return_args: bool) -> str:
        # repr is exact for the wire forms (floats print their shortest round-trip form) and the
        # encoder builds every dict in a fixed order, so no sorting is needed.
        return repr((fn, wire_args, wire_kwargs, by_hand, return_args))

    def prefetch(self, calls: list[tuple[str, list[Any], dict[str, Any], bool]]) -> None:
        """Send independent calls back to back; their answers are read when first needed.

        One write for many calls saves the round trips, and the child computes the next answers
        while the grader judges the first ones. Each answer still has its own deadline, counted
        from when the grader starts waiting for it. Anything that goes wrong just stops reading
        ahead: the calls that got no answer are made one by one later, with the usual handling.
        """
        self._drain()
        if not self.load().ok:
            return
        todo: list[tuple[str, str, dict[str, Any]]] = []
        for fn, args, kwargs, by_hand in calls:
            wire_args, wire_kwargs = values.encode(list(args)), values.encode(dict(kwargs))
            key = self._key(fn, wire_args, wire_kwargs, by_hand, False)
            if fn in self._timed_out or key in self._memo or any(key == k for k, _, _ in todo):
                continue
            todo.append((key, fn, {"op": "call", "fn": fn, "args": wire_args, "kwargs": wire_kwargs,
                                   "by_hand": by_hand, "return_args": False}))
        if len(todo) < 2:
            return
        if self._child is None and not self._fresh_child().ok:
            return
        # The first call alone: a function that raises or hangs would do so for every queued case.
        key, fn, request = todo[0]
        first = self._finish(fn, False, self._exchange(request, self.limits.call_timeout_s, f"running {fn}"))
        self._memo[key] = first
        if not first.ok or self._child is None:
            return
        rest = todo[1:PIPELINE + 1]  # well within a socket's buffer, so the write cannot block
        if self._send_all([request for _, _, request in rest]) is None:
            self._pending = [(key, fn) for key, fn, _ in rest]
            self._pending_keys = {key for key, _ in self._pending}

    def _drain(self, until: str | None = None) -> None:
        """Read pending answers in order into the memo (all of them, or up to `until`'s)."""
        while self._pending:
            key, fn = self._pending.pop(0)
            self._pending_keys.discard(key)
            if self._child is None or self.remaining <= 0:
                continue  # no answer will come: the call is made again when needed
            self._memo[key] = self._finish(fn, False, self._receive(self.limits.call_timeout_s, f"running {fn}"))
            if self._child is None:  # the child is gone: nothing more will be answered
                self._pending, self._pending_keys = [], set()
            if key == until:
                return

    def _call_uncached(
        self, fn: str, wire_args: Any, wire_kwargs: Any, by_hand: bool, return_args: bool
    ) -> CallResult:
        if fn in self._timed_out:
            return CallResult("timeout", reason=self._timed_out[fn])
        load = self.load()
        if not load.ok:
            assert load.failure is not None
            return load.failure
        if self.remaining <= 0:
            return CallResult("timeout", reason=self._budget_reason())
        if self._child is None:
            reload = self._fresh_child()
            if not reload.ok:
                assert reload.failure is not None
                return reload.failure
        request = {
            "op": "call", "fn": fn, "args": wire_args, "kwargs": wire_kwargs,
            "by_hand": by_hand, "return_args": return_args,
        }
        return self._finish(fn, return_args, self._exchange(request, self.limits.call_timeout_s, f"running {fn}"))

    def _finish(self, fn: str, return_args: bool, result: CallResult) -> CallResult:
        """Decode a call's answer; a timeout also stops further calls of the same function."""
        if result.status == "timeout":
            self._timed_out[fn] = (
                f"was not called: an earlier call of {fn} did not finish ({result.reason})"
            )
        if result.ok:
            try:
                result.value = values.decode(result.wire.get("value"))
                if return_args:
                    result.args_after = values.decode(result.wire.get("args_after"))
            except values.DecodeError as exc:
                return CallResult("error", error={"type": "Protocol", "message": str(exc)})
        return result

    def _budget_reason(self, running: str | None = None) -> str:
        """Why a call has no answer when the submission's whole budget is spent (a verb phrase)."""
        budget = f"the submission used up its {self.limits.submission_timeout_s:g} s time budget"
        return f"did not finish: {budget} while {running}" if running else f"was not run: {budget}"

    def _exchange(self, request: dict[str, Any], timeout: float, what: str) -> CallResult:
        """Send one request and wait for its reply, killing the child at the deadline."""
        failed = self._send_all([request])
        return failed if failed is not None else self._receive(timeout, what)

    def _send_all(self, requests: list[dict[str, Any]]) -> CallResult | None:
        """Write requests in one go; on failure the child is dropped and the failure returned."""
        assert self._child is not None
        _, sock = self._child
        data = b"".join(frames.encode(request) for request in requests)
        sock.settimeout(max(min(self.limits.call_timeout_s, self.remaining), 0.001))
        try:
            sock.sendall(data)
        except OSError as exc:
            status = self._drop_child(wait=True)
            if isinstance(exc, TimeoutError):
                return CallResult("timeout", reason="did not read its input in time", exit=status)
            return CallResult("crashed", exit=status,
                              reason=f"the process running your code {self._ended(status)}")
        return None

    def _receive(self, timeout: float, what: str) -> CallResult:
        """Wait for the next reply, killing the child at the deadline."""
        assert self._child is not None
        _, sock = self._child
        budget_left = self.remaining
        limit = min(timeout, max(budget_left, 0.0))
        deadline = time.monotonic() + limit
        exit_note: dict[str, Any] | None = None
        try:
            while True:
                reply = frames.recv(sock, deadline=deadline)
                if isinstance(reply, dict) and "note" in reply:
                    exit_note = reply
                    continue
                break
        except frames.FrameTimeout:
            status = self._drop_child()
            reason = self._budget_reason(what) if budget_left < timeout else f"did not finish within {timeout:g} s"
            return CallResult("timeout", reason=reason, exit=status)
        except frames.FrameError as exc:
            status = self._drop_child(wait=True)
            if isinstance(exc, frames.PeerClosed):
                return CallResult("crashed", exit=status, exit_note=exit_note,
                                  reason=f"the process running your code {self._ended(status)}")
            return CallResult("error", exit=status,
                              error={"type": "Protocol", "message": str(exc)})
        if not isinstance(reply, dict):
            self._drop_child()
            return CallResult("error", error={"type": "Protocol", "message": "malformed reply"})
        stdout = str(reply.get("stdout") or "")
        if stdout:
            self.stdout_parts.append(stdout)
        autograd = [str(a) for a in reply.get("autograd") or []]
        if not reply.get("ok"):
            error = reply.get("error")
            return CallResult(
                "error", wire=reply, stdout=stdout, autograd=autograd,
                error=error if isinstance(error, dict) else {"type": "Error", "message": str(error)},
            )
        return CallResult("ok", wire=reply, stdout=stdout, autograd=autograd)

    @staticmethod
    def _ended(status: ExitStatus | None) -> str:
        return status.describe() if status is not None else "ended"
