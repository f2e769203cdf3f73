"""From documents to the ranked pairs and clusters of `similarity.json`.

The score of a pair is what the two share beyond the handout and the class's common code,
as a share of what they wrote beyond the handout: (matched tokens of a + of b) / (own tokens of
a + of b), each side's own tokens counted as at least `min_tokens`. Common code thus counts
against a pair (it is in the denominator, never in the numerator), and a student who wrote four
lines that match someone's four lines does not score as if a whole solution matched. Clusters
join every pair at or above the threshold (union-find), so a ring of copies is one group.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime

from grader.similarity import fingerprints
from grader.similarity.fingerprints import Match, Printed, Slices
from grader.similarity.model import Cluster, Pair, Region, Settings, Side, SimilarityReport
from grader.similarity.model import Document as DocumentInfo
from grader.similarity.sources import Document


@dataclass
class Analysis:
    report: SimilarityReport
    documents: dict[str, Document]


def default_common(students: int) -> int:
    """More than this many submissions sharing a run makes it common: a tenth of the class, and
    never fewer than 6 (in a small class, five students sharing the lecture's code is common)."""
    return max(6, students // 10)


def analyse(assignment: str, students: list[Document], sources: list[Document], handout: list[Document],
            settings: Settings, set_aside: Iterable[str] = ()) -> Analysis:
    k, window = settings.k, settings.window
    given: set[int] = set().union(*(fingerprints.kgrams(d, k) for d in handout))
    common = fingerprints.common_kgrams(students, k, settings.common)
    printed = [fingerprints.fingerprint(d, k, window) for d in students + sources]
    for item in printed:
        item.written = fingerprints.remove(item, given)
        item.distinct = fingerprints.remove(item, common)
    shared = fingerprints.candidates(printed)
    scored: list[tuple[float, Match]] = []
    for (a, b), count in shared.items():
        if _bound(printed[a], printed[b], count, settings) < settings.min_score:
            continue  # cannot reach min_score however the shared fingerprints lie
        match = fingerprints.compare(printed, a, b)
        score = _score(printed[a], printed[b], match, settings)
        if score >= settings.min_score:
            scored.append((score, match))
    scored.sort(key=lambda item: (-item[0], printed[item[1].a].document.name, printed[item[1].b].document.name))
    pairs = [_pair(rank, score, match, printed, settings) for rank, (score, match) in enumerate(scored, start=1)]
    clusters = _clusters(pairs, settings.threshold)
    report = SimilarityReport(
        assignment=assignment, created_at=datetime.now(UTC).isoformat(timespec="seconds"), settings=settings,
        compared=len(shared), clusters=clusters, pairs=pairs, set_aside=list(set_aside),
        documents=[DocumentInfo(name=p.document.name, kind="source" if p.document.kind == "source" else "student",
                                path=str(p.document.path), tokens=len(p.document.tokens.text),
                                own_tokens=p.written, distinct_tokens=p.distinct) for p in printed],
    )
    return Analysis(report, {d.name: d for d in students + sources})


def _own(item: Printed, settings: Settings) -> int:
    return max(item.written, settings.min_tokens)


def _score(a: Printed, b: Printed, match: Match, settings: Settings) -> float:
    return (match.tokens_a + match.tokens_b) / (_own(a, settings) + _own(b, settings))


def _bound(a: Printed, b: Printed, count: int, settings: Settings) -> float:
    """The highest score two documents sharing `count` fingerprints could have: each shared
    fingerprint covers k tokens at each place it occurs, and only uncommon tokens can match."""
    def most(item: Printed) -> int:
        return min(item.distinct, count * item.repeats * settings.k)

    return (most(a) + most(b)) / (_own(a, settings) + _own(b, settings))


def _pair(rank: int, score: float, match: Match, printed: list[Printed], settings: Settings) -> Pair:
    a, b = printed[match.a], printed[match.b]
    if a.document.kind == "source" and b.document.kind != "source":
        a, b = b, a  # the student first
        match = Match(match.b, match.a, match.tokens_b, match.tokens_a, match.slices_b, match.slices_a)
    return Pair(
        rank=rank, score=round(score, 4), page=f"pairs/{rank:04d}.html",
        with_source=b.document.kind == "source",
        a=Side(name=a.document.name, share=round(match.tokens_a / _own(a, settings), 4),
               matched_tokens=match.tokens_a, regions=regions(a.document, match.slices_a)),
        b=Side(name=b.document.name, share=round(match.tokens_b / _own(b, settings), 4),
               matched_tokens=match.tokens_b, regions=regions(b.document, match.slices_b)),
    )


def regions(document: Document, slices: Slices) -> list[Region]:
    """Matched token spans as line ranges of the code as handed in (a span that crosses from one
    notebook cell into the next is one region per cell)."""
    marked: set[int] = set()
    for start, end in slices:
        marked.update(range(document.tokens.lines[start], document.tokens.lines[end - 1] + 1))
    found: list[Region] = []
    for index in sorted(marked):
        line = document.lines[index]
        last = found[-1] if found else None
        if last is not None and last.where == line.where and last.last + 1 == line.number:
            last.last = line.number
        else:
            found.append(Region(where=line.where, first=line.number, last=line.number))
    return found


def _clusters(pairs: list[Pair], threshold: float) -> list[Cluster]:
    """Groups joined by pairs at or above the threshold; each pair learns its cluster."""
    parent: dict[str, str] = {}

    def root(name: str) -> str:
        parent.setdefault(name, name)
        while parent[name] != name:
            parent[name] = parent[parent[name]]
            name = parent[name]
        return name

    strong = [p for p in pairs if p.score >= threshold]
    for pair in strong:
        parent[root(pair.a.name)] = root(pair.b.name)
    groups: dict[str, list[Pair]] = {}
    for pair in strong:
        groups.setdefault(root(pair.a.name), []).append(pair)
    ordered = sorted(groups.values(), key=lambda g: (-max(p.score for p in g), -len(g), g[0].rank))
    clusters = []
    for number, group in enumerate(ordered, start=1):
        members = sorted({p.a.name for p in group} | {p.b.name for p in group})
        clusters.append(Cluster(number=number, members=members, top_score=max(p.score for p in group),
                                pairs=len(group)))
        for pair in group:
            pair.cluster = number
    return clusters
