"""The two sides a check compares: the student's functions (in the sandbox) and the reference's.

Both expose the assignment's functions as plain callables so that one declared expression
serves both. The student side turns every way a call can go wrong (missing function, wrong
signature, exception, timeout, crash, autograd in a by-hand function, a result of the wrong
shape) into a `StudentFailure` whose message names the call, the cause and the line.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable
from dataclasses import dataclass
from types import ModuleType
from typing import Any, Literal

import torch

from grader.assignment.loader import MISSING, Assignment, Signature
from grader.assignment.returns import ReturnMismatch, coerce
from grader.checks.cases import brief
from grader.sandbox.inside import values
from grader.sandbox.session import CallResult, LoadResult, Session

FailureStatus = Literal["failed", "error", "timeout"]


class StudentFailure(Exception):
    """A student call gave no usable value; `status` is what the check reports."""

    def __init__(self, status: FailureStatus, message: str):
        super().__init__(message)
        self.status: FailureStatus = status
        self.message = message


class _Recorded(Exception):
    def __init__(self, fn: str, args: tuple[Any, ...], kwargs: dict[str, Any]):
        super().__init__(fn)
        self.call = (fn, args, kwargs)


class ReferenceFailure(RuntimeError):
    """The reference solution itself failed: an instructor's problem, never a student's."""


@dataclass
class CallRecord:
    fn: str
    args: tuple[Any, ...]
    kwargs: dict[str, Any]
    result: CallResult


def render_call(fn: str, args: tuple[Any, ...], kwargs: dict[str, Any], hidden: bool = False) -> str:
    def show(value: Any) -> str:
        if hidden and isinstance(value, (list, tuple, dict, torch.Tensor)):
            size = value.numel() if isinstance(value, torch.Tensor) else len(value)
            return f"<hidden data, {size} values>"
        return brief(value)

    parts = [show(a) for a in args] + [f"{k}={show(v)}" for k, v in kwargs.items()]
    return f"{fn}({', '.join(parts)})"


class StudentSide:
    """The student's functions, each call made in the sandbox and checked on the way back."""

    def __init__(self, session: Session, assignment: Assignment):
        self.session = session
        self.assignment = assignment
        self.hidden = False
        self.return_args = False
        self.last: CallRecord | None = None
        self._problems: dict[tuple[str, int, frozenset[str]], str | None] = {}

    @functools.cached_property
    def _functions(self) -> dict[str, Callable[..., Any]]:
        return {name: functools.partial(self.call, name) for name in self.assignment.signatures}

    def functions(self) -> dict[str, Callable[..., Any]]:
        return self._functions

    @functools.cached_property
    def recorders(self) -> dict[str, Callable[..., Any]]:
        """Stand-ins that only note which call a case would make (see `prefetch`)."""

        def recorder(name: str) -> Callable[..., Any]:
            def record(*args: Any, **kwargs: Any) -> Any:
                raise _Recorded(name, args, kwargs)

            return record

        return {name: recorder(name) for name in self.assignment.signatures}

    def prefetch(self, calls: list[tuple[str, tuple[Any, ...], dict[str, Any]]]) -> None:
        """Have the sandbox answer these calls in one pipelined exchange, ahead of the checks."""
        load = self.session.load()
        if not load.ok:
            return
        batch = []
        for fn, args, kwargs in calls:
            signature = self.assignment.signatures[fn]
            info = load.functions.get(fn)
            if signature_problem(signature, info, len(args), set(kwargs), self.assignment.student_file):
                continue
            call_args, call_kwargs = canonical(signature, info, args, kwargs)
            batch.append((fn, call_args, call_kwargs, signature.by_hand))
        self.session.prefetch(batch)

    def call(self, fn: str, *args: Any, **kwargs: Any) -> Any:
        load = self.session.load()
        if not load.ok:
            raise StudentFailure(*load_failure(load, self.assignment.student_file))
        signature = self.assignment.signatures[fn]
        shape = (fn, len(args), frozenset(kwargs))
        if shape not in self._problems:
            self._problems[shape] = signature_problem(signature, load.functions.get(fn), len(args), set(kwargs),
                                                      self.assignment.student_file)
        if self._problems[shape]:
            raise StudentFailure("error", str(self._problems[shape]))
        call_args, call_kwargs = canonical(signature, load.functions.get(fn), args, kwargs)
        result = self.session.call(fn, call_args, call_kwargs, by_hand=signature.by_hand,
                                   return_args=self.return_args)
        self.last = CallRecord(fn, args, kwargs, result)
        if result.ok and not (signature.by_hand and result.autograd) and signature.returns in result.coerced:
            return result.coerced[signature.returns]  # the same call, already checked
        text = render_call(fn, args, kwargs, self.hidden)
        if signature.by_hand and result.autograd:
            used = [a for a in result.autograd
                    if not (a == "torch.autograd.backward" and ".backward()" in result.autograd)]
            raise StudentFailure(
                "failed",
                f"{text} used autograd ({', '.join(used)}); {fn} must compute the "
                "gradient by hand with the chain rule, without .backward() or torch.autograd",
            )
        if result.status == "timeout":
            hint = "" if "not called" in result.reason else "; is there a loop that never ends?"
            raise StudentFailure("timeout", f"{text} {result.reason}{hint}")
        if result.status == "crashed":
            raise StudentFailure("error", f"{text}: {crash_message(result)}")
        if result.status == "error":
            if result.error.get("type") == "NotImplementedError":
                raise StudentFailure("error", f"{fn} is not implemented yet: it raises "
                                     f"NotImplementedError{_at(result.error, source=False)}")
            raise StudentFailure("error", f"{text} {error_message(result.error)}")
        try:
            value = coerce(result.value, signature.returns, f"the result of {text}")
        except ReturnMismatch as exc:
            raise StudentFailure("failed", str(exc)) from exc
        result.coerced[signature.returns] = value
        return value


