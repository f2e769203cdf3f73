"""The zygote and its children: the only processes in which student code runs.

Run as a script, never imported by the zygote from the grader package, so that nothing of the
grader (reference solutions, hidden data, the grading seed) is ever in this interpreter:

    python -I worker.py CONTROL_FD

The zygote imports torch once with one thread and runs no tensor op (a fork after OpenMP work
can deadlock), then serves a control socket: `spawn` forks a child that receives its own socket
over SCM_RIGHTS, `reap` kills a child's process group and returns its exit status. A child
applies its limits, then answers `load` (execute the submission's cells) and `call` (run one
function on plain-data arguments) with plain data, until its socket closes.
"""

from __future__ import annotations

import contextlib
import inspect
import io
import json
import linecache
import os
import re
import signal
import socket
import sys
import time
import traceback
import types
from typing import Any

try:
    from . import frames, isolate, values
except ImportError:  # run as a script inside the sandbox
    import frames  # type: ignore[no-redef,import-not-found]
    import isolate  # type: ignore[no-redef,import-not-found]
    import values  # type: ignore[no-redef,import-not-found]

STDOUT_CAP = 2 * 1024  # per submission: about 75 lines, enough to show what the code printed
TRACE_LINES = 12

# State of the current child (module-level so that the watchers below can reach it).
_sock: socket.socket | None = None
_namespace: dict[str, Any] = {}
_filenames: set[str] = set()
_autograd_active = False
_autograd_used: list[str] = []
_protections: list[str] = []


class _Capture(io.TextIOBase):
    """A capped stand-in for sys.stdout/sys.stderr: keeps the submission's first STDOUT_CAP
    characters; once full, `print` returns without even formatting its arguments (printing a
    tensor costs a fraction of a millisecond, and the seed's program prints hundreds)."""

    def __init__(self) -> None:
        self.parts: list[str] = []
        self.kept = 0
        self.total = 0
        self.skipped = 0
        self.reported = False

    @property
    def full(self) -> bool:
        return self.kept >= STDOUT_CAP

    def writable(self) -> bool:
        return True

    def write(self, s: Any) -> int:
        text = str.__str__(s) if isinstance(s, str) else str(s)
        self.total += len(text)
        room = STDOUT_CAP - self.kept
        if room > 0:
            self.parts.append(text[:room])
            self.kept += min(room, len(text))
        return len(text)

    def take(self) -> str:
        """What was printed since the last call (the budget itself lasts the whole submission)."""
        text = "".join(self.parts)
        self.parts = []
        if self.full and not self.reported:
            self.reported = True
            text += f"\n... [output cut after {STDOUT_CAP:,} characters; later prints were skipped]"
        return text


_capture = _Capture()


# ---------------------------------------------------------------------------------------------
# Zygote


def main(argv: list[str]) -> int:
    if argv[1] == "--single":
        return _single(int(argv[2]), argv[3] if len(argv) > 3 else "{}")
    control = socket.socket(fileno=int(argv[1]))
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    info = _prepare()
    info["subreaper"] = isolate.become_subreaper()
    extras = _Extras()
    if "--eager-extras" in argv:  # a batch: be completely ready before the first submission
        extras.channel_to(control)
    frames.send(control, {"ready": True, "pid": os.getpid(), **info})
    _serve_control(control, extras)
    return 0


class _Extras:
    """A sub-zygote forked from this one that also has torch.optim's and matplotlib's imports.

    Forking costs grow with the forking process's memory, and those imports add half of it; a
    submission that does not use them (most) is forked from the lean zygote, the others from
    this sub-zygote, which shares the lean zygote's pages copy-on-write.
    """

    def __init__(self) -> None:
        self.pid: int | None = None
        self.channel: socket.socket | None = None
        self.children: set[int] = set()
        self.ready = False

    def channel_to(self, control: socket.socket) -> socket.socket:
        if self.pid is not None and self.channel is not None:
            done, _ = os.waitpid(self.pid, os.WNOHANG)
            if not done:
                if not self.ready:
                    frames.recv(self.channel)
                    self.ready = True
                return self.channel
        self.start(control)
        assert self.channel is not None
        frames.recv(self.channel)
        self.ready = True
        return self.channel

    def start(self, control: socket.socket) -> None:
        ours, theirs = socket.socketpair()
        pid = os.fork()
        if pid == 0:
            control.close()
            ours.close()
            _load_extras()
            isolate.become_subreaper()
            frames.send(theirs, {"ready": True})
            _serve_control(theirs, None)
            os._exit(0)
        theirs.close()
        self.pid, self.channel, self.children, self.ready = pid, ours, set(), False

    def close(self) -> None:
        if self.channel is not None:
            self.channel.close()  # EOF: it kills its children and exits
        if self.pid is not None:
            _reap(self.pid)
        self.pid = self.channel = None


