"""The process table, read from /proc: the one place that scans it (both sides use it).

Standard library only: the zygote imports it inside the sandbox, the grader and the tests from
the package.
"""

from __future__ import annotations

import contextlib
import os


def pids() -> list[int]:
    """Every process this /proc shows."""
    try:
        return [int(entry) for entry in os.listdir("/proc") if entry.isdigit()]
    except OSError:
        return []


def status(pid: int) -> dict[str, str]:
    """The fields of /proc/<pid>/status ({} when the process is gone or hidden)."""
    try:
        with open(f"/proc/{pid}/status", encoding="utf-8", errors="replace") as handle:
            text = handle.read()
    except OSError:
        return {}
    fields = {}
    for line in text.splitlines():
        key, _, value = line.partition(":")
        fields[key] = value.strip()
    return fields


def uid_of(pid: int) -> int | None:
    uid = status(pid).get("Uid", "").split()
    return int(uid[0]) if uid else None


def alive(pid: int) -> bool:
    """Running or sleeping, not a zombie waiting to be collected."""
    state = status(pid).get("State", "")
    return bool(state) and not state.startswith(("Z", "X"))


PF_EXITING = 0x4  # include/linux/sched.h: set at the start of exit(), before the process closes its files


def exiting(pid: int) -> bool:
    """Whether `pid` is on its way out: dying (its files may already be closed) but not yet a
    zombie. A process killed from outside is in that state for a moment after its socket closes."""
    try:
        with open(f"/proc/{pid}/stat", encoding="utf-8", errors="replace") as handle:
            fields = handle.read().rsplit(")", 1)[1].split()
    except (OSError, IndexError):
        return False
    return len(fields) > 6 and fields[6].isdigit() and bool(int(fields[6]) & PF_EXITING)


def processes_of(uid: int) -> list[int]:
    """Live processes owned by `uid`."""
    return [pid for pid in pids() if uid_of(pid) == uid and alive(pid)]


def threads_of(uid: int) -> int:
    """Threads of `uid` system-wide: what RLIMIT_NPROC counts."""
    count = 0
    for pid in pids():
        if uid_of(pid) == uid:
            with contextlib.suppress(OSError):
                count += len(os.listdir(f"/proc/{pid}/task"))
    return count


def children_of(parent: int) -> list[int]:
    """Direct children (live or zombie), from /proc/<pid>/task/*/children, else a /proc scan."""
    try:
        out: list[int] = []
        for tid in os.listdir(f"/proc/{parent}/task"):
            with open(f"/proc/{parent}/task/{tid}/children") as handle:
                out += [int(pid) for pid in handle.read().split()]
        return out
    except OSError:
        pass
    return [pid for pid in pids() if status(pid).get("PPid") == str(parent)]
