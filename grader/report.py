"""The score report: the pydantic model every export reads, and its JSON Schema.

A report is always strict JSON: non-finite numbers inside `data` become the strings "nan",
"inf" and "-inf", and no list in it holds more than DATA_LIST_LIMIT values (see `finite`).
Every text field that can carry something a student controls (a message, a note, an error, the
output, the id, a file name, a path) is cleaned by its type, here and nowhere else: escape
sequences and control characters removed, long text cut with a marker (grader.text), long lists
cut with a last item saying how many more there were. Models are validated again when nested or
assigned, so text appended after construction is cleaned too.
Reading and writing reports folders is grader.reports.

Schema version 2 added what happens after the checks: `raw_score` (the checks' points as graded),
the late `penalty` and why (`late`), and the instructor's `overrides`; `score` is the final score,
the one every export and LMS reads. Version 1 reports still read: their missing fields mean no
penalty and no override (grader.adjust works them out again).
"""

from __future__ import annotations

import json
import math
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, field_validator

from grader import __version__
from grader.assignment.late import LatePolicy
from grader.text import MESSAGE_LIMIT, NAME_LIMIT, OUTPUT_LIMIT, clean

SCHEMA_VERSION: Literal[2] = 2
Status = Literal["passed", "failed", "error", "timeout", "skipped"]
Visibility = Literal["visible", "hidden", "after_due_date", "after_published"]
MAX_ITEMS = 100
"""Notes, errors and files per report; past it the last item says how many were left out."""
PATH_LIMIT = 1000
RETRY_NOTE = "graded again:"
"""How the note starts that says the machine broke an attempt at grading (grader.faults)."""
DATA_TEXT_LIMIT = 1000
DATA_LIST_LIMIT = 5_000
"""Values per list in a check's `data`: a training history of 249,000 epochs made a 9.7 MB report."""
DOWNSAMPLED = "_downsampled"
"""`data["history_downsampled"] = {"length": n, "kept": k}` says `data["history"]` keeps k of n values."""


def _capped(items: list[str]) -> list[str]:
    if len(items) <= MAX_ITEMS:
        return items
    return [*items[:MAX_ITEMS - 1], f"... and {len(items) - MAX_ITEMS + 1:,} more not shown"]


Name = Annotated[str, AfterValidator(lambda v: clean(v, NAME_LIMIT, one_line=True))]
"""An id, a file name, a check's name: one line."""
PathText = Annotated[str, AfterValidator(lambda v: clean(v, PATH_LIMIT, one_line=True))]
Message = Annotated[str, AfterValidator(lambda v: clean(v, MESSAGE_LIMIT))]
Messages = Annotated[list[Message], AfterValidator(_capped)]
Names = Annotated[list[Name], AfterValidator(_capped)]


def finite(value: Any) -> Any:
    """A copy of `value` in which non-finite floats are strings, so the JSON stays strict, text is
    cleaned and capped (it may hold what a submission returned), and lists are capped at
    DATA_LIST_LIMIT values (nested lists count every value): a long list of numbers under a key
    (a loss history) keeps that many evenly spaced values, the first and the last among them, and
    a sibling key `<key>_downsampled` says how many there were, so a plot still spans every epoch;
    any other long list keeps its first values and ends with a marker saying how many are left out."""
    if isinstance(value, float) and not math.isfinite(value):
        return "nan" if math.isnan(value) else ("inf" if value > 0 else "-inf")
    if isinstance(value, str):
        return clean(value, DATA_TEXT_LIMIT)
    if isinstance(value, list | tuple):
        return [finite(v) for v in _cut(list(value))]
    if isinstance(value, dict):
        out: dict[str, Any] = {}
        for key, item in value.items():
            name = clean(str(key), NAME_LIMIT, one_line=True)
            if isinstance(item, list | tuple) and len(item) > DATA_LIST_LIMIT and all(map(_number, item)):
                out[name] = [finite(v) for v in _downsample(list(item))]
                out[name + DOWNSAMPLED] = {"length": len(item), "kept": DATA_LIST_LIMIT}
            else:
                out[name] = finite(item)
        return out
    return value


def _number(value: Any) -> bool:
    return (isinstance(value, int | float) and not isinstance(value, bool)) or value in ("nan", "inf", "-inf")