def _serve_control(control: socket.socket, extras: _Extras | None) -> None:
    """The zygote's loop: fork children on `spawn`, kill and collect them on `reap`."""
    children: set[int] = set()
    while True:
        try:
            msg = frames.recv(control)
        except frames.FrameError:
            break
        op = msg.get("op")
        if op == "spawn":
            _, fds, _, _ = socket.recv_fds(control, 1, 1)
            if not fds:
                frames.send(control, {"error": "spawn without a socket"})
                continue
            if extras is not None and msg.get("extras"):
                channel = extras.channel_to(control)  # forward to the sub-zygote
                frames.send(channel, msg)
                socket.send_fds(channel, [b"F"], [fds[0]])
                os.close(fds[0])
                reply = frames.recv(channel)
                extras.children.add(int(reply["pid"]))
                frames.send(control, reply)
                continue
            pid = os.fork()
            if pid == 0:
                _child_main(fds[0], control, msg)
            os.close(fds[0])
            children.add(pid)
            frames.send(control, {"pid": pid})
        elif op == "reap":
            pid = int(msg["pid"])
            if extras is not None and pid in extras.children and extras.channel is not None:
                extras.children.discard(pid)
                frames.send(extras.channel, msg)
                reply = frames.recv(extras.channel)
                frames.send(control, reply)
                continue
            uid = msg.get("uid")
            if msg.get("wait", True):
                reply = _reap(pid)
            else:  # a normal end: answer now, collect the child and sweep afterwards
                with contextlib.suppress(ProcessLookupError, PermissionError):
                    os.killpg(pid, signal.SIGKILL)
                reply = {"pid": pid, "exit": None, "signal": None, "deferred": True}
                frames.send(control, reply)
                _reap(pid)
            keep = {extras.pid} if extras is not None and extras.pid else set()
            leftovers = isolate.sweep(int(uid) if uid is not None else None, bool(msg.get("pidns")), keep)
            if msg.get("wait", True):
                reply["leftovers"] = leftovers
                frames.send(control, reply)
            children.discard(pid)
        elif op == "ping":
            frames.send(control, {"pong": True})
        else:
            break
    if extras is not None:
        extras.close()
    for pid in children:
        _reap(pid)


def _single(fd: int, spec: str) -> int:
    """Spawn mode (no fork, e.g. macOS): this process is the child and serves one submission."""
    import json

    global _sock
    msg = json.loads(spec)
    _prepare()  # the grader started this process in a session of its own
    _redirect_stdio()
    _sock = socket.socket(fileno=fd)
    frames.send(_sock, {"ready": True, "protections": isolate.apply(msg.get("isolate", {}), msg.get("limits", {}))})
    _serve(_sock)
    return 0


def _prepare() -> dict[str, Any]:
    """Import torch single-threaded and install the watchers every child inherits."""
    os.environ["OMP_NUM_THREADS"] = "1"
    os.environ.setdefault("MPLBACKEND", "Agg")
    import numpy  # noqa: F401  (imported once here so children fork it warm)
    import torch

    torch.set_num_threads(1)
    # What submissions commonly import, so that no child pays for it (no tensor op runs here).
    for name in ("torch.nn", "torch.nn.functional", "torch.optim", "pyseccomp"):
        with contextlib.suppress(Exception):
            __import__(name)
    _install_autograd_watch(torch)
    _install_exit_watch()
    _install_print_cap()
    _warm_up(torch)
    with contextlib.suppress(Exception):  # without pyseccomp the tier says so; children fail loudly
        isolate.compile_seccomp()
    # Children must not copy the zygote's heap just to garbage-collect it (copy-on-write).
    import gc

    gc.collect()
    gc.freeze()
    return {"torch": torch.__version__, "python": sys.version.split()[0]}


