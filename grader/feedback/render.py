"""The Jinja environment: autoescaping on for every template, undefined names are errors."""

from __future__ import annotations

from functools import cache
from typing import Any

from jinja2 import Environment, PackageLoader, StrictUndefined

from grader.numbers import points


@cache
def environment() -> Environment:
    env = Environment(loader=PackageLoader("grader.feedback", "templates"), autoescape=True,
                      undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True)
    env.filters["points"] = points
    env.filters["percent"] = lambda rate: f"{100 * rate:.0f}%"
    return env


def render(template: str, **context: Any) -> str:
    return environment().get_template(template).render(**context)
