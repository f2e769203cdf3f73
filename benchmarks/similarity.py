"""`grader similarity` on a class of N backprop submissions (default 1,000), against what it
must at least cost, measured in the same run.

Builds a class with tests/similarity_class.py (honest students from the stub, the lecture's
style and their own short files, a few notebooks, untouched and partial stubs, and planted copy
rings), then times:

- `grader similarity` end to end, as a fresh process (interpreter start and imports included);
- the floor: reading and tokenising the N files, in this process, and `python -c "import torch"`;
- the phases in this process (reading, fingerprints and comparisons, pages);
- what copydetect's own all-pairs loop would cost: `compare_files` on a random sample of pairs,
  extrapolated to all N(N-1)/2 pairs (the reason for the inverted index).

Prints each time with its ratio to the tokenising floor, the date, the machine's load, and how
well the planted pairs separate from the honest ones at this size.

    .venv/bin/python benchmarks/similarity.py --n 1000
"""

from __future__ import annotations

import argparse
import json
import os
import random
import subprocess
import sys
import tempfile
import time
from datetime import datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from grader.assignment.loader import load  # noqa: E402
from grader.similarity import fingerprints, pages  # noqa: E402
from grader.similarity.analysis import analyse, default_common  # noqa: E402
from grader.similarity.collect import collect  # noqa: E402
from grader.similarity.model import Settings  # noqa: E402
from grader.similarity.sources import read  # noqa: E402
from tests.similarity_class import write_class  # noqa: E402


def timed(label: str, seconds: float, floor: float) -> None:
    print(f"  {label:<58} {seconds:7.2f} s  {seconds / floor:6.1f}x the tokenising floor")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--n", type=int, default=1000, help="submissions in the class")
    parser.add_argument("--seed", type=int, default=99)
    parser.add_argument("--sample", type=int, default=3000, help="pairs timed with compare_files for the estimate")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="similarity-bench-") as scratch:
        folder, out = Path(scratch) / "class", Path(scratch) / "out"
        made = write_class(folder, size=args.n, seed=args.seed)
        files = sorted(made.files.items())
        print(f"similarity benchmark, {datetime.now().astimezone().isoformat(timespec='seconds')}; "
              f"{os.cpu_count()} core(s), load average {os.getloadavg()[0]:.1f} at the start")
        print(f"class: {args.n} submissions ({sum(p.suffix == '.ipynb' for _, p in files)} notebooks), "
              f"{len(made.planted)} planted pairs")

        started = time.perf_counter()
        documents = [read(student, path, "student") for student, path in files]
        floor = time.perf_counter() - started
        started = time.perf_counter()
        subprocess.run([sys.executable, "-c", "import torch"], check=True)
        torch_import = time.perf_counter() - started
        print(f"floor: reading and tokenising {args.n} files {floor:.2f} s; `python -c \"import torch\"` "
              f"{torch_import:.2f} s")

        started = time.perf_counter()
        command = [sys.executable, "-m", "grader", "similarity", "backprop", str(folder), "--out", str(out)]
        done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True)
        end_to_end = time.perf_counter() - started
        if done.returncode != 0:
            print(done.stdout, done.stderr)
            return 1
        timed(f"grader similarity, end to end ({args.n} submissions)", end_to_end, floor)
        print(f"  {'':<58} {end_to_end / torch_import:6.1f}x one `import torch`")

        assignment = load("backprop")
        started = time.perf_counter()
        found = collect(assignment, [folder], "auto", Path(scratch) / "intake")
        collected = time.perf_counter() - started
        settings = Settings(common=default_common(len(found.students)))
        started = time.perf_counter()
        analysis = analyse("backprop", found.students, [], found.handout, settings)
        analysed = time.perf_counter() - started
        started = time.perf_counter()
        pages.write(analysis, Path(scratch) / "out2")
        written = time.perf_counter() - started
        timed("  finding and reading the submissions (intake, tokens)", collected, floor)
        timed(f"  fingerprints, {analysis.report.compared:,} candidate pairs, comparisons", analysed, floor)
        timed(f"  similarity.json and {min(len(analysis.report.pairs), pages.PAGES)} side-by-side pages",
              written, floor)

        printed = [fingerprints.fingerprint(d, settings.k, settings.window) for d in documents]
        rng = random.Random(1)
        sample = [tuple(rng.sample(range(len(printed)), 2)) for _ in range(args.sample)]
        started = time.perf_counter()
        for a, b in sample:
            fingerprints.compare(printed, a, b)
        per_pair = (time.perf_counter() - started) / len(sample)
        all_pairs = len(printed) * (len(printed) - 1) // 2
        timed(f"copydetect compare_files on all {all_pairs:,} pairs (estimate)", per_pair * all_pairs, floor)

        report = json.loads((out / "similarity" / "similarity.json").read_text())
        names = [(frozenset((p["a"]["name"], p["b"]["name"])), p["score"]) for p in report["pairs"]]
        planted = [score for pair, score in names if pair in made.planted]
        honest = [score for pair, score in names if pair not in made.planted]
        print(f"separation: {len(planted)} of {len(made.planted)} planted pairs listed, "
              f"lowest {min(planted, default=0):.3f}; "
              f"highest honest pair {max(honest, default=0):.3f} ({len(honest)} honest pairs at "
              f"{report['settings']['min_score']} or more); clusters {len(report['clusters'])}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
