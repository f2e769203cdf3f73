"""The protocol's pieces: frames, the plain-data codec and the typed messages, on hostile input."""

from __future__ import annotations

import json
import socket
import struct
import time

import numpy as np
import pytest
import torch

from grader.sandbox.protocol import codec, framing
from grader.sandbox.protocol.calls import STDOUT_CAP, CallReply, ErrorInfo, Hello, LoadReply, OutputLimit
from grader.sandbox.protocol.control import Reap, Spawn
from grader.sandbox.protocol.errors import ProtocolError
from grader.sandbox.protocol.records import read

# -- frames ---------------------------------------------------------------------------------------


def test_frames_round_trip_and_reject_oversize_and_non_json() -> None:
    a, b = socket.socketpair()
    with a, b:
        framing.send(a, {"x": [1, 2.5, "é"]})
        assert framing.recv(b) == {"x": [1, 2.5, "é"]}
        a.sendall(struct.pack(">I", 10_000_000) + b"{}")
        with pytest.raises(framing.FrameError, match="cap"):
            framing.recv(b, limit=1_000_000)
    a, b = socket.socketpair()
    with a, b:
        body = b'{"x": NaN}'
        a.sendall(struct.pack(">I", len(body)) + body)
        with pytest.raises(framing.FrameError, match="not valid JSON"):
            framing.recv(b)
    a, b = socket.socketpair()
    with a, b, pytest.raises(framing.FrameTimeout):
        framing.recv(b, deadline=time.monotonic() + 0.1)


# -- the codec: what comes back is plain data, whatever it was ------------------------------------


class Liar(float):
    def __eq__(self, other: object) -> bool:
        return True

    __hash__ = float.__hash__


class LyingTensor(torch.Tensor):
    @classmethod
    def __torch_function__(cls, func, types, args=(), kwargs=None):  # type: ignore[no-untyped-def]
        if func in (torch.allclose, torch.equal):
            return True
        return super().__torch_function__(func, types, args, kwargs or {})


def round_trip(value: object) -> object:
    return codec.decode(json.loads(json.dumps(codec.encode(value), allow_nan=False)))


def test_liars_arrive_as_plain_values() -> None:
    got = round_trip(Liar(1.5))
    assert type(got) is float and got == 1.5 and got != 2.0
    tensor = round_trip(torch.tensor([1.0, 2.0]).as_subclass(LyingTensor))
    assert type(tensor) is torch.Tensor
    assert not torch.allclose(tensor, torch.tensor([5.0, 5.0]))


def test_numbers_tensors_and_arrays_keep_their_values() -> None:
    assert round_trip(np.float32(0.5)) == 0.5
    assert round_trip((1, [2.0, {"a": None}])) == (1, [2.0, {"a": None}])
    nan = round_trip(float("nan"))
    assert isinstance(nan, float) and nan != nan
    t = torch.tensor([[1.0, float("inf")]], dtype=torch.float64, requires_grad=True)
    back = round_trip(t * 2)
    assert isinstance(back, torch.Tensor) and back.dtype == torch.float64 and back.shape == (1, 2)
    assert back[0, 1] == float("inf")
    assert back.requires_grad and codec.encode(t * 2)["requires_grad"] is True
    arr = round_trip(np.arange(6, dtype=np.int64).reshape(2, 3))
    assert isinstance(arr, np.ndarray) and arr.shape == (2, 3) and arr[1, 2] == 5


def test_unsupported_objects_cross_as_their_type_name_only() -> None:
    got = round_trip(object())
    assert isinstance(got, codec.Opaque) and got.type_name == "object"
    assert isinstance(round_trip(x for x in range(3)), codec.Opaque)


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ([0] * (codec.MAX_NUMBERS + 1), "list of 250,001 items"),
        (torch.zeros(codec.MAX_NUMBERS + 1), "more than 250,000 values"),
        ({1: 2}, "only str keys"),
        ({f"k{i}": "x" * 20_000 for i in range(60)}, "characters of text"),
    ],
)
def test_encoding_is_bounded(value: object, message: str) -> None:
    with pytest.raises(codec.EncodeError, match=message):
        codec.encode(value)


def test_deep_nesting_is_refused() -> None:
    deep: list[object] = []
    for _ in range(codec.MAX_DEPTH + 5):
        deep = [deep]
    with pytest.raises(codec.EncodeError, match="nested"):
        codec.encode(deep)


