"""`grader.check()`'s table in a notebook: it fits a notebook column and speaks in notebook terms.

A real report (a wrong-sign gradient, graded in the sandbox) is rendered as the notebook shows it
and laid out by headless Chromium in a column as narrow as a notebook's on a laptop: nothing may
overflow sideways. The terminal keeps its own table (`grader check`, tested elsewhere).
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from grader import notebook_view
from grader.grading import Plan, grade
from grader.report import Report
from grader.sandbox.zygote import Zygote
from grader.submission import Submission
from tests.conftest import SCENARIOS, assignment

if TYPE_CHECKING:
    from playwright.sync_api import Browser

CHROMIUM = Path("/usr/bin/chromium")


@pytest.fixture(scope="module")
def report() -> Report:
    backprop = assignment("backprop")
    plan = Plan(backprop, include_hidden=False, reference=backprop.load_reference(), only_visible=True)
    path = SCENARIOS / "backprop" / "nan_gradient.py"
    with Zygote() as zygote:
        return grade(plan, Submission("student", path, source=path), zygote)


def test_the_table_speaks_in_notebook_terms(report: Report) -> None:
    html, text = notebook_view.html(report), notebook_view.text(report)
    failing = [c for c in report.checks if c.status != "passed"]
    assert failing, "the scenario must fail some check"
    for check in report.checks:
        assert check.name.replace("'", "&#39;") in html
    assert html.count("<tr") == len(report.checks) + 1  # a header and one row per check, three cells each
    assert "run its cell again (Shift+Enter), then run this cell again" in html
    assert "Kernel &gt; Restart &amp; Run All" in html
    for words in ("grader check", "terminal", "command"):
        assert words not in html and words not in text
    assert all(len(line) < 100 for line in text.splitlines() if line.startswith(("✔", "✘", "!")))
    only = notebook_view.html(report, target="manual_gradient")
    assert "train" not in "".join(line for line in only.splitlines() if "<div>" in line)


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    if not CHROMIUM.is_file():  # as in test_feedback_browser: CI sets GRADER_REQUIRE_CHROMIUM=1
        if os.environ.get("GRADER_REQUIRE_CHROMIUM") == "1":
            pytest.fail(f"{CHROMIUM} is missing: apt-get install chromium (.ci/run does)")
        pytest.skip(f"{CHROMIUM} is not installed")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True,
                                              args=["--no-sandbox", "--disable-gpu"])
        yield chromium
        chromium.close()


@pytest.mark.parametrize("width", [420, 700])
def test_the_table_fits_a_notebook_column(report: Report, browser: Browser, width: int) -> None:
    """No horizontal scrolling at a notebook output's width (Jupyter's default font and padding)."""
    page = browser.new_page(viewport={"width": width + 100, "height": 900})
    page.route("**/*", lambda route: route.abort() if not route.request.url.startswith("data:") else route.continue_())
    output = f'<div id="output" style="width:{width}px; overflow-x:auto">{notebook_view.html(report)}</div>'
    page.set_content(f'<body style="font: 14px sans-serif; margin: 0">{output}</body>')
    sizes = page.evaluate("() => { const o = document.getElementById('output');"
                          " return [o.scrollWidth, o.clientWidth, document.querySelector('table').offsetWidth]; }")
    page.close()
    scroll, client, table = sizes
    assert scroll <= client, f"the output scrolls sideways: {scroll} px of content in {client} px"
    assert table <= width
