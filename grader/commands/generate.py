"""`grader generate [NAME...] [--check]`: assignments/ (stubs, notebooks, expected.json) from solutions/.

Exit 0 when written (or, with --check, up to date), 1 when --check finds a file out of date.
"""

from __future__ import annotations

import argparse

from rich.console import Console

from grader.commands.display import shown


def add_parser(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser("generate", help="build assignments/ (stubs, notebooks, expected.json) from solutions/")
    p.add_argument("assignments", nargs="*", help="names (default: every assignment with a solution)")
    p.add_argument("--check", action="store_true", help="change nothing; fail if anything is out of date")
    p.set_defaults(func=run)


def run(args: argparse.Namespace, console: Console) -> int:
    from grader import api

    done = api.generate(args.assignments, check=args.check)
    for path in done.written:
        console.print(f"wrote {shown(str(path))}")
    if not args.check:
        return 0
    for path in done.stale:
        console.print(f"[red]out of date:[/] {shown(str(path))}")
    if done.stale:
        console.print("run `grader generate` and commit the result")
        return 1
    console.print(f"assignments/ is up to date ({len(done.assignments)} assignment(s))")
    return 0
