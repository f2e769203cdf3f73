"""`grader export`: arguments in, one export out (a file, stdout, a folder or Canvas's API).

Parsing stays light (no pydantic or torch) so `grader -h` is fast; the formats are imported by
`run`. Data goes to stdout or `--output`; messages go to stderr so a pipe receives only data.
A report with a grader error (the grader failed on the student's submission or a check of it)
is not the student's score: every format refuses it, naming the students, unless
`--allow-grader-errors` says to export it anyway (exit 2 otherwise). Scores are final: the
folder's overrides.toml is applied as it is now, on top of the late penalty (grader.adjust).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from rich.console import Console

from grader.export import FORMATS, TABLE_FORMATS

if TYPE_CHECKING:
    from grader.export.roster import Entry
    from grader.report import Report


def add_parser(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser("export", help="grades to an LMS or CI format (canvas, moodle, blackboard, csv, junit, "
                                      "gradescope, classroom)")
    p.add_argument("--format", required=True, choices=FORMATS, metavar="FMT", help=", ".join(FORMATS))
    p.add_argument("reports", type=Path, metavar="DIR", help="the --out folder of `grader grade` (or one report .json)")
    p.add_argument("--output", type=Path, metavar="PATH",
                   help="file to write (default: stdout); for gradescope the folder for <student>/results.json "
                        "(each folder named as the student's report file)")
    p.add_argument("--detail", action="store_true",
                   help="csv: also raw_score (the checks' points as graded), penalty (late), final_score and "
                        "adjustments (why they differ) columns")
    p.add_argument("--allow-grader-errors", action="store_true",
                   help="export the scores of submissions the grader failed on (grader errors, listed in "
                        "summary.json) as they are; by default the export stops and names them")
    g = p.add_argument_group("roster (canvas, moodle, blackboard, csv)")
    g.add_argument("--roster", type=Path, metavar="FILE", help="CSV with one row per student, e.g. the LMS's "
                   "gradebook export; every report must match exactly one row")
    g.add_argument("--roster-key", metavar="COLUMN", help="the roster column holding the grader's student ids "
                   "(default: the column of the LMS id the reports were named by when graded from an LMS download: "
                   "ID for Canvas, Identifier of the grading worksheet for Moodle, Username for Blackboard; "
                   "otherwise SIS Login ID for canvas, the --id-field column for moodle, Username for blackboard, "
                   "student for csv); without a roster, the export column that receives them")
    g.add_argument("--map", action="append", default=[], metavar="OUT[=ROSTER]",
                   help="fill export column OUT from roster column ROSTER (same name if omitted); for csv, add OUT")
    g.add_argument("--allow-missing", action="store_true", help="roster students without a report get no grade "
                   "(an empty cell for canvas and csv, no row for moodle and blackboard) and are listed")
    g.add_argument("--allow-extra", action="store_true", help="reports not on the roster are left out (and listed)")
    g = p.add_argument_group("gradebook column")
    g.add_argument("--title", help="the grade column's title (default: the roster's column titled as the assignment "
                   "or as the LMS download named it, else the assignment's name)")
    g.add_argument("--lms-id", metavar="ID", help="Canvas assignment id or Blackboard column id (default: "
                   "found in the roster's header by --title)")
    g.add_argument("--new-column", action="store_true", help="canvas, blackboard: the roster has no column for this "
                   "assignment yet; add one titled --title instead of stopping")
    g.add_argument("--id-field", choices=["email", "username", "idnumber", "userid"], default="email",
                   help="moodle: the user field the identifier column holds (default: email)")
    g = p.add_argument_group("Canvas REST upload (canvas)")
    g.add_argument("--post", action="store_true", help="post each grade through Canvas's API instead of printing a CSV")
    g.add_argument("--dry-run", action="store_true", help="with --post: print the requests, send nothing")
    g.add_argument("--canvas-url", default=os.environ.get("CANVAS_URL"), metavar="URL",
                   help="https://your-canvas-host (default: $CANVAS_URL)")
    g.add_argument("--course", metavar="ID", help="the Canvas course id")
    g.add_argument("--token-env", default="CANVAS_TOKEN", metavar="NAME",
                   help="environment variable holding the API token (default: CANVAS_TOKEN)")
    g.add_argument("--retries", type=int, default=3, help="retries per grade on rate limits and server errors")
    p.set_defaults(func=run)


def run(args: argparse.Namespace, console: Console) -> int:
    from grader.adjust import final_reports
    from grader.export.errors import ExportError

    messages = Console(stderr=True, highlight=False, soft_wrap=True)
    fmt: str = args.format
    if fmt not in TABLE_FORMATS and (args.roster or args.map):
        raise ExportError(f"--roster and --map apply to {', '.join(TABLE_FORMATS)}, not {fmt}")
    if (args.post or args.dry_run) and fmt != "canvas":
        raise ExportError("--post and --dry-run are for --format canvas")
    if args.dry_run and not args.post:
        raise ExportError("--dry-run goes with --post (it prints the requests --post would send)")
    if args.detail and fmt != "csv":
        raise ExportError(f"--detail adds columns to --format csv; {fmt}'s importer would read extra columns as "
                          "more grades (the final score is what it gets)")
    reports = final_reports(args.reports)
    _trusted(reports, args.allow_grader_errors, messages)
    if fmt == "junit":
        from grader.export.junit import junit_xml

        _emit(junit_xml(reports), args.output, messages)
    elif fmt == "gradescope":
        _gradescope(reports, args.output, messages)
    elif fmt == "classroom":
        from grader.export.classroom import runner_result

        if len(reports) != 1:
            raise ExportError(f"{args.reports}: classroom takes one report (`grader check --json`), "
                              f"not {len(reports)}")
        _emit(json.dumps(runner_result(reports[0]), allow_nan=False) + "\n", args.output, messages)
    else:
        from grader.export.gradebook import build

        book = build(fmt, reports, args)
        for note in book.warnings:
            messages.print(f"[yellow]warning:[/] {_escape(note)}")
        if args.output or not args.post:
            _emit(book.text, args.output, messages)  # before posting, so the file exists whatever Canvas says
        if args.post:
            _post(book.entries, book.lms_id, args, messages)
    return 0


def _trusted(reports: list[Report], allowed: bool, messages: Console) -> None:
    """Stop (ExportError) before a grader error's score leaves the grader, unless `allowed`."""
    from grader.export.errors import ExportError

    failed = [r.student for r in reports if r.has_grader_error]
    if not failed:
        return
    listed = ", ".join(failed[:50]) + (f" and {len(failed) - 50} more" if len(failed) > 50 else "")
    if not allowed:
        raise ExportError(f"{len(failed)} report(s) have grader errors (the grader failed, not the student; "
                          f"the score is not theirs): {listed}; run `grader grade` again, or pass "
                          "--allow-grader-errors to export these scores as they are")
    messages.print(f"[yellow]warning:[/] exporting {len(failed)} score(s) with grader errors as they are "
                   f"(--allow-grader-errors): {_escape(listed)}")


