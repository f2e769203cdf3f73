"""Isolation a child applies to itself right after the fork, before any student code runs.

Order matters: namespaces and mounts need the zygote's privileges, so they come first; then the
rlimits; then the uid drop; then `no_new_privs` and the seccomp filter, after which nothing can
be undone. Each step that works is named in the returned list, so reports say what was really
applied, not what was hoped for. Linux-only pieces fail soft elsewhere.

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

CLONE_NEWNS = 0x00020000
CLONE_NEWNET = 0x40000000
CLONE_THREAD = 0x00010000
MS_RDONLY = 0x1
MS_NOSUID = 0x2
MS_NODEV = 0x4
MS_NOEXEC = 0x8
MS_REMOUNT = 0x20
MS_BIND = 0x1000
MS_REC = 0x4000
MS_PRIVATE = 0x40000
PR_SET_NO_NEW_PRIVS = 38
PR_SET_CHILD_SUBREAPER = 36

_libc: Any = None


def _c() -> Any:
    global _libc
    if _libc is None:
        _libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)
    return _libc


def _check(result: int, what: str) -> None:
    if result != 0:
        err = ctypes.get_errno()
        raise OSError(err, f"{what}: {os.strerror(err)}")


def _enc(text: str | None) -> bytes | None:
    return text.encode() if text is not None else None


def _mount(source: str | None, target: str, fstype: str | None, flags: int, data: str | None = None) -> None:
    enc = _enc
    _check(_c().mount(enc(source), enc(target), enc(fstype), ctypes.c_ulong(flags), enc(data)), f"mount {target}")


def apply(spec: dict[str, Any], limits: dict[str, Any]) -> list[str]:
    """Isolate the current (freshly forked) process; returns what was applied, in words.

    A step the spec asks for either works or raises: the child then refuses to run any code,
    rather than running it with less protection than the report would claim.
    """
    applied: list[str] = []
    if spec.get("pidns"):
        applied.append("bubblewrap: own PID, network, IPC and UTS namespaces; the file system shows "
                       "only the Python environment, read-only")
    if spec.get("mountns") or spec.get("netns"):
        flags = (CLONE_NEWNS if spec.get("mountns") else 0) | (CLONE_NEWNET if spec.get("netns") else 0)
        _check(_c().unshare(flags), "unshare")
        if spec.get("netns"):
            applied.append("network namespace: no network at all")
        if spec.get("mountns"):
            applied += _private_mounts(spec)
    applied += _rlimits(limits)
    uid = spec.get("uid")
    if uid is not None:
        os.setgroups([])
        os.setgid(int(uid))
        os.setuid(int(uid))
        applied.append(f"runs as the unprivileged uid {uid}, dedicated to this worker slot")
    if sys.platform.startswith("linux"):
        with contextlib.suppress(OSError):
            _check(_c().prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0), "prctl")
            applied.append("no_new_privs: no setuid binary can raise privileges")
    if spec.get("seccomp"):
        applied += _seccomp()
    with contextlib.suppress(OSError):
        os.chdir("/tmp")
    return applied


def _private_mounts(spec: dict[str, Any]) -> list[str]:
    """A private /tmp and empty tmpfs over hidden folders, with the Python environment bound
    back wherever it lives under them (a venv in /tmp, or inside the hidden course folder)."""
    _mount(None, "/", None, MS_REC | MS_PRIVATE)
    size = int(spec.get("tmp_bytes", 64 * 1024 * 1024))
    covered = {p: "size=64k,mode=0755" for p in spec.get("hide", [])
               if os.path.isdir(p) and not os.path.islink(p) and p != "/"}
    covered["/tmp"] = f"size={size},mode=1777"
    keep = []
    for path in spec.get("expose", []):
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
    applied = [f"private /tmp (a {size // (1024 * 1024)} MiB tmpfs of its own)"]
    hidden = [d for d in done if d != "/tmp"]
    if hidden:
        applied.append("hidden from the code: " + ", ".join(hidden))
    return applied


def _under(path: str, parent: str) -> bool:
    return path == parent or path.startswith(parent.rstrip("/") + "/")


def _rlimits(limits: dict[str, Any]) -> list[str]:
    table = {
        "as_bytes": ("RLIMIT_AS", resource.RLIMIT_AS),
        "cpu_s": ("RLIMIT_CPU", resource.RLIMIT_CPU),
        "nproc": ("RLIMIT_NPROC", getattr(resource, "RLIMIT_NPROC", None)),
        "fsize_bytes": ("RLIMIT_FSIZE", resource.RLIMIT_FSIZE),
        "nofile": ("RLIMIT_NOFILE", resource.RLIMIT_NOFILE),
        "core": ("RLIMIT_CORE", resource.RLIMIT_CORE),
    }
    applied = []
    for key, (name, which) in table.items():
        value = limits.get(key)
        if value is None or which is None:
            continue
        try:
            soft = int(value)
            hard = soft + 1 if which == resource.RLIMIT_CPU else soft
            resource.setrlimit(which, (soft, hard))
            applied.append(f"{name}={soft}")
        except (ValueError, OSError):
            pass
    return ["resource limits: " + ", ".join(applied)] if applied else []


PR_SET_SECCOMP = 22
SECCOMP_MODE_FILTER = 2
_bpf: bytes | None = None


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
    return ["seccomp: no internet sockets, no new processes, no exec, no ptrace, no mounts"]


def _filter() -> Any:
    import pyseccomp as sc  # imported by the zygote already; a failure here is reported
    deny = sc.ERRNO(errno.EPERM)
    f = sc.SyscallFilter(defaction=sc.ALLOW)
    for family in (socket.AF_INET, socket.AF_INET6, getattr(socket, "AF_NETLINK", 16),
                   getattr(socket, "AF_PACKET", 17)):
        f.add_rule(deny, "socket", sc.Arg(0, sc.EQ, family))
    f.add_rule(deny, "clone", sc.Arg(0, sc.MASKED_EQ, CLONE_THREAD, 0))
    f.add_rule(sc.ERRNO(errno.ENOSYS), "clone3")
    for name in ("fork", "vfork", "execve", "execveat", "ptrace", "unshare", "setns", "mount", "umount2",
                 "pivot_root", "chroot", "bpf", "process_vm_readv", "process_vm_writev", "kexec_load",
                 "init_module", "finit_module", "delete_module", "reboot", "swapon", "swapoff",
                 "perf_event_open", "keyctl", "add_key", "request_key", "userfaultfd"):
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


def sweep(uid: int | None, in_pid_namespace: bool, keep: set[int] | None = None) -> int:
    """Kill everything a finished submission may have left behind; returns how many were found.

    Every remaining child of the zygote is a leftover (one submission at a time per zygote), and
    as a subreaper the zygote inherits escaped grandchildren. With a dedicated uid, a helper
    running as that uid also sends `kill(-1)`, which reaches anything of that uid.
    """
    found = 0
    me = os.getpid()
    keep = keep or set()
    for _ in range(5):
        _reap_all(keep)
        children = [pid for pid in _children_of(me) if pid not in keep]
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


def _children_of(parent: int) -> list[int]:
    """Direct children (live or zombie), from /proc/<pid>/task/*/children, else a /proc scan."""
    try:
        out: list[int] = []
        for tid in os.listdir(f"/proc/{parent}/task"):
            with open(f"/proc/{parent}/task/{tid}/children") as handle:
                out += [int(pid) for pid in handle.read().split()]
        return out
    except OSError:
        pass
    out = []
    try:
        entries = os.listdir("/proc")
    except OSError:
        return out
    for entry in entries:
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat", "rb") as handle:
                stat = handle.read().decode(errors="replace")
        except OSError:
            continue
        fields = stat[stat.rfind(")") + 2:].split()
        if len(fields) > 1 and int(fields[1]) == parent:
            out.append(int(entry))
    return out


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


def _reap_all(keep: set[int] | None = None) -> None:
    """Collect every dead child but `keep` (zombies are listed among the children until collected)."""
    for pid in _children_of(os.getpid()):
        if keep and pid in keep:
            continue
        with contextlib.suppress(ChildProcessError):
            os.waitpid(pid, os.WNOHANG)
