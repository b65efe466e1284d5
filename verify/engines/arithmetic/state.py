"""What the check of one answer carries from step to step: the answer text (:class:`Doc`)
and the results stated so far with what they should be (:class:`State`), so a later step
that reuses a wrong result is judged with the corrected value, and a final answer that
restates a result is matched to it.

Separate from the judge and the engine, which both read and extend it.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from fractions import Fraction

from .translate import claim_numbers


# ------------------------------------------------------------------------ the answer
class Doc:
    """The answer text, shared by every candidate of one ``find`` call."""

    def __init__(self, text: str) -> None:
        self.text = text
        self._first: dict[tuple[int, int], int] | None = None

    def first_seen(self, value: Fraction) -> int | None:
        """Offset of the first number in the text with this value (as written)."""
        if self._first is None:
            self._first = {}
            for s, _, values in claim_numbers(self.text):
                for v in values:
                    self._first.setdefault(v, s)
        return self._first.get((value.numerator, value.denominator))


# ------------------------------------------------------------------------ state
@dataclass
class Result:
    """A number some step states as its result, and what it should be."""

    stated: Fraction
    start: int
    end: int
    status: str
    correct: Fraction | None
    evidence: str
    claim_text: str
    explanation: str
    percent: bool = False  # written as a percentage: "#### 30" may restate "30%"

    def restated_by(self, value: Fraction) -> Fraction | None:
        """The scale (1 or 100) at which ``value`` restates this result, or None."""
        if value == self.stated:
            return Fraction(1)
        if self.percent and value == self.stated * 100:
            return Fraction(100)
        return None


@dataclass
class State:
    """Propagation state for one answer: the results stated so far, indexed by value (so
    an answer with thousands of steps stays linear)."""

    question: str
    by_value: dict[tuple[int, int], list[Result]] = field(default_factory=dict)
    refuted: int = 0
    _question_values: set[tuple[int, int]] | None = None

    def add(self, result: Result) -> None:
        keys = {_key(result.stated)}
        if result.percent:
            keys.add(_key(result.stated * 100))  # "#### 30" may restate "30%"
        for key in keys:
            self.by_value.setdefault(key, []).append(result)
        self.refuted += result.status == "refuted"

    def latest(self, value: Fraction, at: int) -> Result | None:
        """The last result stated before offset ``at`` that ``value`` restates."""
        return next((r for r in reversed(self.by_value.get(_key(value), ())) if r.end <= at),
                    None)

    def in_question(self, value: Fraction) -> bool:
        if self._question_values is None:  # only needed once something was refuted
            self._question_values = set()
            for _, _, values in claim_numbers(self.question):
                self._question_values.update(values)
        return _key(value) in self._question_values

    def fix_for(self, value: Fraction, at: int, doc: Doc) -> Result | None:
        """The latest refuted result with this stated value before ``at`` that the text
        did not already contain earlier (so a reuse, not a coincidence)."""
        r = self.latest(value, at)
        if r is None or r.stated != value or r.status != "refuted" or r.correct is None:
            return None
        if self.in_question(value):
            return None
        first = doc.first_seen(value)
        if first is not None and first < r.start:
            return None
        return r


def _key(value: Fraction) -> tuple[int, int]:
    return value.numerator, value.denominator
