"""The base of every message that crosses the boundary, and the strict readers of its fields.

Each record has a wire form (`wire()`: a JSON-ready dict tagged with its `op`) and is read back
with `read(data, *expected)`, which accepts only the expected kinds and checks every field's
type. Text is cut to a bounded length where it is read, so a child that sends a two-million-
character exception name or a megabyte of "output" gains nothing: the grader never holds more
than these bounds, whatever the child decides to send.

The conversations themselves are in `control` (grader and zygote) and `calls` (grader and child).
"""

from __future__ import annotations

from dataclasses import asdict
from typing import Any, ClassVar, TypeVar, overload

from .errors import ProtocolError

NAME = 200  # characters of a name (function, type, parameter, file)
TEXT = 2_000  # characters of a message
TRACE = 4_000  # characters of a traceback excerpt
MAX_ITEMS = 1_000  # entries of any list or dict in a record (functions, cells, parameters)


R = TypeVar("R", bound="Record")
A = TypeVar("A", bound="Record")
B = TypeVar("B", bound="Record")
C = TypeVar("C", bound="Record")
D = TypeVar("D", bound="Record")
E = TypeVar("E", bound="Record")


class Record:
    """A message of the protocol: `wire()` to send it, `parse()` (via `read`) to receive it."""

    OP: ClassVar[str]

    def wire(self) -> dict[str, Any]:
        return {"op": self.OP, **asdict(self)}  # type: ignore[call-overload]

    @classmethod
    def parse(cls: type[R], data: dict[str, Any]) -> R:
        raise NotImplementedError


@overload
def read(data: Any, a: type[A], /) -> A: ...
@overload
def read(data: Any, a: type[A], b: type[B], /) -> A | B: ...
@overload
def read(data: Any, a: type[A], b: type[B], c: type[C], /) -> A | B | C: ...
@overload
def read(data: Any, a: type[A], b: type[B], c: type[C], d: type[D], /) -> A | B | C | D: ...
@overload
def read(data: Any, a: type[A], b: type[B], c: type[C], d: type[D], e: type[E], /) -> A | B | C | D | E: ...


def read(data: Any, *expected: type[Record]) -> Record:
    """The record in `data`, which must be one of the `expected` kinds."""
    if not isinstance(data, dict):
        raise ProtocolError(f"expected a message, got a {type(data).__name__}")
    op = data.get("op")
    for kind in expected:
        if op == kind.OP:
            try:
                return kind.parse(data)
            except (KeyError, TypeError, ValueError, AttributeError) as exc:
                raise ProtocolError(f"malformed {kind.OP!r} message: {str(exc)[:200]}") from exc
    names = ", ".join(kind.OP for kind in expected)
    raise ProtocolError(f"expected {names}, got {str(op)[:40]!r}")


# ---------------------------------------------------------------------------------------------
# Field readers: strict types, bounded text


def read_text(data: dict[str, Any], key: str, limit: int = TEXT, default: str = "") -> str:
    value = data.get(key, default)
    if value is None:
        return default
    if not isinstance(value, str):
        raise TypeError(f"{key} must be text")
    return value if len(value) <= limit else value[:limit] + f"... [{len(value) - limit:,} more characters]"


def read_int(data: dict[str, Any], key: str) -> int:
    value = data[key]
    if not isinstance(value, int) or isinstance(value, bool):
        raise TypeError(f"{key} must be an integer")
    return value


def read_opt_int(data: dict[str, Any], key: str) -> int | None:
    return None if data.get(key) is None else read_int(data, key)


def read_bool(data: dict[str, Any], key: str, default: bool = False) -> bool:
    value = data.get(key, default)
    if not isinstance(value, bool):
        raise TypeError(f"{key} must be true or false")
    return value


def read_list(data: dict[str, Any], key: str) -> list[Any]:
    value = data.get(key) or []
    if not isinstance(value, list) or len(value) > MAX_ITEMS:
        raise TypeError(f"{key} must be a list of at most {MAX_ITEMS} items")
    return value


def read_texts(data: dict[str, Any], key: str, limit: int = TEXT) -> tuple[str, ...]:
    return tuple(read_text({"v": item}, "v", limit) for item in read_list(data, key))


