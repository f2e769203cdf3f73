"""`DIR/overrides.toml`: the instructor's decisions about a reports folder, kept beside the reports.

One `[[override]]` table per decision, written by `grader override` or by hand:

    [[override]]
    student = "102"
    points = 8.5                 # the whole score ...
    reason = "typo in line 12 fixed by hand"

    [[override]]
    student = "104"
    check = "manual_gradient matches finite differences"
    points = 1.5                 # ... or one check's points ...
    reason = "sign convention agreed in class"

    [[override]]
    student = "105"
    extension = "2026-12-04T23:59"   # ... or a due date of their own (needs the [late] policy)
    reason = "medical certificate"

The file is validated whole (a pydantic model per entry): a mistake, an entry for a student who
has no report or a check the student's report does not have stops grading, exporting and the
pages with one message naming the file, the entry and what to do; nothing is skipped silently.
`grader override` edits the file with tomlkit, so the instructor's comments and layout stay.
"""

from __future__ import annotations

import tomllib
from collections.abc import Iterable
from datetime import UTC, datetime
from pathlib import Path
from typing import Literal

import tomlkit
from pydantic import BaseModel, ConfigDict, Field, PrivateAttr, ValidationError, model_validator
from tomlkit.items import AoT, Table

from grader.assignment.late import When
from grader.errors import UserError
from grader.reports import write_atomic
from grader.text import name as shown

FILE = "overrides.toml"
HEADER = """\
Instructor decisions for the reports in this folder, applied by `grader grade`, `grader export`
and `grader feedback` (docs/grading.md). Written by `grader override`; edit freely. Each
[[override]] names a student and a reason, and either points (the whole score), check and
points (one check), or extension (a due date of their own, for the late policy)."""
Kind = Literal["score", "check", "extension"]


class OverrideError(UserError):
    """overrides.toml cannot be applied; the message names the file, the entry and what to do."""


class Entry(BaseModel):
    """One decision: the whole score, one check's points, or an extension."""

    model_config = ConfigDict(extra="forbid", coerce_numbers_to_str=True)  # `student = 4711` is that id

    student: str = Field(min_length=1, description="the student id, as the report names it")
    check: str | None = Field(None, min_length=1, description="the check whose points `points` sets")
    points: float | None = Field(None, ge=0, description="the points: the whole score, or the check's")
    extension: When | None = Field(None, description="a due date of the student's own (the [late] time zone)")
    reason: str = Field(min_length=1, description="why; shown to the student with the result")
    recorded: str | None = Field(None, description="when `grader override` wrote it")
    _number: int = PrivateAttr(0)

    @model_validator(mode="after")
    def _one_decision(self) -> Entry:
        if (self.points is None) == (self.extension is None):
            raise ValueError("give either `points` (with `check` for one check) or `extension`, not both or neither")
        if self.check is not None and self.points is None:
            raise ValueError("`check` goes with `points` (the check's new points)")
        if not self.reason.strip():
            raise ValueError("`reason` is empty; say why, students read it")
        return self

    @property
    def kind(self) -> Kind:
        return "extension" if self.extension is not None else "check" if self.check is not None else "score"

    @property
    def target(self) -> tuple[str, Kind, str | None]:
        return (self.student, self.kind, self.check)

    def where(self, folder: Path) -> str:
        what = f", check {self.check!r}" if self.check else f", {self.kind}" if self.kind != "check" else ""
        return f"{folder / FILE}: override {self._number} (student {shown(self.student)!r}{what})"


def path(folder: Path) -> Path:
    return folder / FILE


