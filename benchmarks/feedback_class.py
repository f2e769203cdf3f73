"""How long `grader feedback` takes for a large class (the goal: 1,000 students in under 30 s).

Writes N synthetic-but-valid reports (tests/synthetic_class.py: every status and visibility,
100- and 2,000-epoch loss histories, errors, hostile output), runs the real command on them and
prints the wall time and the time per student page.

    .venv/bin/python benchmarks/feedback_class.py [--students 1000] [--keep DIR]
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.synthetic_class import write_class  # noqa: E402

GOAL_S = 30.0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--students", type=int, default=1000)
    parser.add_argument("--keep", type=Path, help="write the class and its feedback here instead of a temp folder")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = args.keep or Path(tmp)
        write_class(folder, args.students)
        started = time.monotonic()
        subprocess.run([sys.executable, "-m", "grader", "feedback", str(folder)], cwd=ROOT, check=True)
        elapsed = time.monotonic() - started
    print(f"{args.students} students: {elapsed:.1f} s wall for `grader feedback` "
          f"({1000 * elapsed / args.students:.1f} ms per student, interpreter start included); goal {GOAL_S:g} s "
          f"for 1,000 -> {'OK' if elapsed * 1000 / args.students < GOAL_S else 'TOO SLOW'}")
    return 0 if elapsed * 1000 / args.students < GOAL_S else 1


if __name__ == "__main__":
    raise SystemExit(main())
