"""Spawn mode: one fresh interpreter per submission instead of a fork of a warm zygote.

Slower (each child imports torch), and used only where forking a process that imported torch
is not safe (macOS), or when forced (GRADER_SANDBOX_SPAWN=1, in the portable tier).
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys

from grader.sandbox.channels import ChildEnds, ExitStatus, WorkerStartError, kill_group, output_pipe, worker_environment
from grader.sandbox.protocol import framing
from grader.sandbox.protocol.control import Setup
from grader.sandbox.tiers import Tier, launch_command


class SingleProcesses:
    """The interpreters started so far, each serving one submission's child."""

    def __init__(self) -> None:
        self._procs: dict[int, subprocess.Popen[bytes]] = {}

    def __contains__(self, pid: int) -> bool:
        return pid in self._procs

    def start(self, tier: Tier, setup: Setup) -> ChildEnds:
        ours, theirs = socket.socketpair()
        output, their_output = output_pipe()
        try:
            proc = subprocess.Popen(launch_command(tier, theirs.fileno(), single=True), pass_fds=[theirs.fileno()],
                                    env=worker_environment(), cwd="/", stdin=subprocess.DEVNULL,
                                    stdout=their_output, stderr=their_output, start_new_session=True)
        except OSError as exc:
            ours.close()
            os.close(output)
            raise WorkerStartError(f"could not start {sys.executable}: {exc}") from exc
        finally:
            theirs.close()
            os.close(their_output)
        framing.send(ours, setup.wire())
        self._procs[proc.pid] = proc
        return ChildEnds(proc.pid, ours, output)

    def reap(self, pid: int) -> ExitStatus:
        proc = self._procs.pop(pid)
        kill_group(pid)
        code = proc.wait()
        return ExitStatus(None, -code) if code < 0 else ExitStatus(code, None)