def _size(value: Any, stop: int) -> int:
    """How many values `value` holds (lists and dicts counted through), counting no further than `stop`."""
    if not isinstance(value, list | tuple | dict):
        return 1
    total = 0
    for item in value.values() if isinstance(value, dict) else value:
        total += _size(item, stop - total)
        if total > stop:
            break
    return total


def _cut(items: list[Any]) -> list[Any]:
    """The first items, holding at most DATA_LIST_LIMIT - 1 values, and a marker; or all of them."""
    if len(items) <= DATA_LIST_LIMIT and _size(items, DATA_LIST_LIMIT) <= DATA_LIST_LIMIT:
        return items
    kept: list[Any] = []
    room = DATA_LIST_LIMIT - 1
    for item in items:
        size = _size(item, room)
        if size > room:
            break
        kept.append(item)
        room -= size
    return [*kept, f"... {len(items) - len(kept):,} more not stored (a report keeps at most "
                   f"{DATA_LIST_LIMIT:,} values per list)"]


def _downsample(items: list[Any]) -> list[Any]:
    last = len(items) - 1
    return [items[round(j * last / (DATA_LIST_LIMIT - 1))] for j in range(DATA_LIST_LIMIT)]


# Revalidated when nested and on assignment: the grader builds a SubmissionInfo and appends
# notes to it before it goes into a Report, and those notes must be cleaned too.
_STRICT = ConfigDict(extra="forbid", revalidate_instances="always", validate_assignment=True)


class CheckResult(BaseModel):
    model_config = _STRICT

    name: Name
    target: Name = Field(description="the student-facing function the check exercises")
    score: float
    max_score: float
    status: Status
    visibility: Visibility
    message: Message
    cases_passed: int = 0
    cases_total: int = 0
    hidden_cases: int = Field(0, description="how many of the cases were hidden variants")
    hint: Message | None = None
    detail: Message | None = Field(None, description=(
        "the full diagnosis, for instructors only: for a hidden case it may name the case's inputs and "
        "the reference's values, so no student-facing page or export shows it"))
    grader_error: bool = Field(False, description=(
        "the grader itself failed on this check (not the student's fault): the score is not to be trusted"))
    data: dict[str, Any] | None = Field(None, description=(
        "numbers behind the verdict, for plots; lists keep at most 5,000 values (a long history is "
        "downsampled and `<key>_downsampled` says from how many)"))
    graded_score: float | None = Field(None, description=(
        "the score the check gave, when an instructor's override replaced it in `score` (see the report's "
        "`overrides`); absent otherwise"))

    @field_validator("data")
    @classmethod
    def _finite(cls, value: dict[str, Any] | None) -> dict[str, Any] | None:
        return None if value is None else finite(value)


class SubmissionInfo(BaseModel):
    model_config = _STRICT

    path: PathText
    sha256: str
    kind: Literal["py", "ipynb", "missing", "unreadable"] = "py"
    files: Names = Field(default_factory=list)
    notes: Messages = Field(default_factory=list, description="what the grader changed or noticed")
    late: bool | None = None
    name: Name | None = Field(None, description="the student's name, when the layout gives one")
    lms: Literal["canvas", "moodle", "blackboard", "classroom"] | None = Field(
        None, description="the LMS download the submission was read from (None: plain files)")
    id_kind: Literal["user_id", "anonymous_id", "participant_id", "username", "github_username"] | None = Field(
        None, description="which of the LMS's ids `student` is: Canvas's user id (its gradebook's ID column) or "
        "anonymous id, Moodle's participant id (its grading worksheet's Identifier), Blackboard's username, "
        "GitHub's username; exports use it to pick the roster column to match")
    lms_assignment: Name | None = Field(
        None, description="the assignment as the download names it (Canvas: the zip's name, course and title; "
        "Blackboard: its title), used to find the assignment's gradebook column")


class SandboxInfo(BaseModel):
    model_config = _STRICT

    tier: str
    protections: list[str] = Field(default_factory=list)


