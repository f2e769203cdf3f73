"""`grader check [ASSIGNMENT] [FILE]`: a student's self-check, the public checks as a table.

Exit 0 when every check shown passed, 1 when one did not, 2 when the check could not run.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from rich.console import Console

from grader.commands import sandbox_option
from grader.errors import UserError


def add_parser(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser("check", help="self-check: the public checks on your file, as a table")
    p.add_argument("items", nargs="*", metavar="[ASSIGNMENT] [FILE]",
                   help="assignment name or folder, and the .py/.ipynb file to check")
    p.add_argument("-v", "--verbose", action="store_true", help="show the sandbox's protections and your output")
    p.add_argument("--json", action="store_true", help="print the report as JSON")
    p.add_argument("--target", help="only the checks of this function")
    sandbox_option(p)
    p.set_defaults(func=run)


def run(args: argparse.Namespace, console: Console) -> int:
    from grader import api

    ref, file = _items(args.items)
    report = api.check(file, ref, sandbox=args.sandbox)
    if args.json:
        sys.stdout.write(report.to_json())
    else:
        from grader import selfcheck

        selfcheck.render(report, console, args.target, args.verbose)
    shown = [c for c in report.checks if args.target is None or c.target == args.target]
    return 0 if all(c.status == "passed" for c in shown) else 1


def _items(items: list[str]) -> tuple[str | None, Path | None]:
    """The assignment and the file among the arguments, told apart by the file's suffix."""
    if len(items) > 2:
        raise UserError("grader check takes at most an assignment and a file")
    ref: str | None = None
    file: Path | None = None
    for item in items:
        path = Path(item)
        if path.suffix in (".py", ".ipynb"):
            if not path.is_file():
                raise UserError(f"{item}: no such file")
            file = path
        else:
            ref = item
    return ref, file