def load(folder: Path) -> list[Entry]:
    """The decisions in `folder`/overrides.toml, in file order ([] without the file); OverrideError
    for a file that is not TOML, an entry that is not a decision, or two decisions on one target."""
    file = path(folder)
    if not file.is_file():
        return []
    try:
        data = tomllib.loads(file.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as exc:
        raise OverrideError(f"{file}: cannot be read ({exc})") from exc
    except tomllib.TOMLDecodeError as exc:
        raise OverrideError(f"{file}: not valid TOML ({exc}); fix it by hand (docs/grading.md shows the form)") from exc
    unknown = sorted(set(data) - {"override"})
    if unknown:
        raise OverrideError(f"{file}: unknown table or key {unknown[0]!r}; decisions are [[override]] tables")
    tables = data.get("override", [])
    if not isinstance(tables, list):
        raise OverrideError(f"{file}: `override` must be [[override]] tables, one per decision")
    entries = [_entry(file, number, table) for number, table in enumerate(tables, 1)]
    seen: dict[tuple[str, Kind, str | None], Entry] = {}
    for entry in entries:
        first = seen.setdefault(entry.target, entry)
        if first is not entry:
            raise OverrideError(f"{entry.where(folder)}: the same decision as override {first._number}; "
                                "keep one of the two")
    return entries


def _entry(file: Path, number: int, table: object) -> Entry:
    try:
        entry = Entry.model_validate(table)
    except ValidationError as exc:
        student = table.get("student") if isinstance(table, dict) else None
        who = f" (student {shown(str(student))!r})" if student else ""
        first = exc.errors()[0]
        field = ".".join(str(p) for p in first["loc"]) or "the entry"
        said = first["msg"].removeprefix("Value error, ")
        raise OverrideError(f"{file}: override {number}{who}: {field}: {said}; fix or remove this "
                            "[[override]]") from exc
    entry._number = number
    return entry


def check_against(entries: Iterable[Entry], folder: Path, students: dict[str, set[str]],
                  has_policy: dict[str, bool]) -> None:
    """Every entry must name a student with a report (`students`: id → its check names), a check
    that report has, and an extension only where a late policy applies (`has_policy`)."""
    for entry in entries:
        checks = students.get(entry.student)
        if checks is None:
            raise OverrideError(f"{entry.where(folder)}: no report of this student in {folder}; fix the id "
                                "(as the reports name students) or remove the entry")
        if entry.check is not None and entry.check not in checks:
            listed = "; ".join(sorted(checks)[:12])
            raise OverrideError(f"{entry.where(folder)}: the report has no such check (its checks: {listed}); "
                                "fix the name or remove the entry")
        if entry.kind == "extension" and not has_policy.get(entry.student, False):
            raise OverrideError(f"{entry.where(folder)}: an extension needs the assignment's [late] policy, and "
                                "this report was graded without one; add [late] to assignment.toml and grade "
                                "again, or remove the entry")


def record(folder: Path, entry: Entry) -> Path:
    """Add `entry` to overrides.toml, replacing the decision on the same target; the rest of the
    file (comments, order, layout) stays as it was."""
    file = path(folder)
    text = file.read_text(encoding="utf-8") if file.is_file() else ""
    document = tomlkit.parse(text) if text.strip() else _new_document()
    tables = document.get("override")
    if tables is None:
        tables = tomlkit.aot()
        document.append("override", tables)
    if not isinstance(tables, AoT):
        raise OverrideError(f"{file}: `override` must be [[override]] tables; fix the file by hand")
    stamped = entry.model_copy(update={"recorded": datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")})
    values = stamped.model_dump(exclude_none=True)
    for table in tables:
        if _target(table) == entry.target:  # edited in place: the comments on its lines stay
            for key in [k for k in table if k not in values]:
                del table[key]
            for key, value in values.items():
                if table.get(key) != value:
                    table[key] = value
            break
    else:
        fresh = tomlkit.table()
        for key, value in values.items():
            fresh.add(key, value)
        if len(tables):
            fresh.trivia.indent = "\n"
        tables.append(fresh)
    text = tomlkit.dumps(document)
    write_atomic(file, text if text.endswith("\n") else text + "\n", mode=0o644)
    load(folder)  # what was written reads back
    return file


def _new_document() -> tomlkit.TOMLDocument:
    document = tomlkit.document()
    for line in HEADER.splitlines():
        document.add(tomlkit.comment(line))
    document.add(tomlkit.nl())
    return document


def _target(table: Table) -> tuple[str, Kind, str | None] | None:
    try:
        return Entry.model_validate(table.unwrap()).target
    except ValidationError:
        return None
