"""When each submission was handed in, for the late policy (grader.late), and where that is from.

What each download holds (read in the LMSs' own code; docs/grading.md has the details):
- Canvas's "download all submissions" zip: only the `LATE` flag in each file name, Canvas's own
  verdict against its due date and its per-student overrides; the zip's entries are dated when
  the zip was built (rubyzip's default), not when the work was handed in;
- Moodle's download: no time at all (its zip entries are dated when it was downloaded); its
  grading worksheet has "Last modified (submission)";
- Blackboard's `.txt` per attempt: "Date Submitted", with a time zone abbreviation; the
  attempt's file names carry the same time without a zone;
- a GitHub Classroom repository: the time of the commit that is graded (HEAD), as its committer
  set it; a clone knows no push times;
- plain files: their modification time, a last resort (copying a file can change it).
`--times FILE` gives the times from elsewhere and wins over all of these: a CSV with a student
id column and a time column (our `student,submitted_at`, Moodle's grading worksheet, GitHub
Classroom's grades download) or Canvas's submissions API answer (JSON: `user_id`,
`submitted_at`). A time without a zone is read in the policy's time zone.
"""

from __future__ import annotations

import csv
import io
import json
import re
import warnings
from datetime import UTC, datetime, timedelta, timezone, tzinfo
from pathlib import Path

from dateutil import parser as dateparser
from dulwich.errors import NotGitRepository
from dulwich.repo import Repo

from grader.errors import UserError

ZONES = {name: int(hours * 3600) for name, hours in {
    "UTC": 0, "GMT": 0, "Z": 0, "WET": 0, "BST": 1, "WEST": 1, "CET": 1, "CEST": 2, "EET": 2, "EEST": 3,
    "EST": -5, "EDT": -4, "CST": -6, "CDT": -5, "MST": -7, "MDT": -6, "PST": -8, "PDT": -7, "AKST": -9,
    "AKDT": -8, "HST": -10, "AST": -4, "ADT": -3, "NST": -3.5, "NDT": -2.5, "AEST": 10, "AEDT": 11,
    "ACST": 9.5, "ACDT": 10.5, "AWST": 8, "NZST": 12, "NZDT": 13, "SGT": 8, "HKT": 8, "JST": 9, "KST": 9,
}.items()}
"""Zone abbreviations Blackboard prints after "Date Submitted" (others are read in the policy's zone)."""
_STAMP = re.compile(r"^(\d{4})-(\d{2})-(\d{2})-(\d{2})-(\d{2})-(\d{2})$")
ID_COLUMNS = ("student", "Identifier", "user_id", "ID", "Username", "github_username")
TIME_COLUMNS = ("submitted_at", "Last modified (submission)", "submission_timestamp")
MAX_BYTES = 32 * 1024 * 1024


class TimesError(UserError):
    """The --times file cannot be read; the message names it and says what it must hold."""


def parse_time(text: str, zone: tzinfo) -> datetime | None:
    """A time as LMSs write it (ISO 8601, "Monday, 2 March 2026, 11:58 PM", "... 11:58:03 PM EST"),
    aware; without a zone (or an unknown one) read in `zone`; None if it is no time."""
    text = text.strip()
    if not text or text == "-":
        return None
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # an unknown zone name: read in `zone`, as documented
        try:
            when = dateparser.parse(text, tzinfos=ZONES, fuzzy=True)
        except (ValueError, OverflowError):
            return None
    return when.replace(tzinfo=zone) if when.tzinfo is None else when


def blackboard(date_submitted: str | None, stamp: str, zone: tzinfo, zone_name: str) -> tuple[datetime | None, str]:
    """The attempt's time: the `.txt`'s "Date Submitted", else the file name's stamp."""
    if date_submitted:
        when = parse_time(date_submitted, zone)
        if when is not None:
            return when, "Blackboard's \"Date Submitted\""
    found = _STAMP.match(stamp)
    if found is None:
        return None, "Blackboard gave no time"
    year, month, day, hour, minute, second = map(int, found.groups())
    return (datetime(year, month, day, hour, minute, second, tzinfo=zone),
            f"the attempt's time in Blackboard's file names (no zone given: read as {zone_name})")


def commit_time(repo: Path) -> datetime | None:
    """The committer's time of the repository's HEAD, read with dulwich (nothing of the
    repository's own configuration is run); None if it is no readable repository."""
    try:
        with Repo(str(repo)) as git:
            commit = git[git.head()]
            seconds, offset = commit.commit_time, commit.commit_timezone  # type: ignore[attr-defined]
    except (NotGitRepository, KeyError, OSError, ValueError, AttributeError, IndexError):
        return None
    return datetime.fromtimestamp(seconds, timezone(timedelta(seconds=offset)))


COMMIT_SOURCE = "the graded commit's time (git HEAD, as the student's clock set it)"
FILE_SOURCE = "the file's modification time (a last resort: copying a file can change it)"


def file_time(path: Path) -> datetime | None:
    try:
        return datetime.fromtimestamp(path.stat().st_mtime, UTC)
    except OSError:
        return None


def read_times(file: Path, zone: tzinfo) -> dict[str, datetime]:
    """Student id → submission time from a --times file (see the module's docstring)."""
    try:
        raw = file.read_bytes()[:MAX_BYTES]
    except OSError as exc:
        raise TimesError(f"{file}: cannot be read ({exc.strerror}); give the file of submission times") from exc
    text = raw.decode("utf-16") if raw[:2] in (b"\xff\xfe", b"\xfe\xff") else raw.decode("utf-8-sig", "replace")
    if text.lstrip().startswith(("[", "{")):
        return _json_times(file, text, zone)
    return _csv_times(file, text, zone)


def _json_times(file: Path, text: str, zone: tzinfo) -> dict[str, datetime]:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise TimesError(f"{file}: not valid JSON (line {exc.lineno}: {exc.msg})") from exc
    rows = data if isinstance(data, list) else [data]
    found: dict[str, datetime] = {}
    for row in rows:
        if isinstance(row, dict) and row.get("user_id") is not None and isinstance(row.get("submitted_at"), str):
            when = parse_time(row["submitted_at"], zone)
            if when is not None:
                found[str(row["user_id"])] = when
    if not found and rows:
        raise TimesError(f"{file}: no objects with `user_id` and `submitted_at` (Canvas's submissions API "
                         "answer); give that, or a CSV with student and submitted_at columns")
    return found


def _csv_times(file: Path, text: str, zone: tzinfo) -> dict[str, datetime]:
    first = text.split("\n", 1)[0]
    delimiter = max(",;\t", key=first.count)
    rows = list(csv.reader(io.StringIO(text), delimiter=delimiter))
    header = [cell.strip() for cell in rows[0]] if rows else []
    key = next((name for name in ID_COLUMNS if name in header), None)
    column = next((name for name in TIME_COLUMNS if name in header), None)
    if key is None or column is None:
        raise TimesError(f"{file}: needs a student id column ({', '.join(ID_COLUMNS)}) and a time column "
                         f"({', '.join(TIME_COLUMNS)}); its header is {header[:12]}")
    k, c = header.index(key), header.index(column)
    found: dict[str, datetime] = {}
    for row in rows[1:]:
        if len(row) > max(k, c) and row[k].strip():
            when = parse_time(row[c], zone)
            if when is not None:
                found[_participant(row[k]) if key == "Identifier" else row[k].strip()] = when
    return found


def _participant(cell: str) -> str:
    """Moodle's worksheet says "Participant 1234567"; downloads name students by the number."""
    digits = re.search(r"(\d+)\s*$", cell)
    return digits.group(1) if digits else cell.strip()
