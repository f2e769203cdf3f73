"""Finding and loading an assignment: its folder, its TOML, the stub's signatures, its secrets.

Layout of a course:

    assignments/<name>/assignment.toml   checks, points, visibility (public)
    assignments/<name>/<name>.py         the stub; its signatures and return annotations are
                                         the contract the grader checks submissions against
    assignments/<name>/expected.json     the reference's answers to the public cases (generated)
    assignments/<name>/checks.py         optional custom checks
    solutions/<name>/<name>.py           the reference solution (instructors only)
    solutions/<name>/grading.toml        `seed = "..."`, the grading seed (instructors only)
"""

from __future__ import annotations

import ast
import importlib.util
import os
import tomllib
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from types import ModuleType
from typing import Any

from pydantic import ValidationError

from grader.assignment import expressions
from grader.assignment.returns import RType, parse_annotation, parse_type
from grader.assignment.spec import AssignmentSpec, CheckSpec
from grader.errors import UserError

PACKAGE_ROOT = Path(__file__).resolve().parents[2]
MISSING: Any = object()


class AssignmentError(UserError):
    """An assignment cannot be used; the message names the file and what to fix."""


@dataclass(frozen=True)
class Param:
    name: str
    default: Any = MISSING
    kind: str = "POSITIONAL_OR_KEYWORD"

    @property
    def required(self) -> bool:
        return self.default is MISSING

    def render(self) -> str:
        return self.name if self.required else f"{self.name}={self.default!r}"


@dataclass(frozen=True)
class Signature:
    name: str
    params: tuple[Param, ...]
    returns: RType
    by_hand: bool = False

    def render(self) -> str:
        return f"{self.name}({', '.join(p.render() for p in self.params)})"


@dataclass
class Assignment:
    name: str
    folder: Path
    spec: AssignmentSpec
    signatures: dict[str, Signature]
    solution_dir: Path | None
    source: Path = field(repr=False, default=Path())

    @property
    def title(self) -> str:
        return self.spec.assignment.title

    @property
    def version(self) -> str:
        return self.spec.assignment.version

    @property
    def student_file(self) -> str:
        return self.spec.assignment.file or f"{self.name}.py"

    @property
    def stub_path(self) -> Path:
        return self.folder / self.student_file

    @property
    def expected_path(self) -> Path:
        return self.folder / "expected.json"

    @property
    def reference_path(self) -> Path | None:
        if self.solution_dir is None:
            return None
        path = self.solution_dir / self.student_file
        return path if path.is_file() else None

    @property
    def public_seed(self) -> str:
        return f"public:{self.name}:{self.version}"

    def hidden_seed(self) -> str | None:
        """The grading seed: $GRADER_SEED, else `seed` in solutions/<name>/grading.toml."""
        env = os.environ.get("GRADER_SEED")
        if env:
            if len(env) < 16:
                raise AssignmentError("GRADER_SEED must be at least 16 characters of random text")
            return env
        if self.solution_dir is None:
            return None
        path = self.solution_dir / "grading.toml"
        if not path.is_file():
            return None
        try:
            seed = tomllib.loads(path.read_text()).get("seed")
        except (OSError, tomllib.TOMLDecodeError) as exc:
            raise AssignmentError(f"{path}: cannot read the grading seed: {exc}") from exc
        if not isinstance(seed, str) or len(seed) < 16:
            raise AssignmentError(f"{path}: `seed` must be a string of at least 16 characters")
        return seed

    def load_reference(self) -> ModuleType | None:
        path = self.reference_path
        return _import_file(path, f"grader_reference_{self.name}") if path else None

    @cached_property
    def custom_checks(self) -> ModuleType | None:
        path = self.folder / "checks.py"
        return _import_file(path, f"grader_checks_{self.name}") if path.is_file() else None

    @property
    def checks(self) -> list[CheckSpec]:
        return list(self.spec.checks)

    @property
    def max_score(self) -> float:
        return self.spec.max_score


def _import_file(path: Path, module_name: str) -> ModuleType:
    spec = importlib.util.spec_from_file_location(module_name, path)
    if spec is None or spec.loader is None:
        raise AssignmentError(f"{path}: cannot be imported")
    module = importlib.util.module_from_spec(spec)
    try:
        spec.loader.exec_module(module)
    except Exception as exc:
        raise AssignmentError(f"{path}: importing it failed: {type(exc).__name__}: {exc}") from exc
    return module


def course_roots() -> list[Path]:
    roots = []
    if os.environ.get("GRADER_COURSE"):
        roots.append(Path(os.environ["GRADER_COURSE"]))
    roots += [Path.cwd(), PACKAGE_ROOT]
    return roots


def resolve(ref: str | Path) -> Path:
    """An assignment folder from a name under assignments/ or a path to the folder."""
    path = Path(ref)
    if path.is_dir() and (path / "assignment.toml").is_file():
        return path.resolve()
    if path.is_file() and path.name == "assignment.toml":
        return path.parent.resolve()
    looks_like_path = os.sep in str(ref) or str(ref).startswith(".")
    if path.is_dir() and looks_like_path:
        raise AssignmentError(f"{path}: no assignment.toml in this folder")
    for root in course_roots():
        candidate = root / "assignments" / str(ref)
        if (candidate / "assignment.toml").is_file():
            return candidate.resolve()
    known = sorted({p.parent.name for r in course_roots() for p in r.glob("assignments/*/assignment.toml")})
    raise AssignmentError(
        f"no assignment {str(ref)!r}: give a name under assignments/ ({', '.join(known) or 'none found'}) "
        f"or the path of a folder holding assignment.toml; `grader new {ref}` starts a new one"
    )


