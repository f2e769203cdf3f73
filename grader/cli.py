"""The `grader` command: parse, run the verb (grader/commands/<verb>.py), turn errors into exit codes.

Exit codes: 0 done (for `grade`: every submission got a report the grader stands behind,
whatever the scores); 1 the thing checked does not hold (`validate`, `generate --check`,
`schema --check`, `check` with failing checks); 2 the grader could not do its job (bad
assignment or arguments, no sandbox, an output folder that is full or read-only, an export of
scores with grader errors); 3 `grade` wrote every report but the grader failed on some
submissions (grader errors); 130 interrupted.
"""

from __future__ import annotations

import argparse
import contextlib
import importlib
import logging
import os
import sys

from rich.console import Console
from rich.markup import escape

from grader import __version__
from grader.commands import VERBS
from grader.errors import USER_ERRORS
from grader.text import MESSAGE_LIMIT, clean


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="grader", description="Grade PyTorch homework in a sandbox; see `grader COMMAND -h`.")
    parser.add_argument("--version", action="version", version=f"grader {__version__}")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for verb in VERBS:
        importlib.import_module(f"grader.commands.{verb}").add_parser(sub)
    return parser


def entry() -> None:
    """The console script: `main`, then an exit that skips tearing down torch and the other
    modules (a third of a second of a self-check), once every output is flushed: reports are
    written atomically and synced before `main` returns."""
    code = main()
    logging.shutdown()
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(Exception):
            stream.flush()
    os._exit(code)


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    console = Console(highlight=False)
    errors = Console(stderr=True, highlight=False, soft_wrap=True)
    try:
        return int(args.func(args, console))
    except KeyboardInterrupt:
        errors.print("[yellow]interrupted[/]")
        return 130
    except USER_ERRORS as exc:  # one line, no traceback; the message may name files as handed in
        errors.print(f"[red]error:[/] {escape(clean(str(exc), MESSAGE_LIMIT))}")
        return 2
