"""Feedback pages in a real browser: Debian's headless Chromium driven by playwright, offline.

Every page is opened from file:// with all other requests blocked and recorded, so a page that
needs the network fails here. Screenshots go to artifacts/screenshots/ (kept by CI, ignored by
git). Without Chromium the tests skip, unless GRADER_REQUIRE_CHROMIUM=1 (CI sets it).
"""

from __future__ import annotations

import io
import os
import shutil
import statistics
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from grader.numbers import points
from grader.report import Report
from grader.reports import read_report, report_paths
from tests.conftest import ROOT
from tests.synthetic_class import write_class

if TYPE_CHECKING:
    from playwright.sync_api import BrowserContext, Dialog, Page, Route

CHROMIUM = Path("/usr/bin/chromium")
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync"]
SCREENSHOTS = ROOT / "artifacts" / "screenshots"
HOSTILE_SUBMISSION = '''\
import torch

print("<script>alert('pwned')</script>\\x1b[31mRED\\x1b[0m </pre><img src=x onerror=alert(1)>")


def forward(x, w):
    return "<script>alert('forward')</script>"


def loss(x, y, w):
    return (x * w - y) ** 2


def manual_gradient(x, y, w):
    print("\\x1b]0;title\\x07<b>bold?</b>")
    return 2 * (x * w - y) * x


def train(xs, ys, w0=1.0, lr=0.01, epochs=100):
    raise ValueError("</td><script>alert('train')</script>")


def predict(x, w):
    return x * w
'''


@pytest.fixture(scope="module")
def browser(tmp_path_factory: pytest.TempPathFactory) -> Iterator[BrowserContext]:
    required = os.environ.get("GRADER_REQUIRE_CHROMIUM") == "1"
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        if required:
            raise
        pytest.skip("the playwright package is not installed")
    if not CHROMIUM.is_file():
        if required:
            pytest.fail(f"{CHROMIUM} is missing: apt-get install chromium (.ci/run does)")
        pytest.skip(f"{CHROMIUM} is not installed")
    profile = tmp_path_factory.mktemp("chromium-profile")  # a fresh user-data-dir
    with sync_playwright() as playwright:
        context = playwright.chromium.launch_persistent_context(
            str(profile), executable_path=str(CHROMIUM), headless=True, args=FLAGS,
            viewport={"width": 1200, "height": 900})
        yield context
        context.close()


@dataclass
class Visit:
    page: Page
    requests: list[str] = field(default_factory=list)
    blocked: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    dialogs: list[str] = field(default_factory=list)

    def assert_clean(self) -> None:
        """No console errors, no script dialogs, and nothing but the page's own files requested."""
        assert self.errors == []
        assert self.dialogs == []
        assert self.blocked == []
        assert [u for u in self.requests if not u.startswith(("file://", "data:"))] == []

    def screenshot(self, name: str, full_page: bool = True) -> bytes:
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        return self.page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=full_page)


def visit(context: BrowserContext, path: Path) -> Visit:
    page = context.new_page()
    seen = Visit(page)

    def only_files(route: Route) -> None:
        if route.request.url.startswith(("file://", "data:")):
            route.continue_()
        else:
            seen.blocked.append(route.request.url)
            route.abort()

    page.route("**/*", only_files)
    page.on("request", lambda request: seen.requests.append(request.url))
    page.on("console", lambda message: seen.errors.append(message.text) if message.type == "error" else None)
    page.on("pageerror", lambda error: seen.errors.append(str(error)))

    def on_dialog(dialog: Dialog) -> None:
        seen.dialogs.append(dialog.message)
        dialog.dismiss()

    page.on("dialog", on_dialog)
    page.goto(path.as_uri(), wait_until="load")
    return seen


def assert_not_blank(png: bytes, page: Page) -> None:
    from PIL import Image

    image = Image.open(io.BytesIO(png)).convert("RGB")
    colors = image.getcolors(maxcolors=1 << 20) or []
    white = next((n for n, rgb in colors if rgb == (255, 255, 255)), 0)
    assert len(colors) > 50, "the screenshot has almost no colours"
    assert white < 0.97 * image.width * image.height, "the screenshot is nearly all white"
    assert len(page.inner_text("body")) > 300


def _text(page: Page, selector: str) -> str:
    return " ".join(page.inner_text(selector).split())


