"""Length-prefixed JSON frames: the only bytes that cross the sandbox boundary.

A frame is a 4-byte big-endian length followed by that many bytes of strict JSON (no NaN
tokens, no pickles). The reading side always names a size cap and a deadline, so a hostile
peer can neither hang it nor make it allocate more than the cap: the length is checked before
a single byte of the body is read.
"""

from __future__ import annotations

import json
import re
import socket
import struct
import time
from typing import Any

from .errors import ProtocolError

HEADER = struct.Struct(">I")
MAX_FRAME = 8 * 1024 * 1024  # a reply holds at most codec.MAX_NUMBERS numbers: about 6 MB of JSON
# Parsing builds one Python object per container: 8 MB of `[],` would be 2.8 million lists
# (150 MB) before any other check could run, so containers are counted in the bytes first.
MAX_CONTAINERS = 100_000
_SURROGATE_ESCAPE = re.compile(rb"\\u[dD][89a-fA-F]")


class FrameError(ProtocolError):
    """The peer sent something that is not a well-formed frame (or sent it too late)."""


class PeerClosed(FrameError):
    """The peer closed its end: the process died or exited."""


class FrameTimeout(FrameError):
    """No complete frame arrived before the deadline."""


class FrameTooLarge(FrameError):
    """The peer announced a frame above the reader's cap (nothing of it was read), or one that
    would cost far more memory to parse than its size suggests."""


def _reject_constant(name: str) -> Any:
    raise ValueError(f"non-standard JSON constant {name}")


def encode(obj: Any) -> bytes:
    # A lone surrogate (a str can hold one) has no UTF-8 form: it is sent as "?" instead.
    text = json.dumps(obj, allow_nan=False, separators=(",", ":"), ensure_ascii=False)
    body = text.encode("utf-8", "replace")
    return HEADER.pack(len(body)) + body


def send(sock: socket.socket, obj: Any, deadline: float | None = None) -> None:
    data = encode(obj)
    if len(data) - HEADER.size > MAX_FRAME:
        raise FrameTooLarge(f"frame of {len(data):,} bytes exceeds the {MAX_FRAME:,}-byte cap")
    send_bytes(sock, data, deadline)


def send_bytes(sock: socket.socket, data: bytes, deadline: float | None = None) -> None:
    """Write already-encoded frames (several may be joined: one write for a pipeline)."""
    _settimeout(sock, deadline)
    try:
        sock.sendall(data)
    except TimeoutError as exc:
        raise FrameTimeout("peer did not read in time") from exc
    except (BrokenPipeError, ConnectionResetError) as exc:
        raise PeerClosed("peer closed the connection") from exc


def recv(sock: socket.socket, limit: int = MAX_FRAME, deadline: float | None = None) -> Any:
    return recv_sized(sock, limit, deadline)[0]


def recv_sized(sock: socket.socket, limit: int = MAX_FRAME, deadline: float | None = None) -> tuple[Any, int]:
    """The next frame's JSON value and its size in bytes (for the reader's own budget)."""
    head = _read_exact(sock, HEADER.size, deadline)
    (size,) = HEADER.unpack(head)
    if size > limit:
        raise FrameTooLarge(f"the peer announced a frame of {size:,} bytes; the cap is {limit:,}")
    body = _read_exact(sock, size, deadline)
    if body.count(b"[") + body.count(b"{") > MAX_CONTAINERS:
        raise FrameTooLarge(f"the peer sent a frame of more than {MAX_CONTAINERS:,} lists and objects")
    try:
        value = json.loads(body, parse_constant=_reject_constant)
        if _SURROGATE_ESCAPE.search(body):  # an escaped lone surrogate: text no file can hold
            json.dumps(value, ensure_ascii=False).encode("utf-8")
    except (ValueError, UnicodeError, RecursionError) as exc:
        raise FrameError(f"frame is not valid JSON: {str(exc)[:200]}") from exc
    return value, size + HEADER.size


def _settimeout(sock: socket.socket, deadline: float | None) -> None:
    if deadline is None:
        sock.settimeout(None)
    else:
        sock.settimeout(max(deadline - time.monotonic(), 0.001))


def _read_exact(sock: socket.socket, size: int, deadline: float | None) -> bytearray:
    buf = bytearray(size)
    view = memoryview(buf)
    got = 0
    while got < size:
        _settimeout(sock, deadline)
        try:
            n = sock.recv_into(view[got:], size - got)
        except TimeoutError as exc:
            raise FrameTimeout("no answer before the deadline") from exc
        except (ConnectionResetError, OSError) as exc:
            raise PeerClosed(f"the connection broke ({exc.__class__.__name__})") from exc
        if n == 0:
            raise PeerClosed("peer closed the connection")
        got += n
    return buf