def _escape(text: str) -> str:
    """For the terminal: no escape sequences (rosters and reports name students), no rich markup."""
    from rich.markup import escape

    from grader.text import MESSAGE_LIMIT, clean

    return escape(clean(text, MESSAGE_LIMIT))


def _stdout(text: str) -> None:
    try:
        sys.stdout.write(text)
        sys.stdout.flush()
    except BrokenPipeError:  # `| head` stopped reading: fine, and no traceback at exit either
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())


def _emit(text: str, output: Path | None, messages: Console) -> None:
    from grader.reports import write_atomic

    if output is None:
        _stdout(text)
        return
    write_atomic(output, text)
    messages.print(f"wrote {_escape(str(output))}")


def _gradescope(reports: list[Report], output: Path | None, messages: Console) -> None:
    from grader.export.errors import ExportError
    from grader.export.gradescope import results
    from grader.reports import file_stem, write_atomic

    if output is None:
        raise ExportError("--format gradescope writes <student>/results.json files: pass --output FOLDER")
    for report in reports:  # one folder per student, named as the student's report file
        write_atomic(output / file_stem(report.student) / "results.json",
                     json.dumps(results(report), indent=2) + "\n")
    messages.print(f"wrote {len(reports)} results.json file(s) under {_escape(str(output))}")


def _post(entries: list[Entry], lms_id: str | None, args: argparse.Namespace, messages: Console) -> None:
    from grader.export import canvas_api
    from grader.export.errors import ExportError

    if not args.canvas_url:
        raise ExportError("--post needs --canvas-url https://your-canvas-host (or $CANVAS_URL)")
    target = canvas_api.target(args.canvas_url, args.course, lms_id)
    todo = canvas_api.grades(entries)
    if args.dry_run:
        _stdout("".join(canvas_api.describe(target, grade, args.token_env) + "\n" for grade in todo))
        messages.print(f"dry run: {len(todo)} grade(s) would be posted; nothing was sent")
        return
    token = os.environ.get(args.token_env, "").strip()
    if not token:
        raise ExportError(f"--post needs a Canvas API token in ${args.token_env} (Canvas: Account → Settings → "
                          "New access token)")
    uploader = canvas_api.Uploader(target, token, retries=max(0, args.retries))
    count = canvas_api.upload(uploader, todo, lambda line: messages.print(_escape(line)))
    messages.print(f"posted {count} grade(s) to Canvas")
