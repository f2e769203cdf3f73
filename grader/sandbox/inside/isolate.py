"""Isolation a child applies to itself right after the fork, before any student code runs.

Order matters. First the file descriptors: the child keeps stdin, stdout and stderr (all
/dev/null) and its one socket to the grader, nothing else the zygote held. Then namespaces and
mounts, which need the zygote's privileges: private mount and IPC namespaces (SysV and POSIX
IPC of one submission die with it), a fresh /tmp and /dev/shm of their own, a /proc that shows
only the child's own processes, and in tier 2 a network namespace and empty folders over the
course. Then the rlimits, the uid drop, `no_new_privs` and the seccomp filter, after which
nothing can be undone. Each step that works is named in the returned list, so reports say what
was really applied; a step that was asked for and fails raises, and the child then refuses to
run any code.

The seccomp filter is `seccomp`; the zygote's clean-up after a submission is `sweep`.
"""

from __future__ import annotations

import contextlib
import ctypes
import ctypes.util
import errno
import os
import resource
import sys

from ..protocol.control import Isolation, RLimits
from . import seccomp
from .libc import check, libc

CHILD_SOCKET_FD = 3
CLONE_NEWNS = 0x00020000
CLONE_NEWIPC = 0x08000000
CLONE_NEWNET = 0x40000000
CLONE_NEWPID = 0x20000000
MS_RDONLY, MS_NOSUID, MS_NODEV, MS_NOEXEC = 0x1, 0x2, 0x4, 0x8
MS_REMOUNT, MS_BIND, MS_REC, MS_PRIVATE = 0x20, 0x1000, 0x4000, 0x40000
PR_SET_NO_NEW_PRIVS = 38



def _mount(source: str | None, target: str, fstype: str | None, flags: int, data: str | None = None) -> None:
    def enc(text: str | None) -> bytes | None:
        return text.encode() if text is not None else None

    check(libc().mount(enc(source), enc(target), enc(fstype), ctypes.c_ulong(flags), enc(data)), f"mount {target}")


def unshare_pid() -> None:
    """Make this process's future children the first of a new PID namespace."""
    check(libc().unshare(CLONE_NEWPID), "unshare(CLONE_NEWPID)")


def keep_only(sock_fd: int, output_fd: int) -> None:
    """Make the child's descriptors exactly: 0 /dev/null, 1 and 2 the grader's output pipe, and
    its socket as fd 3.

    Whatever else the zygote held (its own control socket, the extras channel, a log file, a
    library's handle) is closed here, before anything else happens, so no later step and no
    student code can reach it.
    """
    import fcntl

    sock_fd = fcntl.fcntl(sock_fd, fcntl.F_DUPFD_CLOEXEC, 16)  # out of the way of 0..3 first
    output_fd = fcntl.fcntl(output_fd, fcntl.F_DUPFD, 16)
    devnull = os.open(os.devnull, os.O_RDONLY)
    os.dup2(devnull, 0)
    os.dup2(output_fd, 1)
    os.dup2(output_fd, 2)
    os.dup2(sock_fd, CHILD_SOCKET_FD, inheritable=False)
    os.closerange(CHILD_SOCKET_FD + 1, _max_fd())


