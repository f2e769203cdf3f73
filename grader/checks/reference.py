"""The reference solution's side of a check, run in the grader on copies of the case's inputs.

Its answers pass through the same plain-data conversion as the student's (graphs dropped, dtypes
kept) and are coerced to the same declared shapes, so both sides are compared on equal terms.
`raw_functions` skips the conversion, for autograd through the reference.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from types import ModuleType
from typing import Any

from grader.assignment.loader import Assignment
from grader.checks.coerce import ReturnMismatch, coerce
from grader.checks.errors import ReferenceFailure
from grader.checks.messages import render_call
from grader.sandbox.protocol import codec


class ReferenceSide:
    """The reference solution's functions, as plain-data callables and as they are."""

    def __init__(self, module: ModuleType, assignment: Assignment,
                 overrides: dict[str, Callable[..., Any]] | None = None):
        self.module = module
        self.assignment = assignment
        self.overrides = overrides or {}  # functions replaced by another version (see checks.suspects)
        names = list(assignment.signatures)
        self.functions: dict[str, Callable[..., Any]] = {n: functools.partial(self.call, n) for n in names}
        self.raw_functions: dict[str, Callable[..., Any]] = {n: functools.partial(self.call_raw, n) for n in names}

    def replaced(self, fn: str, version: Callable[..., Any]) -> ReferenceSide:
        """The same reference with `fn` replaced by another version of it."""
        return ReferenceSide(self.module, self.assignment, {**self.overrides, fn: version})

    def target(self, fn: str) -> Callable[..., Any]:
        target = self.overrides.get(fn) or getattr(self.module, fn, None)
        if not callable(target):
            raise ReferenceFailure(f"the reference solution defines no function {fn}")
        return target

    def call_raw(self, fn: str, *args: Any, **kwargs: Any) -> Any:
        """The reference's own result, graph and all."""
        try:
            return self.target(fn)(*args, **kwargs)
        except ReferenceFailure:
            raise
        except Exception as exc:
            raise ReferenceFailure(
                f"the reference {render_call(fn, args, kwargs)} raised {type(exc).__name__}: {exc}"
            ) from exc

    def call(self, fn: str, *args: Any, **kwargs: Any) -> Any:
        """The reference's result as the student's would arrive: plain data, in the declared shape."""
        args = tuple(codec.decode(codec.encode(list(args))))
        kwargs = codec.decode(codec.encode(dict(kwargs)))
        result = codec.decode(codec.encode(self.call_raw(fn, *args, **kwargs)))
        try:
            return coerce(result, self.assignment.signatures[fn].returns)
        except ReturnMismatch as exc:
            raise ReferenceFailure(f"the reference {fn} does not match its stub: {exc}") from exc
