"""The score report: the pydantic model every export reads, its JSON Schema, atomic writing.

A report is always strict JSON: non-finite numbers inside `data` become the strings "nan",
"inf" and "-inf", and text that came from student code has its control characters and terminal
escape sequences removed before it is stored.
"""

from __future__ import annotations

import json
import math
import os
import re
import tempfile
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

from grader import __version__

SCHEMA_VERSION = 1
Status = Literal["passed", "failed", "error", "timeout", "skipped"]
Visibility = Literal["visible", "hidden", "after_due_date", "after_published"]

_ANSI = re.compile(r"\x1b(\[[0-?]*[ -/]*[@-~]|\][^\x07\x1b]*(\x07|\x1b\\)|[@-Z\\-_])")
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def clean_text(text: str, limit: int | None = None) -> str:
    """Remove terminal escapes and control characters (keeping newlines and tabs); cap length.

    Idempotent: the capped text, note included, fits the limit, so a report read back (or passed
    from a Dask worker to the client) validates to exactly the same text.
    """
    text = _CONTROL.sub("\N{REPLACEMENT CHARACTER}", _ANSI.sub("", text))
    if limit is not None and len(text) > limit:
        kept = limit - 48
        text = text[:kept] + f"\n... [{len(text) - kept:,} more characters not shown]"
    return text


def finite(value: Any) -> Any:
    """A copy of `value` in which non-finite floats are strings, so the JSON stays strict."""
    if isinstance(value, float) and not math.isfinite(value):
        return "nan" if math.isnan(value) else ("inf" if value > 0 else "-inf")
    if isinstance(value, list | tuple):
        return [finite(v) for v in value]
    if isinstance(value, dict):
        return {str(k): finite(v) for k, v in value.items()}
    return value


class CheckResult(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: str
    target: str = Field(description="the student-facing function the check exercises")
    score: float
    max_score: float
    status: Status
    visibility: Visibility
    message: str
    cases_passed: int = 0
    cases_total: int = 0
    hidden_cases: int = Field(0, description="how many of the cases were hidden variants")
    hint: str | None = None
    data: dict[str, Any] | None = Field(None, description="numbers behind the verdict, for plots")

    @field_validator("message", "hint")
    @classmethod
    def _clean(cls, value: str | None) -> str | None:
        return None if value is None else clean_text(value, 4000)

    @field_validator("data")
    @classmethod
    def _finite(cls, value: dict[str, Any] | None) -> dict[str, Any] | None:
        return None if value is None else finite(value)


class SubmissionInfo(BaseModel):
    model_config = ConfigDict(extra="forbid")

    path: str
    sha256: str
    kind: Literal["py", "ipynb", "missing", "unreadable"] = "py"
    files: list[str] = Field(default_factory=list)
    notes: list[str] = Field(default_factory=list, description="what the grader changed or noticed")
    late: bool | None = None
    name: str | None = Field(None, description="the student's name, when the layout gives one")


class SandboxInfo(BaseModel):
    model_config = ConfigDict(extra="forbid")

    tier: str
    protections: list[str] = Field(default_factory=list)


class Report(BaseModel):
    """One student's graded submission."""

    model_config = ConfigDict(extra="forbid")

    schema_version: Literal[1] = 1
    assignment: str
    assignment_version: str
    student: str
    score: float
    max_score: float
    checks: list[CheckResult]
    submission: SubmissionInfo
    errors: list[str] = Field(default_factory=list, description="problems with the whole submission")
    grading_key: str | None = Field(
        None, description="hash of the submission, the assignment, its reference and the grading seed: a "
        "report with the same key need not be graded again (the seed cannot be read back from it)")
    output: str = Field("", description="what the submission printed (capped, cleaned)")
    sandbox: SandboxInfo | None = None
    grader_version: str = __version__
    torch_version: str
    started_at: str
    duration_s: float

    @field_validator("output")
    @classmethod
    def _clean_output(cls, value: str) -> str:
        return clean_text(value, 8000)

    @field_validator("errors")
    @classmethod
    def _clean_errors(cls, value: list[str]) -> list[str]:
        return [clean_text(v, 4000) for v in value]

    def to_json(self) -> str:
        return json.dumps(self.model_dump(mode="json"), indent=2, ensure_ascii=False, allow_nan=False) + "\n"

    def comparable(self) -> dict[str, Any]:
        """The report without what changes from run to run: times, and the sandbox's protections
        (which name the worker slot's uid)."""
        data = self.model_dump(mode="json")
        for key in ("started_at", "duration_s"):
            data.pop(key, None)
        if data.get("sandbox"):
            data["sandbox"].pop("protections", None)
        return data


def json_schema() -> dict[str, Any]:
    schema = Report.model_json_schema()
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["$id"] = "https://github.com/pytorch-autograder/grader/schema/report.schema.json"
    return schema


def schema_text() -> str:
    return json.dumps(json_schema(), indent=2, sort_keys=True) + "\n"


def write_atomic(path: Path, text: str) -> None:
    """Write via a temporary file and a rename, so a reader never sees half a file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


SUMMARY_FILES = frozenset({"summary.json"})


def report_paths(folder: Path) -> list[Path]:
    """The `<student>.json` reports of an output folder, sorted: not the summary, not hidden files
    (such as an atomic write's temporary file), not subfolders."""
    return sorted(p for p in folder.glob("*.json")
                  if p.is_file() and p.name not in SUMMARY_FILES and not p.name.startswith("."))


def read_report(path: Path) -> Report:
    return Report.model_validate_json(path.read_text(encoding="utf-8"))
