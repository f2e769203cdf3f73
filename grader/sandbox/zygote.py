"""The grader's handle on one worker slot: its zygotes, the children forked from them, reaping.

A slot is a lean zygote (torch imported) and, when a submission needs it, an extras sub-zygote
forked from it (torch.optim and matplotlib loaded too). The grader holds one control socket to
each; each zygote obeys only that socket. The slot's isolation (uid, namespaces, hidden
folders, seccomp) is sent once, in `Setup`, when the lean zygote starts; requests never carry
it. A child gets a fresh socket of its own, passed to the zygote with SCM_RIGHTS.
"""

from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import sys
import tempfile
import threading
import time
from typing import IO, Literal

from grader.sandbox.channels import (
    CONTROL_TIMEOUT_S,
    ChildEnds,
    ExitStatus,
    WorkerStartError,
    ZygoteChannel,
    kill_group,
    output_pipe,
    worker_environment,
)
from grader.sandbox.limits import Limits
from grader.sandbox.protocol import framing
from grader.sandbox.protocol.control import (
    Clone,
    Configure,
    Ready,
    Reap,
    Reaped,
    RLimits,
    Setup,
    Spawn,
    Spawned,
    StartExtras,
)
from grader.sandbox.protocol.errors import ProtocolError
from grader.sandbox.protocol.records import read
from grader.sandbox.singles import SingleProcesses
from grader.sandbox.tiers import Tier, UidLease, detect, hidden_paths, isolation_for, launch_command

START_TIMEOUT_S = 120.0
START_ATTEMPTS = 4  # a zygote killed from outside while it starts is started again
Which = Literal["lean", "extras"]
__all__ = ["ChildEnds", "ExitStatus", "WorkerStartError", "Zygote"]


