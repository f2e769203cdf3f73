"""Loss curves as inline SVG, written directly: a page per student needs one in about a millisecond.

The y axis is logarithmic (losses span many decades). What a log scale cannot show is drawn
honestly and said in a note: values <= 0 sit on the bottom edge, non-finite values leave a gap.
Long histories are thinned to the minimum and maximum of each pixel-wide bucket, so spikes stay.
A history the report stored downsampled (grader.report.finite) is drawn at its epochs: a series
says how many values it had.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field

from markupsafe import Markup, escape

WIDTH, HEIGHT = 640, 300
LEFT, RIGHT, TOP, BOTTOM = 58, 16, 30, 40
MAX_POINTS = 600


@dataclass(frozen=True)
class Series:
    label: str
    values: Sequence[object]
    css: str  # a class in the page's stylesheet: "student" or "reference"
    length: int | None = None  # the epochs the values stand for, when they were downsampled


@dataclass
class Plot:
    svg: Markup
    notes: list[str] = field(default_factory=list)


def _number(value: object) -> float:
    if isinstance(value, bool):
        return math.nan
    if isinstance(value, int | float):
        return float(value)
    if isinstance(value, str) and value in ("nan", "inf", "-inf"):
        return float(value)
    return math.nan


def loss_plot(series: list[Series], caption: str) -> Plot | None:
    """A log-scale plot of the series against the epoch, or None when there is nothing to draw."""
    columns = [[_number(v) for v in s.values] for s in series]
    positive = [v for col in columns for v in col if math.isfinite(v) and v > 0]
    length = max((s.length or len(col) for s, col in zip(series, columns, strict=True)), default=0)
    if not positive or length == 0:
        return None
    low = math.floor(math.log10(min(positive)))
    high = math.ceil(math.log10(max(positive)))
    if high == low:
        high += 1
    frame = _Frame(length, low, high)
    notes: list[str] = []
    paths = []
    for s, col in zip(series, columns, strict=True):
        step = (s.length - 1) / max(len(col) - 1, 1) if s.length else 1.0
        paths.append(f'<path class="{s.css}" d="{frame.path(col, step)}"/>')
        notes += _notes(s.label, col, step)
        if s.length:
            notes.append(f"{s.label}: {s.length:,} values, of which the report keeps {len(col):,} evenly spaced")
    legend = "".join(
        f'<g transform="translate({LEFT + 10 + 150 * i},{TOP - 12})">'
        f'<line class="{s.css}" x1="0" y1="0" x2="22" y2="0"/><text x="28" y="4">{escape(s.label)}</text></g>'
        for i, s in enumerate(series))
    svg = (f'<svg class="lossplot" viewBox="0 0 {WIDTH} {HEIGHT}" width="{WIDTH}" height="{HEIGHT}" '
           f'role="img" xmlns="http://www.w3.org/2000/svg"><title>{escape(caption)}</title>'
           f'{frame.axes()}{"".join(paths)}{legend}</svg>')
    return Plot(Markup(svg), notes)


def _notes(label: str, values: list[float], step: float = 1.0) -> list[str]:
    notes = []
    bad = [i for i, v in enumerate(values) if not math.isfinite(v)]
    if bad:
        notes.append(f"{label}: {len(bad)} value(s) are not finite (first at epoch {round(bad[0] * step)}: "
                     f"{values[bad[0]]}); the curve has a gap there")
    flat = [i for i, v in enumerate(values) if math.isfinite(v) and v <= 0]
    if flat:
        notes.append(f"{label}: {len(flat)} value(s) are <= 0 (first at epoch {round(flat[0] * step)}); "
                     "a log scale cannot show them, so they are drawn on the bottom edge")
    return notes


class _Frame:
    """Maps (epoch, loss) to pixels and draws the axes."""

    def __init__(self, length: int, low: int, high: int) -> None:
        self.length, self.low, self.high = length, low, high
        self.w = WIDTH - LEFT - RIGHT
        self.h = HEIGHT - TOP - BOTTOM

    def x(self, i: float) -> float:
        return LEFT + self.w * (i / max(self.length - 1, 1))

    def y(self, value: float) -> float:
        if value <= 0:
            return TOP + self.h
        return TOP + self.h * (self.high - math.log10(value)) / (self.high - self.low)

    def path(self, values: list[float], step: float = 1.0) -> str:
        parts: list[str] = []
        for run in _runs(values):
            points = _thin(run, self.w)
            parts.append("M" + " L".join(f"{self.x(i * step):.1f},{self.y(v):.1f}" for i, v in points))
        return " ".join(parts)

    def axes(self) -> str:
        bottom, right = TOP + self.h, LEFT + self.w
        out = [f'<rect class="frame" x="{LEFT}" y="{TOP}" width="{self.w}" height="{self.h}"/>']
        decades = self.high - self.low
        step = max(1, math.ceil(decades / 8))
        plain = self.low >= -2 and self.high <= 3
        for k in range(self.low, self.high + 1, step):
            y = self.y(10.0 ** k)
            label = f"{10.0 ** k:g}" if plain else f'10<tspan dy="-6" font-size="9">{k}</tspan>'
            out.append(f'<line class="grid" x1="{LEFT}" y1="{y:.1f}" x2="{right}" y2="{y:.1f}"/>'
                       f'<text class="tick" x="{LEFT - 6}" y="{y + 4:.1f}" text-anchor="end">{label}</text>')
        for i in _ticks(self.length - 1):
            x = self.x(i)
            out.append(f'<line class="grid" x1="{x:.1f}" y1="{TOP}" x2="{x:.1f}" y2="{bottom}"/>'
                       f'<text class="tick" x="{x:.1f}" y="{bottom + 16}" text-anchor="middle">{i}</text>')
        out.append(f'<text class="axis" x="{LEFT + self.w / 2:.0f}" y="{HEIGHT - 6}" text-anchor="middle">epoch</text>'
                   f'<text class="axis" transform="translate(14,{TOP + self.h / 2:.0f}) rotate(-90)" '
                   'text-anchor="middle">loss (log scale)</text>')
        return "".join(out)


def _ticks(last: int) -> list[int]:
    if last <= 0:
        return [0]
    raw = last / 5
    magnitude = 10 ** math.floor(math.log10(raw)) if raw >= 1 else 1
    step = next(m * magnitude for m in (1, 2, 5, 10) if m * magnitude >= raw)
    return list(range(0, last + 1, int(step)))


def _runs(values: list[float]) -> list[list[tuple[int, float]]]:
    """Stretches of finite values: a non-finite value breaks the line."""
    runs: list[list[tuple[int, float]]] = []
    current: list[tuple[int, float]] = []
    for i, v in enumerate(values):
        if math.isfinite(v):
            current.append((i, v))
        elif current:
            runs.append(current)
            current = []
    if current:
        runs.append(current)
    return runs


def _thin(run: list[tuple[int, float]], pixels: float) -> list[tuple[int, float]]:
    if len(run) <= MAX_POINTS:
        return run
    buckets = int(pixels)
    size = math.ceil(len(run) / buckets)
    out: list[tuple[int, float]] = []
    for start in range(0, len(run), size):
        chunk = run[start:start + size]
        low = min(chunk, key=lambda p: p[1])
        high = max(chunk, key=lambda p: p[1])
        out += sorted({low, high})
    return out