@pytest.fixture(scope="module")
def graded_class(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, Report]]:
    """The sample backprop class plus a hostile student, graded for real with `grader grade --html`."""
    root = tmp_path_factory.mktemp("feedback-class")
    shutil.copytree(ROOT / "examples" / "backprop", root / "class")
    (root / "class" / "mallory").mkdir()
    (root / "class" / "mallory" / "backprop.py").write_text(HOSTILE_SUBMISSION)
    out = root / "out"
    result = subprocess.run([sys.executable, "-m", "grader", "grade", "backprop", str(root / "class"),
                             "--out", str(out), "--jobs", "2", "--html"],
                            cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    reports = {p.stem: read_report(p) for p in report_paths(out)}
    return out, reports


def test_the_harness_sees_and_blocks_network_requests(browser: BrowserContext, tmp_path: Path) -> None:
    """The offline assertions are not vacuous: a page that reaches for the network is caught."""
    page = tmp_path / "online.html"
    page.write_text('<!DOCTYPE html><title>t</title><img src="http://192.0.2.1/x.png"><p>hello</p>')
    seen = visit(browser, page)
    assert seen.blocked == ["http://192.0.2.1/x.png"]
    with pytest.raises(AssertionError):
        seen.assert_clean()


def test_dashboard_shows_the_class_numbers_offline(browser: BrowserContext,
                                                   graded_class: tuple[Path, dict[str, Report]]) -> None:
    out, reports = graded_class
    seen = visit(browser, out / "feedback" / "index.html")
    page = seen.page
    scores = [r.score for r in reports.values()]
    assert _text(page, "#students") == str(len(reports))
    assert _text(page, "#mean") == points(statistics.fmean(scores))
    assert _text(page, "#median") == points(statistics.median(scores))
    assert _text(page, "#full-marks") == str(sum(1 for r in reports.values() if r.score == r.max_score))
    links = page.eval_on_selector_all("#students-list a", "as => as.map(a => a.textContent)")
    assert sorted(links) == sorted(r.student for r in reports.values())
    widths = page.eval_on_selector_all("figure img", "imgs => imgs.map(i => i.naturalWidth)")
    assert len(widths) == 3 and all(w > 100 for w in widths)
    first = next(iter(reports.values())).checks[0]
    passed = sum(1 for r in reports.values() for c in r.checks if c.name == first.name and c.status == "passed")
    row = page.locator("#checks tbody tr").first
    assert first.name in row.inner_text() and f"{100 * passed / len(reports):.0f}%" in row.inner_text()
    assert page.locator("script").count() == 0  # the hostile student's messages are listed, as text
    assert "</td><script>alert('train')</script>" in page.inner_text("#problems-list")
    assert_not_blank(seen.screenshot("dashboard"), page)
    seen.assert_clean()


def test_student_page_shows_score_gradients_and_loss_curves(browser: BrowserContext,
                                                            graded_class: tuple[Path, dict[str, Report]]) -> None:
    out, reports = graded_class
    stem, report = next((s, r) for s, r in sorted(reports.items())
                        if any(c.status == "failed" and c.data and "expected" in c.data for c in r.checks))
    seen = visit(browser, out / "feedback" / "students" / f"{stem}.html")
    page = seen.page
    assert _text(page, "#score") == f"{points(report.score)} / {points(report.max_score)} points"
    gradient = next(c for c in report.checks if c.status == "failed" and c.data and "expected" in c.data)
    assert gradient.data is not None
    card = _text(page, f"#check-{report.checks.index(gradient) + 1}")
    assert gradient.message in card
    for value in (gradient.data["student"], gradient.data["expected"]):
        if isinstance(value, float):
            assert f"{value:.8g}" in card
    curves = page.locator("svg.lossplot")
    assert curves.count() >= 1
    box = curves.first.bounding_box()
    assert box is not None and box["width"] > 300 and box["height"] > 100
    assert len(curves.first.locator("path.student").get_attribute("d") or "") > 200
    assert len(curves.first.locator("path.reference").get_attribute("d") or "") > 200
    assert_not_blank(seen.screenshot(f"student-{stem}"), page)
    seen.assert_clean()


def test_hostile_output_and_messages_render_as_text(browser: BrowserContext,
                                                    graded_class: tuple[Path, dict[str, Report]]) -> None:
    out, reports = graded_class
    assert "<script>" in reports["mallory"].output
    seen = visit(browser, out / "feedback" / "students" / "mallory.html")
    page = seen.page
    output = page.inner_text("#output")
    assert "<script>alert('pwned')</script>RED </pre><img src=x onerror=alert(1)>" in output
    assert "<b>bold?</b>" in output and "\x1b" not in output and "[31m" not in output
    assert "</td><script>alert('train')</script>" in page.inner_text("body")
    assert page.locator("script").count() == 0
    assert page.locator("img").count() == 0 and page.locator("b", has_text="bold?").count() == 0
    assert_not_blank(seen.screenshot("student-hostile"), page)
    seen.assert_clean()


def test_thousand_student_class_builds_in_under_30_s_and_opens_offline(browser: BrowserContext,
                                                                       tmp_path: Path) -> None:
    reports = write_class(tmp_path, 1000)
    started = time.monotonic()
    result = subprocess.run([sys.executable, "-m", "grader", "feedback", str(tmp_path)],
                            cwd=ROOT, capture_output=True, text=True, timeout=120)
    elapsed = time.monotonic() - started
    assert result.returncode == 0, result.stderr
    assert elapsed < 30, f"grader feedback took {elapsed:.1f} s for 1,000 students"
    seen = visit(browser, tmp_path / "feedback" / "index.html")
    assert _text(seen.page, "#students") == "1000"
    assert seen.page.locator("#students-list a").count() == 1000
    assert_not_blank(seen.screenshot("dashboard-1000", full_page=False), seen.page)
    seen.assert_clean()
    long = next(r for r in reports if any(len((c.data or {}).get("history", [])) == 2000 for c in r.checks))
    student = visit(browser, tmp_path / "feedback" / "students" / f"{long.student}.html")
    assert student.page.locator("svg.lossplot").count() >= 1
    student.assert_clean()
