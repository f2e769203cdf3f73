"""The grader's conversation with a zygote: set it up once, then fork, configure and reap.

`Setup` comes first and only once: the slot's isolation, fixed for its lifetime. Then
`Configure` (rlimits for the next children), `Spawn` and `StartExtras` (each followed by one
socket passed with SCM_RIGHTS) and `Reap`; the zygote answers `Ready`, `Spawned`, `Reaped` or
`Refused`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from .records import NAME, Record, read_bool, read_int, read_opt_int, read_text, read_texts


@dataclass(frozen=True)
class RLimits:
    """The resource limits each child sets on itself right after the fork."""

    as_bytes: int
    cpu_s: int
    nproc: int
    fsize_bytes: int
    nofile: int
    core: int = 0

    @classmethod
    def parse(cls, data: Any) -> RLimits:
        if not isinstance(data, dict):
            raise TypeError("limits must be an object")
        return cls(**{name: read_int(data, name) for name in cls.__dataclass_fields__})


@dataclass(frozen=True)
class Isolation:
    """What every child of one slot applies to itself. Fixed when the slot's zygote starts and
    never part of a request, so nothing that reaches a zygote later can weaken it."""

    uid: int | None = None  # the slot's dedicated uid (root only)
    namespaces: bool = False  # private mount and IPC namespaces, /tmp, /dev/shm and /proc
    network: bool = False  # a network namespace of its own (bwrap already gives the zygote one)
    hide: tuple[str, ...] = ()  # folders covered with an empty tmpfs
    expose: tuple[str, ...] = ()  # the Python environment, bound back wherever it lies
    tmp_bytes: int = 64 * 1024 * 1024
    shm_bytes: int = 1024 * 1024
    seccomp: bool = False
    bwrap: bool = False  # the zygote runs inside bubblewrap (for the protections' wording)
    pid_namespace: bool = False  # each child is the first process of a PID namespace of its own

    @classmethod
    def parse(cls, data: Any) -> Isolation:
        if not isinstance(data, dict):
            raise TypeError("isolation must be an object")
        return cls(
            uid=read_opt_int(data, "uid"), namespaces=read_bool(data, "namespaces"), network=read_bool(data, "network"),
            hide=read_texts(data, "hide", 4096), expose=read_texts(data, "expose", 4096),
            tmp_bytes=read_int(data, "tmp_bytes"), shm_bytes=read_int(data, "shm_bytes"),
            seccomp=read_bool(data, "seccomp"), bwrap=read_bool(data, "bwrap"),
            pid_namespace=read_bool(data, "pid_namespace"),
        )


@dataclass(frozen=True)
class Setup(Record):
    OP = "setup"
    isolation: Isolation
    limits: RLimits

    @classmethod
    def parse(cls, data: dict[str, Any]) -> Setup:
        return cls(Isolation.parse(data.get("isolation")), RLimits.parse(data.get("limits")))


@dataclass(frozen=True)
class Configure(Record):
    OP = "configure"
    limits: RLimits

    @classmethod
    def parse(cls, data: dict[str, Any]) -> Configure:
        return cls(RLimits.parse(data.get("limits")))


@dataclass(frozen=True)
class Spawn(Record):
    """Fork a child; the child's socket follows with SCM_RIGHTS."""

    OP = "spawn"

    @classmethod
    def parse(cls, data: dict[str, Any]) -> Spawn:
        return cls()


@dataclass(frozen=True)
class StartExtras(Record):
    """Fork the extras sub-zygote; its own control socket from the grader follows (SCM_RIGHTS)."""

    OP = "start_extras"

    @classmethod
    def parse(cls, data: dict[str, Any]) -> StartExtras:
        return cls()


@dataclass(frozen=True)
class Clone(Record):
    """Fork this zygote as the zygote of another worker slot, set up with that slot's own `Setup`
    (its uid, its isolation); the new slot's control socket follows (SCM_RIGHTS). A slot started
    this way imports nothing: it is ready in milliseconds instead of a torch import."""

    OP = "clone"
    setup: Setup

    @classmethod
    def parse(cls, data: dict[str, Any]) -> Clone:
        setup = data.get("setup")
        if not isinstance(setup, dict):
            raise TypeError("setup must be an object")
        return cls(Setup.parse(setup))


@dataclass(frozen=True)
class Reap(Record):
    OP = "reap"
    pid: int
    wait: bool = True  # answer after the child is collected (its exit status is needed)

    @classmethod
    def parse(cls, data: dict[str, Any]) -> Reap:
        return cls(read_int(data, "pid"), read_bool(data, "wait", True))


# zygote → grader


@dataclass(frozen=True)
class Ready(Record):
    OP = "ready"
    pid: int
    torch: str = ""
    python: str = ""
    subreaper: bool = False

    @classmethod
    def parse(cls, data: dict[str, Any]) -> Ready:
        return cls(read_int(data, "pid"), read_text(data, "torch", NAME), read_text(data, "python", NAME),
                   read_bool(data, "subreaper"))


@dataclass(frozen=True)
class Spawned(Record):
    OP = "spawned"
    pid: int

    @classmethod
    def parse(cls, data: dict[str, Any]) -> Spawned:
        return cls(read_int(data, "pid"))


@dataclass(frozen=True)
class Reaped(Record):
    OP = "reaped"
    pid: int
    exit: int | None = None
    signal: int | None = None
    leftovers: int = 0  # processes of the submission still alive after it, now killed
    stuck: bool = False  # not dead 5 s after SIGKILL
    was_running: bool = False  # the child was alive when the reap began (the zygote's SIGKILL ended it)
    cpu_s: float | None = None  # CPU time the child used (user + system), to tell RLIMIT_CPU's kill

    @classmethod
    def parse(cls, data: dict[str, Any]) -> Reaped:
        cpu = data.get("cpu_s")
        if cpu is not None and (not isinstance(cpu, int | float) or isinstance(cpu, bool)):
            raise TypeError("cpu_s must be a number")
        return cls(read_int(data, "pid"), read_opt_int(data, "exit"), read_opt_int(data, "signal"),
                   read_opt_int(data, "leftovers") or 0, read_bool(data, "stuck"), read_bool(data, "was_running"),
                   None if cpu is None else float(cpu))


@dataclass(frozen=True)
class Refused(Record):
    OP = "refused"
    reason: str

    @classmethod
    def parse(cls, data: dict[str, Any]) -> Refused:
        return cls(read_text(data, "reason"))


