"""The table formats' shared part: which identity columns, from where, under which title.

Each LMS format has fixed identity columns (Canvas: Student, ID, SIS User ID, SIS Login ID,
Section; Moodle: one identifier; Blackboard: Username). With a roster they are copied from the
matched row, same-named columns by default or as `--map OUT=ROSTER` says; without one the
grader's student id goes into the `--roster-key` column. Which roster column to match, when
`--roster-key` is not given, is grader.export.lms's rule; which assignment column to fill,
grader.export.columns's.
"""

from __future__ import annotations

import argparse
from dataclasses import dataclass, field

from grader.export import blackboard, canvas, columns, lms, moodle, spreadsheet
from grader.export.errors import ExportError
from grader.export.roster import Entry, Matching, Roster, match, read_roster, without_roster
from grader.numbers import points
from grader.report import Report
from grader.text import name as shown


@dataclass
class Gradebook:
    text: str
    entries: list[Entry]
    warnings: list[str] = field(default_factory=list)
    lms_id: str | None = None


def common_max_score(reports: list[Report]) -> float:
    """The assignment's points possible; reports graded against different totals cannot share a column."""
    totals = sorted({r.max_score for r in reports})
    if len(totals) > 1:
        shown_totals = ", ".join(
            f"{points(t)} ({shown(', '.join(r.student for r in reports if r.max_score == t))})" for t in totals)
        raise ExportError(f"the reports have different max_score values: {shown_totals}; grade every submission "
                          "with the same version of the assignment, then export")
    return totals[0] if totals else 0.0


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
    """Reports paired with roster rows (by --roster-key, else the column the reports' own ids are
    in: grader.export.lms), Canvas's test student left out and listed."""
    maps = parse_maps(args.map)
    worksheet = fmt == "moodle" and roster is not None and moodle.is_worksheet(roster.header)
    identity = [] if worksheet else identity_columns(fmt, args.id_field, maps)
    default = default_key(fmt, args.id_field)
    if args.roster_key or (roster is None and fmt == "csv"):  # csv without a roster: ids in its `student` column
        key = lms.Key(args.roster_key or default)
    else:
        key = lms.key_for(fmt, reports, default)
    if roster is None:
        if key.column not in identity:
            raise ExportError(key.why or f"--roster-key {key.column!r}: without a roster the student ids go into one "
                              f"of the {fmt} export's columns: " + ", ".join(identity))
        return without_roster(reports, key.column)
    if key.why and not roster.has(key.column):
        raise ExportError(f"{roster.path}: no column {key.column!r}: {key.why} (or pass --roster-key COLUMN)")
    skipped = lms.skip_test_students(fmt, roster, reports, key)
    found = match(skipped.reports, skipped.roster, key.column, _carry(fmt, identity, maps, skipped.roster),
                  allow_missing=args.allow_missing, allow_extra=args.allow_extra, key_value=key.value)
    return Matching(found.entries, skipped.notes + found.warnings)


def _column(fmt: str, reports: list[Report], args: argparse.Namespace, roster: Roster | None,
            max_score: float) -> tuple[columns.Choice, list[str]]:
    """The assignment's column (title and LMS id) and what to say about it."""
    if roster is None:
        choice = columns.Choice(args.title or reports[0].assignment, args.lms_id)
    else:
        choice = columns.choose(fmt, roster, reports, args.title, args.lms_id, args.new_column)
    warnings = []
    if fmt == "canvas" and choice.lms_id is None:
        warnings.append(f"no Canvas assignment id: Canvas will match the column {choice.title!r} by title or offer "
                        "to create a new assignment; pass --lms-id to update an existing one")
    if fmt == "blackboard" and choice.lms_id is None:
        warnings.append("no Grade Center column id: Blackboard will add a new text column worth 0 points; "
                        "pass --lms-id (the number after '|' in the downloaded column header)")
    if fmt == "blackboard" and columns.points_differ(choice, max_score):
        warnings.append(f"the Grade Center column {choice.header!r} gives other points than the reports' "
                        f"{points(max_score)}; the scores are written as graded")
    return choice, warnings


def build(fmt: str, reports: list[Report], args: argparse.Namespace) -> Gradebook:
    """The export text for a table format, the rows it holds and what the user should know."""
    if args.map and not args.roster:
        raise ExportError("--map fills export columns from the roster: pass --roster FILE too")
    roster = read_roster(args.roster) if args.roster else None
    matching = _matching(fmt, reports, args, roster)
    entries, warnings = matching.entries, list(matching.warnings)
    max_score = common_max_score(reports)
    if fmt == "moodle" and roster is not None and moodle.is_worksheet(roster.header):
        if args.title:
            warnings.append("--title is not used: a grading worksheet has one grade column, 'Grade'")
        return Gradebook(moodle.worksheet_csv(roster, entries), entries, warnings)
    choice, said = _column(fmt, reports, args, roster, max_score) if fmt in ("canvas", "blackboard") else (
        columns.Choice(args.title or reports[0].assignment, args.lms_id), [])
    warnings += said
    if fmt == "canvas":
        text = canvas.canvas_csv(entries, column_name=canvas.column(choice.title, choice.lms_id), max_score=max_score)
    elif fmt == "moodle":
        text = moodle.moodle_csv(entries, id_column=moodle.ID_FIELDS[args.id_field], column_name=choice.title)
    elif fmt == "blackboard":
        text = blackboard.blackboard_csv(
            entries, column_name=blackboard.column(choice.title, max_score, choice.lms_id))
    else:
        text = spreadsheet.spreadsheet_csv(entries, identity=identity_columns(fmt, args.id_field, parse_maps(args.map)),
                                           detail=bool(getattr(args, "detail", False)))
    return Gradebook(text, entries, warnings, choice.lms_id)
