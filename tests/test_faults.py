"""Faults of the machine are never the student's (issue 16).

Sandbox processes killed from outside mid-batch, a machine that keeps killing, a full disk, a
Dask worker lost mid-task: the reports are the undisturbed run's, or say plainly that the grader
failed. What the submission itself does (too much memory, too much time) is still its own.
"""

from __future__ import annotations

import contextlib
import importlib.util
import os
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType

import pytest

from grader import batch
from grader.executors.local import LocalExecutor
from grader.faults import grade_retrying
from grader.progress import Event
from grader.report import RETRY_NOTE, Report
from grader.reports import read_report, report_paths
from grader.sandbox.pool import Pool
from grader.submission import Submission
from tests.conftest import ROOT, SCENARIOS, plan_for

GRADER = [sys.executable, "-m", "grader"]
ROOT_ON_LINUX = os.geteuid() == 0 and sys.platform.startswith("linux")
needs_root = pytest.mark.skipif(not ROOT_ON_LINUX, reason="needs root on Linux")


def _load(name: str) -> ModuleType:
    spec = importlib.util.spec_from_file_location(name, ROOT / "benchmarks" / f"{name}.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module  # its dataclasses look their module up
    spec.loader.exec_module(module)
    return module


chaos = _load("chaos")


def retried(report: Report) -> bool:
    return any(note.startswith(RETRY_NOTE) for note in report.submission.notes)


# -- (a) chaos: SIGKILLs from outside change no report ---------------------------------------------

@needs_root
@pytest.mark.parametrize("sandbox", ["bwrap", "rlimit"])
def test_sigkills_from_outside_change_no_report(sandbox: str, tmp_path: Path) -> None:
    run = chaos.chaos(tmp_path, n=60, kills=6, sandbox=sandbox, seed=11)
    print(f"{sandbox}: {len(run.kills)} kills ({run.kills.count('zygote')} zygotes, {run.kills.count('child')} "
          f"children), {run.retries} retries, {run.seconds:.1f} s under chaos, {run.undisturbed_s:.1f} s without")
    assert run.returncode == 0, run.output[-3000:]
    assert len(run.kills) == 6, "the batch ended before every kill was done"
    assert run.reports == 60
    assert run.differing == [], run.differing


# -- (b) the submission's own limits are still its own -------------------------------------------

HOG = '''
import torch

def forward(x, w):
    hoard = torch.ones(1024, 1024, 1024)  # 4 GiB: past the sandbox's memory limit
    return x * w + hoard.sum() * 0
'''


@needs_root
def test_exceeding_memory_or_time_is_the_submissions_own_on_the_first_try(pool: Pool, tmp_path: Path) -> None:
    plan = plan_for("backprop")
    hog = tmp_path / "hog.py"
    reference = (ROOT / "solutions" / "backprop" / "backprop.py").read_text()
    hog.write_text(reference + HOG)
    loop = SCENARIOS / "backprop" / "infinite_loop_train.py"
    retries: list[str] = []
    for path in (hog, loop):
        sub = Submission(path.stem, path, source=path)
        report = grade_retrying(plan, sub, pool.borrow, on_retry=retries.append)
        assert not retried(report) and report.grader_error is None and not report.has_grader_error, report
        statuses = {c.target: c.status for c in report.checks}
        if path is hog:
            assert statuses["forward"] == "error", report.checks
            message = next(c.message for c in report.checks if c.target == "forward")
            assert "memory" in message.lower(), message
        else:
            assert statuses["train"] == "timeout", report.checks
    assert retries == []


# -- a machine that keeps failing: a grader error, graded again by the next run -------------------

SLOW = "import time\ntime.sleep(3)\n"


def _keep_killing(uid: int, stop: threading.Event) -> None:
    from grader.sandbox.inside.proctable import processes_of

    while not stop.is_set():
        for pid in processes_of(uid):
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
        time.sleep(0.02)


@needs_root
def test_a_machine_that_keeps_failing_gives_a_grader_error_that_the_next_run_regrades(tmp_path: Path) -> None:
    plan = plan_for("backprop")
    reference = (ROOT / "solutions" / "backprop" / "backprop.py").read_text()
    (tmp_path / "class").mkdir()
    subs = []
    for name, text in (("ada", reference), ("slow", SLOW + reference)):
        path = tmp_path / "class" / f"{name}.py"
        path.write_text(text)
        subs.append(Submission(name, path, source=path))
    out = tmp_path / "out"
    with Pool(1) as workers:
        workers.launch()
        workers.wait()
        batch.run(plan, subs[:1], out, LocalExecutor(plan, workers))  # the sandbox works here
        uid = workers.zygotes[0].isolation.uid
        assert uid is not None
        stop = threading.Event()
        killer = threading.Thread(target=_keep_killing, args=(uid, stop))
        killer.start()
        events: list[Event] = []
        try:
            first = batch.run(plan, subs, out, LocalExecutor(plan, workers, events.append))
        finally:
            stop.set()
            killer.join()
        assert first.reused == 1 and first.grader_errors == ["slow"]
        slow = read_report(out / "slow.json")
        assert slow.grader_error and "not your fault" in slow.grader_error and slow.grading_key is None
        assert slow.score == 0 and all(c.grader_error and c.status == "error" for c in slow.checks)
        assert len([e for e in events if e.kind == "retry"]) == 3  # four attempts in all
        summary = (out / "summary.json").read_text()
        assert '"grader_errors": 1' in summary and '"slow"' in summary

        again = batch.run(plan, subs, out, LocalExecutor(plan, workers))  # the machine is well again
    assert again.graded == 1 and again.reused == 1 and again.grader_errors == []
    regraded = read_report(out / "slow.json")
    assert regraded.grader_error is None and regraded.score == regraded.max_score
    assert '"grader_errors": 0' in (out / "summary.json").read_text()


# -- (c) a full disk: one message, nothing partial, the rerun completes ---------------------------

@pytest.fixture
def small_disk(tmp_path: Path) -> Iterator[Path]:
    folder = tmp_path / "disk"
    folder.mkdir()
    subprocess.run(["mount", "-t", "tmpfs", "-o", "size=2m", "tmpfs", str(folder)], check=True)
    try:
        yield folder
    finally:
        subprocess.run(["umount", "-l", str(folder)], check=False)


def _fill(folder: Path, leave: int) -> Path:
    """A file taking all the free space of `folder`'s file system but `leave` bytes."""
    stats = os.statvfs(folder)
    filler = folder / "filler.bin"
    filler.write_bytes(b"\0" * max(0, stats.f_bavail * stats.f_frsize - leave))
    return filler


@needs_root
def test_a_full_disk_stops_the_batch_cleanly_and_the_rerun_completes(small_disk: Path, tmp_path: Path) -> None:
    chaos.build_class(tmp_path / "class", 24)
    out = small_disk / "out"
    out.mkdir()
    filler = _fill(small_disk, 40 * 1024)  # room for a few reports
    command = [*GRADER, "grade", "backprop", str(tmp_path / "class"), "--out", str(out), "--jobs", "2"]
    full = subprocess.run(command, capture_output=True, text=True, timeout=600, cwd=ROOT)
    assert full.returncode == 2, full.stdout + full.stderr
    assert "disk is full" in full.stderr and "Traceback" not in full.stderr, full.stderr
    assert "run the same command again" in full.stderr.replace("\n", " ")
    written = report_paths(out)
    assert 0 < len(written) < 24
    for path in written:
        read_report(path)  # whole, valid reports only
    assert not [p for p in out.iterdir() if p.name.startswith(".")], "a temporary file was left behind"

    filler.unlink()
    rerun = subprocess.run(command, capture_output=True, text=True, timeout=600, cwd=ROOT)
    assert rerun.returncode == 0, rerun.stdout + rerun.stderr
    assert f"{len(written)} kept" in rerun.stdout.replace("\n", " ")
    assert len(report_paths(out)) == 24
    for path in report_paths(out):
        assert not read_report(path).has_grader_error
    assert '"students": 24' in (out / "summary.json").read_text()


@needs_root
def test_a_read_only_output_folder_is_one_clear_message(tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    subprocess.run(["mount", "-t", "tmpfs", "-o", "size=1m,ro", "tmpfs", str(out)], check=True)
    try:
        run = subprocess.run([*GRADER, "grade", "backprop", str(ROOT / "examples" / "backprop"), "--out", str(out)],
                             capture_output=True, text=True, timeout=600, cwd=ROOT)
    finally:
        subprocess.run(["umount", "-l", str(out)], check=False)
    assert run.returncode == 2 and "read-only" in run.stderr and "Traceback" not in run.stderr, run.stderr


# -- (d) Dask: a worker killed mid-batch changes no report ----------------------------------------

def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class Cluster:
    """A real `dask scheduler` and `dask worker` processes, started as subprocesses."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.address = f"tcp://127.0.0.1:{_free_port()}"
        self.procs: list[subprocess.Popen[bytes]] = []
        dask = str(Path(sys.executable).parent / "dask")
        self._start([dask, "scheduler", "--host", "127.0.0.1", "--port", self.address.rsplit(":", 1)[1],
                     "--no-dashboard"], "scheduler")
        self.dask = dask

    def _start(self, command: list[str], name: str, env: dict[str, str] | None = None) -> subprocess.Popen[bytes]:
        log = open(self.folder / f"{name}.log", "wb")  # noqa: SIM115 - closed with the process
        proc = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT, cwd=ROOT, env=env,
                                start_new_session=True)
        log.close()
        self.procs.append(proc)
        return proc

    def worker(self, name: str, env: dict[str, str] | None = None) -> subprocess.Popen[bytes]:
        return self._start([self.dask, "worker", self.address, "--nthreads", "1", "--nworkers", "1",
                            "--no-dashboard", "--name", name], name, env)

    def close(self) -> None:
        for proc in reversed(self.procs):
            try:
                os.killpg(proc.pid, signal.SIGTERM)
            except ProcessLookupError:
                continue
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait()


def _worker_process(nanny: int) -> int | None:
    """The worker process a `dask worker` nanny runs (started by multiprocessing's spawn; the
    nanny's other child is multiprocessing's resource tracker)."""
    from grader.sandbox.inside.proctable import children_of

    for pid in children_of(nanny):
        if "spawn_main" in chaos._command(pid):
            return pid
    return None


dask_installed = pytest.mark.skipif(importlib.util.find_spec("distributed") is None or
                                    not (Path(sys.executable).parent / "dask").exists(),
                                    reason="dask[distributed] is not installed")


@dask_installed
def test_a_dask_worker_killed_mid_batch_changes_no_report(tmp_path: Path) -> None:
    chaos.build_class(tmp_path / "class", 30)
    local = subprocess.run([*GRADER, "grade", "backprop", str(tmp_path / "class"), "--out", str(tmp_path / "local"),
                            "--jobs", "2"], capture_output=True, text=True, timeout=600, cwd=ROOT)
    assert local.returncode == 0, local.stderr
    cluster = Cluster(tmp_path)
    try:
        nannies = [cluster.worker("w1"), cluster.worker("w2")]
        out = tmp_path / "dask"
        grader = subprocess.Popen([*GRADER, "grade", "backprop", str(tmp_path / "class"), "--out", str(out),
                                   "--executor", "dask", "--scheduler", cluster.address],
                                  stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, cwd=ROOT)
        deadline = time.monotonic() + 300
        while len(report_paths(out) if out.is_dir() else []) < 5 and time.monotonic() < deadline:
            assert grader.poll() is None, grader.communicate()[0]
            time.sleep(0.05)
        victim = _worker_process(nannies[0].pid)
        assert victim is not None, "no worker process under the first nanny"
        os.kill(victim, signal.SIGKILL)
        killed_at = len(report_paths(out))
        output, _ = grader.communicate(timeout=600)
    finally:
        cluster.close()
    assert grader.returncode == 0, output
    assert killed_at < 30, "the batch ended before the worker was killed"
    assert f"Worker process {victim} was killed by signal 9" in (tmp_path / "w1.log").read_text()
    local_reports = {p.name: read_report(p) for p in report_paths(tmp_path / "local")}
    remote = {p.name: read_report(p) for p in report_paths(out)}
    assert set(remote) == set(local_reports)
    for name, report in local_reports.items():
        assert remote[name].comparable() == report.comparable(), name


@dask_installed
def test_a_dask_worker_with_a_weaker_sandbox_refuses_the_work(tmp_path: Path) -> None:
    from grader.sandbox.tiers import detect

    if detect().name != "linux-bwrap":
        pytest.skip("the client needs the bwrap tier to ask for more than a worker without bwrap gives")
    cluster = Cluster(tmp_path)
    try:
        without_bwrap = tmp_path / "bin"
        without_bwrap.mkdir()
        for tool in ("python3", "sh"):  # a PATH with no bwrap on it
            found = shutil.which(tool)
            if found:
                (without_bwrap / tool).symlink_to(found)
        cluster.worker("weak", {**os.environ, "PATH": str(without_bwrap)})
        run = subprocess.run([*GRADER, "grade", "backprop", str(ROOT / "examples" / "backprop"), "--out",
                              str(tmp_path / "out"), "--executor", "dask", "--scheduler", cluster.address],
                             capture_output=True, text=True, timeout=600, cwd=ROOT)
    finally:
        cluster.close()
    assert run.returncode == 2, run.stdout + run.stderr
    assert "refuses to grade" in run.stderr and "linux-bwrap" in run.stderr, run.stderr
    assert "Traceback" not in run.stderr
    assert not (tmp_path / "out").is_dir() or not report_paths(tmp_path / "out")  # nothing graded weaker
