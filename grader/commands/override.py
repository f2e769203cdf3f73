"""`grader override DIR STUDENT`: an instructor's decision, kept in DIR/overrides.toml.

`--points P` sets the whole score, `--check NAME --points P` one check's points, `--extension
UNTIL` a due date of the student's own (for the [late] policy); `--reason` is required and is
shown to the student. The decision is applied at once (the report and the summaries are
rewritten) and by every later `grader grade`, `export` and `feedback`. Exit 2 when it names a
student or a check the reports do not have.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from rich.console import Console

from grader.commands.display import shown


def add_parser(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser("override", help="an instructor's decision (score, a check's points, an extension), "
                                        "kept in DIR/overrides.toml and applied on every regrade and export")
    p.add_argument("dir", type=Path, metavar="DIR", help="the --out folder of `grader grade`")
    p.add_argument("student", metavar="STUDENT", help="the student id, as the reports name the student")
    what = p.add_mutually_exclusive_group(required=True)
    what.add_argument("--points", type=float, metavar="P", help="the whole score, or with --check that check's points")
    what.add_argument("--extension", metavar="UNTIL", help="a due date of the student's own, e.g. 2026-12-04T23:59 "
                      "(in the [late] policy's time zone unless it has an offset)")
    p.add_argument("--check", metavar="NAME", help="the check whose points --points sets (its name in the report)")
    p.add_argument("--reason", required=True, help="why; the student's page and the exports show it")
    p.set_defaults(func=run)


def run(args: argparse.Namespace, console: Console) -> int:
    from grader import api
    from grader.numbers import points

    done = api.override(args.dir, args.student, points=args.points, check=args.check, extension=args.extension,
                        reason=args.reason)
    before, after = done.before, done.after
    console.print(f"{shown(after.student)}: {points(before.score)} → {points(after.score)} / "
                  f"{points(after.max_score)} points; recorded in {shown(str(done.file))}")
    if after.late is not None:
        console.print(f"late: {shown(after.late.reason)}")
    console.print("the report, summary.json and summary.csv are up to date; run `grader feedback` and "
                  "`grader export` again for the pages and the gradebook")
    return 0
