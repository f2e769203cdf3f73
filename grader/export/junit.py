"""JUnit XML for CI dashboards (FORMATS.md §7): a test suite per student, a test case per check.

`failure` is a wrong answer, `error` is code that raised or timed out, `skipped` a check that did
not run. Scores have no standard place in JUnit, so each suite carries `score` (final) and
`max_score` properties, with `raw_score`, `penalty` and `adjustments` (overrides, the late
penalty) when they differ; an overridden check says so in its text. No timestamps or host names:
the same reports give the same bytes.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

from grader.adjust import explain
from grader.numbers import points
from grader.report import CheckResult, Report

_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
ATTRIBUTE_LIMIT = 1000


def _text(value: str, limit: int | None = None) -> str:
    """Text XML 1.0 can hold (student output may contain anything), optionally capped."""
    value = _NOT_XML.sub("\N{REPLACEMENT CHARACTER}", value)
    if limit is not None and len(value) > limit:
        value = value[: limit - 1] + "…"
    return value


def _seconds(value: float) -> str:
    return f"{value:.3f}"


def _outcome(check: CheckResult) -> tuple[str, str] | None:
    return {
        "passed": None,
        "failed": ("failure", "failed"),
        "error": ("error", "error"),
        "timeout": ("error", "timeout"),
        "skipped": ("skipped", "skipped"),
    }[check.status]


def _counts(checks: list[CheckResult]) -> dict[str, str]:
    kinds = [_outcome(c) for c in checks]
    return {
        "tests": str(len(checks)),
        "failures": str(sum(1 for k in kinds if k and k[0] == "failure")),
        "errors": str(sum(1 for k in kinds if k and k[0] == "error")),
        "skipped": str(sum(1 for k in kinds if k and k[0] == "skipped")),
    }


def _case(report: Report, check: CheckResult) -> ET.Element:
    case = ET.Element("testcase", {"classname": _text(f"{report.assignment}.{report.student}"),
                                   "name": _text(check.name)})
    outcome = _outcome(check)
    if outcome is not None:
        tag, kind = outcome
        body = [check.message, f"points: {points(check.score)}/{points(check.max_score)}; "
                f"cases passed: {check.cases_passed}/{check.cases_total}"]
        if check.hint:
            body.append(f"hint: {check.hint}")
        decided = [d for d in report.overrides if d.kind == "check" and d.check == check.name]
        body += [f"instructor override: {points(d.points or 0.0)} points instead of {points(d.before or 0.0)}: "
                 f"{d.reason}" for d in decided]
        element = ET.SubElement(case, tag, {"message": _text(check.message, ATTRIBUTE_LIMIT), "type": kind})
        element.text = _text("\n".join(body))
    return case


def _suite(report: Report) -> ET.Element:
    suite = ET.Element("testsuite", {"name": _text(report.student), **_counts(report.checks),
                                     "time": _seconds(report.duration_s)})
    properties = ET.SubElement(suite, "properties")
    for name, value in (("score", points(report.score)), ("max_score", points(report.max_score)),
                        ("assignment", report.assignment), ("assignment_version", report.assignment_version),
                        ("sandbox", report.sandbox.tier if report.sandbox else "none")):
        ET.SubElement(properties, "property", {"name": name, "value": _text(value)})
    adjustments = explain(report)
    if adjustments:
        for name, value in (("raw_score", points(report.graded)), ("penalty", points(report.penalty)),
                            ("adjustments", " | ".join(adjustments))):
            ET.SubElement(properties, "property", {"name": name, "value": _text(value, ATTRIBUTE_LIMIT)})
    suite.extend(_case(report, check) for check in report.checks)
    if report.output:
        ET.SubElement(suite, "system-out").text = _text(report.output)
    if report.errors or report.submission.notes:
        ET.SubElement(suite, "system-err").text = _text("\n".join([*report.errors, *report.submission.notes]))
    return suite


def junit_xml(reports: list[Report]) -> str:
    """One `<testsuites>` for the class, named after the assignment."""
    checks = [c for r in reports for c in r.checks]
    name = reports[0].assignment if reports else "grades"
    root = ET.Element("testsuites", {"name": _text(name), **_counts(checks),
                                     "time": _seconds(sum(r.duration_s for r in reports))})
    root.extend(_suite(r) for r in reports)
    ET.indent(root)
    return '<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"