EXTRAS = re.compile(r"\b(optim|matplotlib|pyplot|_dynamo|compile)\b")


def needs_extras(sources: list[str]) -> bool:
    """Whether a submission looks like it uses what only the sub-zygote has loaded."""
    return any(EXTRAS.search(source) for source in sources)


def _load_extras() -> None:
    """The first optimizer a process builds imports torch._dynamo and sympy (about a second);
    building and stepping one here saves every child that second."""
    import torch

    with contextlib.suppress(Exception):
        import matplotlib.pyplot  # noqa: F401
    w = torch.zeros(1, requires_grad=True)
    optimizer = torch.optim.SGD([w], lr=0.1)
    for _ in range(2):  # one step warms the optimizer's own code paths too (single-threaded)
        optimizer.zero_grad()
        torch.autograd.backward(((w - 1.0) ** 2).sum())
        optimizer.step()
    import gc

    gc.collect()
    gc.freeze()


_WARM_SOURCE = """
import torch
def forward(x, w):
    return x * w
def train(xs, ys, w0=1.0, lr=0.01, epochs=2):
    w = torch.tensor([w0], requires_grad=True)
    history = []
    for _ in range(epochs):
        for x, y in zip(xs, ys):
            l = (forward(x, w) - y) ** 2
            l.backward()
            w.data = w.data - lr * w.grad.data
            w.grad.data.zero_()
        history.append(l.item())
    with torch.no_grad():
        w -= 0.0
    return w.item(), history, repr(l)
"""


def _warm_up(torch: Any) -> None:
    """Run the paths every child runs (a module exec, autograd, the codec, tensor printing) once
    here, single-threaded and before the fork: a child would otherwise pay copy-on-write faults
    and the interpreter's own warm-up for each of them, every time."""
    namespace: dict[str, Any] = {}
    exec(compile(_WARM_SOURCE, "<warm-up>", "exec"), namespace)
    for dtype in (torch.float32, torch.float64):
        w = torch.tensor([1.0], dtype=dtype, requires_grad=True)
        reply = {"ok": True, "value": values.encode([namespace["train"]([1.0, 2.0], [2.0, 4.0]),
                                                      namespace["forward"](2.0, w), {"a": w.detach()}])}
        values.decode(json.loads(frames.encode(reply)[frames.HEADER.size:])["value"])
    _signature(namespace["train"])
    _capture.take()


def _wait_for_exit(pid: int, timeout: float) -> None:
    """Sleep until `pid` has exited (a pidfd wakes us exactly then), at most `timeout` seconds."""
    import select

    try:
        fd = os.pidfd_open(pid)
    except (AttributeError, OSError):  # not Linux >= 5.3, or already collected: poll instead
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            with contextlib.suppress(ChildProcessError):
                if os.waitid(os.P_PID, pid, os.WEXITED | os.WNOHANG | os.WNOWAIT) is not None:
                    return
            time.sleep(0.001)
        return
    try:
        poller = select.poll()
        poller.register(fd, select.POLLIN)
        poller.poll(timeout * 1000)
    finally:
        os.close(fd)


def _reap(pid: int) -> dict[str, Any]:
    for kill in (os.killpg, os.kill):
        with contextlib.suppress(ProcessLookupError, PermissionError):
            kill(pid, signal.SIGKILL)
    _wait_for_exit(pid, 5.0)
    try:
        done, status = os.waitpid(pid, os.WNOHANG)
    except ChildProcessError:
        return {"pid": pid, "exit": None, "signal": None}
    if not done:  # not dead 5 s after SIGKILL: stuck in the kernel; collected by a later sweep
        return {"pid": pid, "exit": None, "signal": None, "stuck": True}
    if os.WIFSIGNALED(status):
        return {"pid": pid, "exit": None, "signal": os.WTERMSIG(status)}
    return {"pid": pid, "exit": os.WEXITSTATUS(status), "signal": None}


def _install_autograd_watch(torch: Any) -> None:
    """Record autograd use during "by hand" calls; outside them the wrappers only pass through."""

    def watch(owner: Any, attr: str, label: str, only_enabling: bool = False) -> None:
        original = getattr(owner, attr)

        def watched(*args: Any, **kwargs: Any) -> Any:
            enabling = not only_enabling or (args and bool(args[0]))
            if _autograd_active and enabling and label not in _autograd_used:
                _autograd_used.append(label)
            return original(*args, **kwargs)

        setattr(owner, attr, watched)

    watch(torch.Tensor, "backward", ".backward()")
    watch(torch.autograd, "backward", "torch.autograd.backward")
    watch(torch.autograd, "grad", "torch.autograd.grad")
    watch(torch._C, "_set_grad_enabled", "torch.enable_grad()", only_enabling=True)


