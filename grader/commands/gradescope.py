"""`grader gradescope run|build`: run as Gradescope's autograder, or build its zip.

The work is in grader.gradescope (runner: one submission into results.json; bundle: the zip).
`run` exits 0 when the submission was graded and 2 when the autograder itself failed (the
student then sees only that grading failed, and the cause is on stdout for instructors).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from rich.console import Console

from grader.commands import SANDBOX_CHOICES, sandbox_option
from grader.commands.display import shown


def add_parser(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
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

    b = verbs.add_parser("build", help="write the autograder zip to upload to Gradescope")
    b.add_argument("assignment", help="a name under assignments/ or a path to an assignment folder")
    b.add_argument("--output", type=Path, help="the zip to write (default: NAME-gradescope.zip)")
    b.add_argument("--solutions", type=Path, help="the reference's folder (default: solutions/NAME)")
    b.add_argument("--sandbox", choices=SANDBOX_CHOICES, default=None,
                   help="make run_autograder force this sandbox tier (default: the strongest that works)")
    p.set_defaults(func=run)


def run(args: argparse.Namespace, console: Console) -> int:
    return run_autograder(args, console) if args.gradescope_command == "run" else build(args, console)


def run_autograder(args: argparse.Namespace, console: Console) -> int:
    from grader.gradescope.runner import Paths
    from grader.gradescope.runner import run as grade_submission

    paths = Paths.under(args.root, submission=args.submission, results=args.results, metadata=args.metadata)
    return grade_submission(args.assignment, paths, sandbox=args.sandbox, solutions=args.solutions, log=sys.stdout)


def build(args: argparse.Namespace, console: Console) -> int:
    from grader.assignment.loader import load
    from grader.gradescope.bundle import build as build_zip

    assignment = load(args.assignment, solutions=args.solutions)
    output = args.output or Path(f"{assignment.name}-gradescope.zip")
    entries = build_zip(assignment, output, args.sandbox)
    console.print(f"wrote {shown(str(output))} ({len(entries)} files): upload it as the autograder of "
                  f"{shown(assignment.name)}; it holds the reference solution and the grading seed, so keep "
                  "it private")
    return 0
