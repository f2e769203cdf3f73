"""Return types read from the stubs' annotations (or `returns` in assignment.toml).

`tuple[float, list[float]]` becomes an `RType` the checks coerce returned values to (see
grader.checks.coerce): the stub's annotation is the contract, read without running the stub.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass


@dataclass(frozen=True)
class RType:
    kind: str  # "any" | "float" | "int" | "bool" | "tensor" | "list" | "tuple" | "dict"
    items: tuple[RType, ...] = ()

    def __str__(self) -> str:
        if self.kind == "list":
            return f"list[{self.items[0]}]"
        if self.kind == "tuple":
            return "tuple[" + ", ".join(map(str, self.items)) + "]"
        if self.kind == "dict":
            return f"dict[str, {self.items[0]}]"
        return "torch.Tensor" if self.kind == "tensor" else self.kind


ANY = RType("any")


def parse_annotation(node: ast.expr | None) -> RType:
    """Map an annotation from a stub (`tuple[float, list[float]]`, `torch.Tensor`) to an RType."""
    if node is None:
        return ANY
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return parse_annotation(ast.parse(node.value, mode="eval").body)
    if isinstance(node, ast.Name):
        return RType({"float": "float", "int": "int", "bool": "bool"}.get(node.id, "any"))
    if isinstance(node, ast.Attribute) and node.attr == "Tensor":
        return RType("tensor")
    if isinstance(node, ast.Subscript) and isinstance(node.value, ast.Name):
        head = node.value.id
        args = node.slice.elts if isinstance(node.slice, ast.Tuple) else [node.slice]
        if head in ("list", "List"):
            return RType("list", (parse_annotation(args[0]),))
        if head in ("tuple", "Tuple"):
            return RType("tuple", tuple(parse_annotation(a) for a in args))
        if head in ("dict", "Dict") and len(args) == 2:
            return RType("dict", (parse_annotation(args[1]),))
    return ANY


def parse_type(text: str) -> RType:
    """Parse a type written in assignment.toml, e.g. `tuple[float, list[float]]`."""
    try:
        return parse_annotation(ast.parse(text, mode="eval").body)
    except SyntaxError as exc:
        raise ValueError(f"{text!r} is not a type") from exc
