"""Which sandbox this machine can give, strongest first, and how to launch and configure it.

1. `linux-bwrap`: the zygote runs inside bubblewrap (PID, network, IPC and UTS namespaces; a
   read-only view of only the Python environment; a size-capped tmpfs). As root bwrap needs no
   user namespace and each child drops to a dedicated uid; unprivileged, bwrap uses one.
2. `linux-rlimit`: no bwrap. As root each child still gets a network namespace, a mount
   namespace hiding the course, the reports, the submissions and $HOME, and a dedicated uid.
3. `portable`: a separate process with timeouts and output caps; other limits best effort.

Every tier adds rlimits and, where `pyseccomp` loads, a seccomp filter in each child.
`GRADER_SANDBOX` (or `--sandbox`) forces a tier: auto, bwrap, rlimit or portable.
"""

from __future__ import annotations

import contextlib
import fcntl
import functools
import os
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from grader.sandbox.inside import proctable
from grader.sandbox.protocol.control import Isolation
from grader.sandbox.protocol.errors import SandboxError

TierName = Literal["linux-bwrap", "linux-rlimit", "portable"]
CHOICES = ("auto", "bwrap", "rlimit", "portable")
SANDBOX_WORKER_DIR = "/opt/grader-worker"
UID_BASE = int(os.environ.get("GRADER_SANDBOX_UID_BASE", "61000"))
UID_SLOTS = 512
TMP_BYTES = 64 * 1024 * 1024
SHM_BYTES = 1024 * 1024  # a child's own /dev/shm: torch needs none for one process
# What a Python process needs of /usr (programs and libraries); the rest of /usr (local, share,
# src, games, include) is hidden in tiers 1 and 2, since a course or a backup could live there.
USR_SYSTEM = ("bin", "sbin", "lib", "lib32", "lib64", "libx32", "libexec")


class SandboxUnavailable(SandboxError):
    """A tier was asked for that this machine cannot give."""


@dataclass(frozen=True)
class Tier:
    name: TierName
    root: bool
    seccomp: bool
    missing: tuple[str, ...] = ()  # what would make it stronger, in words

    @property
    def drops_uid(self) -> bool:
        return self.root and self.name != "portable"


def detect(requested: str | None = None) -> Tier:
    """The strongest tier available (or the one requested, if it is available)."""
    choice = (requested or os.environ.get("GRADER_SANDBOX") or "auto").lower()
    if choice not in CHOICES:
        raise SandboxUnavailable(f"unknown sandbox {choice!r}; choose one of {', '.join(CHOICES)}")
    linux = sys.platform.startswith("linux")
    root = linux and os.geteuid() == 0
    seccomp = linux and _seccomp_available()
    missing: list[str] = []
    if not linux:
        if choice in ("bwrap", "rlimit"):
            raise SandboxUnavailable(f"the {choice} sandbox needs Linux; this is {sys.platform}")
        return Tier("portable", False, False, (
            f"on {sys.platform} only timeouts and output caps apply; memory, process and file "
            "limits are best effort and there is no network or file-system isolation",
        ))
    if not seccomp:
        missing.append("pyseccomp (pip install pyseccomp) and libseccomp for the seccomp filter")
    if choice == "portable":
        return Tier("portable", root, False, (*missing, "forced: no namespaces, no uid drop, no seccomp"))
    if choice in ("auto", "bwrap"):
        problem = _bwrap_problem(root)
        if problem is None:
            return Tier("linux-bwrap", root, seccomp, tuple(missing))
        if choice == "bwrap":
            raise SandboxUnavailable(f"the bwrap sandbox is not available: {problem}")
        missing.insert(0, f"bubblewrap for the strongest tier ({problem})")
    if not root:
        missing.append("root: without it there is no uid drop, network or mount namespace")
    return Tier("linux-rlimit", root, seccomp, tuple(missing))


@functools.lru_cache(maxsize=2)
def _bwrap_problem(root: bool) -> str | None:
    bwrap = shutil.which("bwrap")
    if bwrap is None:
        return "bwrap is not installed (apt-get install bubblewrap)"
    cmd = [bwrap, "--ro-bind", "/", "/", "--unshare-pid", "--unshare-net", "--proc", "/proc"]
    if not root:
        cmd.append("--unshare-user")
    try:
        result = subprocess.run([*cmd, "true"], capture_output=True, timeout=10, check=False)
    except (OSError, subprocess.TimeoutExpired) as exc:
        return f"bwrap does not run: {exc}"
    if result.returncode != 0:
        return "bwrap fails here: " + result.stderr.decode(errors="replace").strip()[:200]
    return None


