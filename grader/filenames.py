"""Which files are nobody's work: hidden files and what operating systems and tools leave behind.

One rule for every place that looks through handed-in folders and archives (intake of every
layout, submission discovery, the Gradescope runner) and for the Gradescope bundle: such entries
are neither graded nor listed as set aside.
"""

from __future__ import annotations

from pathlib import Path

JUNK = frozenset({
    "__MACOSX",  # resource forks in a zip made on a Mac
    "__pycache__",
    "Thumbs.db", "desktop.ini",  # Windows Explorer
    "Icon\r",  # macOS folder icons
})


def ignored(name: str) -> bool:
    """Hidden (`.DS_Store`, `.git`, `.ipynb_checkpoints`, `._x` resource forks) or junk."""
    return name.startswith(".") or name in JUNK


def ignored_path(path: Path, root: Path) -> bool:
    """Whether any part of `path` below `root` is ignored (a file inside `.git/` or `__MACOSX/`)."""
    return any(ignored(part) for part in path.relative_to(root).parts)


def visible_entries(folder: Path) -> list[Path]:
    """The folder's entries that are somebody's work, sorted."""
    return sorted(p for p in folder.iterdir() if not ignored(p.name))


def files_below(folder: Path, *, links: bool = False) -> list[Path]:
    """Every file under `folder` that is somebody's work, sorted; ignored folders are not entered,
    linked folders are not followed, and links to files are listed only if `links` (for a caller
    that refuses them with a message)."""
    return sorted(p for p in folder.rglob("*")
                  if not ignored_path(p, folder) and p.is_file() and (links or not p.is_symlink()))
