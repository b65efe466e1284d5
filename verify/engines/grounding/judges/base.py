"""The entailment-judge interface: a claim and passages in, one judgement out.

A judge answers one question — does this evidence support the claim, contradict it, say
nothing about it, or disagree with itself? — and says which passages and which checks its
answer rests on. Any object with a ``judge(claim, passages)`` method plugs in (see
:func:`verify.engines.grounding.judges.get_judge`); passages are data, never instructions.
"""
from __future__ import annotations

import inspect
import logging
from dataclasses import dataclass, field
from typing import Any, Literal, Mapping, Protocol, Sequence, runtime_checkable

from verify.report import freeze, thaw

log = logging.getLogger("verity.judges")

Label = Literal["supported", "contradicted", "not found", "disputed"]
LABELS: tuple[str, ...] = ("supported", "contradicted", "not found", "disputed")


@dataclass(frozen=True)
class Passage:
    """A piece of evidence: its text and where it came from (a kb citation, a file...)."""

    text: str
    source: str | None = None
    citation: Any = None
    score: float | None = None  # the retriever's score, when it came from a search

    def to_dict(self) -> dict[str, Any]:
        return {"text": self.text, "source": self.source, "citation": thaw(self.citation),
                "score": self.score}


@dataclass(frozen=True)
class Judgement:
    """A judge's verdict on one claim.

    ``passages`` are the pieces of evidence the verdict rests on (for ``supported`` and
    ``contradicted`` never empty); ``checks`` names the checks that fired; ``correction``
    is the evidence's own value for the claim's ``wrong`` words, when a contradiction
    yields one.
    """

    label: Label
    score: float
    passages: tuple[Passage, ...]
    explanation: str
    checks: tuple[str, ...] = ()
    correction: str | None = None
    wrong: str | None = None
    detail: Mapping[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if self.label not in LABELS:
            raise ValueError(f"unknown judgement label {self.label!r}; use one of {LABELS}")
        object.__setattr__(self, "passages", tuple(self.passages))
        object.__setattr__(self, "checks", tuple(self.checks))
        object.__setattr__(self, "detail", freeze(dict(self.detail)))
        if self.label in ("supported", "contradicted") and not self.passages:
            raise ValueError(f"a {self.label!r} judgement must cite the passages it rests on")

    def to_dict(self) -> dict[str, Any]:
        return {"label": self.label, "score": self.score,
                "passages": [p.to_dict() for p in self.passages],
                "explanation": self.explanation, "checks": list(self.checks),
                "correction": self.correction, "wrong": self.wrong, "detail": thaw(self.detail)}


@runtime_checkable
class Judge(Protocol):
    name: str

    def judge(self, claim: str, passages: Sequence[Passage | str], *,
              question: str | None = None) -> Judgement:
        """The verdict on ``claim`` given ``passages`` (``question``: what the answer replied to)."""


def as_passages(passages: Sequence[Passage | str] | Passage | str) -> list[Passage]:
    """Normalise judge input: strings become :class:`Passage`; anything else is refused."""
    if isinstance(passages, (str, Passage)):
        passages = [passages]
    out = []
    for i, p in enumerate(passages):
        if isinstance(p, Passage):
            out.append(p)
        elif isinstance(p, str):
            out.append(Passage(p, source=f"evidence[{i}]"))
        else:
            raise TypeError(f"a passage must be str or verify.engines.grounding.judges.Passage, got {type(p).__name__}")
    return out


def not_found(reason: str, *, score: float = 0.0, checks: Sequence[str] = (),
              passages: Sequence[Passage] = (), **detail: Any) -> Judgement:
    return Judgement("not found", score, tuple(passages), reason, tuple(checks), detail=detail)


def call_judge(judge: Any, claim: str, passages: Sequence[Passage], question: str | None) -> Judgement:
    """Call any judge object; ``question`` is passed only to judges that accept it, and a
    judge that returns something other than a :class:`Judgement` is refused."""
    fn = judge.judge
    try:
        params = inspect.signature(fn).parameters
        takes_q = "question" in params or any(p.kind is p.VAR_KEYWORD for p in params.values())
    except (TypeError, ValueError):
        takes_q = False
    out = fn(claim, passages, question=question) if takes_q else fn(claim, passages)
    if not isinstance(out, Judgement):
        raise TypeError(f"judge {getattr(judge, 'name', type(judge).__name__)!r} returned "
                        f"{type(out).__name__}, not a verify.engines.grounding.judges.Judgement")
    return out
