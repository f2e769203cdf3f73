"""Which checks a page may show: Gradescope's visibility words mapped to a release stage.

A student page shows `visible` checks; `--release due` adds `after_due_date`, `--release
published` adds `after_published` and the total score. `hidden` checks never appear on a student
page (their points still count in the total once it is shown); only `--instructor` shows them.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from grader.report import CheckResult, Report, Visibility

Release = Literal["none", "due", "published"]
RELEASES: tuple[Release, ...] = ("none", "due", "published")

_STAGE: dict[Visibility, int] = {"visible": 0, "after_due_date": 1, "after_published": 2, "hidden": 3}
_LEVEL: dict[Release, int] = {"none": 0, "due": 1, "published": 2}
_WHEN: dict[Visibility, str] = {
    "visible": "shown now",
    "after_due_date": "released after the due date",
    "after_published": "released when grades are published",
    "hidden": "never shown to students",
}


@dataclass(frozen=True)
class View:
    release: Release = "none"
    instructor: bool = False

    @classmethod
    def parse(cls, release: str, instructor: bool = False) -> View:
        for known in RELEASES:
            if known == release:
                return cls(known, instructor)
        raise ValueError(f"release must be one of {', '.join(RELEASES)}, not {release!r}")

    def shows(self, check: CheckResult) -> bool:
        return self.instructor or _STAGE[check.visibility] <= _LEVEL[self.release]

    def shows_total(self, report: Report) -> bool:
        """The total includes withheld checks' points, so it waits until grades are published."""
        return self.instructor or self.release == "published" or all(self.shows(c) for c in report.checks)

    def describe(self) -> str:
        if self.instructor:
            return "Instructor view: every check, including hidden ones. Do not send this page to students."
        shown = {"none": "visible checks", "due": "visible checks and those released after the due date",
                 "published": "every check except hidden ones"}[self.release]
        return f"Student view: {shown}."


@dataclass(frozen=True)
class Withheld:
    """Checks a page leaves out, counted by when they will be released."""

    when: str
    count: int
    points: float


def withheld(report: Report, view: View) -> list[Withheld]:
    groups: dict[Visibility, list[CheckResult]] = {}
    for check in report.checks:
        if not view.shows(check):
            groups.setdefault(check.visibility, []).append(check)
    return [Withheld(_WHEN[v], len(cs), sum(c.max_score for c in cs))
            for v, cs in sorted(groups.items(), key=lambda item: _STAGE[item[0]])]
