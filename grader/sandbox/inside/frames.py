"""Length-prefixed JSON frames: the only thing that crosses the sandbox boundary.

A frame is a 4-byte big-endian length followed by that many bytes of strict JSON (no NaN
tokens, no pickles). Both sides use this module; the trusted side reads with a deadline and a
size cap so that a hostile worker can neither hang it nor exhaust its memory.
"""

from __future__ import annotations

import json
import socket
import struct
import time
from typing import Any

HEADER = struct.Struct(">I")
MAX_FRAME = 64 * 1024 * 1024


class FrameError(Exception):
    """The peer sent something that is not a well-formed frame (or sent it too late)."""


class PeerClosed(FrameError):
    """The peer closed its end: the worker died or exited."""


class FrameTimeout(FrameError):
    """No complete frame arrived before the deadline."""


def _reject_constant(name: str) -> Any:
    raise ValueError(f"non-standard JSON constant {name}")


def encode(obj: Any) -> bytes:
    body = json.dumps(obj, allow_nan=False, separators=(",", ":"), ensure_ascii=False).encode()
    return HEADER.pack(len(body)) + body


def send(sock: socket.socket, obj: Any, deadline: float | None = None) -> None:
    data = encode(obj)
    if len(data) - HEADER.size > MAX_FRAME:
        raise FrameError(f"frame of {len(data)} bytes exceeds the {MAX_FRAME}-byte cap")
    _settimeout(sock, deadline)
    try:
        sock.sendall(data)
    except TimeoutError as exc:
        raise FrameTimeout("peer did not read in time") from exc
    except (BrokenPipeError, ConnectionResetError) as exc:
        raise PeerClosed("peer closed the connection") from exc


def recv(sock: socket.socket, limit: int = MAX_FRAME, deadline: float | None = None) -> Any:
    head = _read_exact(sock, HEADER.size, deadline)
    (size,) = HEADER.unpack(head)
    if size > limit:
        raise FrameError(f"peer announced a frame of {size} bytes; the cap is {limit}")
    body = _read_exact(sock, size, deadline)
    try:
        return json.loads(body, parse_constant=_reject_constant)
    except (ValueError, UnicodeDecodeError) as exc:
        raise FrameError(f"frame is not valid JSON: {exc}") from exc


def _settimeout(sock: socket.socket, deadline: float | None) -> None:
    if deadline is None:
        sock.settimeout(None)
    else:
        sock.settimeout(max(deadline - time.monotonic(), 0.001))


def _read_exact(sock: socket.socket, size: int, deadline: float | None) -> bytes:
    buf = bytearray(size)
    view = memoryview(buf)
    got = 0
    while got < size:
        _settimeout(sock, deadline)
        try:
            n = sock.recv_into(view[got:], size - got)
        except TimeoutError as exc:
            raise FrameTimeout("no answer before the deadline") from exc
        except ConnectionResetError as exc:
            raise PeerClosed("peer reset the connection") from exc
        if n == 0:
            raise PeerClosed("peer closed the connection")
        got += n
    return bytes(buf)