class LateInfo(BaseModel):
    """When the work came in against the late policy, and what that costs (grader.late)."""

    model_config = _STRICT

    policy: LatePolicy = Field(description="the assignment's [late] table when graded (of its extensions, only this "
                               "student's)")
    submitted_at: str | None = Field(None, description="when it was handed in (ISO 8601 with offset); None: unknown")
    source: Message | None = Field(None, description="where that time comes from (the LMS, git, the file, --times)")
    flagged: bool | None = Field(None, description="the LMS's own verdict (Canvas's LATE), when it gives one")
    due: str = Field(description="the due date that applies to this student, extensions included (ISO 8601)")
    extension: Message | None = Field(None, description="why `due` is not the policy's: whose extension, and why")
    seconds_late: float = Field(0.0, description="after `due`; 0 when on time or unknown")
    percent: float = Field(0.0, description="the penalty, in percent of `policy.of`")
    reason: Message = Field(description="the whole story in one sentence, as pages show it")


class Override(BaseModel):
    """One instructor's decision from the reports folder's overrides.toml (grader.overrides)."""

    model_config = _STRICT

    kind: Literal["score", "check", "extension"]
    check: Name | None = Field(None, description="the check it sets (kind check)")
    points: float | None = Field(None, description="the points it gives (kinds score and check)")
    until: str | None = Field(None, description="the new due date (kind extension), ISO 8601")
    reason: Message
    before: float | None = Field(None, description="the points it replaced (kinds score and check)")


class Report(BaseModel):
    """One student's graded submission."""

    model_config = _STRICT

    schema_version: Literal[1, 2] = SCHEMA_VERSION
    assignment: Name
    assignment_version: Name
    student: Name
    score: float = Field(description=(
        "the final score, the one exports and LMSs read: the checks' points, with the instructor's overrides, "
        "less the late penalty"))
    max_score: float
    raw_score: float | None = Field(None, description=(
        "the checks' points as graded, before overrides and the late penalty (absent from schema version 1 "
        "reports, whose `score` is that)"))
    penalty: float = Field(0.0, description="points taken off for lateness (`late.reason` says why)")
    late: LateInfo | None = Field(None, description="the late policy applied to this submission; None: no [late] table")
    overrides: list[Override] = Field(default_factory=list, description=(
        "the instructor's decisions applied to this report, from the reports folder's overrides.toml"))
    checks: list[CheckResult]
    submission: SubmissionInfo
    errors: Messages = Field(default_factory=list, description="problems with the whole submission")
    grading_key: str | None = Field(
        None, description="hash of the submission, the assignment, its reference and the grading seed: a "
        "report with the same key need not be graded again (the seed cannot be read back from it)")
    output: Annotated[str, AfterValidator(lambda v: clean(v, OUTPUT_LIMIT))] = Field(
        "", description="what the submission printed (capped, cleaned)")
    sandbox: SandboxInfo | None = None
    grader_error: Message | None = Field(None, description=(
        "why this submission could not be graded at all (the machine kept failing while grading it, not the "
        "student's fault): its score is 0 and not to be trusted, and the next run grades it again"))
    grader_version: str = __version__
    torch_version: str
    started_at: str
    duration_s: float

    @property
    def graded(self) -> float:
        """The checks' points as graded (before overrides and the penalty), whatever the schema version."""
        return self.score if self.raw_score is None else self.raw_score

    @property
    def has_grader_error(self) -> bool:
        """The grader failed on this submission (the whole of it, or a check): its score is not the student's."""
        return self.grader_error is not None or any(check.grader_error for check in self.checks)

    def to_json(self) -> str:
        return json.dumps(self.model_dump(mode="json"), indent=2, ensure_ascii=False, allow_nan=False) + "\n"

    def comparable(self) -> dict[str, Any]:
        """The report without what changes from run to run: times, the sandbox's protections
        (which name the worker slot's uid) and the note that the machine made the grader retry."""
        data = self.model_dump(mode="json")
        for key in ("started_at", "duration_s"):
            data.pop(key, None)
        if data.get("sandbox"):
            data["sandbox"].pop("protections", None)
        data["submission"]["notes"] = [n for n in data["submission"]["notes"] if not n.startswith(RETRY_NOTE)]
        return data


def json_schema() -> dict[str, Any]:
    schema = Report.model_json_schema()
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["$id"] = "https://github.com/pytorch-autograder/grader/schema/report.schema.json"
    return schema


def schema_text() -> str:
    return json.dumps(json_schema(), indent=2, sort_keys=True) + "\n"
