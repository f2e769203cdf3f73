"""The grader's conversation with a child: load the submission, then call its functions.

The child says `Hello` (or `Unprotected`) when it starts; the grader sends `Load`, then any
number of `Call`s; the child answers each with one `LoadReply` or `CallReply`, and may send one
`ExitNote` before it ends itself with os._exit. Values inside are codec wire data.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from .errors import ProtocolError
from .records import MAX_ITEMS, NAME, TRACE, Record, read_bool, read_list, read_opt_int, read_text, read_texts

STDOUT_CAP = 2 * 1024  # what a child keeps of a submission's printed output (about 75 lines)
STDOUT_LIMIT = STDOUT_CAP + 256  # what the grader accepts in one reply: the cap and its marker


class OutputLimit(ProtocolError):
    """A reply carried more output than any honest child produces."""


@dataclass(frozen=True)
class CellSource:
    source: str
    filename: str
    label: str


@dataclass(frozen=True)
class Load(Record):
    OP = "load"
    cells: tuple[CellSource, ...]
    keep_going: bool  # notebooks: a cell that raises does not stop the next ones
    functions: tuple[str, ...]  # whose signatures to report

    @classmethod
    def parse(cls, data: dict[str, Any]) -> Load:
        cells = tuple(CellSource(str(c["source"]), read_text(c, "filename", 4096), read_text(c, "label", NAME))
                      for c in read_list(data, "cells"))
        return cls(cells, read_bool(data, "keep_going"), read_texts(data, "functions", NAME))


@dataclass(frozen=True)
class Call(Record):
    OP = "call"
    fn: str
    args: Any  # codec wire data of a list
    kwargs: Any  # codec wire data of a dict
    by_hand: bool = False  # no autograd allowed: run under torch.no_grad() and watch for it
    return_args: bool = False  # send the arguments back after the call (were they changed?)
    want_grads: bool = False  # send d(sum of the result)/d(each argument that requires grad)

    @classmethod
    def parse(cls, data: dict[str, Any]) -> Call:
        return cls(read_text(data, "fn", NAME), data.get("args", []), data.get("kwargs", {"$": "dict", "v": {}}),
                   read_bool(data, "by_hand"), read_bool(data, "return_args"), read_bool(data, "want_grads"))


# child → grader


@dataclass(frozen=True)
class Hello(Record):
    """A child has isolated itself; `protections` says what it really applied, in words."""

    OP = "hello"
    protections: tuple[str, ...]

    @classmethod
    def parse(cls, data: dict[str, Any]) -> Hello:
        return cls(read_texts(data, "protections", 500))


@dataclass(frozen=True)
class Unprotected(Record):
    """A child could not apply an isolation step and refuses to run any code."""

    OP = "unprotected"
    error: str

    @classmethod
    def parse(cls, data: dict[str, Any]) -> Unprotected:
        return cls(read_text(data, "error"))


@dataclass(frozen=True)
class ErrorInfo:
    """What went wrong in the child: the exception's type and message, the student's line."""

    type: str
    message: str = ""
    file: str | None = None
    line: int | None = None
    text: str = ""  # the offending source line (syntax errors)
    traceback: str = ""  # the student's own frames only

    @classmethod
    def parse(cls, data: Any) -> ErrorInfo:
        if not isinstance(data, dict):
            raise TypeError("error must be an object")
        file = data.get("file")
        return cls(read_text(data, "type", NAME, "Error"), read_text(data, "message"),
                   read_text(data, "file", 4096) if isinstance(file, str) else None, read_opt_int(data, "line"),
                   read_text(data, "text", 300), read_text(data, "traceback", TRACE))


@dataclass(frozen=True)
class ParamInfo:
    name: str
    kind: str  # inspect.Parameter.kind's name: POSITIONAL_ONLY, ..., VAR_KEYWORD
    has_default: bool
    default: Any = None  # codec wire data

    @classmethod
    def parse(cls, data: Any) -> ParamInfo:
        return cls(read_text(data, "name", NAME), read_text(data, "kind", 40), read_bool(data, "has_default"),
                   data.get("default"))


@dataclass(frozen=True)
class FunctionInfo:
    """What the submission defines under a function's name."""

    callable: bool
    type: str = ""  # the object's type when it is not callable
    params: tuple[ParamInfo, ...] | None = None  # None: not inspectable (a builtin)
    line: int | None = None

    @classmethod
    def parse(cls, data: Any) -> FunctionInfo:
        params = data.get("params")
        return cls(read_bool(data, "callable"), read_text(data, "type", NAME),
                   None if params is None else tuple(ParamInfo.parse(p) for p in read_list(data, "params")),
                   read_opt_int(data, "line"))


@dataclass(frozen=True)
class CellError:
    cell: str
    error: ErrorInfo

    @classmethod
    def parse(cls, data: Any) -> CellError:
        return cls(read_text(data, "cell", NAME), ErrorInfo.parse(data.get("error")))


def read_stdout(data: dict[str, Any]) -> str:
    text = data.get("stdout") or ""
    if not isinstance(text, str):
        raise TypeError("stdout must be text")
    if len(text) > STDOUT_LIMIT:
        raise OutputLimit(f"a reply carried {len(text):,} characters of output; a child keeps at most "
                          f"{STDOUT_CAP:,} in all")
    return text


@dataclass(frozen=True)
class LoadReply(Record):
    OP = "loaded"
    ok: bool
    functions: dict[str, FunctionInfo | None] = field(default_factory=dict)
    cell_errors: tuple[CellError, ...] = ()
    stdout: str = ""
    error: ErrorInfo | None = None

    @classmethod
    def parse(cls, data: dict[str, Any]) -> LoadReply:
        raw = data.get("functions") or {}
        if not isinstance(raw, dict) or len(raw) > MAX_ITEMS:
            raise TypeError("functions must be an object")
        functions = {read_text({"k": k}, "k", NAME): None if v is None else FunctionInfo.parse(v)
                     for k, v in raw.items()}
        error = data.get("error")
        return cls(read_bool(data, "ok"), functions, tuple(CellError.parse(c) for c in read_list(data, "cell_errors")),
                   read_stdout(data), None if error is None else ErrorInfo.parse(error))


@dataclass(frozen=True)
class CallReply(Record):
    OP = "result"
    ok: bool
    value: Any = None  # codec wire data
    args_after: Any = None  # codec wire data of [args, kwargs], when asked for
    grads: Any = None  # codec wire data of a list (None where no gradient reaches), when asked for
    stdout: str = ""
    autograd: tuple[str, ...] = ()  # autograd used during a by-hand call
    error: ErrorInfo | None = None

    @classmethod
    def parse(cls, data: dict[str, Any]) -> CallReply:
        error = data.get("error")
        return cls(read_bool(data, "ok"), data.get("value"), data.get("args_after"), data.get("grads"),
                   read_stdout(data), read_texts(data, "autograd", NAME),
                   None if error is None else ErrorInfo.parse(error))


@dataclass(frozen=True)
class ExitNote(Record):
    """Sent by a child's os._exit just before the process ends, to say where it was called."""

    OP = "exit"
    code: int
    file: str | None = None
    line: int | None = None

    @classmethod
    def parse(cls, data: dict[str, Any]) -> ExitNote:
        code = data.get("code")
        file = data.get("file")
        return cls(code if isinstance(code, int) and not isinstance(code, bool) else -1,
                   read_text(data, "file", 4096) if isinstance(file, str) else None, read_opt_int(data, "line"))