class ReferenceSide:
    """The reference solution's functions, called in the grader with copies of the inputs.

    Results pass through the same plain-data conversion as the student's, so both sides are
    compared on equal terms (graphs dropped, dtypes kept). With `raw=True` nothing is copied,
    for autograd through the reference.
    """

    def __init__(self, module: ModuleType, assignment: Assignment, raw: bool = False):
        self.module = module
        self.assignment = assignment
        self.raw = raw

    @functools.cached_property
    def _functions(self) -> dict[str, Callable[..., Any]]:
        return {name: functools.partial(self.call, name) for name in self.assignment.signatures}

    def functions(self) -> dict[str, Callable[..., Any]]:
        return self._functions

    def call(self, fn: str, *args: Any, **kwargs: Any) -> Any:
        target = getattr(self.module, fn, None)
        if not callable(target):
            raise ReferenceFailure(f"the reference solution defines no function {fn}")
        if not self.raw:
            args = tuple(values.decode(values.encode(list(args))))
            kwargs = values.decode(values.encode(dict(kwargs)))
        try:
            result = target(*args, **kwargs)
        except Exception as exc:
            raise ReferenceFailure(
                f"the reference {render_call(fn, args, kwargs)} raised {type(exc).__name__}: {exc}"
            ) from exc
        if self.raw:
            return result
        result = values.decode(values.encode(result))
        try:
            return coerce(result, self.assignment.signatures[fn].returns)
        except ReturnMismatch as exc:
            raise ReferenceFailure(f"the reference {fn} does not match its stub: {exc}") from exc


def canonical(
    signature: Signature, info: dict[str, Any] | None, args: tuple[Any, ...], kwargs: dict[str, Any]
) -> tuple[list[Any], dict[str, Any]]:
    """Every parameter of the stub passed by position, defaults filled in.

    `train(xs, ys)` and `train(xs, ys, w0=1.0, lr=0.01, epochs=100)` then make the same call,
    answered once. This is safe only because `signature_problem` has already checked that the
    student's defaults are the stub's; with *args/**kwargs or keyword-only parameters, or
    unknown keywords, the call is sent as written.
    """
    params = signature.params
    student = (info or {}).get("params") or []
    if any(p["kind"] in ("VAR_POSITIONAL", "VAR_KEYWORD") for p in student):
        return list(args), kwargs
    if any(p.kind != "POSITIONAL_OR_KEYWORD" for p in params) or set(kwargs) - {p.name for p in params}:
        return list(args), kwargs
    filled = list(args)
    for param in params[len(args):]:
        if param.name in kwargs:
            filled.append(kwargs[param.name])
        elif param.default is not MISSING:
            filled.append(param.default)
        else:
            return list(args), kwargs
    return filled, {}


# ---------------------------------------------------------------------------------------------
# Messages


def load_failure(load: LoadResult, filename: str) -> tuple[FailureStatus, str]:
    failure = load.failure
    assert failure is not None
    if failure.status == "timeout":
        return "timeout", f"loading {filename} {failure.reason}; is there a loop at the top level?"
    if failure.status == "crashed":
        return "error", f"{filename} could not be loaded: {crash_message(failure)}"
    error = failure.error
    kind = error.get("type")
    if kind == "SyntaxError" or kind == "IndentationError" or kind == "TabError":
        text = f"\n    {error['text'].strip()}" if error.get("text") else ""
        return "error", f"{filename} has a {kind} at line {error.get('line')}: {error.get('message')}{text}"
    if kind == "SystemExit":
        return "error", (
            f"{filename} called sys.exit while being loaded{_at(error)}: a submission defines "
            "functions and must not exit"
        )
    return "error", f"{filename} could not be loaded: running it {error_message(error)}"