@pytest.mark.parametrize(
    "data",
    [
        {"$": "tensor", "dtype": "float32", "shape": [2], "data": [1.0]},
        {"$": "tensor", "dtype": "object", "shape": [1], "data": [1.0]},
        {"$": "tensor", "dtype": "float32", "shape": [1], "data": ["rm -rf"]},
        {"$": "pickle", "v": "gASV"},
        {"$": "float", "v": "1e999"},
    ],
)
def test_malformed_data_is_rejected(data: object) -> None:
    with pytest.raises(codec.DecodeError):
        codec.decode(data)


# -- messages: typed, checked, bounded ------------------------------------------------------------


def test_records_round_trip_through_their_wire_form() -> None:
    reply = CallReply(True, codec.encode([1.0, 2.0]), stdout="hi", autograd=(".backward()",))
    back = read(json.loads(json.dumps(reply.wire())), CallReply)
    assert back == reply and codec.decode(back.value) == [1.0, 2.0]
    assert read(Reap(42, wait=False).wire(), Spawn, Reap) == Reap(42, False)


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        ({"op": "spawn"}, (Reap,)),  # a kind the reader does not expect here
        ({"op": "reap", "pid": "1; rm -rf /"}, (Reap,)),  # wrong type
        ({"op": "reap", "pid": True}, (Reap,)),  # a bool is not a pid
        ({"op": "result", "ok": "yes"}, (CallReply,)),
        ({"op": "loaded", "ok": True, "functions": {"f": {"callable": True, "params": "x"}}}, (LoadReply,)),
        ([1, 2, 3], (Hello,)),
    ],
)
def test_malformed_or_unexpected_messages_are_refused(data: object, expected: tuple[type, ...]) -> None:
    with pytest.raises(ProtocolError):
        read(data, *expected)


def test_text_from_a_child_is_cut_to_bounded_lengths() -> None:
    huge = "E" * 2_000_000
    error = read({"op": "result", "ok": False, "error": {"type": huge, "message": huge, "traceback": huge}},
                 CallReply).error
    assert isinstance(error, ErrorInfo)
    assert len(error.type) < 300 and len(error.message) < 2_100 and len(error.traceback) < 4_100
    assert "more characters" in error.type


def test_more_output_than_a_child_keeps_is_an_output_limit() -> None:
    read({"op": "result", "ok": True, "stdout": "x" * STDOUT_CAP}, CallReply)
    with pytest.raises(OutputLimit):
        read({"op": "result", "ok": True, "stdout": "x" * (400 * 1024 * 1024 // 400)}, CallReply)


# -- forged replies: the reader raises its own error, nothing else --------------------------------


@pytest.mark.parametrize(
    "data",
    [
        {"$": "tensor", "dtype": "int64", "shape": [1], "data": [1e300]},  # out of the dtype's range
        {"$": "tensor", "dtype": "int8", "shape": [1], "data": [100000]},
        {"$": "tensor", "dtype": "uint8", "shape": [1], "data": [-1]},
        {"$": "tensor", "dtype": "int32", "shape": [1], "data": ["nan"]},
        {"$": "tensor", "dtype": "float32", "shape": [0, 2**70], "data": []},  # a shape no tensor has
        {"$": "ndarray", "dtype": "bool", "shape": [1], "data": [7]},
        10**400,  # an integer no float holds
        [[]] * 600_000,  # containers cost memory too
    ],
)
def test_a_forged_value_is_a_decode_error_and_nothing_else(data: object) -> None:
    with pytest.raises(codec.DecodeError):
        codec.decode(data)


def _send_raw(body: bytes) -> object:
    import threading

    a, b = socket.socketpair()
    with a, b:
        writer = threading.Thread(target=a.sendall, args=(struct.pack(">I", len(body)) + body,))
        writer.start()
        try:
            return framing.recv(b)
        finally:
            writer.join()


def test_a_frame_with_a_lone_surrogate_is_refused_but_a_pair_is_text() -> None:
    with pytest.raises(framing.FrameError):
        _send_raw(b'{"op": "result", "ok": false, "error": {"type": "E", "message": "\\ud800"}}')
    assert _send_raw(b'{"x": "\\ud83d\\ude00"}') == {"x": "\N{GRINNING FACE}"}
    assert b"?" in framing.encode({"x": "\ud800"})  # the child's own lone surrogates never leave it


def test_a_frame_of_empty_containers_is_refused_before_it_is_parsed() -> None:
    with pytest.raises(framing.FrameTooLarge):
        _send_raw(b"[" + b"[]," * (framing.MAX_CONTAINERS + 1) + b"[]]")
