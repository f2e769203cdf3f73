"""The dashboard's figures with matplotlib (Agg, no pyplot state): saved as PNG and SVG for slides.

Only a handful of figures per class, never one per student: the per-student curves are SVG
written by lossplot.py.
"""

from __future__ import annotations

import io
import textwrap
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator

from grader.numbers import points
from grader.stats import ClassStats

COLOR = "#1c7ed6"
_METADATA_SVG: dict[str, str | None] = {"Date": None, "Creator": None}
_METADATA_PNG: dict[str, str | None] = {"Software": None}


@dataclass(frozen=True)
class Chart:
    name: str  # file stem under plots/
    title: str
    svg: bytes
    png: bytes


def charts(stats: ClassStats) -> list[Chart]:
    checks = stats.checks
    return [
        _render("score-histogram", "Score distribution", _histogram(stats)),
        _render("pass-rate-per-check", "Pass rate per check",
                _bars([c.name for c in checks], [c.pass_rate for c in checks], "students passing the check")),
        _render("pass-rate-per-function", "Pass rate per function",
                _bars([t.target for t in stats.targets], [t.pass_rate for t in stats.targets],
                      "students passing every check of the function")),
    ]


def save(chart: Chart, folder: Path) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    paths = [folder / f"{chart.name}.svg", folder / f"{chart.name}.png"]
    paths[0].write_bytes(chart.svg)
    paths[1].write_bytes(chart.png)
    return paths


def _render(name: str, title: str, figure: Figure) -> Chart:
    FigureCanvasAgg(figure)
    svg, png = io.BytesIO(), io.BytesIO()
    figure.savefig(svg, format="svg", metadata=_METADATA_SVG)
    figure.savefig(png, format="png", dpi=150, metadata=_METADATA_PNG)
    return Chart(name, title, svg.getvalue(), png.getvalue())


def _histogram(stats: ClassStats) -> Figure:
    top = stats.max_score or 1.0
    bins = [top * i / 20 for i in range(21)]
    figure = Figure(figsize=(7.0, 3.2), layout="constrained")
    ax = figure.add_subplot()
    ax.hist(np.clip(stats.scores, 0.0, top), bins=bins, color=COLOR, edgecolor="white")
    ax.set_xlim(0, top)
    ax.set_xlabel(f"score (out of {points(top)})")
    ax.set_ylabel("students")
    ax.yaxis.set_major_locator(MaxNLocator(integer=True))
    ax.set_title(f"{stats.assignment}: {stats.students} students, mean {points(stats.mean)}, "
                 f"median {points(stats.median)}", fontsize=10)
    ax.spines[["top", "right"]].set_visible(False)
    return figure


def _bars(labels: list[str], rates: list[float], xlabel: str) -> Figure:
    wrapped = [textwrap.shorten(label, 60, placeholder="...") for label in labels]
    figure = Figure(figsize=(7.0, 0.9 + 0.32 * len(labels)), layout="constrained")
    ax = figure.add_subplot()
    positions = list(range(len(labels)))
    ax.barh(positions, [100 * r for r in rates], color=COLOR)
    ax.set_yticks(positions, wrapped, fontsize=8)
    ax.invert_yaxis()
    ax.set_xlim(0, 100)
    ax.set_xlabel(f"% {xlabel}")
    for y, rate in zip(positions, rates, strict=True):
        inside = rate > 0.85  # a label past the bar's end would run off the axes
        ax.text(100 * rate + (-1 if inside else 1), y, f"{100 * rate:.0f}%", va="center", fontsize=8,
                ha="right" if inside else "left", color="white" if inside else "black")
    ax.spines[["top", "right"]].set_visible(False)
    return figure