def _install_print_cap() -> None:
    import builtins

    real_print = builtins.print

    def capped_print(*args: Any, **kwargs: Any) -> None:
        target = kwargs.get("file")
        if _capture.full and (target is None or target is _capture):
            _capture.skipped += 1
            return
        real_print(*args, **kwargs)

    builtins.print = capped_print


def _install_exit_watch() -> None:
    """Let the grader say where os._exit was called: the process leaves no traceback."""
    real_exit = os._exit

    def _exit(code: int = 0) -> None:
        where = _student_line(sys._getframe(1))
        if _sock is not None:
            with contextlib.suppress(Exception):
                frames.send(_sock, {"note": "exit", "code": code, **where})
        real_exit(code)

    os._exit = _exit  # type: ignore[assignment]
    posix = sys.modules.get("posix")
    if posix is not None:
        setattr(posix, "_exit", _exit)  # noqa: B010 - the same function under its C module name


# ---------------------------------------------------------------------------------------------
# Child


def _child_main(fd: int, control: socket.socket, msg: dict[str, Any]) -> None:
    """A child's life: isolate itself, say what it applied, then serve the grader."""
    global _sock, _protections
    code = 0
    try:
        control.close()
        os.setsid()
        for sig in (signal.SIGINT, signal.SIGTERM, signal.SIGPIPE):
            signal.signal(sig, signal.SIG_DFL)
        _redirect_stdio()
        error = None
        try:
            _protections = isolate.apply(msg.get("isolate", {}), msg.get("limits", {}))
        except Exception as exc:  # reported instead of running unprotected
            error = f"{type(exc).__name__}: {exc}"
        _sock = socket.socket(fileno=fd)
        if error is not None:
            frames.send(_sock, {"sandbox_error": error})
            return
        frames.send(_sock, {"ready": True, "protections": _protections})
        _serve(_sock)
    except BaseException:
        code = 70
    finally:
        os._exit(code)


def _redirect_stdio() -> None:
    devnull = os.open(os.devnull, os.O_RDWR)
    for target in (0, 1, 2):
        os.dup2(devnull, target)
    os.close(devnull)
    sys.stdin = open(os.devnull)  # noqa: SIM115 - lives as long as the child
    sys.stdout = sys.stderr = _capture


def _serve(sock: socket.socket) -> None:
    while True:
        try:
            request = frames.recv(sock)
        except frames.FrameError:
            return
        op = request.get("op")
        if op == "load":
            reply = _load(request)
        elif op == "call":
            reply = _call(request)
        else:
            return
        try:
            frames.send(sock, reply)
        except frames.FrameError as exc:
            frames.send(sock, {"ok": False, "error": {"type": "TooLarge", "message": str(exc)}})


def _load(request: dict[str, Any]) -> dict[str, Any]:
    """Execute the submission's cells in a fresh module; report its functions' signatures."""
    global _namespace
    module = types.ModuleType("submission")
    module.__file__ = str(request.get("filename", "submission.py"))
    sys.modules["submission"] = module
    _namespace = module.__dict__
    keep_going = bool(request.get("keep_going", False))
    cell_errors: list[dict[str, Any]] = []
    for cell in request.get("cells", []):
        filename = str(cell["filename"])
        source = str(cell["source"])
        _filenames.add(filename)
        linecache.cache[filename] = (len(source), None, source.splitlines(True), filename)
        try:
            code = compile(source, filename, "exec", dont_inherit=True)
            exec(code, _namespace)
        except BaseException as exc:
            error = _describe(exc)
            if not keep_going:
                return {"ok": False, "error": error, "stdout": _capture.take()}
            cell_errors.append({"cell": cell.get("label", filename), **error})
    functions = {name: _signature(_namespace.get(name)) for name in request.get("functions", [])}
    return {"ok": True, "functions": functions, "cell_errors": cell_errors, "stdout": _capture.take()}


