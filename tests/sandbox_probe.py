"""A submission that reports, as data, what a child can see and do from inside the sandbox.

Graded by tests/test_isolation.py in each Linux tier (it is submission code: it runs only in
the sandbox). Everything is read from /proc and plain syscalls, so it sees what any student
code would see.
"""

import contextlib
import ctypes
import os
import socket
import struct

IPC_CREAT = 0o1000
KEY = 0x5EED
MARK = b"planted-by-an-earlier-submission"
_libc = ctypes.CDLL(None, use_errno=True)
_libc.shmat.restype = ctypes.c_void_p
_libc.shmat.argtypes = [ctypes.c_int, ctypes.c_void_p, ctypes.c_int]


def probe():
    """Descriptors, credentials, namespaces, /dev/shm and the processes this child can see."""
    fds = {}
    for fd in os.listdir("/proc/self/fd"):
        try:
            fds[fd] = os.readlink(f"/proc/self/fd/{fd}")
        except OSError:
            continue  # the descriptor of the listing itself, already closed
    status = {}
    with open("/proc/self/status") as handle:
        for line in handle:
            key, _, value = line.partition(":")
            if key in ("Uid", "CapEff", "CapPrm", "CapBnd", "Seccomp", "NoNewPrivs"):
                status[key] = value.split()[0]
    shm = {"exists": os.path.isdir("/dev/shm")}
    try:
        path = "/dev/shm/probe"
        with open(path, "w") as handle:
            handle.write("x")
        shm["writable"] = True
        shm["owner"] = os.stat("/dev/shm").st_uid
        os.unlink(path)
    except OSError as exc:
        shm["writable"] = False
        shm["error"] = exc.strerror
    return {
        "fds": fds,
        "status": status,
        "uid": os.getuid(),
        "namespaces": {n: os.readlink(f"/proc/self/ns/{n}") for n in ("ipc", "pid", "net", "mnt")},
        "shm": shm,
        "pids": sorted(int(p) for p in os.listdir("/proc") if p.isdigit()),
        "me": os.getpid(),
    }


def abuse_every_descriptor():
    """Write junk and the zygote's own operations on every descriptor; return what answered."""
    answered = []
    frames = [{"op": "setup", "isolation": {"uid": None, "namespaces": False, "network": False, "hide": [],
                                            "expose": [], "tmp_bytes": 1, "shm_bytes": 1, "seccomp": False,
                                            "bwrap": False},
               "limits": {"as_bytes": 1 << 40, "cpu_s": 10**6, "nproc": 10**6, "fsize_bytes": 1 << 40,
                          "nofile": 4096, "core": 0}},
              {"op": "configure", "limits": {"as_bytes": 1 << 40, "cpu_s": 10**6, "nproc": 10**6,
                                             "fsize_bytes": 1 << 40, "nofile": 4096, "core": 0}},
              {"op": "spawn"}, {"op": "start_extras"}, {"op": "reap", "pid": 1, "wait": True},
              {"op": "load", "cells": [], "keep_going": False, "functions": []}]
    import json

    for fd in range(0, 1024):
        try:
            os.fstat(fd)
        except OSError:
            continue
        for frame in frames:
            body = json.dumps(frame).encode()
            data = struct.pack(">I", len(body)) + body
            try:
                sock = socket.socket(fileno=os.dup(fd))
                try:
                    socket.send_fds(sock, [data], [fd])
                    sock.settimeout(0.2)
                    reply = sock.recv(4096)
                    if reply:
                        answered.append((fd, frame["op"], reply[:200].decode(errors="replace")))
                finally:
                    sock.close()
            except OSError:
                with contextlib.suppress(OSError):
                    os.write(fd, data)
    return answered


def plant():
    """Leave data behind in every place one process can share with a later one."""
    done = {}
    shmid = _libc.shmget(KEY, 4096, IPC_CREAT | 0o666)
    if shmid >= 0:
        addr = _libc.shmat(shmid, None, 0)
        if addr not in (None, ctypes.c_void_p(-1).value):
            ctypes.memmove(addr, MARK, len(MARK))
            done["sysv_shm"] = True
    done["sysv_msg"] = _libc.msgget(KEY, IPC_CREAT | 0o666) >= 0
    done["sysv_sem"] = _libc.semget(KEY, 1, IPC_CREAT | 0o666) >= 0
    done["posix_mq"] = _libc.mq_open(b"/grader-probe", os.O_CREAT | os.O_RDWR, 0o666, None) >= 0
    for path in ("/dev/shm/grader-probe", "/tmp/grader-probe"):
        try:
            with open(path, "wb") as handle:
                handle.write(MARK)
            done[path] = True
        except OSError as exc:
            done[path] = exc.strerror
    return done


def look():
    """What of an earlier submission's `plant` this process can reach."""
    found = {}
    if _libc.shmget(KEY, 0, 0) >= 0:
        found["sysv_shm"] = True
    if _libc.msgget(KEY, 0) >= 0:
        found["sysv_msg"] = True
    if _libc.semget(KEY, 0, 0) >= 0:
        found["sysv_sem"] = True
    if _libc.mq_open(b"/grader-probe", os.O_RDONLY, 0, None) >= 0:
        found["posix_mq"] = True
    for path in ("/dev/shm/grader-probe", "/tmp/grader-probe"):
        if os.path.exists(path):
            found[path] = True
    return found


def flood(megabytes):
    """Send the grader fake replies full of "output" on every socket, then return honestly."""
    import json

    for fd in range(3, 64):
        try:
            sock = socket.socket(fileno=os.dup(fd))
        except OSError:
            continue
        try:
            chunk = "x" * (1 << 20)
            body = json.dumps({"op": "result", "ok": True, "stdout": chunk * 4, "value": 1}).encode()
            for _ in range(max(1, megabytes // 4)):
                sock.sendall(struct.pack(">I", len(body)) + body)
        except OSError:
            pass
        finally:
            sock.close()
    return 1


def reach(paths):
    """What this child can read of `paths`, and whether it can open non-Unix sockets or take locks."""
    found = {}
    for path in paths:
        try:
            with open(path) as handle:
                found[path] = handle.read()
        except OSError as exc:
            found[path] = None if exc.errno in (2, 13) else exc.strerror
    for family in (socket.AF_INET, 40):  # 40: AF_VSOCK, one connect() from a VM's host
        try:
            socket.socket(family, socket.SOCK_STREAM).close()
            found[f"socket {family}"] = "open"
        except OSError:
            pass
    import fcntl

    with open(os.__file__) as shared:  # a file every child can read: a lock on it would be a channel
        try:
            fcntl.flock(shared, fcntl.LOCK_EX | fcntl.LOCK_NB)
            found["flock"] = "taken"
        except OSError:
            pass
    return found
