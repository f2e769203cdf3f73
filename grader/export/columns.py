"""The gradebook column an export fills: found in the roster's header, never guessed.

Canvas's gradebook download names each assignment column `Title (id)` and Blackboard's Grade
Center `Title [Total Pts: 10 Score] |id`; the id is what their importers match. With `--title`
the column of that title is used; without it, the column titled as the assignment, or as the LMS
download named it (Blackboard's `.txt` files give the title; Canvas's zip is named
`<course>-<title> submissions`, with spaces as `_` and other punctuation dropped). No such
column, or several, stop the export with the roster's assignment columns listed; `--new-column`
adds a new one instead. A roster with no assignment columns at all (a plain class list) names
none, as before: the title alone is written, with a warning.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from grader.export import blackboard, canvas
from grader.export.errors import ExportError
from grader.export.roster import Roster
from grader.report import Report

LISTED = 12
_POINTS = re.compile(r"\[Total Pts:\s*([0-9]+(?:\.[0-9]+)?)")


@dataclass(frozen=True)
class Column:
    header: str  # as the roster spells it
    title: str
    lms_id: str


@dataclass(frozen=True)
class Choice:
    title: str
    lms_id: str | None
    header: str | None = None  # the roster's column, when one was found


def assignment_columns(fmt: str, header: list[str]) -> list[Column]:
    """The roster's assignment columns (not Canvas's totals, not Blackboard's calculated columns)."""
    found: list[Column] = []
    for name in header:
        if fmt == "canvas" and not canvas.IGNORED.search(name):
            match = canvas.TITLE_WITH_ID.match(name.strip())
        elif fmt == "blackboard" and "Total Pts: up to" not in name:
            match = blackboard.HEADER.match(name.strip())
        else:
            match = None
        if match:
            found.append(Column(name, match.group(1).strip(), match.group(2)))
    return found


def slug(title: str) -> str:
    """A title as Canvas writes it into the zip's name."""
    return re.sub(r"[^\w-]", "", title.replace(" ", "_"))


def _fits(column: Column, titles: set[str], downloads: set[str]) -> bool:
    if column.title.casefold() in titles:
        return True
    tail = slug(column.title).casefold()
    return bool(tail) and any(d == tail or d.endswith(f"-{tail}") for d in downloads)


def _listed(columns: list[Column]) -> str:
    shown = ", ".join(repr(c.header) for c in columns[:LISTED])
    return shown + (f" and {len(columns) - LISTED} more" if len(columns) > LISTED else "")


def choose(fmt: str, roster: Roster, reports: list[Report], title: str | None, lms_id: str | None,
           new_column: bool) -> Choice:
    """The title and LMS id to write, from --title/--lms-id and the roster's assignment columns."""
    default = title or reports[0].assignment
    columns = assignment_columns(fmt, roster.header)
    if lms_id is not None:
        same = [c for c in columns if c.lms_id == lms_id]
        return Choice(title or same[0].title, lms_id, same[0].header) if same else Choice(default, lms_id)
    if not columns or new_column:
        return Choice(default, None)
    if title is not None:
        found = [c for c in columns if c.title.casefold() == title.strip().casefold()]
        wanted = f"titled {title!r}"
    else:
        downloads = {r.submission.lms_assignment.casefold() for r in reports if r.submission.lms_assignment}
        found = [c for c in columns if _fits(c, {default.casefold()} | downloads, downloads)]
        wanted = "titled " + " or ".join(repr(t) for t in sorted({default, *downloads}))
    if len(found) == 1:
        return Choice(found[0].title, found[0].lms_id, found[0].header)
    if found:
        raise ExportError(f"{roster.path}: {len(found)} assignment columns are {wanted}: {_listed(found)}; "
                          "pass --lms-id with the one to fill")
    raise ExportError(f"{roster.path}: no assignment column {wanted}; its assignment columns are {_listed(columns)}. "
                      f"Pass --title with one of these titles, or --new-column to add a column titled {default!r}")


def points_differ(choice: Choice, max_score: float) -> bool:
    """Whether a Blackboard column's header gives other points than the reports' maximum."""
    found = _POINTS.search(choice.header or "")
    return found is not None and abs(float(found.group(1)) - max_score) > 1e-9
