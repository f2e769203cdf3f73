"""Class-scale behaviour: interrupted batches resume losslessly, memory stays bounded, Dask agrees.

The classes are built like the throughput benchmark's (benchmarks/throughput.py): correct
submissions in several styles, mistakes, unfinished stubs and a syntax error.
"""

from __future__ import annotations

import importlib.util
import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from types import ModuleType

import pytest

from grader.reports import read_report, report_paths
from tests.conftest import ROOT

GRADER = [sys.executable, "-m", "grader"]


def _benchmark() -> ModuleType:
    spec = importlib.util.spec_from_file_location("throughput", ROOT / "benchmarks" / "throughput.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


bench = _benchmark()


def reports_in(folder: Path) -> dict[str, Path]:
    return {p.stem: p for p in report_paths(folder)}


def test_sigkill_halfway_then_rerun_completes_with_identical_reports(tmp_path: Path) -> None:
    students = bench.build_class(tmp_path / "class", 200, 0)
    full, part = tmp_path / "full", tmp_path / "part"
    command = [*GRADER, "grade", "backprop", str(tmp_path / "class"), "--jobs", "2"]

    assert subprocess.run([*command, "--out", str(full)], capture_output=True, timeout=600).returncode == 0
    grader = subprocess.Popen([*command, "--out", str(part)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 300
    while len(reports_in(part)) < 100 and time.monotonic() < deadline and grader.poll() is None:
        time.sleep(0.05)
    assert grader.poll() is None, "the batch finished before it could be interrupted"
    os.kill(grader.pid, signal.SIGKILL)
    grader.wait()
    interrupted = len(reports_in(part))
    assert 100 <= interrupted < 200

    rerun = subprocess.run([*command, "--out", str(part)], capture_output=True, text=True, timeout=600)
    assert rerun.returncode == 0, rerun.stderr
    assert "already graded" in rerun.stdout.replace("\n", " ")
    assert len(reports_in(part)) == len(students) == 200
    assert not list(part.glob(".*.tmp")), "a temporary file of the killed run was left behind"
    for name, path in reports_in(full).items():
        assert read_report(reports_in(part)[name]).comparable() == read_report(path).comparable(), name
    summary = (part / "summary.json").read_text()
    assert '"students": 200' in summary


def test_a_thousand_submissions_in_bounded_memory(tmp_path: Path) -> None:
    """Every report is written and the whole process tree stays under 1.5 GB.

    Memory is the tree's PSS: RSS with each page shared between processes (the zygote's torch,
    copy-on-write in every forked child) counted once. A plain sum of RSS counts those pages
    once per process and is reported alongside.
    """
    bench.build_class(tmp_path / "class", 1000, 0)
    out = tmp_path / "out"
    elapsed, _, memory = bench.grade(ROOT / "assignments" / "backprop", [tmp_path / "class"], out, 2)
    assert len(reports_in(out)) == 1000
    print(f"1000 submissions in {elapsed:.0f} s; peak PSS {memory.peak_pss / 2**20:.0f} MiB, "
          f"sum of RSS {memory.peak_rss / 2**20:.0f} MiB, {memory.peak_processes} processes")
    assert memory.peak_pss < 1.5 * 2**30


@pytest.mark.skipif(importlib.util.find_spec("distributed") is None, reason="dask[distributed] is not installed")
def test_dask_gives_the_same_reports_as_a_local_run(tmp_path: Path) -> None:
    local, remote = tmp_path / "local", tmp_path / "dask"
    base = [*GRADER, "grade", "backprop", str(ROOT / "examples" / "backprop")]
    assert subprocess.run([*base, "--out", str(local)], capture_output=True, timeout=600).returncode == 0
    run = subprocess.run([*base, "--out", str(remote), "--executor", "dask", "--dask-workers", "2"],
                         capture_output=True, text=True, timeout=600)
    assert run.returncode == 0, run.stderr
    assert "grading on Dask" in run.stdout
    assert set(reports_in(local)) == set(reports_in(remote)) and len(reports_in(local)) == 12
    for name, path in reports_in(local).items():
        assert read_report(reports_in(remote)[name]).comparable() == read_report(path).comparable(), name


def test_ctrl_c_stops_cleanly_and_the_rerun_finishes(tmp_path: Path) -> None:
    bench.build_class(tmp_path / "class", 80, 0)
    out = tmp_path / "out"
    command = [*GRADER, "grade", "backprop", str(tmp_path / "class"), "--out", str(out), "--jobs", "2"]
    grader = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    deadline = time.monotonic() + 300
    while len(reports_in(out)) < 20 and time.monotonic() < deadline and grader.poll() is None:
        time.sleep(0.05)
    assert grader.poll() is None, "the batch finished before it could be interrupted"
    grader.send_signal(signal.SIGINT)
    output, _ = grader.communicate(timeout=120)
    assert grader.returncode == 130, output
    assert "run the same command again" in output.replace("\n", " ")
    done = reports_in(out)
    assert 20 <= len(done) < 80
    for path in done.values():
        read_report(path)  # every report written is whole
    assert '"students": ' in (out / "summary.json").read_text()
    rerun = subprocess.run(command, capture_output=True, text=True, timeout=600)
    assert rerun.returncode == 0, rerun.stderr
    assert len(reports_in(out)) == 80
