"""The zygote: a warm interpreter with torch imported, from which each submission's child is forked.

Started by the grader as `python -s -B -m sandbox.inside CONTROL_FD` (see tiers.launch_command),
never imported from the grader package, so that nothing of the grader (reference solutions,
hidden data, the grading seed) is ever in this interpreter. It imports torch once with one thread
and runs its warm-up single-threaded (a fork after parallel OpenMP work can deadlock), then
obeys one channel, the grader's: the first message, `Setup`, fixes the isolation of every child
it will fork; after that it forks children (`Spawn`), kills and collects them (`Reap`) and takes
new rlimits (`Configure`). Nothing a request carries can weaken a child's isolation.

`StartExtras` forks a sub-zygote that also has torch.optim's and matplotlib's imports loaded:
forking costs grow with the forking process's memory and those imports add half of it, so most
submissions are forked from the lean zygote and the ones that use them from the sub-zygote,
which shares the lean zygote's pages copy-on-write. The grader hands the sub-zygote a control
socket of its own, so it too obeys only the grader.
"""

from __future__ import annotations

import contextlib
import os
import re
import signal
import socket
import time
from typing import Any

from ..protocol import framing
from ..protocol.control import Clone, Configure, Ready, Reap, Reaped, Refused, Setup, Spawn, Spawned, StartExtras
from ..protocol.records import read
from . import child, isolate, proctable, sweep, warm

EXTRAS = re.compile(r"\b(optim|matplotlib|pyplot|_dynamo|compile)\b")


def needs_extras(sources: list[str]) -> bool:
    """Whether a submission looks like it uses what only the sub-zygote has loaded."""
    return any(EXTRAS.search(source) for source in sources)


def main(argv: list[str]) -> int:
    control = socket.socket(fileno=int(argv[1]))
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    versions = warm.prepare()
    setup = read(framing.recv(control), Setup)
    if argv[2:] == ["--single"]:  # spawn mode (no fork, e.g. macOS): this process is the child
        child.run(control.detach(), 1, setup.isolation, setup.limits)  # the grader gave it stdout already
        return 0
    zygote = Zygote(control, setup)
    subreaper = sweep.become_subreaper()
    framing.send(control, Ready(os.getpid(), subreaper=subreaper, **versions).wire())
    zygote.serve()
    return 0


