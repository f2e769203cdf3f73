"""A child's life: isolate itself, then run the submission's cells and calls for the grader.

A child talks to the grader over its one socket (fd 3) and nothing else: `Load` executes the
submission's cells in a fresh module and reports its functions' signatures; each `Call` runs one
function on plain-data arguments and answers with plain data. Values are converted inside this
process, with the base types' own methods, so a lying `__eq__`, a float subclass or a Tensor
subclass arrives at the grader as an ordinary number.
"""

from __future__ import annotations

import contextlib
import inspect
import linecache
import os
import signal
import socket
import sys
import traceback
import types
from typing import Any

from ..protocol import codec, framing
from ..protocol.calls import (
    Call,
    CallReply,
    CellError,
    ErrorInfo,
    FunctionInfo,
    Hello,
    Load,
    LoadReply,
    ParamInfo,
    Unprotected,
)
from ..protocol.control import Isolation, RLimits
from ..protocol.records import read
from . import isolate
from .instrument import Watch, capture, student_line

TRACE_LINES = 12
_namespace: dict[str, Any] = {}


def run(sock_fd: int, output_fd: int, isolation: Isolation, limits: RLimits) -> None:
    """Isolate this freshly forked process and serve the grader until the socket closes."""
    isolate.keep_only(sock_fd, output_fd)
    with contextlib.suppress(OSError):  # already a session leader when started on its own (spawn mode)
        os.setsid()
    # SIGPIPE stays ignored (Python's own setting): writing to a closed pipe raises BrokenPipeError
    # in the student's code instead of ending the process with a signal the grader did not send.
    for sig in (signal.SIGINT, signal.SIGTERM):
        signal.signal(sig, signal.SIG_DFL)
    sys.stdin = open(0, closefd=False)  # noqa: SIM115 - /dev/null, as long as the child lives
    sys.stdout = sys.stderr = capture
    sock = socket.socket(fileno=isolate.CHILD_SOCKET_FD)
    try:
        protections = isolate.apply(isolation, limits)
    except Exception as exc:  # reported instead of running unprotected
        framing.send(sock, Unprotected(f"{type(exc).__name__}: {exc}"[:500]).wire())
        return
    Watch.channel = sock
    framing.send(sock, Hello(tuple(protections)).wire())
    serve(sock)


def serve(sock: socket.socket) -> None:
    while True:
        try:
            request = read(framing.recv(sock), Load, Call)
        except Exception:  # the grader closed the socket, or sent nonsense: stop
            return
        reply = _load(request) if isinstance(request, Load) else _call(request)
        try:
            framing.send(sock, reply.wire())
        except framing.FrameTooLarge as exc:
            framing.send(sock, CallReply(False, stdout=reply.stdout, error=ErrorInfo("TooLarge", str(exc))).wire())


def _load(request: Load) -> LoadReply:
    """Execute the submission's cells in a fresh module; report its functions' signatures."""
    global _namespace
    module = types.ModuleType("submission")
    module.__file__ = request.cells[0].filename if request.cells else "submission.py"
    sys.modules["submission"] = module
    _namespace = module.__dict__
    cell_errors: list[CellError] = []
    for cell in request.cells:
        Watch.student_files.add(cell.filename)
        linecache.cache[cell.filename] = (len(cell.source), None, cell.source.splitlines(True), cell.filename)
        try:
            if request.keep_going:  # a notebook: each cell as Jupyter would run it
                exec(compile(cell.source, cell.filename, "exec", dont_inherit=True), _namespace)
            else:
                cell_errors += _run_statements(cell.source, cell.filename)
        except BaseException as exc:  # a syntax error or an exit ends the load; in a notebook, the cell
            if not request.keep_going:
                return LoadReply(False, stdout=capture.take(), error=describe(exc))
            cell_errors.append(CellError(cell.label or cell.filename, describe(exc)))
    functions = {name: signature(_namespace.get(name)) for name in request.functions}
    return LoadReply(True, functions, tuple(cell_errors), capture.take())


def _run_statements(source: str, filename: str) -> list[CellError]:
    """Run a file's top-level statements one by one, as a notebook runs its cells: one that raises
    is reported and the next ones still run, so the functions after a failing plot or demo call are
    graded. A syntax error (nothing runs) or an exit (the file ended itself) is raised."""
    import __future__

    import ast

    tree = ast.parse(source, filename)
    flags = 0
    for node in tree.body:
        if not (isinstance(node, ast.ImportFrom) and node.module == "__future__"):
            break
        flags |= sum(getattr(__future__, alias.name).compiler_flag for alias in node.names
                     if hasattr(__future__, alias.name))
    errors = []
    for node in tree.body:
        code = compile(ast.Module(body=[node], type_ignores=[]), filename, "exec", flags=flags, dont_inherit=True)
        try:
            exec(code, _namespace)
        except (SystemExit, KeyboardInterrupt):
            raise
        except Exception as exc:
            errors.append(CellError(f"line {node.lineno}", describe(exc)))
    return errors


