"""What the zygote does once, before any fork, so that every child starts warm.

It imports torch single-threaded (a fork after parallel OpenMP work can deadlock), installs the
watchers every child inherits (grader.sandbox.inside.instrument), runs the paths every child
runs once, compiles the seccomp filter, and freezes the garbage collector's view of the heap so
that children do not copy it just to collect it.
"""

from __future__ import annotations

import contextlib
import gc
import json
import os
import sys
from typing import Any

from ..protocol import codec
from . import child, instrument, seccomp


def prepare() -> dict[str, Any]:
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
    instrument.install(torch)
    _warm_up(torch)
    with contextlib.suppress(Exception):  # without pyseccomp the tier says so; children fail loudly
        seccomp.compile()
    # Children must not copy the zygote's heap just to garbage-collect it (copy-on-write).
    gc.collect()
    gc.freeze()
    return {"torch": torch.__version__, "python": sys.version.split()[0]}


def load_extras() -> None:
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
        value = codec.encode([namespace["train"]([1.0, 2.0], [2.0, 4.0]), namespace["forward"](2.0, w),
                              {"a": w.detach()}])
        codec.decode(json.loads(json.dumps(value, allow_nan=False)))
    child.signature(namespace["train"])
    instrument.capture.take()


