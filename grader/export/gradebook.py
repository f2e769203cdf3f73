"""The table formats' shared part: which identity columns, from where, under which title.

Each LMS format has fixed identity columns (Canvas: Student, ID, SIS User ID, SIS Login ID,
Section; Moodle: one identifier; Blackboard: Username). With a roster they are copied from the
matched row, same-named columns by default or as `--map OUT=ROSTER` says; without one the
grader's student id goes into the `--roster-key` column.
"""

from __future__ import annotations

import argparse
from dataclasses import dataclass, field

from grader.export import blackboard, canvas, moodle, spreadsheet
from grader.export.errors import ExportError
from grader.export.reports import common_max_score
from grader.export.roster import Entry, Matching, Roster, match, read_roster, without_roster
from grader.export.table import column_id
from grader.report import Report


@dataclass
class Gradebook:
    text: str
    entries: list[Entry]
    warnings: list[str] = field(default_factory=list)
    lms_id: str | None = None


def identity_columns(fmt: str, id_field: str, maps: dict[str, str]) -> list[str]:
    if fmt == "canvas":
        return list(canvas.IDENTITY)
    if fmt == "moodle":
        return [moodle.ID_FIELDS[id_field]]
    if fmt == "blackboard":
        return [blackboard.IDENTITY]
    return [spreadsheet.KEY, *(name for name in maps if name != spreadsheet.KEY)]


def default_key(fmt: str, id_field: str) -> str:
    return {"canvas": canvas.DEFAULT_KEY, "moodle": moodle.ID_FIELDS[id_field],
            "blackboard": blackboard.IDENTITY}.get(fmt, spreadsheet.KEY)


def parse_maps(items: list[str]) -> dict[str, str]:
    maps: dict[str, str] = {}
    for item in items:
        out, _, source = item.partition("=")
        out, source = out.strip(), (source or out).strip()
        if not out or not source:
            raise ExportError(f"--map {item!r}: write OUT=ROSTER (export column = roster column) or OUT")
        maps[out] = source
    return maps


def _carry(fmt: str, columns: list[str], maps: dict[str, str], roster: Roster) -> dict[str, str]:
    """Export column → roster column, for each identity column the roster can fill."""
    unknown = [out for out in maps if out not in columns]
    if unknown:
        raise ExportError(f"--map {unknown[0]!r}: the {fmt} export has no such column; its identity columns are "
                          + ", ".join(columns))
    carry = {out: maps.get(out, out) for out in columns if out in maps or roster.has(out)}
    if fmt == "canvas" and not any(name in carry for name in canvas.MATCHED_BY):
        raise ExportError(f"{roster.path}: Canvas matches students by ID, SIS User ID or SIS Login ID and the "
                          "roster has none of these columns; use Canvas's gradebook export or --map")
    needed = [name for name in columns if fmt in ("moodle", "blackboard") and name not in carry]
    if needed:
        raise ExportError(f"{roster.path}: no {needed[0]!r} column for the {fmt} export; "
                          f"pass --map '{needed[0]}=ROSTER COLUMN'")
    return carry


def _matching(fmt: str, reports: list[Report], args: argparse.Namespace, roster: Roster | None) -> Matching:
    maps = parse_maps(args.map)
    columns = identity_columns(fmt, args.id_field, maps)
    key = args.roster_key or default_key(fmt, args.id_field)
    if roster is None:
        if key not in columns:
            raise ExportError(f"--roster-key {key!r}: without a roster the student ids go into one of the "
                              f"{fmt} export's columns: " + ", ".join(columns))
        return without_roster(reports, key)
    return match(reports, roster, key, _carry(fmt, columns, maps, roster),
                 allow_missing=args.allow_missing, allow_extra=args.allow_extra)


def build(fmt: str, reports: list[Report], args: argparse.Namespace) -> Gradebook:
    """The export text for a table format, the rows it holds and what the user should know."""
    if args.map and not args.roster:
        raise ExportError("--map fills export columns from the roster: pass --roster FILE too")
    roster = read_roster(args.roster) if args.roster else None
    matching = _matching(fmt, reports, args, roster)
    entries, warnings = matching.entries, list(matching.warnings)
    title = args.title or reports[0].assignment
    max_score = common_max_score(reports)
    lms_id: str | None = args.lms_id
    if fmt == "canvas":
        lms_id = lms_id or (column_id(roster.header, title, canvas.TITLE_WITH_ID) if roster else None)
        if lms_id is None:
            warnings.append(f"no Canvas assignment id: Canvas will match the column {title!r} by title or offer "
                            "to create a new assignment; pass --lms-id to update an existing one")
        text = canvas.canvas_csv(entries, column_name=canvas.column(title, lms_id), max_score=max_score)
    elif fmt == "moodle":
        text = moodle.moodle_csv(entries, id_column=moodle.ID_FIELDS[args.id_field], column_name=title)
    elif fmt == "blackboard":
        lms_id = lms_id or (column_id(roster.header, title, blackboard.HEADER) if roster else None)
        if lms_id is None:
            warnings.append("no Grade Center column id: Blackboard will add a new text column worth 0 points; "
                            "pass --lms-id (the number after '|' in the downloaded column header)")
        text = blackboard.blackboard_csv(entries, column_name=blackboard.column(title, max_score, lms_id))
    else:
        text = spreadsheet.spreadsheet_csv(entries, identity=identity_columns(fmt, args.id_field, parse_maps(args.map)))
    return Gradebook(text, entries, warnings, lms_id)
