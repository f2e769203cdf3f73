"""The trust boundary: frames, the plain-data codec, and the worker's lifecycle under abuse."""

from __future__ import annotations

import json
import os
import socket
import struct
import sys
import time
from pathlib import Path

import numpy as np
import pytest
import torch

from grader.sandbox import tiers
from grader.sandbox.inside import frames, values
from grader.sandbox.limits import Limits
from grader.sandbox.pool import Pool
from grader.sandbox.session import Cell, Program, Session
from grader.sandbox.tiers import _bwrap_problem

# -- frames ---------------------------------------------------------------------------------------


def test_frames_round_trip_and_reject_oversize_and_non_json() -> None:
    a, b = socket.socketpair()
    with a, b:
        frames.send(a, {"x": [1, 2.5, "é"]})
        assert frames.recv(b) == {"x": [1, 2.5, "é"]}
        a.sendall(struct.pack(">I", 10_000_000) + b"{}")
        with pytest.raises(frames.FrameError, match="cap"):
            frames.recv(b, limit=1_000_000)
    a, b = socket.socketpair()
    with a, b:
        body = b'{"x": NaN}'
        a.sendall(struct.pack(">I", len(body)) + body)
        with pytest.raises(frames.FrameError, match="not valid JSON"):
            frames.recv(b)
    a, b = socket.socketpair()
    with a, b, pytest.raises(frames.FrameTimeout):
        frames.recv(b, deadline=time.monotonic() + 0.1)


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
    return values.decode(json.loads(json.dumps(values.encode(value), allow_nan=False)))


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
    assert values.tensor_meta(values.encode(t * 2)) == {"requires_grad": True, "grad_fn": "MulBackward0"}
    arr = round_trip(np.arange(6, dtype=np.int64).reshape(2, 3))
    assert isinstance(arr, np.ndarray) and arr.shape == (2, 3) and arr[1, 2] == 5


def test_unsupported_objects_cross_as_their_type_name_only() -> None:
    got = round_trip(object())
    assert isinstance(got, values.Opaque) and got.type_name == "object"
    assert isinstance(round_trip(x for x in range(3)), values.Opaque)


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ([0] * (values.MAX_NUMBERS + 1), "list of 1,000,001 items"),
        (torch.zeros(values.MAX_NUMBERS + 1), "more than 1,000,000 values"),
        ({1: 2}, "only str keys"),
    ],
)
def test_encoding_is_bounded(value: object, message: str) -> None:
    with pytest.raises(values.EncodeError, match=message):
        values.encode(value)


def test_deep_nesting_is_refused() -> None:
    deep: list[object] = []
    for _ in range(values.MAX_DEPTH + 5):
        deep = [deep]
    with pytest.raises(values.EncodeError, match="nested"):
        values.encode(deep)


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
    with pytest.raises(values.DecodeError):
        values.decode(data)


# -- the worker under abuse -----------------------------------------------------------------------

SOURCE = """
import os, signal, sys, time
print("loaded")
def add(a, b): return a + b
def spin(n=0):
    while True:
        pass
def sleep_ignoring_term():
    signal.signal(signal.SIGTERM, signal.SIG_IGN)
    time.sleep(60)
def read_stdin(): return sys.stdin.read()
def shout(): print("y" * 1_000_000); return 1
def kill_zygote(): os.kill(os.getppid(), signal.SIGKILL); return "done"
def ansi(): print("\\x1b[2J\\x1b[31mred"); return 0
"""


@pytest.fixture(scope="module")
def workers() -> Pool:  # type: ignore[misc]
    with Pool(1) as pool:
        pool.launch()
        pool.wait()
        yield pool


def session(pool: Pool, limits: Limits | None = None) -> Session:
    program = Program((Cell(SOURCE, "sub.py", "sub.py"),))
    return Session(pool.zygotes[0], program, ["add", "spin"], limits or Limits(call_timeout_s=1.5))


def test_a_timeout_costs_one_call_and_the_next_runs_in_a_fresh_child(workers: Pool) -> None:
    with session(workers) as s:
        assert s.call("add", [1, 2]).value == 3
        started = time.monotonic()
        result = s.call("spin", [])
        assert result.status == "timeout" and time.monotonic() - started < 5
        assert s.call("spin", []) is result  # the same call is answered from memory
        again = s.call("spin", [1])
        assert again.status == "timeout" and "earlier call of spin" in again.reason
        assert s.call("add", [2, 3]).value == 5
        assert s.children == 2


def test_sigterm_ignoring_sleeper_is_killed_at_the_deadline(workers: Pool) -> None:
    with session(workers) as s:
        started = time.monotonic()
        assert s.call("sleep_ignoring_term", []).status == "timeout"
        assert time.monotonic() - started < 5


def test_stdin_is_empty_and_output_is_captured_and_capped(workers: Pool) -> None:
    with session(workers) as s:
        assert s.call("read_stdin", []).value == ""
        shout = s.call("shout", [])
        assert shout.value == 1 and len(shout.stdout) < 5_000 and "later prints were skipped" in shout.stdout
        assert "loaded" in s.load().stdout


def test_a_submission_that_kills_the_zygote_is_refused_or_survived(workers: Pool) -> None:
    """With a dedicated uid the kill is refused; without one the zygote restarts for the next."""
    zygote = workers.zygotes[0]
    with session(workers) as s:
        result = s.call("kill_zygote", [])
        if zygote.isolation.uid is not None:
            assert result.status == "error" and result.error["type"] == "PermissionError"
        else:
            assert result.value == "done"
    with session(workers) as s:
        assert s.call("add", [1, 1]).value == 2
    assert zygote.alive


def test_budget_for_the_whole_submission(workers: Pool) -> None:
    limits = Limits(call_timeout_s=1.0, submission_timeout_s=1.5)
    with session(workers, limits) as s:
        assert s.call("spin", []).status == "timeout"
        result = s.call("sleep_ignoring_term", [])
        assert result.status == "timeout" and "time budget" in result.reason


@pytest.mark.skipif(os.geteuid() != 0 or not sys.platform.startswith("linux"), reason="needs root on Linux")
@pytest.mark.parametrize("tier", ["bwrap", "rlimit"])
def test_the_python_environment_stays_visible_when_it_lives_in_tmp(
    tier: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A checkout (and its .venv) under /tmp, as on a CI runner: the private /tmp must not hide it."""
    if tier == "bwrap" and _bwrap_problem(True) is not None:
        pytest.skip("bubblewrap is not installed")
    env = tmp_path / "venv-like"
    env.mkdir()
    (env / "marker.txt").write_text("still here")
    extended = [*tiers.python_environment(), str(env)]
    monkeypatch.setattr(tiers, "python_environment", lambda: extended)
    with Pool(1, tiers.detect(tier)) as pool:
        pool.launch()
        pool.wait()
        source = f"def peek():\n    return open({str(env / 'marker.txt')!r}).read()\n"
        program = Program((Cell(source, "peek.py", "peek.py"),))
        with Session(pool.zygotes[0], program, ["peek"], Limits()) as s:
            result = s.call("peek", [])
    assert result.status == "ok" and result.value == "still here", result.error
