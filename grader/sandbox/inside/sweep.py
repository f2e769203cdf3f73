"""The zygote's side of isolation: nothing a submission started outlives it.

As a subreaper the zygote inherits a submission's orphans (a double-forked `setsid` grandchild
included); after each submission `sweep` kills whatever is left.
"""

from __future__ import annotations

import contextlib
import os
import signal
import sys

from . import proctable
from .libc import check, libc

PR_SET_CHILD_SUBREAPER = 36



def become_subreaper() -> bool:
    """Orphans of a submission (double-forked escapees) become our children, so we can kill them."""
    if not sys.platform.startswith("linux"):
        return False
    try:
        check(libc().prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0), "prctl")
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
