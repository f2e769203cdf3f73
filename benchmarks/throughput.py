"""Class-scale throughput: the warm-worker grader against one fresh process per submission.

Builds a class of N backprop submissions, grades it with
`grader grade --jobs J`, then grades a sample of the same class with one fresh
`python -m grader grade` process per submission, J at a time (the baseline: interpreter start,
torch import, worker start and reference load for every student). Both runs use the same
assignment with a 1 s per-call limit, so a looping submission costs one second in both.

Prints submissions per second for both (the warm grader end to end, and its grading phase
alone), their ratio, and the peak memory of the grader's whole process tree (sum of RSS, and of
PSS, which counts pages shared between forked workers once).

    .venv/bin/python benchmarks/throughput.py --n 1000
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SCENARIOS = ROOT / "tests" / "scenarios" / "backprop"
# Correct styles, by how often they turn up: the loop the stub's docstring teaches (the
# reference), the seed's program that prints its progress, float64 with no_grad, torch.optim.
CORRECT = ["reference", "reference", "correct_seed", "correct_float64_nograd", "correct_optim_sgd"]
BUGGY = ["grad_not_zeroed", "wrong_sign_gradient", "missing_factor_two", "history_every_sample",
         "lr_ignored", "item_cuts_graph", "hardcoded_predict", "stub", "syntax_error", "nan_gradient"]
LOOP = "infinite_loop_train"
SOURCES = {"reference": ROOT / "solutions" / "backprop" / "backprop.py",
           "stub": ROOT / "assignments" / "backprop" / "backprop.py"}


def build_course(folder: Path, call_timeout: float) -> Path:
    """A copy of the backprop assignment and its solution, with a shorter per-call limit."""
    for part in ("assignments", "solutions"):
        shutil.copytree(ROOT / part / "backprop", folder / part / "backprop")
    toml = folder / "assignments" / "backprop" / "assignment.toml"
    text = re.sub(r"call_timeout_s = [0-9.]+", f"call_timeout_s = {call_timeout}", toml.read_text())
    toml.write_text(text)
    return folder / "assignments" / "backprop"


def build_class(folder: Path, n: int, loop_every: int) -> list[Path]:
    """N submissions: four in five correct (in the styles above), one in five with a mistake or
    unfinished, and an infinite loop in `train` every `loop_every`."""
    folder.mkdir(parents=True)
    files = []
    correct = mistakes = 0
    for i in range(n):
        if loop_every and i % loop_every == loop_every - 1:
            name = LOOP
        elif i % 5 == 4:
            name, mistakes = BUGGY[mistakes % len(BUGGY)], mistakes + 1
        else:
            name, correct = CORRECT[correct % len(CORRECT)], correct + 1
        source = SOURCES.get(name, SCENARIOS / f"{name}.py")
        path = folder / f"student_{i:05d}.py"
        path.write_text(source.read_text() + f"\n# student {i}\n")
        files.append(path)
    return files


class TreeMemory:
    """Samples the memory of a process and all its descendants; keeps the peaks.

    RSS comes from /proc/PID/statm four times a second (cheap); PSS from smaps_rollup, which walks
    page tables and would slow the grader down if read that often, every two seconds (the tree's
    memory is steady once its workers are up).
    """

    def __init__(self, pid: int) -> None:
        self.pid = pid
        self.peak_rss = 0
        self.peak_pss = 0
        self.peak_processes = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _tree(self) -> list[int]:
        children: dict[int, list[int]] = {}
        for entry in os.listdir("/proc"):
            if entry.isdigit():
                try:
                    stat = Path(f"/proc/{entry}/stat").read_text()
                except OSError:
                    continue
                ppid = int(stat[stat.rfind(")") + 2:].split()[1])
                children.setdefault(ppid, []).append(int(entry))
        tree, todo = [], [self.pid]
        while todo:
            pid = todo.pop()
            tree.append(pid)
            todo += children.get(pid, [])
        return tree

    def _run(self) -> None:
        page = os.sysconf("SC_PAGE_SIZE")
        tick = 0
        while not self._stop.is_set():
            rss = pss = 0
            tree = self._tree()
            for pid in tree:
                try:
                    rss += int(Path(f"/proc/{pid}/statm").read_text().split()[1]) * page
                    if tick % 8 == 0:
                        for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
                            if line.startswith("Pss:"):
                                pss += int(line.split()[1]) * 1024
                except OSError:
                    continue
            self.peak_rss = max(self.peak_rss, rss)
            self.peak_pss = max(self.peak_pss, pss)
            self.peak_processes = max(self.peak_processes, len(tree))
            tick += 1
            self._stop.wait(0.25)

    def stop(self) -> None:
        self._stop.set()
        self._thread.join()


def grade(assignment: Path, paths: list[Path], out: Path, jobs: int) -> tuple[float, float | None, TreeMemory]:
    started = time.monotonic()
    proc = subprocess.Popen([sys.executable, "-m", "grader", "grade", str(assignment), *map(str, paths),
                             "--out", str(out), "--jobs", str(jobs)],
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    memory = TreeMemory(proc.pid)
    output, _ = proc.communicate()
    memory.stop()
    elapsed = time.monotonic() - started
    if proc.returncode != 0:
        raise SystemExit(f"grading failed:\n{output}")
    match = re.search(r"report\(s\) in .*?\(([0-9.]+) s", output.replace("\n", " "))
    return elapsed, float(match.group(1)) if match else None, memory


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--n", type=int, default=200, help="submissions in the class")
    # One job more than cores: each job spends part of its time waiting on its sandbox, and the
    # extra job keeps both cores busy meanwhile (measured: 2 jobs 24/s, 3 jobs 26/s on 2 cores).
    parser.add_argument("--jobs", type=int, default=(os.cpu_count() or 1) + 1)
    parser.add_argument("--baseline", type=int, default=12, help="how many to grade one process each")
    parser.add_argument("--loop-every", type=int, default=100, help="one infinite loop per this many")
    parser.add_argument("--call-timeout", type=float, default=1.0)
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="grader-bench-") as tmp:
        work = Path(tmp)
        assignment = build_course(work / "course", args.call_timeout)
        files = build_class(work / "class", args.n, args.loop_every)

        elapsed, phase, memory = grade(assignment, [work / "class"], work / "out", args.jobs)
        reports = len(list((work / "out").glob("student_*.json")))

        step = max(1, args.n // args.baseline)
        sample = files[::step][: args.baseline]
        base_started = time.monotonic()

        def one(path: Path) -> None:
            grade(assignment, [path], work / "baseline" / path.stem, 1)

        with ThreadPoolExecutor(args.jobs) as pool:
            list(pool.map(one, sample))
        base_elapsed = time.monotonic() - base_started

    rate = args.n / elapsed
    phase_rate = args.n / phase if phase else float("nan")
    base_rate = len(sample) / base_elapsed
    loops = sum(1 for i in range(args.n) if args.loop_every and i % args.loop_every == args.loop_every - 1)
    print(f"class: {args.n} backprop submissions ({loops} infinite loops, a fifth with mistakes), "
          f"{args.jobs} jobs, {os.cpu_count()} cores, per-call limit {args.call_timeout:g} s")
    print(f"reports written:                  {reports} of {args.n}")
    print(f"warm workers, end to end:         {rate:7.1f} submissions/s  ({elapsed:.1f} s, start-up included)")
    print(f"warm workers, grading phase:      {phase_rate:7.1f} submissions/s  ({phase:.1f} s)")
    print(f"one process per submission:       {base_rate:7.2f} submissions/s  ({len(sample)} graded in "
          f"{base_elapsed:.1f} s, {args.jobs} at a time)")
    print(f"speed-up, end to end:             {rate / base_rate:7.1f}x")
    print(f"peak memory of the process tree:  RSS {memory.peak_rss / 2**20:.0f} MiB, "
          f"PSS {memory.peak_pss / 2**20:.0f} MiB, {memory.peak_processes} processes")
    return 0 if reports == args.n else 1


if __name__ == "__main__":
    sys.exit(main())
