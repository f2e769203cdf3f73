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

The zygote side lives here too: `become_subreaper` and `sweep` make sure that nothing a
submission started (a double-forked `setsid` grandchild included) outlives it.
"""

from __future__ import annotations

import contextlib
import ctypes
import ctypes.util
import errno
import os
import resource
import signal
import socket
import sys
from typing import Any

from ..protocol.control import Isolation, RLimits
from . import proctable

CHILD_SOCKET_FD = 3
CLONE_NEWNS = 0x00020000
CLONE_NEWIPC = 0x08000000
CLONE_NEWNET = 0x40000000
CLONE_NEWPID = 0x20000000
CLONE_THREAD = 0x00010000
MS_RDONLY, MS_NOSUID, MS_NODEV, MS_NOEXEC = 0x1, 0x2, 0x4, 0x8
MS_REMOUNT, MS_BIND, MS_REC, MS_PRIVATE = 0x20, 0x1000, 0x4000, 0x40000
F_SETLK, F_SETLKW, F_SETOWN, F_SETSIG, F_SETOWN_EX = 6, 7, 8, 10, 15
F_OFD_SETLK, F_OFD_SETLKW, F_SETLEASE, F_NOTIFY = 37, 38, 1024, 1026
PR_SET_NO_NEW_PRIVS = 38
PR_SET_CHILD_SUBREAPER = 36
PR_SET_SECCOMP = 22
SECCOMP_MODE_FILTER = 2

_libc: Any = None
_bpf: bytes | None = None


def _c() -> Any:
    global _libc
    if _libc is None:
        _libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)
    return _libc


def _check(result: int, what: str) -> None:
    if result != 0:
        err = ctypes.get_errno()
        raise OSError(err, f"{what}: {os.strerror(err)}")


def _mount(source: str | None, target: str, fstype: str | None, flags: int, data: str | None = None) -> None:
    def enc(text: str | None) -> bytes | None:
        return text.encode() if text is not None else None

    _check(_c().mount(enc(source), enc(target), enc(fstype), ctypes.c_ulong(flags), enc(data)), f"mount {target}")


def unshare_pid() -> None:
    """Make this process's future children the first of a new PID namespace."""
    _check(_c().unshare(CLONE_NEWPID), "unshare(CLONE_NEWPID)")


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
        _check(_c().unshare(flags), "unshare")
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
            _check(_c().prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0), "prctl")
            applied.append("no_new_privs: no setuid binary can raise privileges")
    if isolation.seccomp:
        applied += _seccomp()
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


class _SockFprog(ctypes.Structure):
    _fields_ = [("len", ctypes.c_ushort), ("filter", ctypes.c_void_p)]


def compile_seccomp() -> None:
    """Build the filter once, in the zygote; each child then only loads the bytes (saves ~1 ms)."""
    global _bpf
    import tempfile

    with tempfile.TemporaryFile() as handle:
        _filter().export_bpf(handle)
        handle.seek(0)
        _bpf = handle.read()


def _seccomp() -> list[str]:
    """Refuse internet sockets, new processes, execve and the syscalls that escape namespaces."""
    if _bpf is None:
        _filter().load()
    else:
        program = ctypes.create_string_buffer(_bpf, len(_bpf))
        fprog = _SockFprog(len(_bpf) // 8, ctypes.cast(program, ctypes.c_void_p))
        _check(_c().prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0), "prctl(no_new_privs)")
        _check(_c().prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, ctypes.byref(fprog), 0, 0), "prctl(seccomp)")
    return ["seccomp: only Unix sockets; no new processes, exec, ptrace, mounts, namespaces, signals, "
            "locks or io_uring"]


