"""Text that came from outside the grader, made safe to show: a terminal, a report, a CSV, a page.

Student code, file names in a zip and exception names can carry anything: terminal escape
sequences (which recolour, retitle or rewrite an instructor's terminal), other control
characters, bidirectional overrides (which make text read differently from what it is) and
megabytes of text. `clean` removes escape sequences, replaces the other characters with U+FFFD
(visibly: something was there) and cuts long text with a marker saying how much is missing.

Stdlib only: intake, the report model and the terminal all use it.
"""

from __future__ import annotations

import re

REPLACEMENT = "\N{REPLACEMENT CHARACTER}"
# CSI, OSC (ended by BEL or ST) and two-character escapes
_ANSI = re.compile(r"\x1b(\[[0-?]*[ -/]*[@-~]|\][^\x07\x1b]*(\x07|\x1b\\)|[@-Z\\-_])")
# C0 and C1 controls (but tab and newline, which multi-line text keeps), DEL, bidirectional
# controls, the Unicode line and paragraph separators, and lone surrogates (no file can hold one)
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\u2028\u2029"
                      "\ud800-\udfff]")
_LINE_BREAKS = re.compile("[\t\n]")

NAME_LIMIT = 200
"""Ids, file names, check names: one line, at most this many characters."""
MESSAGE_LIMIT = 4000
"""A message, a hint, a note, an error."""
OUTPUT_LIMIT = 8000
"""What a submission printed."""


def clean(text: str, limit: int | None = None, *, one_line: bool = False) -> str:
    """`text` without escape sequences or control characters (tabs and newlines too if
    `one_line`), cut to `limit` characters with a marker.

    Idempotent: the cut text, marker included, fits the limit, so a report read back (or passed
    from a Dask worker to the client) validates to exactly the same text.
    """
    text = _CONTROL.sub(REPLACEMENT, _ANSI.sub("", text))
    if one_line:
        text = _LINE_BREAKS.sub(REPLACEMENT, text)
    if limit is not None and len(text) > limit:
        marker = " [... {:,} more characters]" if one_line else "\n... [{:,} more characters not shown]"
        kept = max(limit - len(marker.format(len(text))), 0)
        text = text[:kept] + marker.format(len(text) - kept)
    return text


def name(text: str) -> str:
    """A name (file, member, id) for a message: one line, cut at NAME_LIMIT."""
    return clean(text, NAME_LIMIT, one_line=True)
