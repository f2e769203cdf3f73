"""Drawing a case's variables: the course data, then each declared variable in order.

A string is an expression (`"uniform(-3, 3)"`, `"slope * xs"`) that may use the ones above it;
other TOML values are literals. Draws come from a generator seeded by (seed, what is drawn), so
they are the same on every machine and every run.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from typing import Any

import numpy as np

from grader.language.evaluator import Evaluator
from grader.language.helpers import finalize, make_helpers

RESERVED = frozenset({"call", "steps", "label", "count"})  # keys of a case table that are not variables


def seeded(seed: str, *parts: object) -> np.random.Generator:
    digest = hashlib.sha256("\x1f".join([seed, *map(str, parts)]).encode()).digest()
    return np.random.default_rng(int.from_bytes(digest[:16], "big"))


def fingerprint(spec: Mapping[str, Any]) -> str:
    return json.dumps(spec, sort_keys=True, default=str)


def draw(spec: Mapping[str, Any], data: Mapping[str, Any], rng: np.random.Generator) -> dict[str, Any]:
    """Variables of one case: the course data, then the declared ones in order.

    A string is an expression (`"uniform(-3, 3)"`, `"slope * xs"`); other TOML values are
    literals. Later declarations may use earlier ones.
    """
    variables: dict[str, Any] = dict(data)
    evaluator = Evaluator(make_helpers(rng), variables)
    for name, text in spec.items():
        if name in RESERVED:
            continue
        variables[name] = evaluator.eval(text) if isinstance(text, str) else text
    return {k: finalize(v) for k, v in variables.items()}
