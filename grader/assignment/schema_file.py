"""The JSON Schema of `assignment.toml` (schema/assignment.schema.json), for editors and CI.

It is pydantic's schema of `AssignmentSpec`, reshaped for TOML files and for the messages an
editor shows: TOML has no null, so optional fields are just their type; and a check is chosen by
`if kind == ... then <that kind's fields>` rather than `oneOf`, so a mistake is reported at its
own field (`checks[2].points`) instead of "not valid under any of the given schemas".
"""

from __future__ import annotations

import json
from typing import Any

from grader.assignment.spec import CHECK_KINDS, AssignmentSpec


def json_schema() -> dict[str, Any]:
    schema = AssignmentSpec.model_json_schema()
    kinds = {_kind_of(model): model.__name__ for model in CHECK_KINDS}
    schema["properties"]["checks"]["items"] = {
        "type": "object",
        "description": "One check; `kind` says which fields it takes.",
        "required": ["kind"],
        "properties": {"kind": {"enum": list(kinds), "description": "What the check compares."}},
        "allOf": [
            {"if": {"properties": {"kind": {"const": kind}}, "required": ["kind"]},
             "then": {"$ref": f"#/$defs/{name}"}}
            for kind, name in kinds.items()
        ],
    }
    schema = tomlish(schema)
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        **schema,
        "title": "assignment.toml",
        "description": "An assignment of torch-autograder: its functions, limits, course data and checks "
                       "(docs/authoring/reference.md explains every field).",
    }


def _kind_of(model: type[Any]) -> str:
    annotation = model.model_fields["kind"].annotation
    (kind,) = annotation.__args__
    return str(kind)


def tomlish(node: Any) -> Any:
    """Drop null alternatives and null defaults (TOML has no null) and pydantic's generated titles."""
    if isinstance(node, list):
        return [tomlish(item) for item in node]
    if not isinstance(node, dict):
        return node
    out = {key: tomlish(value) for key, value in node.items()
           if not (key == "default" and value is None)}
    options = out.get("anyOf")
    if isinstance(options, list):
        kept = [o for o in options if o != {"type": "null"}]
        if len(kept) == 1:
            del out["anyOf"]
            out = {**kept[0], **out}
        else:
            out["anyOf"] = kept
    if isinstance(out.get("properties"), dict):
        for prop in out["properties"].values():
            if isinstance(prop, dict):
                prop.pop("title", None)
    return out


def schema_text() -> str:
    return json.dumps(json_schema(), indent=2, sort_keys=True) + "\n"
