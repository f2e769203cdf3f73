"""The C library, for the system calls Python 3.11 has no function for (unshare, mount, prctl)."""

from __future__ import annotations

import ctypes
import ctypes.util
import os
from typing import Any

_libc: Any = None


def libc() -> Any:
    global _libc
    if _libc is None:
        _libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)
    return _libc


def check(result: int, what: str) -> None:
    if result != 0:
        err = ctypes.get_errno()
        raise OSError(err, f"{what}: {os.strerror(err)}")


