"""Winnowed fingerprints (copydetect), what is left after the handout and common code, and pairs.

Every k-gram of the token text (grader.similarity.normalise: one character per token, so k
counts tokens) is hashed, and copydetect's winnowing keeps a subset that guarantees any shared
run of at least k + window - 1 tokens is seen. The k-gram hash is our own stable one:
copydetect's uses Python's `hash`, which differs from one process to the next, and the same
class must give the same scores every time it is run. Two sets of fingerprints are then taken
away from every document, as copydetect's boilerplate option does:

- the handout's: every k-gram of the stub (and of any other file the instructor names), so the
  code students were given, signatures and all, counts for nothing;
- the class's common code: a k-gram found in more than `common` submissions is what many
  students write (the lecture's program, the one obvious line), not evidence of copying, as MOSS
  ignores passages that appear in many programs.

Which pairs to compare comes from an inverted index of the remaining fingerprints: only
documents that share one are compared (with copydetect's compare_files), so a class of 1,000 is
not 500,000 comparisons.
"""

from __future__ import annotations

import itertools
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from copydetect import compare_files
from copydetect.utils import get_token_coverage, winnow

from grader.similarity.sources import Document

Slices = list[tuple[int, int]]
_BASE = np.uint64(0x100000001B3)
_MIX = np.uint64(0xBF58476D1CE4E5B9)
_BITS = np.uint64((1 << 53) - 1)  # copydetect's winnowing compares hashes as floats: keep them exact


@dataclass
class Fingerprint:
    """What copydetect's compare_files reads of a CodeFingerprint: the winnowed hashes, where each
    occurs in the token text, and how many tokens they cover."""

    k: int
    filtered_code: str
    hashes: set[int] = field(default_factory=set)
    hash_idx: dict[int, list[int]] = field(default_factory=dict)
    token_coverage: int = 0
    offsets: Any = field(default_factory=lambda: np.array([]))  # token text -> source: kept by normalise


@dataclass
class Printed:
    """A document with its fingerprints: `written` is how many of its tokens are its own (not the
    handout's), `distinct` how many of them are also not common code, `repeats` the most places
    one fingerprint occurs in."""

    document: Document
    fingerprint: Fingerprint
    written: int = 0
    distinct: int = 0
    repeats: int = 1


@dataclass(frozen=True)
class Match:
    a: int
    b: int
    tokens_a: int
    tokens_b: int
    slices_a: Slices
    slices_b: Slices


def kgram_hashes(text: str, k: int) -> Any:
    """The hash of every k-gram of `text`, in order (a polynomial over the characters, mixed),
    the same in every process."""
    if len(text) < k:
        return np.zeros(0, dtype=np.int64)
    codes = np.frombuffer(text.encode("utf-32-le"), dtype=np.uint32).astype(np.uint64)
    count = len(codes) - k + 1
    value = np.zeros(count, dtype=np.uint64)
    for offset in range(k):  # wraps modulo 2**64, as intended
        value = value * _BASE + codes[offset:offset + count]
    value ^= value >> np.uint64(31)
    value *= _MIX
    value ^= value >> np.uint64(29)
    return (value & _BITS).astype(np.int64)


def kgrams(document: Document, k: int) -> set[int]:
    """Every k-gram hash of the document (not winnowed)."""
    return set(kgram_hashes(document.tokens.text, k).tolist())


def fingerprint(document: Document, k: int, window: int) -> Printed:
    """The document's winnowed fingerprints (copydetect's `winnow`, with every place a selected
    hash occurs, as its get_document_fingerprints keeps them)."""
    text = document.tokens.text
    found = Fingerprint(k, text)
    hashes = kgram_hashes(text, k)
    if len(hashes):
        selected, places = winnow(hashes, window, remove_duplicates=False)
        for value, place in zip(selected.tolist(), places.tolist(), strict=True):
            found.hash_idx.setdefault(value, []).append(place)
    found.hashes = set(found.hash_idx)
    found.token_coverage = int(get_token_coverage(found.hash_idx, k, len(text)))
    return Printed(document, found)


def common_kgrams(documents: Iterable[Document], k: int, limit: int) -> set[int]:
    """The k-grams found in more than `limit` of the documents."""
    counts: Counter[int] = Counter()
    for document in documents:
        counts.update(kgrams(document, k))
    return {h for h, n in counts.items() if n > limit}


def remove(printed: Printed, hashes: set[int]) -> int:
    """Drop these fingerprints; returns how many tokens the remaining ones cover."""
    fp = printed.fingerprint
    fp.hashes -= hashes
    fp.hash_idx = {h: idx for h, idx in fp.hash_idx.items() if h not in hashes}
    fp.token_coverage = int(get_token_coverage(fp.hash_idx, fp.k, len(fp.filtered_code)))
    printed.repeats = max((len(places) for places in fp.hash_idx.values()), default=1)
    return int(fp.token_coverage)


def candidates(printed: list[Printed]) -> Counter[tuple[int, int]]:
    """Pairs of documents that share at least one fingerprint, with how many they share.
    Pairs of two known solutions (kind `source`) are left out."""
    index: defaultdict[int, list[int]] = defaultdict(list)
    for number, item in enumerate(printed):
        for h in item.fingerprint.hashes:
            index[h].append(number)
    shared: Counter[tuple[int, int]] = Counter()
    for holders in index.values():
        if len(holders) > 1:
            shared.update(itertools.combinations(holders, 2))
    return Counter({pair: n for pair, n in shared.items()
                    if not all(printed[i].document.kind == "source" for i in pair)})


def compare(printed: list[Printed], a: int, b: int) -> Match:
    """copydetect's comparison of two documents: matched tokens and where, in each."""
    _, _, (slices_a, slices_b) = compare_files(printed[a].fingerprint, printed[b].fingerprint)
    return Match(a, b, _covered(slices_a), _covered(slices_b), _spans(slices_a), _spans(slices_b))


def _spans(slices: Any) -> Slices:
    if len(slices) == 0 or len(slices[0]) == 0:
        return []
    return [(int(start), int(end)) for start, end in zip(slices[0], slices[1], strict=True)]


def _covered(slices: Any) -> int:
    return sum(end - start for start, end in _spans(slices))
