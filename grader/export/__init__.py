"""Grades out of the grader: LMS gradebook files, CI reports, Gradescope and Classroom results.

Every format is a pure function of the report models (`grader.report.Report`), so an export can
be rerun at any time from the reports on disk and gives the same bytes. Roster matching
(`roster.py`) makes sure no grade is dropped or given to the wrong person.
"""

from __future__ import annotations

FORMATS = ("canvas", "moodle", "blackboard", "csv", "junit", "gradescope", "classroom")
TABLE_FORMATS = ("canvas", "moodle", "blackboard", "csv")
