"""`grader grade ASSIGNMENT SUBMISSION... --out DIR`: a class's reports, summaries and exit code.

Exit codes: 0 every submission has a report the grader stands behind, whatever the scores;
2 the grader could not do its job (bad assignment or arguments, no sandbox, a full or read-only
--out folder); 3 every submission has a report but the grader failed on some of them (a grader
error: not the students' fault, listed in summary.json; see `grader export --allow-grader-errors`);
130 interrupted (run the same command again to finish).
"""

from __future__ import annotations

import argparse
import os
from pathlib import Path

from rich.console import Console

from grader.commands import sandbox_option
from grader.commands.display import TerminalProgress, shown
from grader.layouts import LAYOUTS

GRADER_ERRORS = 3
EPILOG = ("exit codes: 0 all graded; 2 the grader could not run (the message says why; a full or read-only "
          "--out folder included); 3 all graded, but the grader failed on some submissions (grader errors, "
          "not the students' fault: listed in summary.json, refused by `grader export` unless "
          "--allow-grader-errors); 130 interrupted")


def add_parser(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser("grade", help="grade submissions into DIR/<student>.json and DIR/summary.csv",
                       epilog=EPILOG)
    p.add_argument("assignment", help="a name under assignments/ or a path to an assignment folder")
    p.add_argument("submissions", nargs="+", type=Path, help=".py/.ipynb files or folders")
    p.add_argument("--out", required=True, type=Path, help="folder for the reports")
    p.add_argument("--jobs", type=int, default=os.cpu_count() or 1, help="parallel workers (default: cores)")
    p.add_argument("--solutions", type=Path, help="the reference's folder (default: solutions/<name>)")
    p.add_argument("--html", action="store_true", help="also write DIR/feedback/ as `grader feedback DIR` does")
    p.add_argument("--layout", choices=LAYOUTS, default="auto",
                   help="how SUBMISSION is organised (default: recognised from the names; zips are unpacked)")
    p.add_argument("--times", type=Path, metavar="FILE",
                   help="submission times for the [late] policy: CSV student,submitted_at, Moodle's grading "
                        "worksheet, Classroom's grades CSV or Canvas's submissions API JSON (docs/grading.md)")
    p.add_argument("--no-resume", dest="resume", action="store_false",
                   help="grade everything again, even submissions whose report is up to date")
    p.add_argument("--executor", choices=["local", "dask"], default="local",
                   help="where to grade: here, or on Dask workers (each with its own warm sandbox)")
    p.add_argument("--scheduler", metavar="ADDRESS", help="the Dask scheduler (default: a local cluster)")
    p.add_argument("--dask-workers", type=int, default=os.cpu_count() or 1,
                   help="worker processes of the local Dask cluster")
    sandbox_option(p)
    p.set_defaults(func=run)


def run(args: argparse.Namespace, console: Console) -> int:
    from grader import api  # light: the heavy imports happen inside api.grade, after the zygotes start

    with TerminalProgress(console) as progress:
        result = api.grade(args.assignment, args.submissions, args.out, jobs=args.jobs, solutions=args.solutions,
                           layout=args.layout, resume=args.resume, sandbox=args.sandbox, executor=args.executor,
                           scheduler=args.scheduler, dask_workers=args.dask_workers, times=args.times,
                           progress=progress)
    from grader.numbers import points

    mean = sum(r.score for r in result.reports) / len(result.reports)
    console.print(
        f"{len(result.reports)} report(s) in {shown(str(result.out))} ({result.seconds:.1f} s, "
        f"{result.graded} graded, {result.kept} kept); mean score {points(mean)} / {points(result.max_score)}; "
        f"summary in {shown(str(result.out / 'summary.json'))} and summary.csv"
    )
    if args.html:
        from grader.commands.feedback import write_pages

        write_pages(args.out, "none", False, console)
    failed = result.grader_errors
    if failed:
        listed = ", ".join(failed[:20]) + (f" and {len(failed) - 20} more" if len(failed) > 20 else "")
        console.print(f"[red]{len(failed)} grader error(s)[/] (the grader failed, not the students; their scores "
                      f"are not to be trusted): {shown(listed)}; see summary.json. A submission the machine kept "
                      "from grading is graded again by the same command.")
        return GRADER_ERRORS
    return 0
