"""One submission's conversation with the sandbox: load its code, call its functions.

A child is forked lazily and re-forked after anything kills it, so a call that times out or
crashes costs only that call. Each call has a wall-clock deadline (the smaller of the per-call
timeout and what is left of the submission's budget); past it the child's process group gets
SIGKILL. Replies are typed records read with size caps, and the session itself bounds what it
keeps: a child that sends more output, bigger frames or more of them than an honest one can
ends its submission's grading with an "output limit" failure, and the grader's memory stays
where it was.
"""

from __future__ import annotations

import time
from typing import Any

from grader.sandbox.inside.server import needs_extras
from grader.sandbox.limits import Limits
from grader.sandbox.protocol import codec, framing
from grader.sandbox.protocol.calls import (
    Call,
    CallReply,
    CellSource,
    ErrorInfo,
    ExitNote,
    Hello,
    Load,
    LoadReply,
    OutputLimit,
    Unprotected,
)
from grader.sandbox.protocol.errors import ProtocolError
from grader.sandbox.protocol.records import read
from grader.sandbox.results import CallResult, LoadResult, Program
from grader.sandbox.zygote import ChildEnds, ExitStatus, WorkerStartError, Zygote

PIPELINE = 64  # calls per write when prefetching: well within a socket's buffer
SUBMISSION_BYTES = 32 * 1024 * 1024  # read from a submission's children in all