class Zygote:
    """One zygote's state: its channel, the isolation it was set up with, its live children."""

    def __init__(self, control: socket.socket, setup: Setup) -> None:
        self.control = control
        self.isolation = setup.isolation
        self.limits = setup.limits
        self.children: set[int] = set()
        self.zygotes: set[int] = set()  # zygotes forked from this one (kept out of sweeps)
        self.dying: set[int] = set()  # children killed at the end of their submission, not yet collected

    def serve(self) -> None:
        """Obey the grader's channel until it closes; then kill every child and exit."""
        while True:
            try:
                request = read(framing.recv(self.control), Configure, Spawn, Reap, StartExtras, Clone)
            except Exception:
                break
            if isinstance(request, Configure):
                self.limits = request.limits
            elif isinstance(request, Spawn):
                self._spawn()
            elif isinstance(request, Reap):
                self._reap(request)
            elif isinstance(request, Clone):
                self._clone(request.setup)
            else:
                self._start_extras()
        for pid in self.children | self.zygotes | self.dying:
            reap(pid)

    def _received_fds(self, count: int) -> list[int] | None:
        _, fds, _, _ = socket.recv_fds(self.control, 1, count)
        if len(fds) == count:
            return fds
        for fd in fds:
            os.close(fd)
        return None

    def _spawn(self) -> None:
        self._collect()
        fds = self._received_fds(2)  # the child's socket, and the pipe for its stdout and stderr
        if fds is None:
            framing.send(self.control, Refused("spawn without a socket and an output pipe").wire())
            return
        pid = self._fork_child(*fds)
        for fd in fds:
            os.close(fd)
        if pid is None:
            framing.send(self.control, Refused("the child could not be forked into a PID namespace").wire())
            return
        self.children.add(pid)
        framing.send(self.control, Spawned(pid).wire())

    def _fork_child(self, fd: int, output: int) -> int | None:
        """Fork the child that runs a submission; its pid as this zygote sees it.

        In tier 2 the child is the first process of a PID namespace of its own, so it sees no
        other process of the machine (not even by probing pids with getpgid) and everything it
        might start dies with it. (In tier 1 the zygote already runs in bubblewrap's PID
        namespace, so a child can at most learn that its zygotes exist; the extra fork costs a
        few milliseconds per submission.) A process cannot enter a new PID namespace
        itself, only its children can, so an intermediate process unshares and forks it, hands
        its pid back over a pipe and exits; as a subreaper the zygote becomes its parent.
        """
        if not (self.isolation.namespaces and self.isolation.pid_namespace):
            pid = os.fork()
            if pid == 0:
                self._become_child(fd, output)
            return pid
        ready, report = os.pipe()
        middle = os.fork()
        if middle == 0:
            code = 70
            try:
                os.close(ready)
                isolate.unshare_pid()
                pid = os.fork()
                if pid == 0:
                    os.close(report)
                    self._become_child(fd, output)
                os.write(report, pid.to_bytes(8, "big"))
                code = 0
            finally:
                os._exit(code)
        os.close(report)
        with os.fdopen(ready, "rb") as handle:
            data = handle.read(8)
        os.waitpid(middle, 0)
        return int.from_bytes(data, "big") if len(data) == 8 else None

    def _become_child(self, fd: int, output: int) -> None:
        code = 70
        try:
            self.control.detach()  # keep_only closes it; the object must not close a reused fd
            child.run(fd, output, self.isolation, self.limits)
            code = 0
        finally:
            os._exit(code)

    def _reap(self, request: Reap) -> None:
        pid = request.pid
        if pid not in self.children:
            framing.send(self.control, Refused(f"{pid} is not a child of this zygote").wire())
            return
        self.children.discard(pid)
        if request.wait:
            found = reap(pid)
            leftovers = sweep.sweep(self.isolation.uid, self.zygotes | self.children | self.dying)
            framing.send(self.control, Reaped(**{**found, "leftovers": leftovers}).wire())
        else:
            # A normal end: answer at once and let the child finish dying (a process that ran torch
            # takes milliseconds to unmap) while the next one is forked. SIGKILLed, it runs no
            # more code; it is collected when it has gone, and anything else is swept now.
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.killpg(pid, signal.SIGKILL)
            framing.send(self.control, Reaped(pid).wire())
            self.dying.add(pid)
            self._collect()
            sweep.sweep(self.isolation.uid, self.zygotes | self.children | self.dying)

    def _collect(self) -> None:
        """Collect the killed children that have finished dying."""
        for pid in list(self.dying):
            try:
                if os.waitpid(pid, os.WNOHANG)[0]:
                    self.dying.discard(pid)
            except ChildProcessError:
                self.dying.discard(pid)

    def _start_extras(self) -> None:
        """Fork the sub-zygote that also has torch.optim's and matplotlib's imports loaded."""
        self._fork_zygote(Setup(self.isolation, self.limits), load=True)

    def _clone(self, setup: Setup) -> None:
        """Fork another slot's zygote, with that slot's setup; answered with its pid."""
        pid = self._fork_zygote(setup, load=False)
        if pid is not None:
            framing.send(self.control, Spawned(pid).wire())

    def _fork_zygote(self, setup: Setup, load: bool) -> int | None:
        """A zygote forked from this one, obeying only the socket the grader sent with the request."""
        for pid in list(self.zygotes):  # an earlier one that died: collect it
            with contextlib.suppress(ChildProcessError):
                if os.waitpid(pid, os.WNOHANG)[0]:
                    self.zygotes.discard(pid)
        fds = self._received_fds(1)
        if fds is None:
            framing.send(self.control, Refused("a new zygote needs its control socket").wire())
            return None
        fd = fds[0]
        pid = os.fork()
        if pid == 0:
            try:
                self.control.detach()
                os.closerange(3, fd)
                os.closerange(fd + 1, 1 << 16)
                if load:
                    warm.load_extras()
                sweep.become_subreaper()
                forked = Zygote(socket.socket(fileno=fd), setup)
                framing.send(forked.control, Ready(os.getpid(), subreaper=True).wire())
                forked.serve()
            finally:
                os._exit(0)
        os.close(fd)
        self.zygotes.add(pid)
        return pid


def reap(pid: int) -> dict[str, Any]:
    """SIGKILL a child's process group and collect it: the fields of a `Reaped` (how it ended,
    whether it was still running, the CPU time it used)."""
    try:  # not yet collectable and not exiting either: it closed its connection and ran on
        was_running = os.waitid(os.P_PID, pid, os.WEXITED | os.WNOHANG | os.WNOWAIT) is None
        was_running = was_running and not proctable.exiting(pid)
    except ChildProcessError:
        was_running = False
    for kill in (os.killpg, os.kill):
        with contextlib.suppress(ProcessLookupError, PermissionError):
            kill(pid, signal.SIGKILL)
    _wait_for_exit(pid, 5.0)
    try:
        done, status, usage = os.wait4(pid, os.WNOHANG)
    except ChildProcessError:
        return {"pid": pid}
    if not done:  # not dead 5 s after SIGKILL: stuck in the kernel; collected by a later sweep
        return {"pid": pid, "stuck": True}
    ended: dict[str, Any] = {"pid": pid, "was_running": was_running, "cpu_s": usage.ru_utime + usage.ru_stime}
    if os.WIFSIGNALED(status):
        return {**ended, "signal": os.WTERMSIG(status)}
    return {**ended, "exit": os.WEXITSTATUS(status)}


def _wait_for_exit(pid: int, timeout: float) -> None:
    """Sleep until `pid` has exited (a pidfd wakes us exactly then), at most `timeout` seconds."""
    import select

    try:
        fd = os.pidfd_open(pid)
    except (AttributeError, OSError):  # not Linux >= 5.3, or already collected: poll instead
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            with contextlib.suppress(ChildProcessError):
                if os.waitid(os.P_PID, pid, os.WEXITED | os.WNOHANG | os.WNOWAIT) is not None:
                    return
            time.sleep(0.001)
        return
    try:
        poller = select.poll()
        poller.register(fd, select.POLLIN)
        poller.poll(timeout * 1000)
    finally:
        os.close(fd)
