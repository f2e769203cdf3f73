"""Python source as one character per token, so that renaming and commenting change nothing.

copydetect's own filter (pygments) keeps docstrings as a token and, for Python, leaves builtins
and keywords as several characters each, so its noise threshold counts characters. Here every
token becomes exactly one character: every name (variable, function, parameter, attribute,
module, builtin) the same placeholder, every string the same placeholder, comments and
docstrings (a statement that is only a string) nothing; keywords, operators and number literals
keep their own character each, and the block structure (new statement, indent, dedent) is kept.
k-grams of this text are k-grams of tokens, and each character remembers the line of the
original source it came from, so matches are shown on the code the student wrote.
"""

from __future__ import annotations

import io
import keyword
import re
import tokenize
import zlib
from dataclasses import dataclass, field

NAME = "N"
STRING = "S"
NEWLINE = ";"
INDENT = "{"
DEDENT = "}"
# Keywords, operators and numbers get characters from the Private Use Area: stable across runs and
# processes, and never one of the placeholders above. Keywords and operators each have their own;
# number literals share the rest of the area by a checksum (two numbers may share one).
_PRIVATE = 0xE000
_TABLE = {text: chr(_PRIVATE + i) for i, text in enumerate(
    sorted(set(keyword.kwlist) | set(tokenize.EXACT_TOKEN_TYPES)))}
_NUMBERS = 0xF8FF - _PRIVATE - len(_TABLE)
_FSTRING_START = getattr(tokenize, "FSTRING_START", -1)
_FSTRING_END = getattr(tokenize, "FSTRING_END", -1)
_SKIPPED = {tokenize.COMMENT, tokenize.NL, tokenize.ENCODING, tokenize.ENDMARKER}
# For source that tokenize rejects (a syntax error half-way): words, numbers, strings, operators.
_FALLBACK = re.compile(
    r'(?P<string>[rbufRBUF]*("""[\s\S]*?"""|' r"'''[\s\S]*?'''" r'|"[^"\n]*"|' r"'[^'\n]*'))"
    r"|(?P<comment>#.*)|(?P<name>[^\W\d]\w*)|(?P<number>\d[\w.]*)|(?P<newline>\n)"
    r"|(?P<op>\*\*=?|//=?|[-+*/%<>=!]=|->|\S)")


@dataclass
class Normalised:
    """The token text and, for each of its characters, the 0-based line of the source."""

    text: str = ""
    lines: list[int] = field(default_factory=list)

    def __add__(self, other: Normalised) -> Normalised:
        return Normalised(self.text + other.text, self.lines + other.lines)


def symbol(token: str) -> str:
    """The one character standing for a keyword, an operator or a number literal."""
    return _TABLE.get(token) or chr(_PRIVATE + len(_TABLE) + zlib.crc32(token.encode("utf-8")) % _NUMBERS)


def normalise(source: str, first_line: int = 0) -> Normalised:
    """The token text of `source`; line numbers are counted from `first_line` (a notebook's
    cells are normalised one by one into one text)."""
    out: list[tuple[str, int]] = []
    try:
        _tokens(source, first_line, out)
    except (tokenize.TokenError, SyntaxError):  # IndentationError is a SyntaxError
        out = []
        _fallback(source, first_line, out)
    last = first_line + source.count("\n")  # the closing dedents lie past the end of a cell
    return Normalised("".join(c for c, _ in out), [min(line, last) for _, line in out])


def _tokens(source: str, first_line: int, out: list[tuple[str, int]]) -> None:
    """Python's own tokenizer; a statement that is only strings (a docstring) is dropped."""
    statement: list[tuple[str, int]] = []
    only_strings = True
    depth = 0  # inside an f-string (Python 3.12 splits them into parts)
    for tok in tokenize.generate_tokens(io.StringIO(source).readline):
        line = first_line + tok.start[0] - 1
        if tok.type == _FSTRING_START:
            depth += 1
            if depth == 1:
                statement.append((STRING, line))
            continue
        if depth:
            depth -= tok.type == _FSTRING_END
            continue
        if tok.type in _SKIPPED:
            continue
        if tok.type == tokenize.NEWLINE:
            if not only_strings:
                out += statement
                out.append((NEWLINE, line))
            statement, only_strings = [], True
        elif tok.type in (tokenize.INDENT, tokenize.DEDENT):
            out.append((INDENT if tok.type == tokenize.INDENT else DEDENT, line))
        elif tok.type == tokenize.STRING:
            if not statement or statement[-1][0] != STRING:  # "a" "b" is one string
                statement.append((STRING, line))
        else:
            only_strings = False
            statement.append((_char(tok.type, tok.string), line))
    if not only_strings:
        out += statement


def _char(kind: int, text: str) -> str:
    if kind == tokenize.NAME and not keyword.iskeyword(text):
        return NAME
    return symbol(text)


def _fallback(source: str, first_line: int, out: list[tuple[str, int]]) -> None:
    """Tokens by a regular expression, for source Python cannot tokenize; comments dropped."""
    line = first_line
    for match in _FALLBACK.finditer(source):
        kind, text = match.lastgroup, match.group()
        if kind == "newline":
            if out and out[-1][0] != NEWLINE:
                out.append((NEWLINE, line))
        elif kind == "string":
            out.append((STRING, line))
        elif kind == "name":
            out.append((NAME if not keyword.iskeyword(text) else symbol(text), line))
        elif kind in ("number", "op"):
            out.append((symbol(text), line))
        line += text.count("\n")
