"""The code to compare: a submission's `.py` file, or a notebook's code cells, as lines and tokens.

A notebook is read the way the grader reads it (grader.notebooks: code cells in order, IPython
syntax turned into Python, the self-check call left out), so what is compared is what is graded.
Each line keeps where it came from (the file, or the notebook's cell and its line), and that is
what the side-by-side pages show. A file that cannot be read is set aside with the reason.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from grader.filenames import files_below
from grader.notebooks import NotebookError, read_cells
from grader.similarity.normalise import Normalised, normalise
from grader.text import NAME_LIMIT, clean

MAX_BYTES = 2 * 1024 * 1024
SUFFIXES = (".py", ".ipynb")
Kind = Literal["student", "source", "boilerplate"]


class Unreadable(ValueError):
    """This file cannot be compared; the message says why."""


@dataclass(frozen=True)
class Line:
    where: str  # the file's name, or "backprop.ipynb (code cell 3)"
    number: int  # 1-based, in the file or in the cell
    text: str


@dataclass
class Document:
    name: str  # the student id, or the known solution's file name
    path: Path
    kind: Kind
    lines: list[Line] = field(default_factory=list)
    tokens: Normalised = field(default_factory=Normalised)


def read(name: str, path: Path, kind: Kind) -> Document:
    """The document of one file; raises Unreadable."""
    if path.is_symlink():
        raise Unreadable(f"{path}: a symbolic link; it was not read")
    try:
        size = path.stat().st_size
        if size > MAX_BYTES:
            raise Unreadable(f"{path}: {size:,} bytes; files over {MAX_BYTES:,} are not compared")
        raw = path.read_bytes()
    except OSError as exc:
        raise Unreadable(f"{path}: cannot be read ({exc.strerror})") from exc
    if path.suffix.lower() == ".ipynb":
        try:
            cells = [(cell.label, cell.source) for cell in read_cells(path, path.name)[0]
                     if cell.label != "<jupyter>"]
        except NotebookError as exc:
            raise Unreadable(f"{path}: {exc}") from exc
    else:
        try:
            text = raw.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise Unreadable(f"{path}: not UTF-8 text (byte {exc.start})") from exc
        cells = [(path.name, text)]
    document = Document(clean(name, NAME_LIMIT, one_line=True), path, kind)  # as similarity.json shows it
    for where, source in cells:
        document.tokens = document.tokens + normalise(source, first_line=len(document.lines))
        document.lines += [Line(where, number, clean(text))
                           for number, text in enumerate(source.split("\n"), start=1)]
    return document


def folder_files(folder: Path) -> list[Path]:
    """The .py and .ipynb files under `folder`, in a stable order, by the grader's one rule for
    what is nobody's work (grader.filenames: hidden files, `__MACOSX`, `__pycache__`...); a linked
    file is listed, and `read` refuses it with a message."""
    return [p for p in files_below(folder, links=True) if p.suffix.lower() in SUFFIXES]
