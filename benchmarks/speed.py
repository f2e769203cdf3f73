"""How fast the grader is, as ratios to what the same machine does in the same run.

The machine's speed drifts from day to day, so every figure is printed next to its yardstick,
measured minutes apart in this one run:

- T: one `python -c "import torch"` (median of 3);
- the self-check (`grader check backprop FILE`) and `grade`'s start-up to its first report, in T;
- a repeated `grader.check()` in a real Jupyter kernel, in T;
- a class of N backprop submissions (correct in four styles, typical mistakes, a stub, a syntax
  error): the grading phase against its floor — the same checks on the same files with no
  isolation at all (benchmarks/floor.py, one process per job) — and end to end against a
  baseline of one fresh `python FILE` per submission (it imports torch and runs the file,
  grading nothing), J at a time;
- where the grading phase's time goes, per submission (a sample graded in this process with
  the sandbox's functions timed).

    .venv/bin/python benchmarks/speed.py --n 320
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable, Iterator
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
from benchmarks.throughput import TreeMemory, build_class  # noqa: E402

PY = sys.executable
CORRECT = ROOT / "tests" / "scenarios" / "backprop" / "correct_seed.py"


def seconds(cmd: list[str], cwd: Path = ROOT) -> float:
    started = time.perf_counter()
    subprocess.run(cmd, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
    return time.perf_counter() - started


def median(cmd: list[str], runs: int = 3) -> float:
    return statistics.median(seconds(cmd) for _ in range(runs))


def first_report(assignment: str, folder: Path, out: Path, jobs: int,
                 sandbox: str | None = None) -> tuple[float, float, float | None, Any]:
    """`grader grade`: seconds to its first report, end to end, its grading phase, and memory."""
    started = time.perf_counter()
    tier = ["--sandbox", sandbox] if sandbox else []
    proc = subprocess.Popen([PY, "-m", "grader", "grade", assignment, str(folder), "--out", str(out),
                             "--jobs", str(jobs), *tier], cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                            text=True)
    memory = TreeMemory(proc.pid)
    first = None
    while proc.poll() is None:
        if first is None and out.is_dir() and any(p.suffix == ".json" and not p.name.startswith(("summary", "."))
                                                  for p in out.iterdir()):
            first = time.perf_counter() - started
        time.sleep(0.02)
    output = proc.stdout.read() if proc.stdout else ""
    memory.stop()
    elapsed = time.perf_counter() - started
    if proc.returncode not in (0, 3):
        raise SystemExit(f"grading failed ({proc.returncode}):\n{output}")
    summary = json.loads((out / "summary.json").read_text())
    phase = summary.get("grading_seconds")
    if phase is None:
        import re

        match = re.search(r"\(([0-9.]+) s, ", output)
        phase = float(match.group(1)) if match else None
    return first or elapsed, elapsed, phase, memory


def baseline(files: list[Path], jobs: int) -> float:
    """Submissions per second when each is a fresh `python FILE` (imports torch, runs, grades nothing)."""
    started = time.perf_counter()
    with ThreadPoolExecutor(jobs) as pool:
        list(pool.map(lambda f: seconds([PY, str(f)], cwd=f.parent), files))
    return len(files) / (time.perf_counter() - started)


def floor(files: list[Path], jobs: int) -> float:
    """Seconds to grade `files` in `jobs` processes with no isolation (the slowest share counts)."""
    from benchmarks.floor import grade_share

    shares = [[str(f) for f in files[i::jobs]] for i in range(jobs)]
    with ProcessPoolExecutor(jobs) as pool:
        return max(pool.map(grade_share, ["backprop"] * jobs, shares))


@contextmanager
def timed(owner: Any, name: str, into: Counter[str], label: str, count: Counter[str]) -> Iterator[None]:
    """Count the seconds spent in `owner.name` (and the calls) under `label` while the block runs."""
    original: Callable[..., Any] = getattr(owner, name)

    def wrapper(*args: Any, **kwargs: Any) -> Any:
        started = time.perf_counter()
        try:
            return original(*args, **kwargs)
        finally:
            into[label] += time.perf_counter() - started
            count[label] += 1

    setattr(owner, name, wrapper)
    try:
        yield
    finally:
        setattr(owner, name, original)


def profile(files: list[Path]) -> dict[str, float]:
    """Milliseconds per submission in each part of grading, one submission at a time."""
    from contextlib import ExitStack

    from grader import reports
    from grader.assignment.loader import load
    from grader.faults import grade_retrying, lend
    from grader.grading import Plan
    from grader.sandbox import session
    from grader.sandbox.zygote import Zygote
    from grader.submission import Submission

    assignment = load("backprop")
    plan = Plan(assignment, include_hidden=True, reference=assignment.load_reference())
    plan.warm()
    spent: Counter[str] = Counter()
    counted: Counter[str] = Counter()
    with tempfile.TemporaryDirectory() as out, Zygote(eager=True) as zygote, ExitStack() as stack:
        for owner, name, label in ((Zygote, "spawn", "fork a child"), (session.framing, "recv", "zygote and hello"),
                                   (session.Session, "_receive", "wait for the child"),
                                   (session.codec, "decode", "decode replies"), (Zygote, "reap", "reap the child"),
                                   (reports, "write_report", "write the report")):
            stack.enter_context(timed(owner, name, spent, label, counted))
        for path in files[:5]:  # warm: the extras sub-zygote, the answers, the interpreter's caches
            grade_retrying(plan, Submission(path.stem, path, source=path), lend(zygote))
        spent.clear()
        counted.clear()
        started = time.perf_counter()
        for path in files:
            report = grade_retrying(plan, Submission(path.stem, path, source=path), lend(zygote))
            reports.write_report(Path(out), report, report.student)
        total = time.perf_counter() - started
    print("  per submission: " + ", ".join(f"{counted[label] / len(files):.1f} x {label}" for label in counted))
    parts = {label: 1000 * value / len(files) for label, value in spent.items()}
    parts["checks, scoring and the rest"] = 1000 * total / len(files) - sum(parts.values())
    parts["in all"] = 1000 * total / len(files)
    return parts


def kernel_check(course: Path) -> float | None:
    """Seconds of a second `grader.check()` in a real ipykernel (None without jupyter_client)."""
    try:
        from jupyter_client.manager import start_new_kernel
    except ImportError:
        return None
    folder = course / "assignments" / "backprop"
    manager, client = start_new_kernel(cwd=str(folder))
    try:
        code = (CORRECT.read_text() + "\nimport grader, time\ngrader.check(json=True)\n"
                "_t = time.perf_counter(); grader.check(json=True); print('SECOND', time.perf_counter() - _t)")
        found: list[float] = []

        def output(message: dict[str, Any]) -> None:
            text = message.get("content", {}).get("text", "")
            for line in text.splitlines():
                if line.startswith("SECOND"):
                    found.append(float(line.split()[1]))

        client.execute_interactive(code, timeout=300, output_hook=output)
        return found[0] if found else None
    finally:
        client.stop_channels()
        manager.shutdown_kernel(now=True)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--n", type=int, default=320)
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--baseline", type=int, default=24, help="how many files the baseline runs")
    parser.add_argument("--profile", type=int, default=40, help="how many files the profile grades")
    args = parser.parse_args()
    when = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    print(f"{when}, {platform.node()}, {os.cpu_count()} cores, Python {platform.python_version()}, "
          f"load average {os.getloadavg()[0]:.2f}")
    torch_t = median([PY, "-c", "import torch"])
    print(f"T = python -c 'import torch': {torch_t:.2f} s")
    check = median([PY, "-m", "grader", "check", "backprop", str(CORRECT)])
    print(f"terminal self-check:            {check:6.2f} s = {check / torch_t:.2f} T   (goal <= 1.3 T)")
    with tempfile.TemporaryDirectory(prefix="grader-speed-") as tmp:
        work = Path(tmp)
        files = build_class(work / "class", args.n, 0)
        first, elapsed, phase, memory = first_report("backprop", work / "class", work / "out", args.jobs)
        print(f"grade start-up to first report: {first:6.2f} s = {first / torch_t:.2f} T   (goal <= 1.5 T)")
        step = max(1, args.n // args.baseline)
        base_rate = baseline(files[::step][: args.baseline], args.jobs)
        floor_s = floor(files, args.jobs)
        rate = args.n / elapsed
        print(f"class of {args.n}, --jobs {args.jobs}: {elapsed:.1f} s end to end ({rate:.1f}/s), grading phase "
              f"{phase if phase is not None else float('nan'):.1f} s")
        _, _, fork_only, _ = first_report("backprop", work / "class", work / "out-portable", args.jobs, "portable")
        if phase and fork_only:
            print(f"grading phase / no-isolation floor ({floor_s:.1f} s): {phase / floor_s:.2f}x   (goal <= 1.5x)")
            print(f"grading phase / the same with a plain fork per submission and no isolation (--sandbox "
                  f"portable, {fork_only:.1f} s): {phase / fork_only:.2f}x   (what the isolation itself costs)")
        print(f"end to end vs one fresh `python FILE` per submission ({base_rate:.2f}/s): {rate / base_rate:.1f}x"
              "   (goal >= 25x)")
        print(f"peak memory of the grading tree: PSS {memory.peak_pss / 2**20:.0f} MiB, RSS "
              f"{memory.peak_rss / 2**20:.0f} MiB")
        print(f"where a submission's grading goes (ms, {args.profile} graded one at a time, tier as detected):")
        for label, value in profile(files[: args.profile]).items():
            print(f"  {label:32s} {value:7.1f}")
        print("repeated grader.check() in a real kernel: ", end="", flush=True)
        course = work / "course"
        for part in ("assignments", "solutions"):
            import shutil

            shutil.copytree(ROOT / part / "backprop", course / part / "backprop")
        second = kernel_check(course)
        print("not measured (no jupyter_client)" if second is None else
              f"{second:.2f} s = {second / torch_t:.2f} T   (goal <= 0.25 T)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
