"""`grader schema [--check]`: the JSON Schemas of reports, similarity.json and assignment.toml, and
the authors' reference page.

Exit 0 when written (or, with --check, up to date), 1 when --check finds a file out of date (CI).
"""

from __future__ import annotations

import argparse
from pathlib import Path

from rich.console import Console

from grader.commands.display import shown


def add_parser(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser("schema", help="write the JSON Schemas of reports, similarity.json and assignment.toml, "
                                      "and assignment.toml's reference")
    p.add_argument("--output", type=Path, default=Path("schema/report.schema.json"))
    p.add_argument("--similarity-output", type=Path, default=Path("schema/similarity.schema.json"))
    p.add_argument("--assignment-output", type=Path, default=Path("schema/assignment.schema.json"))
    p.add_argument("--reference-output", type=Path, default=Path("docs/authoring/reference.md"))
    p.add_argument("--check", action="store_true", help="fail if a file is out of date")
    p.set_defaults(func=run)


def run(args: argparse.Namespace, console: Console) -> int:
    from grader.assignment import reference_doc, schema_file
    from grader.report import schema_text
    from grader.similarity import model as similarity

    stale = 0
    for path, text in ((args.output, schema_text()), (args.similarity_output, similarity.schema_text()),
                       (args.assignment_output, schema_file.schema_text()),
                       (args.reference_output, reference_doc.reference_text())):
        current = path.read_text(encoding="utf-8") if path.is_file() else None
        if current == text:
            continue
        if args.check:
            console.print(f"[red]out of date:[/] {shown(str(path))}; run `grader schema`")
            stale += 1
        else:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
            console.print(f"wrote {shown(str(path))}")
    return 1 if stale else 0
