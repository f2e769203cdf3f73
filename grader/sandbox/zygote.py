"""The grader's handle on one zygote process: start it, fork children from it, reap them."""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from typing import Any

from grader.sandbox.inside import frames
from grader.sandbox.limits import Limits
from grader.sandbox.tiers import WORKER_DIR, Isolation, Tier, UidLease, detect, launch_command

WORKER_SCRIPT = WORKER_DIR / "worker.py"
START_TIMEOUT_S = 120.0
CONTROL_TIMEOUT_S = 15.0

# The only environment a worker sees: no tokens, no seeds, no paths of the grader.
_ENV_ALLOW = ("PATH", "LANG", "LC_ALL", "TZ", "SYSTEMROOT")


class WorkerStartError(RuntimeError):
    """The sandbox could not be started (torch missing, interpreter unusable, ...)."""


@dataclass(frozen=True)
class ExitStatus:
    """How a child ended, as the zygote saw it."""

    exit: int | None
    signal: int | None

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


class Zygote:
    """A warm interpreter with torch imported, from which each submission's child is forked."""

    def __init__(self, tier: Tier | None = None, eager: bool = False) -> None:
        """`eager`: load the optimizer/matplotlib sub-zygote before reporting ready (batches);
        otherwise it starts the first time a submission needs it (a single self-check)."""
        self.tier = tier or detect()
        self.eager = eager
        self._lease = UidLease() if self.tier.drops_uid else None
        uid = self._lease.acquire() if self._lease else None
        self.isolation = Isolation(self.tier, uid)
        self._lock = threading.Lock()
        self._proc: subprocess.Popen[bytes] | None = None
        self._control: socket.socket | None = None
        self._pending: tuple[subprocess.Popen[bytes], socket.socket, Any] | None = None
        self._spawned: dict[int, subprocess.Popen[bytes]] = {}
        self.info: dict[str, Any] = {}
        self.restarts = 0

    @property
    def spawn_mode(self) -> bool:
        """One fresh interpreter per submission instead of forks of a warm one (slower, safer where
        forking a process that imported torch is not: macOS; or forced by GRADER_SANDBOX_SPAWN=1)."""
        return self.tier.name == "portable" and (
            not sys.platform.startswith("linux") or os.environ.get("GRADER_SANDBOX_SPAWN") == "1"
        )

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
            if self._pending is None and not self.alive:
                self._launch_locked()
            if self._pending is not None:
                self._wait_locked()

    def _start_locked(self) -> None:
        self._launch_locked()
        self._wait_locked()

    def _launch_locked(self) -> None:
        if self.spawn_mode:
            self.info = {"ready": True, "mode": "spawn"}
            return
        ours, theirs = socket.socketpair()
        errlog = tempfile.TemporaryFile()  # noqa: SIM115 - closed once the zygote is ready
        cmd = launch_command(self.tier, theirs.fileno(), self.eager)
        try:
            proc = subprocess.Popen(
                cmd, pass_fds=[theirs.fileno()], env=worker_environment(), cwd="/",
                stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=errlog,
                start_new_session=True,
            )
        except OSError as exc:
            errlog.close()
            raise WorkerStartError(f"could not start {sys.executable}: {exc}") from exc
        finally:
            theirs.close()
        self._pending = (proc, ours, errlog)

    def _wait_locked(self) -> None:
        if self._pending is None:
            return
        proc, ours, errlog = self._pending
        self._pending = None
        try:
            ready = frames.recv(ours, deadline=time.monotonic() + START_TIMEOUT_S)
        except frames.FrameError as exc:
            proc.kill()
            proc.wait()
            errlog.seek(0)
            tail = errlog.read()[-2000:].decode(errors="replace").strip()
            raise WorkerStartError(
                f"the sandbox worker did not start ({exc}); its last words: {tail or 'none'}"
            ) from exc
        finally:
            errlog.close()
        self._proc, self._control, self.info = proc, ours, dict(ready)

    @property
    def alive(self) -> bool:
        if self.spawn_mode:
            return True
        return self._proc is not None and self._proc.poll() is None

    def configure(self, hide: list[str]) -> None:
        """Folders the children of this zygote must not see (tier 2; bwrap shows none of them)."""
        self.isolation.hide = list(hide)

    def spawn(self, limits: Limits, extras: bool = False) -> tuple[int, socket.socket]:
        """Fork a fresh child; with `extras`, from the sub-zygote that has torch.optim's and
        matplotlib's imports loaded. Returns the child's pid and the socket to talk to it."""
        rlimits = limits.rlimits(dedicated_uid=self.isolation.uid is not None)
        spec = self.isolation.spec()
        if self.spawn_mode:
            return self._spawn_process(rlimits, spec)
        with self._lock:
            if self._pending is not None:
                self._wait_locked()
            for attempt in (0, 1):
                if not self.alive:
                    self._restart_locked()
                ours, theirs = socket.socketpair()
                try:
                    assert self._control is not None
                    deadline = time.monotonic() + CONTROL_TIMEOUT_S
                    request = {"op": "spawn", "limits": rlimits, "isolate": spec, "extras": extras}
                    frames.send(self._control, request, deadline)
                    socket.send_fds(self._control, [b"F"], [theirs.fileno()])
                    reply = frames.recv(self._control, deadline=deadline)
                    return int(reply["pid"]), ours
                except (frames.FrameError, OSError, KeyError, TypeError, ValueError):
                    ours.close()
                    if attempt:
                        raise
                    self._kill_locked()
                finally:
                    theirs.close()
        raise AssertionError("unreachable")

    def _spawn_process(self, rlimits: dict[str, Any], spec: dict[str, Any]) -> tuple[int, socket.socket]:
        import json

        ours, theirs = socket.socketpair()
        setting = json.dumps({"limits": rlimits, "isolate": spec})
        cmd = [*launch_command(self.tier, theirs.fileno())[:-2], str(WORKER_SCRIPT), "--single",
               str(theirs.fileno()), setting]
        try:
            proc = subprocess.Popen(cmd, pass_fds=[theirs.fileno()], env=worker_environment(), cwd="/",
                                    stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                                    stderr=subprocess.DEVNULL, start_new_session=True)
        except OSError as exc:
            ours.close()
            raise WorkerStartError(f"could not start {sys.executable}: {exc}") from exc
        finally:
            theirs.close()
        self._spawned[proc.pid] = proc
        return proc.pid, ours

    def reap(self, pid: int, wait: bool = True) -> ExitStatus:
        """SIGKILL the child's process group; with `wait`, return how it ended (for messages)."""
        if pid in self._spawned:
            proc = self._spawned.pop(pid)
            for kill in (os.killpg, os.kill):
                with contextlib.suppress(ProcessLookupError, PermissionError, AttributeError):
                    kill(pid, signal.SIGKILL)
            code = proc.wait()
            return ExitStatus(None, -code) if code < 0 else ExitStatus(code, None)
        with self._lock:
            if self.alive and self._control is not None:
                try:
                    deadline = time.monotonic() + CONTROL_TIMEOUT_S
                    request = {"op": "reap", "pid": pid, "uid": self.isolation.uid,
                               "pidns": self.tier.name == "linux-bwrap", "wait": wait}
                    frames.send(self._control, request, deadline)
                    reply = frames.recv(self._control, deadline=deadline)
                    return ExitStatus(reply.get("exit"), reply.get("signal"))
                except (frames.FrameError, OSError):
                    self._kill_locked()
            # The zygote is gone (a submission may have killed it): kill the child ourselves.
            for kill in (os.killpg, os.kill):
                with contextlib.suppress(ProcessLookupError, PermissionError):
                    kill(pid, signal.SIGKILL)
            return ExitStatus(None, None)

    def _restart_locked(self) -> None:
        self._kill_locked()
        self.restarts += 1
        self._start_locked()

    def _kill_locked(self) -> None:
        if self._control is not None:
            self._control.close()
            self._control = None
        if self._proc is not None:
            if self._proc.poll() is None:
                try:
                    os.killpg(self._proc.pid, signal.SIGKILL)
                except (ProcessLookupError, PermissionError):
                    self._proc.kill()
            self._proc.wait()
            self._proc = None

    def close(self) -> None:
        with self._lock:
            if self._pending is not None:
                proc, ours, errlog = self._pending
                self._pending = None
                ours.close()
                errlog.close()
                proc.kill()
                proc.wait()
            if self._lease is not None:
                self._lease.release()
            if self._proc is not None and self._proc.poll() is None and self._control is not None:
                try:
                    self._control.close()  # EOF: the zygote kills its children and exits
                    self._control = None
                    self._proc.wait(timeout=5)
                except subprocess.TimeoutExpired:
                    pass
            self._kill_locked()

    def __enter__(self) -> Zygote:
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