def resolve_all() -> list[str]:
    """Names of the course's assignments that have a reference solution (for `generate`)."""
    for root in course_roots():
        names = sorted(p.parent.name for p in (root / "assignments").glob("*/assignment.toml")
                       if (root / "solutions" / p.parent.name).is_dir())
        if names:
            return names
    return []


def load(ref: str | Path, solutions: Path | None = None) -> Assignment:
    """Load and validate an assignment; every problem names the file and the field."""
    folder = resolve(ref)
    toml_path = folder / "assignment.toml"
    shown = shown_path(toml_path)
    try:
        raw = tomllib.loads(toml_path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise AssignmentError(f"{shown}: not valid TOML: {exc}") from exc
    except (OSError, UnicodeDecodeError) as exc:
        raise AssignmentError(f"{shown}: cannot be read: {exc}") from exc
    try:
        spec = AssignmentSpec.model_validate(raw)
    except ValidationError as exc:
        raise AssignmentError(f"{shown}: {format_validation_error(exc)}") from exc
    name = spec.assignment.name
    solution_dir = solutions or folder.parent.parent / "solutions" / name
    assignment = Assignment(
        name=name, folder=folder, spec=spec, signatures={},
        solution_dir=solution_dir if solution_dir.is_dir() else None, source=toml_path,
    )
    stub = assignment.stub_path
    if not stub.is_file():
        # Before `grader generate` has run, the solution has the same signatures.
        stub = assignment.reference_path or stub
    if not stub.is_file():
        raise AssignmentError(f"{shown}: the stub {stub.name} is missing from {folder}")
    assignment.signatures = read_signatures(stub, spec)
    _cross_check(assignment, shown)
    return assignment


def shown_path(path: Path) -> Path:
    """The path as the user would type it: relative to the current folder when under it."""
    try:
        return path.relative_to(Path.cwd())
    except ValueError:
        return path


def format_validation_error(exc: ValidationError) -> str:
    """`checks[2].points: Input should be ... (in a gradient check)`, one per problem."""
    kinds = {"values", "gradient", "history", "converges", "unchanged_args", "python"}
    lines = []
    for err in exc.errors():
        where, kind, previous = "", "", None
        for part in err["loc"]:
            if isinstance(previous, int) and part in kinds:
                kind = f" (in a {part} check)"
            elif isinstance(part, int):
                where += f"[{part}]"
            else:
                where += f".{part}" if where else str(part)
            previous = part
        if err["type"] in ("union_tag_invalid", "union_tag_not_found"):
            where += ".kind"  # a check's `kind` is missing or unknown
        lines.append(f"{where or '(top level)'}: {err['msg']}{kind}")
    return "; ".join(lines)


def read_signatures(stub: Path, spec: AssignmentSpec) -> dict[str, Signature]:
    """Signatures and return types of the stub's top-level functions, read without running it."""
    try:
        tree = ast.parse(stub.read_text(encoding="utf-8"), filename=str(stub))
    except SyntaxError as exc:
        raise AssignmentError(f"{stub}: line {exc.lineno}: {exc.msg}") from exc
    signatures: dict[str, Signature] = {}
    for node in tree.body:
        if not isinstance(node, ast.FunctionDef) or node.name.startswith("_"):
            continue
        params: list[Param] = []
        positional = node.args.posonlyargs + node.args.args
        defaults = [MISSING] * (len(positional) - len(node.args.defaults)) + list(node.args.defaults)
        for arg, default in zip(positional, defaults, strict=True):
            params.append(Param(arg.arg, _literal(default, stub)))
        for arg, kw_default in zip(node.args.kwonlyargs, node.args.kw_defaults, strict=True):
            params.append(Param(arg.arg, _literal(kw_default, stub), "KEYWORD_ONLY"))
        declared = spec.functions.get(node.name)
        returns = parse_annotation(node.returns)
        if declared and declared.returns:
            try:
                returns = parse_type(declared.returns)
            except ValueError as exc:
                raise AssignmentError(f"functions.{node.name}.returns: {exc}") from exc
        signatures[node.name] = Signature(
            node.name, tuple(params), returns, bool(declared and declared.by_hand)
        )
    return signatures


def _literal(node: Any, stub: Path) -> Any:
    if node is None or node is MISSING:
        return MISSING
    try:
        return ast.literal_eval(node)
    except ValueError as exc:
        raise AssignmentError(f"{stub}: line {node.lineno}: defaults must be literals") from exc


def _cross_check(assignment: Assignment, toml_path: Path) -> None:
    """Every name a check uses must exist: functions in the stub, helpers, groups, checks.py."""
    spec = assignment.spec
    for fn in spec.functions:
        if fn not in assignment.signatures:
            raise AssignmentError(f"{toml_path}: functions.{fn}: the stub defines no function {fn}")
    for i, check in enumerate(spec.checks):
        where = f"{toml_path}: checks[{i}] ({check.name!r})"
        if check.target not in assignment.signatures:
            raise AssignmentError(f"{where}.target: the stub defines no function {check.target!r}")
    problems = expressions.problems(spec, set(assignment.signatures))
    if problems:
        more = f" (and {len(problems) - 3} more)" if len(problems) > 3 else ""
        raise AssignmentError(f"{toml_path}: {'; '.join(problems[:3])}{more}")
    for i, check in enumerate(spec.checks):
        if check.kind == "python":
            module = assignment.custom_checks
            if module is None or not callable(getattr(module, check.function, None)):
                raise AssignmentError(
                    f"{toml_path}: checks[{i}] ({check.name!r}).function: "
                    f"{assignment.folder / 'checks.py'} defines no {check.function}()"
                )
