"""The `[late]` table of assignment.toml: when work is due and what handing it in late costs.

A date and time is written as in TOML (`2026-12-01T23:59`, quoted or not) and means local time in
`time_zone` unless it carries its own offset (`2026-12-01T23:59+01:00`). The policy is copied into
every report it was applied to, so an export or an extension granted later can work the penalty
out again from the report alone (grader.late).
"""

from __future__ import annotations

from datetime import date, datetime, time
from typing import Annotated, Any, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field, field_validator


def _as_text(value: Any) -> Any:
    """A TOML date-time (unquoted) arrives as a datetime: keep it as the text the instructor wrote."""
    if isinstance(value, datetime):
        return value.isoformat(timespec="minutes" if value.second == 0 and not value.microsecond else "seconds")
    if isinstance(value, date):
        return value.isoformat()
    return value


def parse_when(text: str, zone: ZoneInfo) -> datetime:
    """An aware datetime from `2026-12-01T23:59` (in `zone`), `2026-12-01 23:59`, `...+01:00`, `...Z`
    or a date alone (`2026-12-01`: the end of that day, 23:59:59); ValueError otherwise."""
    text = text.strip()
    try:
        when = datetime.fromisoformat(text)
    except ValueError as exc:
        raise ValueError(f"{text!r} is not a date and time; write it as 2026-12-01T23:59 "
                         "(local time in `time_zone`) or 2026-12-01T23:59+01:00") from exc
    if len(text) == 10:  # a date alone: due at the end of the day
        when = datetime.combine(when.date(), time(23, 59, 59))
    return when.replace(tzinfo=zone) if when.tzinfo is None else when


def _parses(text: str) -> str:
    parse_when(text, ZoneInfo("UTC"))
    return text


When = Annotated[str, BeforeValidator(_as_text), AfterValidator(_parses)]


class LatePolicy(BaseModel):
    """Late work: the due date, a grace period, a penalty for each day (or hour) late and its cap,
    and extensions for some students. The penalty is a percentage of the score the checks gave
    (or of the maximum, see `of`); reports keep the score before the penalty, the penalty and why.
    A day is 24 hours from the due time; lateness counts from the due date, and a grace period
    forgives small delays without moving the due date. Where a submission's time comes from is
    said in docs/grading.md."""

    model_config = ConfigDict(extra="forbid")

    due: When = Field(examples=["2026-12-01T23:59"], description=(
        "When the work is due: a date and time, local time in `time_zone` unless it carries an "
        "offset (`2026-12-01T23:59+01:00`); a date alone means the end of that day."))
    time_zone: str = Field("UTC", examples=["Europe/Berlin"], description=(
        "The IANA time zone of `due`, of the extensions and of times the LMS gives without one "
        "(`Europe/Berlin`, `America/New_York`); reports name it."))
    grace_hours: float = Field(0.0, ge=0, le=24 * 366, strict=True, examples=[0.25], description=(
        "Work handed in at most this many hours after the due time is on time. Past it, lateness "
        "counts from the due time itself."))
    penalty_percent: float = Field(ge=0, le=100, strict=True, examples=[10], description=(
        "Taken off for each day (or hour, see `per`) or part of one past the due time."))
    per: Literal["day", "hour"] = Field("day", examples=["hour"], description=(
        "The unit `penalty_percent` is charged per: a started `day` (24 hours) or a started `hour`."))
    max_percent: float = Field(100.0, ge=0, le=100, strict=True, examples=[50], description=(
        "The cap: no submission loses more than this percentage, however late (100: very late "
        "work earns nothing)."))
    of: Literal["score", "max_score"] = Field("score", examples=["max_score"], description=(
        "What the percentage is of: the `score` the checks gave (20% of 7.5 is 1.5), or the "
        "assignment's `max_score` (Canvas's way; the score never goes below 0)."))
    extensions: dict[str, When] = Field(default_factory=dict, examples=[{"12345": "2026-12-05T23:59"}],
                                        description=(
        "A due date of their own for some students, by student id as the reports name them (Canvas "
        "user id, Moodle participant id, Blackboard username, GitHub username, file name). "
        "`grader override DIR STUDENT --extension` grants one after grading."))

    @field_validator("time_zone")
    @classmethod
    def _known_zone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError) as exc:
            raise ValueError(f"unknown time zone {value!r}; use an IANA name such as "
                             "'Europe/Berlin' or 'America/New_York'") from exc
        return value

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.time_zone)

    def due_for(self, student: str) -> datetime:
        """The due date that applies to `student` (an extension in the policy, if any)."""
        return parse_when(self.extensions.get(student, self.due), self.zone)
