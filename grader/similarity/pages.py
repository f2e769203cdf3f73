"""`<out>/similarity/`: similarity.json, index.html and one side-by-side page per listed pair.

Pages are self-contained (inline CSS, no scripts, nothing fetched; the Content-Security-Policy
says so) and every text from a submission goes through Jinja's autoescaping, after grader.text
has removed control characters. A run replaces the pages of the previous one.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from jinja2 import Environment, PackageLoader, StrictUndefined

from grader.similarity.analysis import Analysis
from grader.similarity.model import Pair, Side
from grader.similarity.sources import Document
from grader.text import clean

PAGES = 500
"""Pairs with a side-by-side page and a row on the index (all of them are in similarity.json)."""
LINES = 5000
"""Lines shown per side; longer files are cut with a note."""
_OLD_PAGE = re.compile(r"^\d{4,}\.html$")


@dataclass(frozen=True)
class Row:
    where: str | None  # set where a notebook's next cell starts
    number: int
    text: str
    hit: bool


@cache
def environment() -> Environment:
    return Environment(loader=PackageLoader("grader.similarity", "templates"), autoescape=True,
                       undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True)


def render(template: str, **context: Any) -> str:
    return environment().get_template(template).render(**context)


def write(analysis: Analysis, out: Path) -> Path:
    """Write everything under `out/similarity/`; returns the index page."""
    report = analysis.report
    folder = out / "similarity"
    (folder / "pairs").mkdir(parents=True, exist_ok=True)
    for old in (folder / "pairs").iterdir():
        if _OLD_PAGE.match(old.name):
            old.unlink()
    for pair in report.pairs[PAGES:]:
        pair.page = None
    (folder / "similarity.json").write_text(report.to_json(), encoding="utf-8")
    for pair in report.pairs[:PAGES]:
        (folder / f"pairs/{pair.rank:04d}.html").write_text(_pair_page(analysis, pair), encoding="utf-8")
    best = {c.number: next(p for p in report.pairs if p.cluster == c.number) for c in report.clusters}
    kinds = [d.kind for d in report.documents]
    index = folder / "index.html"
    index.write_text(render("index.html.j2", report=report, pairs=report.pairs[:PAGES], best_pair=best,
                            hidden=max(0, len(report.pairs) - PAGES), students=kinds.count("student"),
                            sources=kinds.count("source")), encoding="utf-8")
    return index


def _pair_page(analysis: Analysis, pair: Pair) -> str:
    sides = [_side(analysis.documents[side.name], side) for side in (pair.a, pair.b)]
    notebook = any(analysis.documents[s.name].path.suffix.lower() == ".ipynb" for s in (pair.a, pair.b))
    return render("pair.html.j2", assignment=analysis.report.assignment, pair=pair, sides=sides, notebook=notebook)


def _side(document: Document, side: Side) -> dict[str, Any]:
    hits = {(r.where, n) for r in side.regions for n in range(r.first, r.last + 1)}
    notebook = document.path.suffix.lower() == ".ipynb"
    rows: list[Row] = []
    previous = None
    for line in document.lines[:LINES]:
        start = notebook and line.where != previous
        previous = line.where
        rows.append(Row(line.where if start else None, line.number, line.text, (line.where, line.number) in hits))
    return {"name": side.name, "share": side.share, "matched": side.matched_tokens, "rows": rows,
            "path": clean(str(document.path), 1000, one_line=True) if document.kind == "source" else "",
            "cut": max(0, len(document.lines) - LINES)}
