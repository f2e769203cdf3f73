"""How a folder or archive of submissions can be organised: the layouts intake reads.

A module of its own, importing nothing, so that the command line can offer the choices without
loading intake (which loads torch).
"""

from __future__ import annotations

from typing import Literal, get_args

Layout = Literal["auto", "files", "canvas", "moodle", "blackboard", "classroom"]
LAYOUTS: tuple[str, ...] = get_args(Layout)
