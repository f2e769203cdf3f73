"""`grader gradescope run|build`: argument parsing, kept light; the work is in runner and bundle."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from pathlib import Path

from rich.console import Console


def add_parser(sub: argparse._SubParsersAction[argparse.ArgumentParser],
               sandbox_option: Callable[[argparse.ArgumentParser], None]) -> None:
    p = sub.add_parser("gradescope", help="Gradescope: run as the autograder, or build its zip")
    verbs = p.add_subparsers(dest="gradescope_command", required=True, metavar="VERB")

    r = verbs.add_parser("run", help="run_autograder: grade /autograder/submission into "
                                     "/autograder/results/results.json")
    r.add_argument("assignment", help="the assignment folder (in the zip: /autograder/source/course/assignments/NAME)")
    r.add_argument("--root", type=Path, default=Path("/autograder"), help="Gradescope's folder (default: /autograder)")
    r.add_argument("--submission", type=Path, help="the student's files (default: ROOT/submission)")
    r.add_argument("--results", type=Path, help="where results.json goes (default: ROOT/results)")
    r.add_argument("--metadata", type=Path, help="default: ROOT/submission_metadata.json")
    r.add_argument("--solutions", type=Path, help="the reference's folder (default: next to the assignment)")
    sandbox_option(r)
    r.set_defaults(func=cmd_run)

    b = verbs.add_parser("build", help="write the autograder zip to upload to Gradescope")
    b.add_argument("assignment", help="a name under assignments/ or a path to an assignment folder")
    b.add_argument("--output", type=Path, help="the zip to write (default: NAME-gradescope.zip)")
    b.add_argument("--solutions", type=Path, help="the reference's folder (default: solutions/NAME)")
    b.add_argument("--sandbox", choices=["auto", "bwrap", "rlimit", "portable"], default=None,
                   help="make run_autograder force this sandbox tier (default: the strongest that works)")
    b.set_defaults(func=cmd_build)


def cmd_run(args: argparse.Namespace, console: Console) -> int:
    from grader.gradescope.runner import Paths, run

    paths = Paths.under(args.root, submission=args.submission, results=args.results, metadata=args.metadata)
    return run(args.assignment, paths, sandbox=args.sandbox, solutions=args.solutions, log=sys.stdout)


def cmd_build(args: argparse.Namespace, console: Console) -> int:
    from rich.markup import escape

    from grader.assignment.loader import load
    from grader.gradescope.bundle import build

    assignment = load(args.assignment, solutions=args.solutions)
    output = args.output or Path(f"{assignment.name}-gradescope.zip")
    entries = build(assignment, output, args.sandbox)
    console.print(f"wrote {escape(str(output))} ({len(entries)} files): upload it as the autograder of "
                  f"{escape(assignment.name)}; it holds the reference solution and the grading seed, so keep "
                  "it private")
    return 0