@functools.lru_cache(maxsize=1)
def _seccomp_available() -> bool:
    try:
        import pyseccomp  # noqa: F401
    except Exception:
        return False
    return True


# ---------------------------------------------------------------------------------------------
# Launching the zygote

SANDBOX_ROOT = Path(__file__).resolve().parent  # grader/sandbox: protocol/ and inside/ live here
PACKAGE_ROOT = SANDBOX_ROOT.parents[1]  # the folder holding the grader package (a checkout or site-packages)
# Run the zygote as the package `sandbox` loaded from its own folder (no sys.path entry that could
# shadow the standard library), so it imports nothing of the grader.
_BOOT = ("import importlib.util as u, sys; s = u.spec_from_file_location('sandbox', {init!r}, "
         "submodule_search_locations=[{root!r}]); m = u.module_from_spec(s); sys.modules['sandbox'] = m; "
         "s.loader.exec_module(m); from sandbox.inside.server import main; sys.exit(main(sys.argv))")


def _boot(root: str) -> str:
    return _BOOT.format(init=f"{root}/__init__.py", root=root)


def launch_command(tier: Tier, fd: int, single: bool = False) -> list[str]:
    """The command that starts a zygote (or, `single`, one child) with its channel as `fd`."""
    python = [sys.executable, "-s", "-B", "-c"]
    tail = [str(fd), *(["--single"] if single else [])]
    if tier.name != "linux-bwrap":
        return [*python, _boot(str(SANDBOX_ROOT)), *tail]
    bwrap = shutil.which("bwrap") or "bwrap"
    args = [bwrap, "--unshare-pid", "--unshare-net", "--unshare-ipc", "--unshare-uts",
            "--die-with-parent", "--new-session"]
    if not tier.root:
        args.append("--unshare-user")
    # /tmp first: a mount shadows what was bound below it before, and the venv may live in /tmp.
    args += ["--perms", "1777", "--size", str(TMP_BYTES), "--tmpfs", "/tmp", "--perms", "0755", "--dir", "/usr"]
    bound = []
    for name in USR_SYSTEM:  # not /usr/local, /usr/share or /usr/src, where a course could live
        target = Path("/usr") / name
        if target.is_dir() and not target.is_symlink():
            args += ["--ro-bind", str(target), str(target)]
            bound.append(str(target))
    for name in ("bin", "lib", "lib64", "sbin"):
        target = Path("/") / name
        if target.is_symlink():
            args += ["--symlink", os.readlink(target), str(target)]
        elif target.is_dir():
            args += ["--ro-bind", str(target), str(target)]
    if Path("/etc/ld.so.cache").is_file():
        args += ["--ro-bind", "/etc/ld.so.cache", "/etc/ld.so.cache"]
    bound += ["/bin", "/lib", "/lib64", "/sbin"]
    made: set[str] = set()
    for path in python_environment():
        if any(_under(path, b) for b in bound):
            continue
        for parent in reversed(Path(path).parents):
            text = str(parent)
            if text in ("/", "/tmp", "/usr") or text in made or any(_under(text, b) for b in bound):
                continue
            args += ["--perms", "0755", "--dir", text]  # as root bwrap would make them 0700
            made.add(text)
        args += ["--ro-bind", path, path]
        bound.append(path)
    inside = f"{SANDBOX_WORKER_DIR}/sandbox"
    args += ["--perms", "0755", "--dir", "/opt", "--perms", "0755", "--dir", SANDBOX_WORKER_DIR,
             "--perms", "0755", "--dir", inside,
             "--ro-bind", str(SANDBOX_ROOT / "__init__.py"), f"{inside}/__init__.py",
             "--ro-bind", str(SANDBOX_ROOT / "protocol"), f"{inside}/protocol",
             "--ro-bind", str(SANDBOX_ROOT / "inside"), f"{inside}/inside",
             "--proc", "/proc", "--dev", "/dev"]
    return [*args, *python, _boot(inside), *tail]


