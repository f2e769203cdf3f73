"""Chaos: kill the grader's sandbox processes with SIGKILL mid-batch; every report must not notice.

Grades a class of backprop submissions (benchmarks/throughput.py's: correct ones in several
styles, mistakes, stubs, a syntax error) once undisturbed, then again while a killer sends
SIGKILL, at random moments, to randomly chosen zygotes (the sandbox's warm interpreters) and
children (the processes running a submission), as an OOM killer, an administrator or a
preempted node would. Each fault is the machine's: the grader grades the submission again from
scratch, so every report of the disturbed run must equal the undisturbed one's (apart from
times and the note that a retry happened), and the run must exit 0 with no grader error.

    .venv/bin/python benchmarks/chaos.py --n 200 --kills 10 --sandbox bwrap

Needs root on Linux (the children run as the slots' own uids). tests/test_faults.py runs a
smaller version in each tier.
"""

from __future__ import annotations

import argparse
import importlib.util
import os
import random
import signal
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from grader.report import RETRY_NOTE  # noqa: E402
from grader.reports import read_report, report_paths  # noqa: E402
from grader.sandbox.inside import proctable  # noqa: E402

SERVER = "sandbox.inside.server"  # in every zygote's and child's command line


def _throughput() -> object:
    spec = importlib.util.spec_from_file_location("throughput", ROOT / "benchmarks" / "throughput.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def build_class(folder: Path, n: int) -> None:
    _throughput().build_class(folder, n, 0)  # type: ignore[attr-defined]


def _descendants(root: int) -> list[int]:
    parents = {pid: int(proctable.status(pid).get("PPid", "0") or 0) for pid in proctable.pids()}
    found, frontier = [], [root]
    while frontier:
        parent = frontier.pop()
        children = [pid for pid, ppid in parents.items() if ppid == parent]
        found += children
        frontier += children
    return found


def _command(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
    except OSError:
        return ""


def sandbox_processes(grader: int) -> tuple[list[int], list[int]]:
    """The grader's zygotes (root, the sandbox's server) and children (a slot's own uid)."""
    zygotes, children = [], []
    for pid in _descendants(grader):
        if not proctable.alive(pid) or SERVER not in _command(pid):
            continue
        (zygotes if proctable.uid_of(pid) == 0 else children).append(pid)
    return zygotes, children


@dataclass
class Killer:
    """Sends `kills` SIGKILLs to the grader `pid`'s sandbox processes, at random moments once
    `ready()` holds, a zygote or a child chosen at random each time."""

    pid: int
    kills: int
    seed: int
    gap_s: tuple[float, float] = (0.3, 1.5)
    done: list[str] = field(default_factory=list)

    def run(self, ready: threading.Event, stop: threading.Event) -> None:
        rng = random.Random(self.seed)
        ready.wait()
        while len(self.done) < self.kills and not stop.wait(rng.uniform(*self.gap_s)):
            zygotes, children = sandbox_processes(self.pid)
            kinds = [(name, pids) for name, pids in (("zygote", zygotes), ("child", children)) if pids]
            if not kinds:
                continue
            name, pids = rng.choice(kinds)
            victim = rng.choice(pids)
            try:
                os.kill(victim, signal.SIGKILL)
            except ProcessLookupError:
                continue
            self.done.append(name)


@dataclass
class ChaosRun:
    kills: list[str]
    retries: int
    seconds: float
    undisturbed_s: float
    returncode: int
    output: str
    differing: list[str]
    reports: int


def grade(folder: Path, out: Path, sandbox: str, jobs: int,
          killer: Killer | None = None, warm_reports: int = 3) -> tuple[int, str, float]:
    """`grader grade` in a subprocess; with `killer`, kill once `warm_reports` reports are written."""
    started = time.monotonic()
    command = [sys.executable, "-m", "grader", "grade", "backprop", str(folder), "--out", str(out),
               "--jobs", str(jobs), "--sandbox", sandbox]
    proc = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, cwd=ROOT)
    ready, stop = threading.Event(), threading.Event()
    thread = None
    if killer is not None:
        killer.pid = proc.pid
        thread = threading.Thread(target=killer.run, args=(ready, stop), daemon=True)
        thread.start()
        while proc.poll() is None and len(report_paths(out) if out.is_dir() else []) < warm_reports:
            time.sleep(0.05)
        ready.set()
    output, _ = proc.communicate(timeout=1800)
    stop.set()
    ready.set()
    if thread is not None:
        thread.join()
    return proc.returncode, output, time.monotonic() - started


def chaos(work: Path, n: int, kills: int, sandbox: str, jobs: int = 2, seed: int = 16) -> ChaosRun:
    """The class graded undisturbed and under `kills` SIGKILLs; what differs between the two."""
    build_class(work / "class", n)
    code, output, calm_s = grade(work / "class", work / "calm", sandbox, jobs)
    if code != 0:
        raise RuntimeError(f"the undisturbed run failed:\n{output}")
    killer = Killer(0, kills, seed)
    code, output, seconds = grade(work / "class", work / "chaos", sandbox, jobs, killer)
    calm = {p.name: read_report(p) for p in report_paths(work / "calm")}
    disturbed = {p.name: read_report(p) for p in report_paths(work / "chaos")}
    differing = sorted(name for name in calm
                       if name not in disturbed or disturbed[name].comparable() != calm[name].comparable())
    retries = sum(1 for r in disturbed.values() for note in r.submission.notes if note.startswith(RETRY_NOTE))
    return ChaosRun(killer.done, retries, seconds, calm_s, code, output, differing, len(disturbed))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--n", type=int, default=200, help="submissions in the class")
    parser.add_argument("--kills", type=int, default=10)
    parser.add_argument("--sandbox", default="bwrap", choices=["bwrap", "rlimit"])
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--seed", type=int, default=16)
    args = parser.parse_args()
    if os.geteuid() != 0:
        print("needs root: the children run as the slots' own uids")
        return 2
    with tempfile.TemporaryDirectory(prefix="grader-chaos-") as tmp:
        run = chaos(Path(tmp), args.n, args.kills, args.sandbox, args.jobs, args.seed)
    print(f"class: {args.n} backprop submissions, --jobs {args.jobs}, sandbox {args.sandbox}")
    print(f"kills: {len(run.kills)} ({run.kills.count('zygote')} zygotes, {run.kills.count('child')} children)")
    print(f"retries noted in reports: {run.retries}")
    print(f"undisturbed: {run.undisturbed_s:.1f} s; under chaos: {run.seconds:.1f} s "
          f"({run.seconds / run.undisturbed_s:.2f}x); exit code {run.returncode}")
    print(f"reports: {run.reports} of {args.n}; differing from the undisturbed run: {len(run.differing)} "
          f"{run.differing[:10]}")
    return 0 if run.returncode == 0 and not run.differing and run.reports == args.n else 1


if __name__ == "__main__":
    sys.exit(main())
