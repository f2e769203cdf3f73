"""The grader's side of one zygote process: its control socket, liveness, and killing it.

Also what a worker process is given to run with (an environment rebuilt from an allow-list)
and how a child's end is described.
"""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import time
from dataclasses import dataclass

from grader.sandbox.protocol import framing
from grader.sandbox.protocol.control import Configure, Reaped, Refused, Spawned
from grader.sandbox.protocol.errors import ProtocolError, SandboxError
from grader.sandbox.protocol.records import Record, read

CONTROL_TIMEOUT_S = 15.0
# The signals an OOM killer, an administrator or a preempted node sends. A child cannot send
# them to itself (seccomp refuses kill(), POSIX timers, F_SETSIG and changing its rlimits), so
# a death by one of them, but for RLIMIT_CPU's SIGKILL, came from outside; any other signal is
# the submission's own doing (a segfault, an alarm it set, a write to a closed pipe).
OUTSIDE_SIGNALS = frozenset({signal.SIGKILL, signal.SIGTERM})

# The only environment a worker sees: no tokens, no seeds, no paths of the grader.
_ENV_ALLOW = ("PATH", "LANG", "LC_ALL", "TZ", "SYSTEMROOT")


class WorkerStartError(SandboxError):
    """The sandbox could not be started (torch missing, interpreter unusable, ...)."""


@dataclass(frozen=True)
class ExitStatus:
    """How a child ended, as its zygote saw it."""

    exit: int | None
    signal: int | None
    was_running: bool = False  # still alive when reaped: it had closed its own connection
    cpu_s: float | None = None
    known: bool = True  # False: the zygote was gone, so nobody saw how the child ended

    def machine_fault(self, cpu_limit_s: float) -> str | None:
        """Why the machine, not the submission, ended the child; None when the submission did.

        The submission's: an exit of its own, any signal but SIGKILL and SIGTERM (a segfault, an
        alarm it set), RLIMIT_CPU's kill once its CPU time is spent, or closing the grader's
        connection while still running. The machine's: a SIGKILL or SIGTERM from outside the
        grader (an OOM killer, an administrator, a preempted node) or a zygote that disappeared;
        the submission is then graded again (see OUTSIDE_SIGNALS for why a child cannot fake it).
        """
        if not self.known:
            return "the sandbox's worker process disappeared"
        if self.was_running or self.signal not in OUTSIDE_SIGNALS:
            return None
        if self.signal == signal.SIGKILL and self.cpu_s is not None and self.cpu_s >= cpu_limit_s - 0.1:
            return None  # RLIMIT_CPU's own kill
        how = self.describe().removeprefix("was killed by ")
        return f"the process running the code was killed from outside ({how})"

    def describe(self) -> str:
        if self.signal is not None:
            try:
                name = signal.Signals(self.signal).name
            except ValueError:
                name = f"signal {self.signal}"
            return f"was killed by {name}"
        if self.exit is not None:
            return f"exited with status {self.exit}"
        return "ended"


def worker_environment() -> dict[str, str]:
    env = {key: os.environ[key] for key in _ENV_ALLOW if key in os.environ}
    env.setdefault("PATH", "/usr/bin:/bin")
    env.update({
        "OMP_NUM_THREADS": "1",
        "MKL_NUM_THREADS": "1",
        "OPENBLAS_NUM_THREADS": "1",
        "PYTHONHASHSEED": "0",
        "PYTHONDONTWRITEBYTECODE": "1",
        "MPLBACKEND": "Agg",
        "HOME": "/tmp",
    })
    return env


@dataclass
class ZygoteChannel:
    """One zygote process and the grader's control socket to it."""

    sock: socket.socket
    proc: subprocess.Popen[bytes] | None = None  # the lean zygote (or its bwrap) is the grader's child
    pid: int | None = None  # the sub-zygote's pid, where it is one of this machine's (not in bwrap)

    @property
    def alive(self) -> bool:
        if self.proc is not None:
            return self.proc.poll() is None
        try:  # a dead peer makes the socket readable, with nothing to read
            self.sock.setblocking(False)
            return self.sock.recv(1, socket.MSG_PEEK) != b""
        except BlockingIOError:
            return True
        except OSError:
            return False
        finally:
            with contextlib.suppress(OSError):
                self.sock.setblocking(True)

    def kill(self) -> None:
        """Close the channel (a zygote exits on EOF) and kill the process: the lean zygote's
        whole process group, which takes the sub-zygote and every child with it."""
        self.sock.close()
        if self.proc is not None:
            kill_group(self.proc.pid)
            self.proc.wait()
        elif self.pid is not None:
            kill_group(self.pid)

    def request(self, message: Record, fds: list[int] | None = None) -> Record:
        deadline = time.monotonic() + CONTROL_TIMEOUT_S
        framing.send(self.sock, message.wire(), deadline)
        if fds:
            socket.send_fds(self.sock, [b"F"], fds)
        if isinstance(message, Configure):
            return message  # no answer
        reply = read(framing.recv(self.sock, deadline=deadline), Spawned, Reaped, Refused)
        if isinstance(reply, Refused):
            raise ProtocolError(f"the zygote refused: {reply.reason}")
        return reply


@dataclass
class ChildEnds:
    """The grader's ends of a new child: its pid (as its zygote numbers it), its socket, and the
    read end of the pipe its stdout and stderr write to (the tail of its output after a timeout)."""

    pid: int
    sock: socket.socket
    output: int

    def read_output(self, limit: int = 64 * 1024) -> bytes:
        """What the child wrote since the last read, at most `limit` bytes; never blocks."""
        chunks, size = [], 0
        while size < limit:
            try:
                chunk = os.read(self.output, min(65536, limit - size))
            except (BlockingIOError, OSError):
                break
            if not chunk:
                break
            chunks.append(chunk)
            size += len(chunk)
        return b"".join(chunks)

    def close(self) -> None:
        self.sock.close()
        with contextlib.suppress(OSError):
            os.close(self.output)


def output_pipe() -> tuple[int, int]:
    """A pipe for a child's stdout and stderr: the grader's end never blocks, nor does the
    child's (a full pipe loses output rather than stalling the student's code)."""
    read_end, write_end = os.pipe()
    os.set_blocking(read_end, False)
    os.set_blocking(write_end, False)
    return read_end, write_end


def kill_group(pid: int) -> None:
    """SIGKILL `pid`'s process group (a zygote or child leads its own), then `pid` itself."""
    for kill in (os.killpg, os.kill):
        with contextlib.suppress(ProcessLookupError, PermissionError):
            kill(pid, signal.SIGKILL)
