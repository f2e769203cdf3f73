"""Canvas "download all submissions": `name[_LATE]_userid_attachmentid_filename` (FORMATS.md §3.5).

The student id is the Canvas user id (or `anon_<id>` for anonymous grading): the gradebook's
`ID` column, which is what an export matches (the report's `lms`/`id_kind` say so). The name
part is unreliable (lowercased, punctuation stripped: `doejane`) and kept only for display.
Canvas renames a re-uploaded file with a `-1` suffix; among several files of one student the
highest attachment id (the latest upload) wins. The zip is named `<course>-<title> submissions`
(spaces as `_`, other punctuation dropped); that part is kept to find the gradebook's column.
"""

from __future__ import annotations

import re
from pathlib import Path

from grader.assignment.loader import Assignment
from grader.filenames import visible_entries
from grader.submission import SOURCE_SUFFIXES, Origin, Submission

PATTERN = re.compile(
    r"^(?:(?P<name>.*?)_)??(?P<late>(?i:late)_)?(?P<uid>anon_[A-Za-z0-9]+|\d+)_"
    r"(?:(?P<attid>\d+)_(?P<filename>.+)|(?P<kind>text|link)\.html)$"
)
_RESUBMITTED = re.compile(r"^(?P<stem>.*?)-\d+(?P<suffix>\.[^.]+)$")
_DOWNLOAD = re.compile(r"^(?P<name>.+?)[ _]submissions(?:[ _-]*\(?\d+\)?)?$", re.IGNORECASE)


def download_title(name: str) -> str | None:
    """`CS101-HW3_Backprop` from the zip (or folder) `CS101-HW3_Backprop_submissions (1)`."""
    found = _DOWNLOAD.match(name)
    return found["name"] if found else None


def _origin(uid: str, download: str | None) -> Origin:
    kind = "anonymous_id" if uid.startswith("anon_") else "user_id"
    return Origin("canvas", kind, download_title(download) if download else None)


def matches(name: str) -> bool:
    return PATTERN.match(name) is not None


def _base(filename: str) -> str:
    match = _RESUBMITTED.match(filename)
    return f"{match['stem']}{match['suffix']}" if match else filename


def read(folder: Path, assignment: Assignment, download: str | None = None) -> tuple[list[Submission], list[str]]:
    """`download`: the zip's (or the folder's) name, which names the assignment."""
    wanted = {assignment.student_file, f"{Path(assignment.student_file).stem}.ipynb"}
    by_student: dict[str, list[tuple[int, Path, bool, str]]] = {}
    aside: list[str] = []
    for path in visible_entries(folder):
        if path.is_dir():  # Canvas downloads are flat: a folder is the instructor's, not a student's
            aside.append(f"{path}: a folder in a Canvas download (which holds only files); not graded")
            continue
        match = PATTERN.match(path.name)
        if match is None:
            aside.append(f"{path}: not named like a Canvas submission (name_userid_attachmentid_file)")
            continue
        uid = match["uid"]
        if match["kind"]:
            aside.append(f"{path}: a Canvas {match['kind']} entry for user {uid}, not a file; not graded")
            continue
        by_student.setdefault(uid, []).append(
            (int(match["attid"]), path, bool(match["late"]), (match["name"] or "").strip("_"))
        )
    subs = []
    for uid, files in sorted(by_student.items()):
        sources = [f for f in files if Path(f[1].name).suffix in SOURCE_SUFFIXES]
        named = [f for f in sources if _base(PATTERN.match(f[1].name)["filename"]) in wanted]  # type: ignore[index]
        pool = named or sources
        if not pool:
            aside.append(f"user {uid}: no .py or .ipynb file among {[f[1].name for f in files]}")
            continue
        _, path, late, name = max(pool)  # the highest attachment id: the latest upload
        if not named and len(pool) > 1:
            subs.append(Submission(uid, folder, late=late, name=name or None, origin=_origin(uid, download), problem=(
                f"user {uid} uploaded several files ({', '.join(f[1].name for f in pool)}) and none is "
                f"{assignment.student_file}")))
            continue
        notes = [f"resubmission: graded {path.name} (the latest of {len(pool)} uploads)"] if len(pool) > 1 else []
        subs.append(Submission(uid, path, source=path, late=late, name=name or None, notes=notes,
                               origin=_origin(uid, download)))
    return subs, aside