def error_message(error: dict[str, Any]) -> str:
    kind = str(error.get("type", "Error"))
    message = str(error.get("message", ""))
    if kind == "NotImplementedError":
        return f"is not implemented yet: it raises NotImplementedError{_at(error)}"
    if kind == "Missing":
        return "is not defined"
    if kind == "TooLarge":
        return f"returned a value that is too large to grade: {message}"
    if kind == "Unreadable":
        return f"returned a value that could not be read: {message}"
    if kind == "SystemExit":
        return f"called sys.exit{_at(error)}; a function must return its result"
    text = f"raised {kind}" + (f": {message}" if message else "") + _at(error)
    return text


def _at(error: dict[str, Any], source: bool = True) -> str:
    """` (line 12: the line's code)` for the student's line where an error was raised."""
    line = error.get("line")
    if not line:
        return ""
    code = ""
    trace = str(error.get("traceback") or "").splitlines()
    if source and trace and not trace[-1].lstrip().startswith("File "):
        code = f": {trace[-1].strip()}"
    # A notebook's line numbers count from the top of a cell, so say which (grader.notebooks
    # labels cells `name.ipynb (code cell 3)` or, for a kernel's history, `(In [5])`).
    cell = re.search(r"\((code cell \d+|In \[\d+\])\)$", str(error.get("file") or ""))
    return f" ({cell.group(1) + ', ' if cell else ''}line {line}{code})"


def crash_message(result: CallResult) -> str:
    note = result.exit_note
    if note:
        where = f" at line {note['line']}" if note.get("line") else ""
        return f"the code called os._exit({note.get('code')}){where}, which ends the process"
    status = result.exit
    if status is not None and status.signal is not None:
        import signal as _signal

        if status.signal == _signal.SIGXCPU:
            return "the process used more CPU time than allowed and was stopped"
        if status.signal == _signal.SIGKILL:
            return "the process was killed (SIGKILL), for example for using too much memory"
        return f"the process running the code {status.describe()}"
    if status is not None and status.exit is not None:
        return f"the process running the code exited with status {status.exit} instead of returning"
    return result.reason or "the process running the code ended unexpectedly"


def signature_problem(
    expected: Signature, info: dict[str, Any] | None, n_args: int, keywords: set[str], filename: str
) -> str | None:
    """Why the student's function cannot be called as the assignment calls it, if it cannot."""
    name = expected.name
    if info is None:
        return f"{filename} defines no function {name}; the assignment needs {expected.render()}"
    if not info.get("callable"):
        return f"{name} in {filename} is a {info.get('type')}, not a function"
    params = info.get("params")
    if params is None:
        return None
    flexible = any(p["kind"] in ("VAR_POSITIONAL", "VAR_KEYWORD") for p in params)
    got = [p["name"] for p in params if p["kind"] in ("POSITIONAL_ONLY", "POSITIONAL_OR_KEYWORD")]
    want = [p.name for p in expected.params]
    theirs = f"{name}({', '.join(_render_param(p) for p in params)})"
    if not flexible and got[: len(want)] != want:
        return f"{filename} defines {theirs}, but the assignment needs {expected.render()}"
    extra_required = [p["name"] for p in params[len(want):]
                      if p["kind"] in ("POSITIONAL_OR_KEYWORD", "KEYWORD_ONLY") and not p["has_default"]]
    if extra_required:
        return f"{filename} defines {theirs}: extra parameters {extra_required} need default values"
    by_name = {p["name"]: p for p in params}
    for i, param in enumerate(expected.params):
        if param.default is MISSING or i < n_args or param.name in keywords:
            continue
        theirs_p = by_name.get(param.name)
        if theirs_p is None:  # taken by **kwargs
            continue
        if not theirs_p["has_default"]:
            return f"{name}'s parameter {param.name} needs the default {param.default!r}, as in {expected.render()}"
        try:
            default = values.decode(theirs_p["default"])
        except values.DecodeError:
            default = None
        if not _same_default(default, param.default):
            return (
                f"{name}'s default for {param.name} is {brief(default)}; the assignment says "
                f"{param.name}={param.default!r}"
            )
    return None


def _same_default(got: Any, want: Any) -> bool:
    if isinstance(want, (int, float)) and isinstance(got, (int, float)) and not isinstance(got, bool):
        return float(got) == float(want)
    return bool(got == want)


def _render_param(p: dict[str, Any]) -> str:
    if not p["has_default"]:
        return str(p["name"])
    try:
        default = brief(values.decode(p["default"]))
    except values.DecodeError:
        default = "..."
    return f"{p['name']}={default}"