class Zygote:
    """One worker slot: a warm interpreter with torch imported, from which children are forked."""

    def __init__(self, tier: Tier | None = None, eager: bool = False, hide: list[str] | None = None) -> None:
        """`eager`: start the extras sub-zygote as soon as the lean zygote is ready, to load while
        it grades (batches); otherwise it starts the first time a submission needs it. `hide`: folders a
        tier-2 child must not see, besides those `hidden_paths` always covers."""
        self.tier = tier or detect()
        self.eager = eager
        self._lease = UidLease() if self.tier.drops_uid else None
        uid = self._lease.acquire() if self._lease else None
        self.isolation = isolation_for(self.tier, uid, hidden_paths(*(hide or [])))
        self._lock = threading.Lock()
        self._limits = Limits().rlimits(dedicated_uid=uid is not None)
        self._lean: ZygoteChannel | None = None
        self._extras: ZygoteChannel | None = None
        self._pending: tuple[subprocess.Popen[bytes], socket.socket, IO[bytes]] | None = None
        self._extras_starting: socket.socket | None = None  # asked for, not yet ready
        self._owner: dict[int, Which] = {}
        self._spawned = SingleProcesses()  # spawn mode: one interpreter per submission
        self.info: Ready | None = None

    @property
    def spawn_mode(self) -> bool:
        """One fresh interpreter per submission instead of forks of a warm one (slower, safer where
        forking a process that imported torch is not: macOS; or forced by GRADER_SANDBOX_SPAWN=1)."""
        return self.tier.name == "portable" and (
            not sys.platform.startswith("linux") or os.environ.get("GRADER_SANDBOX_SPAWN") == "1"
        )

    # -- starting ------------------------------------------------------------------------------

    def start(self) -> None:
        """Launch the zygote and wait until it has imported torch."""
        with self._lock:
            self._launch_locked()
            self._wait_locked()

    def launch(self) -> None:
        """Start the zygote without waiting: it imports torch while the grader gets ready."""
        with self._lock:
            self._launch_locked()

    def wait(self) -> None:
        """Wait for a launched zygote to be ready (launching it first if needed)."""
        with self._lock:
            if self._pending is None and not self._alive(self._lean):
                self._launch_locked()
            self._wait_locked()

    def _launch_locked(self) -> None:
        if self.spawn_mode or self._pending is not None:
            return
        ours, theirs = socket.socketpair()
        errlog = tempfile.TemporaryFile()  # noqa: SIM115 - closed once the zygote is ready
        try:
            proc = subprocess.Popen(
                launch_command(self.tier, theirs.fileno()), pass_fds=[theirs.fileno()], env=worker_environment(),
                cwd="/", stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=errlog,
                start_new_session=True,
            )
        except OSError as exc:
            errlog.close()
            ours.close()
            raise WorkerStartError(f"could not start {sys.executable}: {exc}") from exc
        finally:
            theirs.close()
        # Setup waits in the socket until the zygote has imported torch and reads it.
        framing.send(ours, Setup(self.isolation, self._limits).wire())
        self._pending = (proc, ours, errlog)

    def _wait_locked(self, attempts: int = START_ATTEMPTS) -> None:
        """Wait for the launched zygote's `Ready`. One that was killed while starting (it said
        nothing: an OOM killer, an administrator) is started again, up to `attempts` times; one
        that failed on its own (a Python error on stderr) is a WorkerStartError at once."""
        if self._pending is None:
            return
        proc, ours, errlog = self._pending
        self._pending = None
        try:
            self.info = read(framing.recv(ours, deadline=time.monotonic() + START_TIMEOUT_S), Ready)
            self._lean = ZygoteChannel(ours, proc)
            if self.eager:  # a batch will want it: it loads while the lean zygote grades
                self._request_extras_locked()
        except (ProtocolError, OSError) as exc:
            self._kill_locked()
            ours.close()
            proc.kill()
            proc.wait()
            errlog.seek(0)
            tail = errlog.read()[-2000:].decode(errors="replace").strip()
            if attempts > 1 and not tail and not isinstance(exc, framing.FrameTimeout):
                time.sleep(0.2 * (START_ATTEMPTS - attempts + 1))
                self._launch_locked()
                self._wait_locked(attempts - 1)
                return
            raise WorkerStartError(
                f"the sandbox worker did not start ({exc}); its last words: {tail or 'none'}"
            ) from exc
        finally:
            errlog.close()

    def clone_from(self, source: Zygote) -> None:
        """Start this slot as a fork of `source`'s ready lean zygote, with this slot's own setup:
        ready in milliseconds, where launching it would import torch again (on a machine with few
        cores, while the first slot grades). If that fails, the slot is launched on its own."""
        with self._lock:
            ours, theirs = socket.socketpair()
            try:
                source.fork_zygote(Clone(Setup(self.isolation, self._limits)), theirs.fileno())
                ready = read(framing.recv(ours, deadline=time.monotonic() + START_TIMEOUT_S), Ready)
            except (ProtocolError, OSError):
                ours.close()
                self._launch_locked()
                return
            finally:
                theirs.close()
            self.info = ready
            self._lean = ZygoteChannel(ours, pid=None if self.isolation.bwrap else ready.pid)
            if self.eager:
                self._request_extras_locked()

    def fork_zygote(self, request: Clone, fd: int) -> None:
        """Have this slot's lean zygote fork another slot's zygote (see `clone_from`)."""
        with self._lock:
            self._wait_locked()
            if self._lean is None:
                raise ProtocolError("the zygote to clone is not running")
            self._lean.request(request, [fd])

    def _request_extras_locked(self) -> None:
        """Have the lean zygote fork the sub-zygote; it loads while the lean one grades."""
        assert self._lean is not None
        ours, theirs = socket.socketpair()
        try:
            framing.send(self._lean.sock, StartExtras().wire(), time.monotonic() + CONTROL_TIMEOUT_S)
            socket.send_fds(self._lean.sock, [b"F"], [theirs.fileno()])
        except (ProtocolError, OSError):
            ours.close()
            raise
        finally:
            theirs.close()
        self._extras_starting = ours

    def _extras_ready_locked(self) -> ZygoteChannel:
        """The sub-zygote, once it has said Ready (requesting it first if nobody has)."""
        if self._extras_starting is None:
            self._request_extras_locked()
        sock, self._extras_starting = self._extras_starting, None
        assert sock is not None
        try:
            ready = read(framing.recv(sock, deadline=time.monotonic() + START_TIMEOUT_S), Ready)
        except (ProtocolError, OSError):
            sock.close()
            raise
        self._extras = self._extras_channel(sock, ready)
        self._extras.request(Configure(self._limits))  # it was forked with the lean zygote's limits
        return self._extras

    def _extras_channel(self, sock: socket.socket, ready: Ready) -> ZygoteChannel:
        # Inside bubblewrap the pid is the sandbox's own numbering: never signal it from here.
        return ZygoteChannel(sock, pid=None if self.isolation.bwrap else ready.pid)

    @staticmethod
    def _alive(channel: ZygoteChannel | None) -> bool:
        return channel is not None and channel.alive

    @property
    def alive(self) -> bool:
        return self.spawn_mode or self._alive(self._lean)

    # -- children ------------------------------------------------------------------------------

    def spawn(self, limits: Limits, extras: bool = False) -> ChildEnds:
        """Fork a fresh child (from the sub-zygote with `extras`); returns the grader's ends of it."""
        rlimits = limits.rlimits(dedicated_uid=self.isolation.uid is not None)
        if self.spawn_mode:
            return self._spawned.start(self.tier, Setup(self.isolation, rlimits))
        with self._lock:
            for attempt in (0, 1):
                ours, theirs = socket.socketpair()
                output, their_output = output_pipe()
                try:
                    channel = self._channel_locked(extras, rlimits)
                    reply = channel.request(Spawn(), [theirs.fileno(), their_output])
                    assert isinstance(reply, Spawned)
                    self._owner[reply.pid] = "extras" if channel is self._extras else "lean"
                    return ChildEnds(reply.pid, ours, output)
                except (ProtocolError, OSError) as exc:
                    ours.close()
                    os.close(output)
                    if attempt:  # killed again right after its restart: for the caller, a fault of the machine
                        raise WorkerStartError(f"the sandbox worker stopped answering ({exc})") from exc
                    self._kill_locked()
                finally:
                    theirs.close()
                    os.close(their_output)
        raise AssertionError("unreachable")

    def _channel_locked(self, extras: bool, rlimits: RLimits) -> ZygoteChannel:
        """The zygote to fork from, (re)started as needed and given `rlimits` if they changed."""
        self._wait_locked()
        if not self._alive(self._lean):
            self._kill_locked()
            self._launch_locked()
            self._wait_locked()
        if extras and not self._alive(self._extras):
            self._extras_ready_locked()
        if rlimits != self._limits:
            for channel in (self._lean, self._extras):
                if channel is not None:
                    channel.request(Configure(rlimits))
            self._limits = rlimits
        channel = self._extras if extras else self._lean
        assert channel is not None
        return channel

    def reap(self, pid: int, wait: bool = True) -> ExitStatus:
        """SIGKILL the child's process group; with `wait`, return how it ended (for messages)."""
        if pid in self._spawned:
            return self._spawned.reap(pid)
        with self._lock:
            which = self._owner.pop(pid, "lean")
            channel = self._extras if which == "extras" else self._lean
            if self._alive(channel):
                assert channel is not None
                try:
                    reply = channel.request(Reap(pid, wait))
                    assert isinstance(reply, Reaped)
                    return ExitStatus(reply.exit, reply.signal, reply.was_running, reply.cpu_s,
                                      known=not reply.stuck)
                except (ProtocolError, OSError):
                    self._kill_locked()
            if not self.isolation.bwrap:  # in bwrap the pid is the sandbox's; its namespace died with it
                kill_group(pid)  # the zygote is gone (a submission may have killed it): kill the child ourselves
            return ExitStatus(None, None, known=False)

    # -- stopping ------------------------------------------------------------------------------

    def _kill_locked(self) -> None:
        for channel in (self._extras, self._lean):
            if channel is not None:
                channel.kill()
        if self._extras_starting is not None:
            self._extras_starting.close()
        self._lean = self._extras = self._extras_starting = None
        self._owner.clear()

    def close(self) -> None:
        with self._lock:
            if self._pending is not None:
                proc, ours, errlog = self._pending
                self._pending = None
                ours.close()
                errlog.close()
                proc.kill()
                proc.wait()
            lean = self._lean
            # With children still out, the zygotes kill them on EOF; with none, killing the
            # zygotes is all there is to do, at once (a self-check's last tenth of a second).
            if self._owner and lean is not None and lean.proc is not None and lean.proc.poll() is None:
                if self._extras is not None:
                    self._extras.sock.close()  # EOF: the sub-zygote kills its children and exits
                lean.sock.close()  # EOF: the zygote kills its children and exits
                with contextlib.suppress(subprocess.TimeoutExpired):
                    lean.proc.wait(timeout=5)
            self._kill_locked()
            if self._lease is not None:
                self._lease.release()

    def __enter__(self) -> Zygote:
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
