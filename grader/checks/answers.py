"""The reference's answers to each (check, case): the one cache that lives as long as a plan.

With the reference solution at hand (an instructor's machine) an answer is computed the first
time a case needs it and kept, decoded, for every later submission; so are the answers of the
reference with a suspected mistake made (checks.suspects), which name a student's mistake.
Without the solution (a student's machine) answers come from `expected.json`, which
`grader generate` records for the public cases, with the answers of other accepted conventions.
Checks compare answers but never change them, so one copy serves every grading thread.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from grader.checks.cases import Case
from grader.checks.errors import ConfigError, NoReference, ReferenceFailure
from grader.checks.messages import described
from grader.checks.suspects import Suspect
from grader.sandbox.protocol import codec

if TYPE_CHECKING:
    from grader.assignment.spec import CheckSpec
    from grader.checks.kind import Kind
    from grader.checks.reference import ReferenceSide

ACCEPTED = "$accepted"  # expected.json: {check: {suspect: {"words": ..., "answers": {case: wire}}}}


@dataclass(frozen=True)
class Answer:
    wire: Any  # as recorded in expected.json
    value: Any  # decoded, shared by every submission
    public: bool


class Answers:
    """The answers of one plan, computed once or replayed from a record."""

    def __init__(self, reference: ReferenceSide | None, recorded: Mapping[str, Any] | None = None):
        self.reference = reference
        self.recorded = recorded or {}
        self._answers: dict[tuple[str, str, str], Answer | None] = {}  # (check, case, suspect or "")
        self._lock = threading.Lock()

    def get(self, check: CheckSpec, case: Case, kind: Kind) -> Any:
        """The reference's answer to `case` of `check`; raises NoReference when there is none here."""
        key = (check.name, case.key, "")
        with self._lock:
            if key not in self._answers:
                wire = self._compute(check, case, kind)
                self._answers[key] = Answer(wire, codec.decode(wire), not case.hidden)
            answer = self._answers[key]
            assert answer is not None
            return answer.value

    def variant(self, check: CheckSpec, case: Case, kind: Kind, suspect: Suspect) -> Any:
        """The answer with the suspect's mistake made (or its convention followed); None when there
        is none (it changes nothing here, or neither the reference nor a record has it)."""
        key = (check.name, case.key, suspect.name)
        with self._lock:
            if key not in self._answers:
                wire = self._compute_variant(check, case, kind, suspect)
                public = suspect.accepted and not case.hidden
                self._answers[key] = None if wire is None else Answer(wire, codec.decode(wire), public)
            answer = self._answers[key]
            return None if answer is None else answer.value

    def derived(self, check: CheckSpec, case: Case, label: str, compute: Callable[[], Any]) -> Any:
        """Another of the reference's results for a case (the gradients behind "keeps the graph"),
        computed by `compute` once per plan and never recorded in expected.json."""
        key = (check.name, case.key, "=" + label)
        with self._lock:
            if key not in self._answers:
                self._answers[key] = Answer(None, compute(), public=False)
            answer = self._answers[key]
            assert answer is not None
            return answer.value

    def _compute(self, check: CheckSpec, case: Case, kind: Kind) -> Any:
        if self.reference is not None:
            try:
                return codec.encode(kind.expected(check, case, self.reference))
            except ReferenceFailure as exc:
                raise ConfigError(f"check {check.name!r}, {described(case) or 'course data'}: {exc}") from exc
        recorded = self.recorded.get(check.name, {})
        if case.key in recorded:
            return recorded[case.key]
        raise NoReference(check.name)

    def _compute_variant(self, check: CheckSpec, case: Case, kind: Kind, suspect: Suspect) -> Any:
        if self.reference is None:
            entry = self.recorded.get(ACCEPTED, {}).get(check.name, {}).get(suspect.name, {})
            return entry.get("answers", {}).get(case.key)
        changed = suspect.apply(case, self.reference)
        if changed is None:
            return None
        try:
            return codec.encode(kind.expected(check, *changed))
        except Exception:  # the mistake does not apply here (or breaks the reference): no answer
            return None

    def recorded_accepted(self, check: CheckSpec) -> list[Suspect]:
        """The accepted conventions expected.json records for a check (a machine without the solution)."""
        entries = self.recorded.get(ACCEPTED, {}).get(check.name, {})
        return [Suspect(name, str(entry.get("words", "")), name.split(":")[0], accepted=True)
                for name, entry in entries.items()]

    def public_record(self, suspects: list[Suspect] | None = None) -> dict[str, Any]:
        """The answers to non-hidden cases, and those of accepted conventions, for `expected.json`."""
        words = {s.name: s.words for s in suspects or []}
        out: dict[str, Any] = {}
        for (name, case_key, suspect), answer in sorted(self._answers.items(), key=lambda item: item[0]):
            if answer is None or not answer.public:
                continue
            if not suspect:
                out.setdefault(name, {})[case_key] = answer.wire
            else:
                entry = out.setdefault(ACCEPTED, {}).setdefault(name, {}).setdefault(
                    suspect, {"words": words.get(suspect, ""), "answers": {}})
                entry["answers"][case_key] = answer.wire
        return out
