"""The layout's promises, checked on the source: the sandbox is a leaf, the protocol stdlib-only."""

from __future__ import annotations

import ast
import sys
from pathlib import Path

GRADER = Path(__file__).resolve().parents[1] / "grader"
SANDBOX = GRADER / "sandbox"


def imports(path: Path) -> list[tuple[str, int]]:
    """(module, level) of every import in a file, at any depth (lazy imports count too)."""
    found: list[tuple[str, int]] = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found += [(alias.name, 0) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            found.append((node.module or "", node.level))
    return found


def test_the_sandbox_imports_nothing_of_the_rest_of_the_grader() -> None:
    for path in SANDBOX.rglob("*.py"):
        for module, level in imports(path):
            if level == 0 and module.split(".")[0] == "grader":
                assert module.startswith("grader.sandbox"), f"{path.relative_to(GRADER)} imports {module}"


def test_code_that_runs_inside_imports_only_the_protocol_the_stdlib_and_torch() -> None:
    allowed = set(sys.stdlib_module_names) | {"torch", "numpy", "pyseccomp", "matplotlib"}
    for folder in (SANDBOX / "inside", SANDBOX / "protocol"):
        for path in folder.rglob("*.py"):
            for module, level in imports(path):
                if level:
                    assert level <= 2, f"{path.name} reaches outside the sandbox: {'.' * level}{module}"
                    if level == 2:
                        assert module.split(".")[0] in ("protocol", "inside"), (path.name, module)
                else:
                    assert module.split(".")[0] in allowed, f"{path.relative_to(GRADER)} imports {module}"


def test_the_protocol_needs_only_the_standard_library_to_load() -> None:
    for path in (SANDBOX / "protocol").rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in tree.body:  # module level: what importing it costs
            if isinstance(node, ast.Import):
                assert all(a.name.split(".")[0] in sys.stdlib_module_names for a in node.names), path.name
            elif isinstance(node, ast.ImportFrom) and node.level == 0:
                assert (node.module or "").split(".")[0] in sys.stdlib_module_names | {"__future__"}, path.name


def test_no_module_outside_the_protocol_builds_or_reads_a_frame() -> None:
    for path in GRADER.rglob("*.py"):
        if "protocol" in path.parts:
            continue
        text = path.read_text(encoding="utf-8")
        assert "struct.pack" not in text and "HEADER.pack" not in text, path
        assert "json.loads(framing" not in text, path


def package_of(module: str) -> str | None:
    """`checks` for grader.checks.kinds.values, `grading` for grader.grading; None outside the grader."""
    parts = module.split(".")
    return parts[1] if parts[0] == "grader" and len(parts) > 1 else None


def package_graph() -> dict[str, set[str]]:
    """Which of the grader's packages (and top-level modules) import which, lazy imports included."""
    graph: dict[str, set[str]] = {}
    for path in GRADER.rglob("*.py"):
        parts = path.relative_to(GRADER.parent).with_suffix("").parts
        module = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
        source = package_of(module)
        if source is None:
            continue
        package = module.split(".") if path.name == "__init__.py" else module.split(".")[:-1]
        for imported, level in imports(path):
            target = ".".join([*package[: len(package) - level + 1], imported]) if level else imported
            found = package_of(target.rstrip("."))
            if found and found != source:
                graph.setdefault(source, set()).add(found)
    return graph


def test_the_packages_import_each_other_without_a_cycle() -> None:
    """Each package can be read (and tested) with only what it imports: a cycle would mean that
    `checks` needs `assignment` needs `checks` again."""
    graph = package_graph()
    done: set[str] = set()

    def visit(node: str, path: list[str]) -> None:
        if node in path:
            raise AssertionError("import cycle: " + " -> ".join([*path[path.index(node):], node]))
        if node in done:
            return
        for nxt in sorted(graph.get(node, ())):
            visit(nxt, [*path, node])
        done.add(node)

    for node in sorted(graph):
        visit(node, [])
    assert "checks" in graph["grading"] and "assignment" in graph["checks"]  # the graph is the real one


def test_the_expression_language_and_the_assignment_stand_below_the_checks() -> None:
    graph = package_graph()
    assert graph.get("language", set()) <= {"sandbox"}, graph.get("language")
    assert "checks" not in graph.get("assignment", set())
