"""IPython syntax in a notebook cell → plain Python, read as Jupyter reads it.

IPython's own input transformer (what Jupyter runs before Python sees a cell) turns magics,
shell escapes, help (`obj?`) and pasted prompts into `get_ipython()` calls, so strings,
indented escapes and continuation lines are understood exactly as in Jupyter; a regex cannot
tell `!ls` from the same text inside a triple-quoted string. Nothing here has an IPython to call,
so each call is then replaced by what it means when nothing may leave the sandbox: `%time`'s
statement runs, `%pylab` imports, shell commands and other magics do nothing, and a captured
`x = !ls` gets an empty list. Line numbers are kept, so messages point at the student's lines.
Every change becomes a note on the report, saying what was run and what was not.
"""

from __future__ import annotations

import ast
import difflib
import re
from dataclasses import dataclass, field

from IPython.core.inputtransformer2 import TransformerManager

# Cell magics that run their body in the user's namespace (what they define stays defined).
RUN_BODY = {
    "time": "ran the cell's code without timing it",
    "capture": "ran the cell's code; its output was not captured",
    "prun": "ran the cell's code without profiling it",
}
SKIP_BODY = {
    "timeit": "only times its code (in Jupyter too, nothing it defines is kept)",
    "writefile": "writes a file, and no files are written during grading",
}
SHELL = "shell commands do not run during grading"
INSTALL = "packages cannot be installed during grading; use the course's packages"
LINE_MAGICS = {
    "matplotlib": "not needed: plots are drawn off screen during grading",
    "timeit": "it only times its code, and in Jupyter too nothing it defines is kept",
    "pip": INSTALL, "conda": INSTALL, "mamba": INSTALL, "uv": INSTALL,
    "pinfo": "help does not run during grading", "pinfo2": "help does not run during grading",
    "run": "only this notebook is graded, not other files",
}
# Lines IPython may read differently from Python (escapes, magics, help, autocall, prompts, an
# assignment from a magic): a cell with none of them, not indented, is Python already.
CANDIDATE = re.compile(r"^[ \t]*([%!?,;/]|>>>|\.\.\.|In \[\d+\]:)|^[^#\n]*=[ \t]*[!%]|\?[ \t]*$", re.MULTILINE)
# IPython's transformer re-reads the whole cell once per change; past this many (cell bytes
# times changes) a hostile cell could keep the grader busy for minutes.
BUDGET = 2_000_000  # about 3 s here
# What parsing a student's text may raise (deep nesting exhausts the parser's stack).
UNPARSABLE = (SyntaxError, ValueError, MemoryError, RecursionError)
PYLAB = ("import numpy, matplotlib; from matplotlib import pylab, mlab, pyplot; np = numpy; "
         "plt = pyplot; from pylab import *; from numpy import *")


@dataclass
class Converted:
    """A cell as plain Python (same number of lines) and what was changed in it."""

    source: str
    notes: list[str] = field(default_factory=list)


def to_python(source: str, label: str, offset: int = 0) -> Converted:
    """The cell as plain Python; `label` names the cell in the notes (whose line numbers are
    `offset` more than the source's: a cell magic's body starts below the magic)."""
    source = source.replace("\r\n", "\n").replace("\r", "\n")  # as Python reads it
    lines = split_lines(source)
    first = next((i for i, line in enumerate(lines) if line.strip()), None)
    if first is not None and lines[first].startswith("%%"):
        return _cell_magic(lines, first, label, offset)
    candidates = len(CANDIDATE.findall(source))
    if not candidates and not (first is not None and lines[first][:1].isspace()):
        return _replace_ipython_calls(source, lines, label, offset) if "get_ipython" in source else Converted(source)
    if candidates * len(source) > BUDGET:
        return Converted(source, [f"{label}: too large to read as IPython ({len(source):,} characters, {candidates} "
                                  "lines of IPython syntax); it runs as plain Python"])
    try:
        transformed = TransformerManager().transform_cell(source)
    except Exception:  # IPython could not read it either: Python will say why when it runs
        return Converted(source)
    return _replace_ipython_calls(_same_lines(lines, split_lines(transformed)), lines, label, offset)


def _cell_magic(lines: list[str], first: int, label: str, offset: int) -> Converted:
    words = lines[first][2:].split()
    name = words[0] if words else ""
    if name in RUN_BODY:
        body = to_python("\n".join(lines[first + 1:]), label, offset + first + 1)
        padded = Converted("\n" * (first + 1) + body.source, body.notes)  # the magic's line: blank
        padded.notes.insert(0, f"{label}: %%{name}: {RUN_BODY[name]}")
        return padded
    why = SKIP_BODY.get(name, "is not Python")
    return Converted("", [f"{label}: the %%{name} cell was not run: it {why}"])