def _filter() -> Any:
    import pyseccomp as sc  # imported by the zygote already; a failure here is reported

    deny = sc.ERRNO(errno.EPERM)
    f = sc.SyscallFilter(defaction=sc.ALLOW)
    f.add_rule(deny, "socket", sc.Arg(0, sc.NE, socket.AF_UNIX))  # no internet, netlink, packet or vsock
    # fcntl: no record locks (a channel between concurrent submissions through a shared file) and
    # no signal on I/O (a way to die by a signal that looks like it came from outside)
    for command in (F_SETLK, F_SETLKW, F_OFD_SETLK, F_OFD_SETLKW, F_SETOWN, F_SETSIG, F_SETOWN_EX,
                    F_SETLEASE, F_NOTIFY):
        f.add_rule(deny, "fcntl", sc.Arg(1, sc.EQ, command))
    f.add_rule(deny, "prlimit64", sc.Arg(2, sc.NE, 0))  # reading a limit is fine, changing one is not
    f.add_rule(deny, "clone", sc.Arg(0, sc.MASKED_EQ, CLONE_THREAD, 0))
    f.add_rule(sc.ERRNO(errno.ENOSYS), "clone3")
    for name in ("fork", "vfork", "execve", "execveat", "ptrace", "unshare", "setns", "mount", "umount2",
                 "pivot_root", "chroot", "bpf", "process_vm_readv", "process_vm_writev", "kexec_load",
                 "init_module", "finit_module", "delete_module", "reboot", "swapon", "swapoff",
                 "perf_event_open", "keyctl", "add_key", "request_key", "userfaultfd", "open_tree",
                 "move_mount", "fsopen", "fsmount", "fsconfig", "fspick", "mount_setattr",
                 "pidfd_getfd", "name_to_handle_at", "open_by_handle_at", "quotactl", "acct", "syslog",
                 # no signals to any process, itself included, and no timer or notification that
                 # delivers one: a death by SIGKILL or SIGTERM then always comes from outside, which
                 # the grader treats as the machine's fault
                 "kill", "tkill", "tgkill", "rt_sigqueueinfo", "rt_tgsigqueueinfo", "pidfd_send_signal",
                 "timer_create", "mq_notify", "setrlimit", "sched_setscheduler", "sched_setattr",
                 # no locks or page-cache probes shared with a concurrent submission
                 "flock", "fadvise64", "readahead", "mincore", "preadv2", "pwritev2", "cachestat",
                 # io_uring's operations escape every rule above
                 "io_uring_setup", "io_uring_enter", "io_uring_register"):
        with contextlib.suppress(Exception):
            f.add_rule(deny, name)
    return f


# ---------------------------------------------------------------------------------------------
# The zygote's side


def become_subreaper() -> bool:
    """Orphans of a submission (double-forked escapees) become our children, so we can kill them."""
    if not sys.platform.startswith("linux"):
        return False
    try:
        _check(_c().prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0), "prctl")
        return True
    except OSError:
        return False


def sweep(uid: int | None, keep: set[int]) -> int:
    """Kill everything a finished submission may have left behind; returns how many were found.

    Every remaining child of the zygote but `keep` (the zygotes forked from it, its children
    still at work, those killed and still dying) is a leftover: as a subreaper the zygote
    inherits escaped grandchildren. With a dedicated uid, a helper running as that uid also sends `kill(-1)`,
    which reaches anything of that uid.
    """
    found = 0
    me = os.getpid()
    for _ in range(5):
        _reap_all(keep)
        children = [pid for pid in proctable.children_of(me) if pid not in keep]
        if not children:
            break
        for pid in children:
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.kill(pid, signal.SIGKILL)
        found += len(children)
        if uid is not None:
            _kill_all_as(uid)  # whatever of that uid may live outside our tree
    _reap_all(keep)
    return found


def _kill_all_as(uid: int) -> None:
    pid = os.fork()
    if pid == 0:
        try:
            os.setgid(uid)
            os.setuid(uid)
            os.kill(-1, signal.SIGKILL)
        except BaseException:
            pass
        os._exit(0)
    with contextlib.suppress(ChildProcessError):
        os.waitpid(pid, 0)


def _reap_all(keep: set[int]) -> None:
    """Collect every dead child but `keep` (zombies are listed among the children until collected)."""
    for pid in proctable.children_of(os.getpid()):
        if pid not in keep:
            with contextlib.suppress(ChildProcessError):
                os.waitpid(pid, os.WNOHANG)