def python_environment() -> list[str]:
    """The folders the interpreter needs: the venv and the installation behind it."""
    paths: list[str] = []
    for raw in (sys.prefix, sys.base_prefix, os.path.dirname(os.path.realpath(sys.executable))):
        real = os.path.realpath(raw)
        if real.endswith("/bin"):
            real = os.path.dirname(real)
        for path in (os.path.abspath(raw), real):
            if path not in paths and path != "/":
                paths.append(path)
    return sorted(paths, key=len)


def _under(path: str, parent: str) -> bool:
    return path == parent or path.startswith(parent.rstrip("/") + "/")


# ---------------------------------------------------------------------------------------------
# Per-child isolation


def isolation_for(tier: Tier, uid: int | None, hide: list[str]) -> Isolation:
    """What each child of a slot applies to itself, decided once when the slot starts."""
    privileged = tier.root and tier.name != "portable"
    return Isolation(
        uid=uid,
        namespaces=privileged,
        network=privileged and tier.name == "linux-rlimit",
        hide=tuple(hide) if tier.name == "linux-rlimit" else (),
        expose=tuple(python_environment()),
        tmp_bytes=TMP_BYTES,
        shm_bytes=SHM_BYTES,
        seccomp=tier.seccomp and tier.name != "portable",
        bwrap=tier.name == "linux-bwrap",
        pid_namespace=privileged and tier.name == "linux-rlimit",
    )


# What a Python process needs from the root folder; everything else is covered in tier 2.
SYSTEM_FOLDERS = frozenset({"usr", "etc", "proc", "dev", "sys", "tmp", "bin", "sbin", "lib", "lib32", "lib64",
                            "libx32"})


def hidden_paths(*paths: Path | str | None) -> list[str]:
    """What a tier-2 child must not see: every top-level folder but the system's and every file at
    the top level (so no checkout, backup or home anywhere on the disk), the parts of /usr a
    Python process does not need, plus the given folders wherever they are.

    The child covers each folder with an empty tmpfs and each file with /dev/null, and binds the
    Python environment back, read-only; /tmp becomes a private tmpfs of its own. Symbolic links
    (such as /bin -> usr/bin) are left alone: a mount on one would land on its target.
    """
    out: list[str] = []
    try:
        top = sorted(entry.path for entry in os.scandir("/")
                     if entry.name not in SYSTEM_FOLDERS and not entry.is_symlink()
                     and (entry.is_dir(follow_symlinks=False) or entry.is_file(follow_symlinks=False)))
        top += sorted(entry.path for entry in os.scandir("/usr")
                      if entry.name not in USR_SYSTEM and entry.is_dir(follow_symlinks=False))
    except OSError:
        top = []
    out += [path for path in top if os.path.isfile(path)]
    course = os.environ.get("GRADER_COURSE")
    candidates: list[Path | str | None] = [*top, *paths, course, PACKAGE_ROOT, Path.home(), Path.cwd()]
    for path in candidates:
        if path is None:
            continue
        real = os.path.realpath(path)
        if os.path.isfile(real):
            real = os.path.dirname(real)
        if real not in out and real != "/" and os.path.isdir(real):
            out.append(real)
    return out


class UidLease:
    """A uid no other grader on this machine is using, held until `release` (a lock file)."""

    def __init__(self) -> None:
        self.uid: int | None = None
        self._handle: Any = None

    def acquire(self) -> int:
        folder = Path("/run/lock") if os.access("/run/lock", os.W_OK) else Path(tempfile.gettempdir())
        for uid in range(UID_BASE, UID_BASE + UID_SLOTS):
            handle = open(folder / f"grader-sandbox-uid-{uid}.lock", "a+")  # noqa: SIM115
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except OSError:
                handle.close()
                continue
            if _uid_in_use(uid):
                handle.close()
                continue
            self.uid, self._handle = uid, handle
            return uid
        raise SandboxUnavailable(f"no free sandbox uid in {UID_BASE}..{UID_BASE + UID_SLOTS - 1}")

    def release(self) -> None:
        if self._handle is not None:
            with contextlib.suppress(OSError):
                fcntl.flock(self._handle, fcntl.LOCK_UN)
            self._handle.close()
            self._handle = None


def _uid_in_use(uid: int) -> bool:
    """A uid that owns processes or appears in /etc/passwd belongs to someone else."""
    try:
        import pwd

        pwd.getpwuid(uid)
        return True
    except (KeyError, ImportError):
        pass
    return bool(proctable.processes_of(uid))