def _same_lines(original: list[str], transformed: list[str]) -> str:
    """Pad the transformed cell with blank lines where IPython joined lines (a backslash
    continuation, leading blank lines), so that line N is still the student's line N."""
    if len(transformed) >= len(original):
        return "\n".join(transformed)
    out: list[str] = []
    matcher = difflib.SequenceMatcher(a=original, b=transformed, autojunk=False)
    for _, i1, i2, j1, j2 in matcher.get_opcodes():
        out += transformed[j1:j2]
        out += [""] * max(0, (i2 - i1) - (j2 - j1))
    return "\n".join(out)


def _replace_ipython_calls(source: str, original: list[str], label: str, offset: int) -> Converted:
    try:
        tree = ast.parse(source)
    except UNPARSABLE:
        return Converted(source)  # the student's own error: Python reports it when the cell runs
    parents = {child: node for node in ast.walk(tree) for child in ast.iter_child_nodes(node)}
    edits: list[tuple[ast.AST, str]] = []
    notes: list[str] = []
    for node in ast.walk(tree):
        method = _ipython_method(node)
        if method is None:
            continue
        assert isinstance(node, ast.Call)
        args = [a.value if isinstance(a, ast.Constant) and isinstance(a.value, str) else "" for a in node.args]
        parent = parents.get(node)
        statement = parent if isinstance(parent, ast.Expr) else None
        top_level = statement is not None and parents.get(statement) is tree
        target, text, did = _meaning(method, args, node, statement, top_level)
        edits.append((target, text))
        shown = original[node.lineno - 1].strip() if node.lineno <= len(original) else method
        notes.append(f"{label}, line {node.lineno + offset}: `{shown[:80]}` {did}")
    return Converted(replace_nodes(source, edits), notes)


def _ipython_method(node: ast.AST) -> str | None:
    """`m` for a call `get_ipython().m(...)`, else None."""
    if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)):
        return None
    shell = node.func.value
    if (isinstance(shell, ast.Call) and isinstance(shell.func, ast.Name) and shell.func.id == "get_ipython"
            and not shell.args):
        return node.func.attr
    return None


def _meaning(method: str, args: list[str], call: ast.Call, statement: ast.Expr | None,
             top_level: bool) -> tuple[ast.AST, str, str]:
    """What replaces the call (or its whole statement), and the note's wording."""
    name, line = [*args, "", ""][:2]
    if method == "run_line_magic" and name == "time" and line.strip():
        if statement is not None and _compiles(line, "exec"):
            return statement, line, "ran without timing"
        if _compiles(line, "eval"):
            return call, f"({line})", "ran without timing"
    if method == "run_line_magic" and name == "pylab" and statement is not None and top_level:
        return statement, PYLAB, "ran %pylab's imports (numpy and matplotlib's pylab, into the namespace)"
    if method == "getoutput":
        return call, "[]", f"was not run ({SHELL}); its output is an empty list"
    if method == "system":
        words = name.split()
        return call, "None", f"was not run ({INSTALL if 'install' in words[:3] else SHELL})"
    if method == "run_line_magic":
        return call, "None", f"was not run ({LINE_MAGICS.get(name, f'%{name} is an IPython magic')})"
    return call, "None", "was not run (it needs IPython)"


def _compiles(code: str, mode: str) -> bool:
    try:
        compile(code, "<magic>", mode, dont_inherit=True)
    except UNPARSABLE:
        return False
    return True


def replace_nodes(source: str, edits: list[tuple[ast.AST, str]]) -> str:
    """Replace each node's text by the given text, right to left. The text goes on the node's
    first line and the node's other lines become blank, so line numbers stay as they were;
    an edit that overlaps one already made (a nested call) is left out."""
    lines = source.split("\n")
    done: list[tuple[tuple[int, int], tuple[int, int]]] = []
    for node, text in sorted(edits, key=lambda e: _span(e[0])[0], reverse=True):
        begin, end = _span(node)
        if any(begin < b and a < end for a, b in done):
            continue
        head = lines[begin[0] - 1].encode("utf-8")[: begin[1]]  # AST columns count UTF-8 bytes
        tail = lines[end[0] - 1].encode("utf-8")[end[1]:]
        replaced = (head + text.encode("utf-8") + tail).decode("utf-8")
        lines[begin[0] - 1: end[0]] = [replaced] + [""] * (end[0] - begin[0])
        done.append((begin, end))
    return "\n".join(lines)


def _span(node: ast.AST) -> tuple[tuple[int, int], tuple[int, int]]:
    line, col = getattr(node, "lineno", 1), getattr(node, "col_offset", 0)
    return (line, col), (getattr(node, "end_lineno", None) or line, getattr(node, "end_col_offset", None) or col)


def split_lines(text: str) -> list[str]:
    """Lines as Python's tokenizer sees them (str.splitlines also splits at \\f, \\x1c, ...)."""
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    return lines[:-1] if lines and lines[-1] == "" else lines