class Session:
    """Runs one submission's program in forked children and answers function calls."""

    def __init__(self, zygote: Zygote, program: Program, functions: list[str], limits: Limits):
        self.zygote = zygote
        self.program = program
        self.functions = functions
        self.limits = limits
        self.started = time.monotonic()
        self.deadline = self.started + limits.submission_timeout_s
        self._child: ChildEnds | None = None
        self._load: LoadResult | None = None
        self._memo: dict[str, CallResult] = {}
        self._pending: list[tuple[str, str]] = []  # prefetched calls whose answers are unread
        self._pending_keys: set[str] = set()
        self._timed_out: dict[str, str] = {}
        self._bytes_read = 0
        self._last_output = ""
        self.over_limit: str | None = None  # why the submission's remaining calls are refused
        self.fault: str | None = None  # the first fault of the machine in this run (then it is graded again)
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
        if self.over_limit:
            return LoadResult("error", failure=self._limited())
        try:
            child = self.zygote.spawn(self.limits, self.extras)
        except WorkerStartError as exc:  # the slot's zygote died and would not come back
            return LoadResult("crashed", failure=self._machine_fault(f"the sandbox could not start a worker: {exc}"))
        self._child = child
        self.children += 1
        try:
            hello = read(framing.recv(child.sock, limit=64 * 1024, deadline=time.monotonic() + 30), Hello, Unprotected)
        except framing.PeerClosed:  # no student code has run yet: whatever ended it came from outside
            self._drop_child()
            return LoadResult("crashed", failure=self._machine_fault("a sandboxed worker ended while starting"))
        except ProtocolError as exc:
            self._drop_child()
            raise WorkerStartError(f"a sandboxed worker did not start: {exc}") from exc
        if isinstance(hello, Unprotected):
            self._drop_child()
            raise WorkerStartError(f"the sandbox could not isolate a worker: {hello.error}")
        self.protections = list(hello.protections)
        request = Load(tuple(CellSource(c.source, c.filename, c.label) for c in self.program.cells),
                       self.program.keep_going, tuple(self.functions))
        result = self._exchange([request.wire()], self.limits.load_timeout_s, "loading the file")
        if not result.ok:
            return LoadResult(result.status, failure=result)
        reply = result.value
        if not isinstance(reply, LoadReply):
            return LoadResult("error", failure=self._protocol_failure("the load was answered with something else"))
        return LoadResult("ok", functions=reply.functions, cell_errors=reply.cell_errors, stdout=result.stdout)

    def _drop_child(self, wait: bool = False) -> ExitStatus | None:
        """Kill the current child; `wait` for its exit status when a message needs it."""
        self._pending, self._pending_keys = [], set()  # their answers died with the child
        if self._child is None:
            return None
        child, self._child = self._child, None
        self._last_output = _tail(child.read_output())
        child.close()
        return self.zygote.reap(child.pid, wait)

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

    def call(self, fn: str, args: list[Any], kwargs: dict[str, Any] | None = None, *,
             by_hand: bool = False, return_args: bool = False, want_grads: bool = False) -> CallResult:
        """Call `fn(*args, **kwargs)` in the child; identical calls are answered from memory."""
        request = Call(fn, codec.encode(list(args)), codec.encode(dict(kwargs or {})), by_hand, return_args,
                       want_grads)
        key = _key(request)
        if key not in self._memo and key in self._pending_keys:
            self._drain(until=key)  # its answer is on the way: read up to it
        if key in self._memo:
            return self._memo[key]
        self._drain()  # the protocol is one reply per request, in order
        result = self._call_uncached(request)
        self._memo[key] = result
        return result

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
        todo: dict[str, Call] = {}
        for fn, args, kwargs, by_hand in calls:
            request = Call(fn, codec.encode(list(args)), codec.encode(dict(kwargs)), by_hand)
            key = _key(request)
            if fn not in self._timed_out and key not in self._memo:
                todo.setdefault(key, request)
        if len(todo) < 2 or (self._child is None and not self._fresh_child().ok):
            return
        # The first call alone: a function that raises or hangs would do so for every queued case.
        (key, first), *rest = list(todo.items())[: PIPELINE + 1]
        self._memo[key] = self._call_uncached(first)
        if not self._memo[key].ok or self._child is None:
            return
        if self._send([request.wire() for _, request in rest]) is None:
            self._pending = [(key, request.fn) for key, request in rest]
            self._pending_keys = {key for key, _ in self._pending}

    def _drain(self, until: str | None = None) -> None:
        """Read pending answers in order into the memo (all of them, or up to `until`'s)."""
        while self._pending:
            key, fn = self._pending.pop(0)
            self._pending_keys.discard(key)
            if self._child is None or self.remaining <= 0:
                continue  # no answer will come: the call is made again when needed
            self._memo[key] = self._finish(fn, self._receive(self.limits.call_timeout_s, f"running {fn}"))
            if self._child is None:  # the child is gone: nothing more will be answered
                self._pending, self._pending_keys = [], set()
            if key == until:
                return

    def _call_uncached(self, request: Call) -> CallResult:
        if request.fn in self._timed_out:
            return CallResult("timeout", reason=self._timed_out[request.fn])
        load = self.load()
        if not load.ok:
            assert load.failure is not None
            return load.failure
        if self.over_limit:
            return self._limited()
        if self.remaining <= 0:
            return CallResult("timeout", reason=self._budget_reason())
        if self._child is None:
            reload = self._fresh_child()
            if not reload.ok:
                assert reload.failure is not None
                return reload.failure
        result = self._exchange([request.wire()], self.limits.call_timeout_s, f"running {request.fn}")
        return self._finish(request.fn, result)

    def _finish(self, fn: str, result: CallResult) -> CallResult:
        """Decode a call's answer; a timeout also stops further calls of the same function."""
        if result.status == "timeout":
            self._timed_out[fn] = f"was not called: an earlier call of {fn} did not finish ({result.reason})"
        if not result.ok:
            return result
        reply = result.value
        if not isinstance(reply, CallReply):
            return self._protocol_failure("a call was answered with something else")
        try:
            result.value = codec.decode(reply.value)
            result.args_after = None if reply.args_after is None else codec.decode(reply.args_after)
            grads = None if reply.grads is None else codec.decode(reply.grads)
        except codec.DecodeError as exc:
            return CallResult("error", error=ErrorInfo("Protocol", str(exc)[:500]))
        if grads is not None and not isinstance(grads, list):
            return self._protocol_failure("gradients must come as a list")
        result.grads = grads
        return result

    def _budget_reason(self, running: str | None = None) -> str:
        """Why a call has no answer when the submission's whole budget is spent (a verb phrase)."""
        budget = f"the submission used up its {self.limits.submission_timeout_s:g} s time budget"
        return f"did not finish: {budget} while {running}" if running else f"was not run: {budget}"

    # -- the wire ------------------------------------------------------------------------------

    def _exchange(self, requests: list[dict[str, Any]], timeout: float, what: str) -> CallResult:
        """Send one request and wait for its reply, killing the child at the deadline."""
        failed = self._send(requests)
        return failed if failed is not None else self._receive(timeout, what)

    def _send(self, requests: list[dict[str, Any]]) -> CallResult | None:
        """Write requests in one go; on failure the child is dropped and the failure returned."""
        assert self._child is not None
        sock = self._child.sock
        data = b"".join(framing.encode(request) for request in requests)
        try:
            framing.send_bytes(sock, data, time.monotonic() + max(min(self.limits.call_timeout_s, self.remaining), 0))
        except framing.FrameTimeout:
            return CallResult("timeout", reason="did not read its input in time", exit=self._drop_child(wait=True))
        except (ProtocolError, OSError):
            return self._crashed(self._drop_child(wait=True), None)
        return None

    def _receive(self, timeout: float, what: str) -> CallResult:
        """Wait for the next reply (and at most one exit note before it), within the bounds."""
        assert self._child is not None
        sock = self._child.sock
        self._child.read_output()  # what was printed before this request is in the replies already
        budget_left = self.remaining
        deadline = time.monotonic() + min(timeout, max(budget_left, 0.0))
        note: ExitNote | None = None
        try:
            while True:
                allowed = min(framing.MAX_FRAME, SUBMISSION_BYTES - self._bytes_read)
                data, size = framing.recv_sized(sock, max(allowed, 0), deadline)
                self._bytes_read += size
                reply = read(data, LoadReply, CallReply, ExitNote)
                if not isinstance(reply, ExitNote):
                    break
                if note is not None:
                    raise ProtocolError("a child sent more than one exit note")
                note = reply
        except framing.FrameTimeout:
            status = self._drop_child()
            reason = self._budget_reason(what) if budget_left < timeout else f"did not finish within {timeout:g} s"
            return CallResult("timeout", reason=reason, exit=status, output_tail=self._last_output)
        except framing.PeerClosed:
            return self._crashed(self._drop_child(wait=True), note)
        except (framing.FrameTooLarge, OutputLimit) as exc:
            return self._over_limit(str(exc))
        except ProtocolError as exc:
            return self._protocol_failure(str(exc))
        stdout = reply.stdout
        autograd = reply.autograd if isinstance(reply, CallReply) else ()
        if not reply.ok:
            return CallResult("error", error=reply.error or ErrorInfo("Error"), stdout=stdout, autograd=autograd)
        return CallResult("ok", value=reply, stdout=stdout, autograd=autograd)

    def _crashed(self, status: ExitStatus | None, note: ExitNote | None) -> CallResult:
        """The child ended without answering: the submission's doing, or the machine's (a fault)."""
        fault = None if note is not None else (status or ExitStatus(None, None, known=False)).machine_fault(
            self.limits.rlimits().cpu_s)
        if fault:
            return self._machine_fault(fault, status)
        return CallResult("crashed", exit=status, exit_note=note, output_tail=self._last_output,
                          reason=f"the process running your code {_ended(status)}")

    def _machine_fault(self, why: str, status: ExitStatus | None = None) -> CallResult:
        """Something outside the submission broke its run: remembered, so the grade is not kept."""
        self.fault = self.fault or why
        return CallResult("crashed", exit=status, reason=why, fault=why)

    def _over_limit(self, why: str) -> CallResult:
        """The child sent more than any honest one can: stop grading this submission's calls."""
        self._drop_child()
        self.over_limit = why
        return self._limited()

    def _limited(self) -> CallResult:
        return CallResult("error", error=ErrorInfo(
            "OutputLimit", f"the code sent the grader more than it accepts ({self.over_limit}); "
            "the remaining checks were not run"))

    def _protocol_failure(self, why: str) -> CallResult:
        self._drop_child()
        return CallResult("error", error=ErrorInfo("Protocol", why[:500]))


TAIL = 600  # characters of output shown after a timeout


def _tail(data: bytes) -> str:
    """The end of what a child printed during its last request (for a timeout's message)."""
    text = data.decode("utf-8", "replace")
    return text if len(text) <= TAIL else "..." + text[-TAIL:]


def _key(request: Call) -> str:
    # repr is exact for the wire forms (floats print their shortest round-trip form) and the
    # encoder builds every dict in a fixed order, so no sorting is needed.
    return repr((request.fn, request.args, request.kwargs, request.by_hand, request.return_args, request.want_grads))


def _ended(status: ExitStatus | None) -> str:
    return status.describe() if status is not None else "ended"