def signature(obj: Any) -> FunctionInfo | None:
    if obj is None:
        return None
    if not callable(obj):
        return FunctionInfo(False, type(obj).__name__[:200])
    code = getattr(obj, "__code__", None)
    line = code.co_firstlineno if isinstance(code, types.CodeType) else None
    try:
        parameters = inspect.signature(obj).parameters.values()
    except (TypeError, ValueError):
        return FunctionInfo(True, line=line)
    params = []
    for p in parameters:
        default: Any = None
        if p.default is not inspect.Parameter.empty:
            try:
                default = codec.encode(p.default)
            except Exception:
                default = {"$": "object", "type": type(p.default).__name__[:200]}
        params.append(ParamInfo(p.name, p.kind.name, p.default is not inspect.Parameter.empty, default))
    return FunctionInfo(True, params=tuple(params), line=line)


def _call(request: Call) -> CallReply:
    fn = _namespace.get(request.fn)
    if not callable(fn):
        return CallReply(False, error=ErrorInfo("Missing", f"no function {request.fn}"))
    try:
        args = codec.decode(request.args)
        kwargs = codec.decode(request.kwargs)
        if not isinstance(args, list) or not isinstance(kwargs, dict):
            raise codec.DecodeError("arguments must be a list and a dict")
    except codec.DecodeError as exc:
        return CallReply(False, error=ErrorInfo("Protocol", str(exc)))
    Watch.autograd_used.clear()
    try:
        result = _invoke(fn, args, kwargs, request.by_hand)
    except BaseException as exc:
        return CallReply(False, stdout=capture.take(), autograd=tuple(Watch.autograd_used), error=describe(exc))
    stdout, autograd = capture.take(), tuple(Watch.autograd_used)
    try:
        value = codec.encode(result)
        after = codec.encode([args, kwargs]) if request.return_args else None
        grads = codec.encode(_grads(result, args, kwargs)) if request.want_grads else None
    except codec.EncodeError as exc:
        return CallReply(False, stdout=stdout, autograd=autograd, error=ErrorInfo("TooLarge", str(exc)))
    except Exception as exc:
        return CallReply(False, stdout=stdout, autograd=autograd, error=ErrorInfo("Unreadable", _safe_str(exc)))
    return CallReply(True, value, after, grads, stdout, autograd)


def _invoke(fn: Any, args: list[Any], kwargs: dict[str, Any], by_hand: bool) -> Any:
    if not by_hand:
        return fn(*args, **kwargs)
    import torch

    with torch.no_grad():
        Watch.autograd_active = True
        try:
            return fn(*args, **kwargs)
        finally:
            Watch.autograd_active = False


def _grads(result: Any, args: list[Any], kwargs: dict[str, Any]) -> list[Any]:
    """d(sum of the result)/d(each argument tensor that requires grad), None where none flows.

    Uses torch.autograd.grad as it was before any student code ran; a result that is not a
    tensor attached to a graph gives None for every argument.
    """
    import torch

    leaves = [v for v in [*args, *kwargs.values()] if isinstance(v, torch.Tensor) and v.requires_grad]
    if not leaves:
        return []
    with torch._C.DisableTorchFunctionSubclass():
        if type(result) is not torch.Tensor or not result.requires_grad or not result.is_floating_point():
            return [None] * len(leaves)
        assert Watch.grad is not None
        with torch.enable_grad():
            grads = Watch.grad(torch.Tensor.sum(result), leaves, allow_unused=True)
    return [None if g is None else g.detach() for g in grads]


def _safe_str(exc: BaseException) -> str:
    try:
        text = str(exc)
    except BaseException:
        text = "<the exception's message could not be read>"
    return text[:2000]


def describe(exc: BaseException) -> ErrorInfo:
    """Type, message, the student's own line and a short traceback of the student's frames."""
    kind = type(exc).__name__[:200]
    if isinstance(exc, SyntaxError):
        return ErrorInfo(kind, str(exc.msg)[:2000], exc.filename, exc.lineno, (exc.text or "").rstrip("\n")[:300])
    message = f"SystemExit({exc.code!r})"[:300] if isinstance(exc, SystemExit) else _safe_str(exc)
    lines: list[str] = []
    file: str | None = None
    line: int | None = None
    try:
        for entry in traceback.extract_tb(exc.__traceback__):
            if entry.filename in Watch.student_files:
                file, line = entry.filename, entry.lineno
                lines.append(f'  File "{entry.filename}", line {entry.lineno}, in {entry.name}')
                if entry.line:
                    lines.append(f"    {entry.line.strip()}")
    except Exception:
        pass
    return ErrorInfo(kind, message, file, line, "", "\n".join(lines[-TRACE_LINES:]))


__all__ = ["describe", "run", "serve", "signature", "student_line"]
