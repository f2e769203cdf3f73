"""`grader similarity ASSIGNMENT DIR... --out OUT`: which submissions share code, in OUT/similarity/.

It reads the submissions as `grader grade` finds them (files, student folders, LMS downloads,
zips), compares them (grader.similarity) and writes similarity.json and the pages. It never
changes a report or a grade. Exit 0 when the pages are written, 2 when there is nothing to
compare or an argument is wrong.
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

from rich.console import Console
from rich.markup import escape

from grader.errors import UserError
from grader.layouts import LAYOUTS


def _fraction(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number between 0 and 1") from None
    if not 0 <= value <= 1:
        raise argparse.ArgumentTypeError(f"{text} is not between 0 and 1")
    return value


def _count(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"{text} must be at least 1")
    return value


def add_parser(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser("similarity", help="which submissions share code: OUT/similarity/index.html and similarity.json")
    p.add_argument("assignment", help="a name under assignments/ or a path to an assignment folder")
    p.add_argument("submissions", nargs="+", type=Path, metavar="DIR",
                   help="the submissions, as for `grader grade`: files, folders, LMS downloads, zips")
    p.add_argument("--out", required=True, type=Path,
                   help="where OUT/similarity/ goes (the reports folder puts it beside OUT/feedback/)")
    p.add_argument("--layout", choices=LAYOUTS, default="auto",
                   help="how DIR is organised (default: recognised from the names)")
    p.add_argument("--reference-dir", type=Path, metavar="FOLDER",
                   help="known solutions (from the web, earlier years): each .py/.ipynb file is compared too")
    p.add_argument("--boilerplate", type=Path, action="append", default=[], metavar="FILE",
                   help="more handed-out code to ignore, e.g. the lecture's program (a file or a folder; "
                        "repeatable); the assignment's stub is always ignored")
    p.add_argument("--threshold", type=_fraction, default=0.6,
                   help="pairs scoring at least this form clusters (default 0.6)")
    p.add_argument("--min-score", type=_fraction, default=0.25, help="list pairs scoring at least this (default 0.25)")
    p.add_argument("--common", type=_count, metavar="N",
                   help="code shared by more than N submissions is common and ignored "
                        "(default: a tenth of the class, at least 6)")
    p.add_argument("--min-tokens", type=_count, default=80, metavar="N",
                   help="shares are computed on at least N tokens of a submission's own code (default 80)")
    p.set_defaults(func=run)


def run(args: argparse.Namespace, console: Console) -> int:
    from grader.assignment.loader import load
    from grader.similarity import pages
    from grader.similarity.analysis import analyse, default_common
    from grader.similarity.collect import collect
    from grader.similarity.model import Settings

    started = time.perf_counter()
    if args.out.exists() and not args.out.is_dir():
        raise UserError(f"--out {args.out}: not a folder")
    assignment = load(args.assignment)
    with tempfile.TemporaryDirectory(prefix="grader-similarity-") as scratch:
        found = collect(assignment, args.submissions, args.layout, Path(scratch), args.reference_dir,
                        tuple(args.boilerplate))
    for line in found.set_aside:
        console.print(f"[yellow]not compared:[/] {escape(line)}")
    where = ", ".join(map(str, args.submissions))
    if not found.students:
        raise UserError(f"no submissions found in {where}")
    if len(found.students) + len(found.sources) < 2:
        raise UserError(f"only one submission found in {where}, and no --reference-dir: nothing to compare it with")
    settings = Settings(common=args.common or default_common(len(found.students)), min_tokens=args.min_tokens,
                        min_score=args.min_score, threshold=args.threshold)
    analysis = analyse(assignment.name, found.students, found.sources, found.handout, settings, found.set_aside)
    index = pages.write(analysis, args.out)
    report = analysis.report
    known = f" and {len(found.sources)} known solution(s)" if found.sources else ""
    console.print(f"{len(found.students)} submission(s){known}: {len(report.pairs)} pair(s) scoring "
                  f"{settings.min_score} or more, {len(report.clusters)} cluster(s) at {settings.threshold} "
                  f"({time.perf_counter() - started:.1f} s)")
    for cluster in report.clusters[:10]:
        console.print(f"  cluster {cluster.number}: {escape(', '.join(cluster.members))} "
                      f"(top score {cluster.top_score:.2f})")
    console.print(f"open {escape(str(index))}; the data is in {escape(str(index.parent / 'similarity.json'))}")
    return 0
