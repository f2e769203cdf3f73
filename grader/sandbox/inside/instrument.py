"""What the zygote installs once, before any fork, and every child inherits.

- a capped stand-in for stdout/stderr and a `print` that stops formatting once the cap is hit;
- watchers on autograd's entry points, so a "by hand" call that uses autograd is named;
- a watcher on `os._exit`, so the grader can say where a submission ended its own process;
- the original autograd functions, kept before any student code can replace them, for the
  gradients the grader asks for (`keeps the graph`).
"""

from __future__ import annotations

import contextlib
import io
import os
import socket
import sys
from collections.abc import Callable
from typing import Any

from ..protocol import framing
from ..protocol.calls import STDOUT_CAP, ExitNote


class Capture(io.TextIOBase):
    """Keeps the submission's first STDOUT_CAP characters; once full, `print` returns without
    even formatting its arguments (printing a tensor costs a fraction of a millisecond, and the
    seed's program prints hundreds)."""

    def __init__(self) -> None:
        self.parts: list[str] = []
        self.kept = 0
        self.reported = False

    @property
    def full(self) -> bool:
        return self.kept >= STDOUT_CAP

    def writable(self) -> bool:
        return True

    def write(self, s: Any) -> int:
        text = str.__str__(s) if isinstance(s, str) else str(s)
        room = STDOUT_CAP - self.kept
        if room > 0:
            kept = text[:room]
            self.parts.append(kept)
            self.kept += len(kept)
            # Also to stdout, a pipe the grader reads when a call does not finish (its reply, which
            # would carry this text, never comes); a full pipe drops it rather than block.
            with contextlib.suppress(OSError):
                os.write(1, kept.encode("utf-8", "replace"))
        return len(text)

    def take(self) -> str:
        """What was printed since the last call (the budget itself lasts the whole child)."""
        text = "".join(self.parts)
        self.parts = []
        if self.full and not self.reported:
            self.reported = True
            text += f"\n... [output cut after {STDOUT_CAP:,} characters; later prints were skipped]"
        return text


capture = Capture()


class Watch:
    """The state the watchers share with the child's loop."""

    autograd_active = False
    autograd_used: list[str] = []  # noqa: RUF012 - one list for the process, cleared per call
    student_files: set[str] = set()  # noqa: RUF012 - file names of the submission's cells
    channel: socket.socket | None = None  # where os._exit's note goes
    grad: Callable[..., Any] | None = None  # torch.autograd.grad as it was before student code


def install(torch: Any) -> None:
    Watch.grad = torch.autograd.grad
    _watch_autograd(torch)
    _watch_exit()
    _cap_print()


def _watch_autograd(torch: Any) -> None:
    """Record autograd use during "by hand" calls; outside them the wrappers only pass through."""

    def watch(owner: Any, attr: str, label: str, only_enabling: bool = False) -> None:
        original = getattr(owner, attr)

        def watched(*args: Any, **kwargs: Any) -> Any:
            enabling = not only_enabling or (args and bool(args[0]))
            if Watch.autograd_active and enabling and label not in Watch.autograd_used:
                Watch.autograd_used.append(label)
            return original(*args, **kwargs)

        setattr(owner, attr, watched)

    watch(torch.Tensor, "backward", ".backward()")
    watch(torch.autograd, "backward", "torch.autograd.backward")
    watch(torch.autograd, "grad", "torch.autograd.grad")
    watch(torch._C, "_set_grad_enabled", "torch.enable_grad()", only_enabling=True)


def _cap_print() -> None:
    import builtins

    real_print = builtins.print

    def capped_print(*args: Any, **kwargs: Any) -> None:
        target = kwargs.get("file")
        if capture.full and (target is None or target is capture):
            return
        real_print(*args, **kwargs)

    builtins.print = capped_print


def _watch_exit() -> None:
    """Let the grader say where os._exit was called: the process leaves no traceback."""
    real_exit = os._exit

    def _exit(code: int = 0) -> None:
        if Watch.channel is not None:
            with contextlib.suppress(Exception):
                note = ExitNote(int(code) if isinstance(code, int) else -1, **student_line(sys._getframe(1)))
                framing.send(Watch.channel, note.wire())
        real_exit(code)

    os._exit = _exit  # type: ignore[assignment]
    posix = sys.modules.get("posix")
    if posix is not None:
        setattr(posix, "_exit", _exit)  # noqa: B010 - the same function under its C module name


def student_line(frame: Any) -> dict[str, Any]:
    """`{"file", "line"}` of the innermost frame that is the submission's own code."""
    while frame is not None:
        if frame.f_code.co_filename in Watch.student_files:
            return {"file": frame.f_code.co_filename, "line": frame.f_lineno}
        frame = frame.f_back
    return {}