def _signature(obj: Any) -> dict[str, Any] | None:
    if obj is None:
        return None
    if not callable(obj):
        return {"callable": False, "type": type(obj).__name__}
    info: dict[str, Any] = {"callable": True, "params": None, "line": None}
    code = getattr(obj, "__code__", None)
    if isinstance(code, types.CodeType):
        info["line"] = code.co_firstlineno
    try:
        params = []
        for p in inspect.signature(obj).parameters.values():
            default: Any = None
            if p.default is not inspect.Parameter.empty:
                try:
                    default = values.encode(p.default)
                except Exception:
                    default = {"$": "object", "type": type(p.default).__name__}
            params.append({
                "name": p.name,
                "kind": p.kind.name,
                "has_default": p.default is not inspect.Parameter.empty,
                "default": default,
            })
        info["params"] = params
    except (TypeError, ValueError):
        pass
    return info


def _call(request: dict[str, Any]) -> dict[str, Any]:
    global _autograd_active
    name = str(request["fn"])
    fn = _namespace.get(name)
    if not callable(fn):
        return {"ok": False, "error": {"type": "Missing", "message": f"no function {name}"}}
    try:
        args = values.decode(request.get("args", []))
        kwargs = values.decode(request.get("kwargs", {"$": "dict", "v": {}}))
        if not isinstance(args, list) or not isinstance(kwargs, dict):
            raise values.DecodeError("arguments must be a list and a dict")
    except values.DecodeError as exc:
        return {"ok": False, "error": {"type": "Protocol", "message": str(exc)}}
    by_hand = bool(request.get("by_hand"))
    _autograd_used.clear()
    try:
        if by_hand:
            import torch

            with torch.no_grad():
                _autograd_active = True
                try:
                    result = fn(*args, **kwargs)
                finally:
                    _autograd_active = False
        else:
            result = fn(*args, **kwargs)
    except BaseException as exc:
        return {
            "ok": False,
            "error": _describe(exc),
            "stdout": _capture.take(),
            "autograd": list(_autograd_used),
        }
    reply: dict[str, Any] = {"ok": True, "stdout": _capture.take(), "autograd": list(_autograd_used)}
    try:
        reply["value"] = values.encode(result)
        if request.get("return_args"):
            reply["args_after"] = values.encode([args, kwargs])
    except values.EncodeError as exc:
        return {"ok": False, "error": {"type": "TooLarge", "message": str(exc)}, **_partial(reply)}
    except Exception as exc:
        return {"ok": False, "error": {"type": "Unreadable", "message": _safe_str(exc)}, **_partial(reply)}
    return reply


def _partial(reply: dict[str, Any]) -> dict[str, Any]:
    return {"stdout": reply.get("stdout", ""), "autograd": reply.get("autograd", [])}


def _safe_str(exc: BaseException) -> str:
    try:
        text = str(exc)
    except BaseException:
        text = "<the exception's message could not be read>"
    return text[:2000]


def _student_line(frame: Any) -> dict[str, Any]:
    while frame is not None:
        if frame.f_code.co_filename in _filenames:
            return {"file": frame.f_code.co_filename, "line": frame.f_lineno}
        frame = frame.f_back
    return {}


def _describe(exc: BaseException) -> dict[str, Any]:
    """Type, message, the student's own line and a short traceback of the student's frames."""
    error: dict[str, Any] = {"type": type(exc).__name__, "message": _safe_str(exc)}
    if isinstance(exc, SyntaxError):
        error["file"] = exc.filename
        error["line"] = exc.lineno
        error["text"] = (exc.text or "").rstrip("\n")[:300]
        error["message"] = str(exc.msg)
        return error
    if isinstance(exc, SystemExit):
        error["message"] = f"SystemExit({exc.code!r})"[:300]
    frames_: list[str] = []
    try:
        for entry in traceback.extract_tb(exc.__traceback__):
            if entry.filename in _filenames:
                error["file"], error["line"] = entry.filename, entry.lineno
                frames_.append(f'  File "{entry.filename}", line {entry.lineno}, in {entry.name}')
                if entry.line:
                    frames_.append(f"    {entry.line.strip()}")
    except Exception:
        pass
    error["traceback"] = "\n".join(frames_[-TRACE_LINES:])
    return error


if __name__ == "__main__":
    sys.exit(main(sys.argv))
