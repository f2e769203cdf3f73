"""The trust boundary: frames, the plain-data codec, and the worker's lifecycle under abuse."""

from __future__ import annotations

import os
import signal
import sys
import threading
import time
from pathlib import Path

import pytest

from grader.sandbox import tiers
from grader.sandbox.limits import Limits
from grader.sandbox.pool import Pool
from grader.sandbox.results import Cell, Program
from grader.sandbox.session import Session
from grader.sandbox.tiers import _bwrap_problem

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
def segfault():
    import ctypes
    return ctypes.string_at(0)
def kill_myself(): os.kill(os.getpid(), signal.SIGKILL); return "alive"
def hang_up():
    os.close(3)
    time.sleep(30)
def waiting(): time.sleep(30)
def die_by(way):
    # ways a process can be ended by a signal without kill(): each must stay the submission's doing
    import ctypes, fcntl, resource, socket as sk
    libc = ctypes.CDLL(None, use_errno=True)
    if way == "posix_timer":  # timer_create(CLOCK_REALTIME, SIGEV_SIGNAL SIGKILL)
        event = (ctypes.c_int * 16)(0, signal.SIGKILL, 0)
        timer = ctypes.c_void_p()
        if libc.timer_create(0, event, ctypes.byref(timer)) != 0:
            raise OSError(ctypes.get_errno(), "timer_create")
        spec = (ctypes.c_long * 4)(0, 0, 0, 1000)
        libc.timer_settime(timer, 0, spec, None)
    elif way == "f_setsig":
        a, b = sk.socketpair()
        fcntl.fcntl(a, fcntl.F_SETOWN, os.getpid())
        fcntl.fcntl(a, 10, signal.SIGKILL)  # F_SETSIG
        fcntl.fcntl(a, fcntl.F_SETFL, os.O_ASYNC)
        b.send(b"x")
    elif way == "cpu_limit":
        resource.setrlimit(resource.RLIMIT_CPU, (1, 1))
        while True:
            pass
    elif way == "alarm":
        signal.alarm(1)
    elif way == "broken_pipe":
        r, w = os.pipe()
        os.close(r)
        os.write(w, b"x")
    time.sleep(3)
    return "alive"
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
            assert result.status == "error" and result.error is not None and result.error.type == "PermissionError"
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


# -- whose fault: the submission's, or the machine's ----------------------------------------------


def _kill_child_from_outside(zygote_uid: int | None) -> None:
    from grader.sandbox.inside.proctable import processes_of

    time.sleep(0.5)  # the call is running
    assert zygote_uid is not None
    for pid in processes_of(zygote_uid):
        os.kill(pid, signal.SIGKILL)


@pytest.mark.skipif(os.geteuid() != 0 or not sys.platform.startswith("linux"), reason="needs root on Linux")
def test_a_child_killed_from_outside_is_a_fault_of_the_machine(workers: Pool) -> None:
    zygote = workers.zygotes[0]
    with session(workers, Limits(call_timeout_s=10)) as s:
        killer = threading.Thread(target=_kill_child_from_outside, args=(zygote.isolation.uid,))
        killer.start()
        result = s.call("waiting", [])
        killer.join()
        assert result.status == "crashed" and result.fault and "killed from outside" in result.fault
        assert s.fault == result.fault
        assert s.call("add", [1, 2]).value == 3  # the session goes on in a fresh child


@pytest.mark.skipif(os.geteuid() != 0 or not sys.platform.startswith("linux"), reason="needs root on Linux")
@pytest.mark.parametrize(("fn", "expected"), [
    ("segfault", "SIGSEGV"),  # its own crash
    ("hang_up", "closed"),  # it closed the grader's connection and kept running
])
def test_what_a_submission_does_to_itself_is_not_the_machines_fault(workers: Pool, fn: str, expected: str) -> None:
    with session(workers, Limits(call_timeout_s=10)) as s:
        result = s.call(fn, [])
        assert result.status == "crashed" and result.fault is None and s.fault is None, result
        assert result.exit is not None
        if expected == "SIGSEGV":
            assert result.exit.signal == signal.SIGSEGV
        else:
            assert result.exit.was_running


@pytest.mark.skipif(os.geteuid() != 0 or not sys.platform.startswith("linux"), reason="needs root on Linux")
def test_a_submission_cannot_kill_itself_to_pass_for_a_machine_fault(workers: Pool) -> None:
    with session(workers) as s:
        result = s.call("kill_myself", [])
        assert result.status == "error" and result.error is not None and result.error.type == "PermissionError"
        assert s.fault is None


@pytest.mark.skipif(os.geteuid() != 0 or not sys.platform.startswith("linux"), reason="needs root on Linux")
@pytest.mark.parametrize("way", ["posix_timer", "f_setsig", "cpu_limit", "alarm", "broken_pipe"])
def test_a_submission_cannot_fake_a_fault_of_the_machine(workers: Pool, way: str) -> None:
    """Whatever it does to itself, its death (if any) is its own: no retry, no grader error."""
    with session(workers, Limits(call_timeout_s=10)) as s:
        result = s.call("die_by", [way])
        assert result.fault is None and s.fault is None, result
        assert result.status in ("error", "crashed"), result