def _max_fd() -> int:
    """Above every descriptor the zygote can hold (closerange uses one close_range(2) call)."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    return max(soft, hard) if hard != resource.RLIM_INFINITY else 1 << 20


def apply(isolation: Isolation, limits: RLimits) -> list[str]:
    """Isolate the current (freshly forked) process; returns what was applied, in words."""
    applied: list[str] = []
    if isolation.bwrap:
        applied.append("bubblewrap: the file system shows only the Python environment, read-only, and no "
                       "network; the worker has its own PID and UTS namespaces")
    if isolation.namespaces:
        flags = CLONE_NEWNS | CLONE_NEWIPC | (CLONE_NEWNET if isolation.network else 0)
        check(libc().unshare(flags), "unshare")
        if isolation.pid_namespace:
            applied.append("PID namespace of its own: no other process exists for it, and all it starts dies with it")
        applied.append("IPC namespace of its own: SysV and POSIX IPC die with the submission")
        if isolation.network:
            applied.append("network namespace: no network at all")
        applied += _private_mounts(isolation)
    applied += _rlimits(limits)
    if isolation.uid is not None:
        os.setgroups([])
        os.setgid(isolation.uid)
        os.setuid(isolation.uid)
        applied.append(f"runs as the unprivileged uid {isolation.uid}, dedicated to this worker slot")
    if sys.platform.startswith("linux"):
        with contextlib.suppress(OSError):
            check(libc().prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0), "prctl")
            applied.append("no_new_privs: no setuid binary can raise privileges")
    if isolation.seccomp:
        applied += seccomp.load()
    with contextlib.suppress(OSError):
        os.chdir("/tmp")
    return applied


def _private_mounts(isolation: Isolation) -> list[str]:
    """Fresh /tmp, /dev/shm and /proc, and empty tmpfs over hidden folders, with the Python
    environment bound back wherever it lives under them (a venv in /tmp, or in the course)."""
    _mount(None, "/", None, MS_REC | MS_PRIVATE)
    covered = {p: "size=64k,mode=0755" for p in isolation.hide
               if os.path.isdir(p) and not os.path.islink(p) and p != "/"}
    covered["/tmp"] = f"size={isolation.tmp_bytes},mode=1777"
    keep = []
    for path in isolation.expose:
        if os.path.isdir(path) and any(_under(path, c) for c in covered):
            keep.append((path, os.open(path, os.O_PATH | os.O_DIRECTORY)))
    done: list[str] = []
    for path in sorted(covered, key=len):
        if any(_under(path, d) for d in done):
            continue
        flags = MS_NOSUID | MS_NODEV | (0 if path == "/tmp" else MS_NOEXEC)
        _mount("tmpfs", path, "tmpfs", flags, covered[path])
        done.append(path)
    for path, fd in keep:
        os.makedirs(path, mode=0o755, exist_ok=True)
        _mount(f"/proc/self/fd/{fd}", path, None, MS_BIND | MS_REC)
        _mount(None, path, None, MS_BIND | MS_REMOUNT | MS_RDONLY | MS_NOSUID | MS_NODEV)
        os.close(fd)
    files = [p for p in isolation.hide if os.path.isfile(p) and not os.path.islink(p)]
    for path in files:  # a file cannot be covered with a tmpfs: an empty one is bound over it
        _mount("/dev/null", path, None, MS_BIND)
    os.makedirs("/dev/shm", mode=0o1777, exist_ok=True)
    _mount("tmpfs", "/dev/shm", "tmpfs", MS_NOSUID | MS_NODEV | MS_NOEXEC,
           f"size={isolation.shm_bytes},mode=1777")
    _mount_private_proc()
    applied = [f"private /tmp (a {isolation.tmp_bytes // (1024 * 1024)} MiB tmpfs of its own) and "
               f"/dev/shm (a {isolation.shm_bytes // 1024} KiB tmpfs of its own)",
               "/proc shows only the submission's own processes"]
    hidden = [d for d in done if d != "/tmp"] + files
    if hidden:
        applied.append("hidden from the code: " + ", ".join(hidden))
    return applied


def _mount_private_proc() -> None:
    """A new proc instance on /proc that hides every process of another uid (hidepid)."""
    flags = MS_NOSUID | MS_NODEV | MS_NOEXEC
    try:
        _mount("proc", "/proc", "proc", flags, "hidepid=invisible")
    except OSError as exc:
        if exc.errno != errno.EINVAL:  # kernels before 5.8 know only the numeric form
            raise
        _mount("proc", "/proc", "proc", flags, "hidepid=2")


def _under(path: str, parent: str) -> bool:
    return path == parent or path.startswith(parent.rstrip("/") + "/")


def _rlimits(limits: RLimits) -> list[str]:
    table = (
        ("RLIMIT_AS", resource.RLIMIT_AS, limits.as_bytes),
        ("RLIMIT_CPU", resource.RLIMIT_CPU, limits.cpu_s),
        ("RLIMIT_NPROC", getattr(resource, "RLIMIT_NPROC", None), limits.nproc),
        ("RLIMIT_FSIZE", resource.RLIMIT_FSIZE, limits.fsize_bytes),
        ("RLIMIT_NOFILE", resource.RLIMIT_NOFILE, limits.nofile),
        ("RLIMIT_CORE", resource.RLIMIT_CORE, limits.core),
    )
    applied = []
    for name, which, soft in table:
        if which is None:
            continue
        try:
            hard = soft + 1 if which == resource.RLIMIT_CPU else soft  # SIGXCPU first, then SIGKILL
            resource.setrlimit(which, (soft, hard))
            applied.append(f"{name}={soft}")
        except (ValueError, OSError):
            pass
    return ["resource limits: " + ", ".join(applied)] if applied else []


