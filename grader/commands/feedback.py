"""`grader feedback DIR`: HTML pages per student and a class dashboard, in DIR/feedback/."""

from __future__ import annotations

import argparse
from pathlib import Path

from rich.console import Console

from grader.commands.display import shown


def add_parser(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser("feedback", help="HTML pages per student and a class dashboard, in DIR/feedback/")
    p.add_argument("dir", type=Path, metavar="DIR", help="the folder of <student>.json reports")
    p.add_argument("--release", choices=["none", "due", "published"], default="none",
                   help="student pages also show after_due_date checks (due), and after_published checks "
                        "and the total score (published); default: visible checks only")
    p.add_argument("--instructor", action="store_true", help="student pages show every check, hidden ones too")
    p.add_argument("--roster", type=Path, metavar="FILE", help="a class list (e.g. the LMS's gradebook download) "
                   "to take students' names from; without it, the names the LMS download carried")
    p.add_argument("--roster-key", metavar="COLUMN", help="the roster column holding the grader's student ids "
                   "(default: the column of the LMS id the reports are named by, as for `grader export`)")
    p.set_defaults(func=run)


def run(args: argparse.Namespace, console: Console) -> int:
    write_pages(args.dir, args.release, args.instructor, console, roster=args.roster, roster_key=args.roster_key)
    return 0


def write_pages(folder: Path, release: str, instructor: bool, console: Console, *, roster: Path | None = None,
                roster_key: str | None = None) -> None:
    """Build the pages and say where they are (also `grader grade --html`)."""
    from grader import api

    built = api.feedback(folder, release=release, instructor=instructor, roster=roster, roster_key=roster_key)
    console.print(f"{built.pages} student page(s) and the dashboard {shown(str(built.index))} "
                  f"({built.seconds:.1f} s); figures in {shown(str(built.index.parent / 'plots'))}")
