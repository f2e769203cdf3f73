"""`grader new NAME`: a new assignment that `generate` and `validate` accept as it is.

It writes the instructor's side (solutions/NAME/NAME.py with solution markers, grading.toml
with a fresh seed) and the declarations (assignments/NAME/assignment.toml with one check of each
kind, checks.py for the custom one), for a small linear model whose math the instructor then
replaces. The students' files come from `grader generate NAME`. Nothing is ever overwritten.
"""

from __future__ import annotations

import argparse
import importlib.util
import os
import re
import secrets
import sys
from pathlib import Path
from string import Template

from rich.console import Console
from rich.markup import escape

from grader.errors import UserError

SCAFFOLD = Path(__file__).parent / "scaffold"
NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")


def add_parser(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser("new", help="start a new assignment: solution, assignment.toml, checks.py, grading seed")
    p.add_argument("name", help="the assignment's name, a Python identifier (e.g. logistic)")
    p.add_argument("--title", help="the title students see (default: from the name)")
    p.add_argument("--course", type=Path, help="the course folder holding assignments/ and solutions/ "
                                               "(default: $GRADER_COURSE, else the current folder)")
    p.set_defaults(func=run)


def run(args: argparse.Namespace, console: Console) -> int:
    name: str = args.name
    if not NAME.match(name):
        raise UserError(f"{name!r} is not a valid assignment name: use letters, digits and _, not starting "
                        "with a digit (it names the students' file <name>.py)")
    if name in sys.stdlib_module_names or importlib.util.find_spec(name) is not None:
        raise UserError(f"{name!r} is the name of a Python module; a students' file {name}.py would hide it "
                        "from their imports: choose another name")
    course: Path = args.course or Path(os.environ.get("GRADER_COURSE") or ".")
    folder, solution = course / "assignments" / name, course / "solutions" / name
    for existing in (folder, solution):
        if existing.exists():
            raise UserError(f"{existing} already exists: `grader new` never overwrites an assignment; "
                            "choose another name or remove the folder")
    title = args.title or name.replace("_", " ").capitalize()
    schema = course / "schema" / "assignment.schema.json"
    values = {
        "name": name, "title": title,
        # taplo (VS Code's Even Better TOML) validates the file against the schema this names
        "schema_line": "#:schema ../../schema/assignment.schema.json\n" if schema.is_file() else "",
    }
    files = {
        solution / f"{name}.py": _render("solution.py.tmpl", values),
        solution / "grading.toml": ("# The grading seed: hidden cases are drawn from it. Keep it private.\n"
                                    f'seed = "{secrets.token_urlsafe(24)}"\n'),
        folder / "assignment.toml": _render("assignment.toml.tmpl", values),
        folder / "checks.py": _render("checks.py.tmpl", values),
    }
    for path, text in files.items():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        console.print(f"wrote {escape(str(path))}")
    console.print(
        f"next: edit {escape(str(solution / (name + '.py')))} and {escape(str(folder / 'assignment.toml'))}, "
        f"then run `grader generate {name}` and `grader validate {name}`"
    )
    return 0


def _render(template: str, values: dict[str, str]) -> str:
    return Template((SCAFFOLD / template).read_text(encoding="utf-8")).substitute(values)
