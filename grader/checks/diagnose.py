"""Why a result differs from the reference's, named in plain words, or why it is right after all.

In order, simplest first: another right convention (the case passes, and the report says which);
a history with one value per sample, or shifted by one epoch; a mistake the reference reproduces
when made on purpose (checks.suspects); and only then a ratio, when it is one of the plausible
factors (2, ½, −1, n samples, x) and constant over every number. A hidden case's message gets
only what carries no number: a named mistake, never a ratio (the instructor's detail has both).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from grader.checks.cases import Case
from grader.checks.compare import Mismatch, close, compare, leaves
from grader.checks.formatting import fmt
from grader.checks.suspects import Suspect, sample_count

if TYPE_CHECKING:
    from grader.checks.kind import Context, Kind


@dataclass(frozen=True)
class Diagnosis:
    point: str = ""  # appended to a public case's message (may carry numbers)
    gist: str = ""  # appended to a hidden case's message (carries none)
    accepted: Suspect | None = None  # the result follows another right convention: the case passes


NOTHING = Diagnosis()


@dataclass(frozen=True)
class Judged:
    """What a diagnosis needs to know about the failing case."""

    check: Any
    case: Case
    kind: Kind
    actual: Any
    expected: Any
    rtol: float
    atol: float
    ctx: Context

    def same(self, a: Any, b: Any) -> bool:
        return compare(a, b, self.rtol, self.atol) is None


def diagnose(judged: Judged, mismatch: Mismatch) -> Diagnosis:
    """The first explanation that fits, or NOTHING."""
    suspects = _relevant(judged)
    for suspect in suspects:
        if suspect.accepted and _matches(judged, suspect):
            return Diagnosis(accepted=suspect)
    for found in (_per_sample(judged, suspects), _shifted(judged), _named(judged, suspects, mismatch)):
        if found is not None:
            return found
    ratio = _ratio(judged)
    return Diagnosis(point=f" ({ratio})") if ratio else NOTHING


def _relevant(judged: Judged) -> list[Suspect]:
    """The suspects of the functions this case calls (and the data's, for every case with data sets)."""
    called = judged.case.used_names()
    return [s for s in judged.ctx.suspects if s.fn is None or s.fn in called]


def _answer(judged: Judged, suspect: Suspect) -> Any:
    return judged.ctx.answers.variant(judged.check, judged.case, judged.kind, suspect)


def _matches(judged: Judged, suspect: Suspect) -> bool:
    answer = _answer(judged, suspect)
    return answer is not None and judged.same(judged.actual, answer)


def _named(judged: Judged, suspects: list[Suspect], mismatch: Mismatch) -> Diagnosis | None:
    """A mistake that, made in the reference, gives the student's result."""
    for suspect in suspects:
        if suspect.accepted:
            continue
        answer = _answer(judged, suspect)
        if answer is None or judged.same(answer, judged.expected):
            continue  # not applicable here, or indistinguishable from the right answer
        n = sample_count(judged.case)
        if judged.same(judged.actual, answer) or (suspect.fn is None and n and judged.same(judged.actual,
                                                                                            _scaled(answer, 1 / n))):
            words = f"; this is what you get when {suspect.words}"
            return Diagnosis(words, words)
        if suspect.name.endswith(":never-updated"):
            frozen = _frozen(judged, answer)
            if frozen:
                what = f"the result's {', '.join(frozen)} keeps its" if len(frozen) == 1 else \
                    f"the result's {', '.join(frozen)} keep their"
                return Diagnosis(f"; {what} starting value: never updated",
                                 "; part of the result keeps its starting value: never updated")
    return None


def _frozen(judged: Judged, start: Any) -> list[str]:
    """The paths of the student's numbers that kept their starting value where the reference's did not."""
    got, want, first = leaves(judged.actual) or {}, leaves(judged.expected) or {}, leaves(start) or {}
    return [path or "the value" for path, value in got.items() if path in want and path in first
            and close(value, first[path], 1e-9, 1e-12) and not close(want[path], first[path], judged.rtol, judged.atol)]


def _scaled(value: Any, factor: float) -> Any:
    if isinstance(value, float):
        return value * factor
    return value


def _per_sample(judged: Judged, suspects: list[Suspect]) -> Diagnosis | None:
    """A history with k values per epoch: one per sample, where the last sample's is asked for."""
    actual, expected = judged.actual, judged.expected
    if not (isinstance(actual, list) and isinstance(expected, list) and expected and len(actual) > len(expected)
            and len(actual) % len(expected) == 0):
        return None
    k = len(actual) // len(expected)
    every_kth = actual[k - 1::k]
    right = [judged.expected] + [a for s in suspects if s.accepted and (a := _answer(judged, s)) is not None]
    if any(judged.same(every_kth, answer) for answer in right) or k == sample_count(judged.case):
        words = "one value per sample instead of one per epoch (the loss of the epoch's last sample)"
        return Diagnosis(f"; it holds {k} values per epoch: {words}", f"; it holds {words}")
    return None


def _shifted(judged: Judged) -> Diagnosis | None:
    """A history shifted by one epoch: recorded after the epoch's update instead of before, or the reverse."""
    actual, expected = judged.actual, judged.expected
    if not (isinstance(actual, list) and isinstance(expected, list) and len(actual) == len(expected) >= 3):
        return None
    if judged.same(actual[:-1], expected[1:]):
        words = ("the history is shifted by one epoch: each of your values is the reference's next one "
                 "(recorded after the epoch's update instead of before it?)")
    elif judged.same(actual[1:], expected[:-1]):
        words = ("the history is shifted by one epoch: each of your values is the reference's previous one "
                 "(recorded before the epoch's update instead of after it?)")
    else:
        return None
    return Diagnosis(f"; {words}", f"; {words}")


def _ratio(judged: Judged) -> str | None:
    """A plausible factor between the two results, the same for every number, or opposite signs
    throughout, when nothing simpler explains the difference. It goes in the point only, never
    in a hidden case's gist: a ratio to a hidden answer would give the answer away."""
    got, want = leaves(judged.actual), leaves(judged.expected)
    if not got or not want or len(got) != len(want):
        return None
    if got.keys() == want.keys():
        pairs = [(got[k], want[k]) for k in want]
    else:  # the same numbers in other shapes (a (1, 8) bias for an (8,) one): in order, by sorted key
        pairs = list(zip(_in_order(judged.actual), _in_order(judged.expected), strict=True))
    if any(not (math.isfinite(a) and math.isfinite(e)) for a, e in pairs):
        return _not_finite(pairs)
    scale = max(abs(e) for _, e in pairs)
    pairs = [(a, e) for a, e in pairs if abs(e) > 1e-9 * scale]
    if not pairs:
        return None
    r = pairs[0][0] / pairs[0][1]
    if all(math.isclose(a / e, r, rel_tol=1e-3) for a, e in pairs):
        for factor, words in _factors(judged.case):
            if math.isclose(r, factor, rel_tol=1e-3):
                return words
        return None
    if len(pairs) >= 4 and all(a * e < 0 for a, e in pairs):
        return "every value has the opposite sign to the reference's: is a sign flipped (y - y_hat for y_hat - y?)"
    return None


def _in_order(value: Any) -> list[float]:
    """The numbers of a value, dicts walked in sorted key order."""
    if isinstance(value, dict):
        return [v for key in sorted(value, key=str) for v in _in_order(value[key])]
    return list((leaves(value) or {}).values())


def _not_finite(pairs: list[tuple[float, float]]) -> str | None:
    values = [a for a, _ in pairs]
    which = "nan" if any(math.isnan(a) for a in values) else "infinite" if any(math.isinf(a) for a in values) else ""
    if not which:
        return None
    if len(values) > 1 and math.isfinite(values[0]):
        return f"the values become {which} later: training diverges (steps too large, or a sign error?)"
    if which == "nan":
        return "nan: a division by zero or an overflow?"
    return "infinite: the values blew up; a learning rate or sign problem?"


def _factors(case: Case) -> list[tuple[float, str]]:
    """The plausible factors for this case, with what each suggests; each also with the sign flipped."""
    sizes = [(2.0, "twice the expected size: a factor of 2 too many?"),
             (0.5, "half the expected size: a factor of 2 missing?")]
    n = sample_count(case)
    if n:
        sizes += [(float(n), f"{n} times the expected size, one per sample: summed instead of averaged?"),
                  (1 / n, f"1/{n} of the expected size: divided by the number of samples once too often?"),
                  (n / 2, f"{n}/2 times the expected size: the 2/n of the mean's derivative missing?"),
                  (2 / n, f"2/{n} of the expected size: a 2/n too many?")]
    x = case.variables.get("x")
    if isinstance(x, float) and abs(x) not in (0.0, 0.5, 1.0, 2.0) and math.isfinite(x):
        sizes += [(x, f"x times the expected size (x = {fmt(x)}): an extra factor of x?"),
                  (1 / x, f"the expected size divided by x (x = {fmt(x)}): a factor of x missing?")]
    found = [(-1.0, "the sign is flipped")]
    found += [(f, words.replace("size", "value")) for f, words in sizes]
    found += [(-f, f"the sign is flipped, and {words}") for f, words in sizes]
    return found
