"""The one interface every engine implements: claims found in text in, verdicts out.

An engine is a small object with a ``name``, a ``find`` that locates the claims it can
decide in an answer, and a ``check`` that decides them. Engines never import each other;
each reads the whole answer, and the pipeline arbitrates between readings of one span: the
higher-ranked (more specific) engine's claim is reported, and a lower-ranked reading that
decides the same span the other way makes it ``unverified`` (see ``verify.pipeline``).
"""
from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Any, Mapping, Protocol, Sequence, runtime_checkable

from verify.report import Claim, Span


@dataclass(frozen=True)
class Candidate:
    """A claim found in the text, not yet decided.

    ``payload`` is the engine's own parsed form (an expression tree, an invoice model...);
    it never leaves the engine, so its type is the engine's business.
    """

    text: str
    span: Span
    kind: str
    payload: Any = None


@dataclass(frozen=True)
class Context:
    """What a check knows besides the answer text. Built once per ``check()`` call."""

    question: str | None = None
    evidence: tuple[str, ...] = ()
    kb: Any = None
    llm: Any = None
    deadline: float | None = None  # time.monotonic() value; None = no overall bound
    options: Mapping[str, Any] = field(default_factory=dict)

    def remaining(self) -> float | None:
        """Seconds left before the overall deadline (None when unbounded)."""
        if self.deadline is None:
            return None
        return max(0.0, self.deadline - time.monotonic())

    def expired(self) -> bool:
        left = self.remaining()
        return left is not None and left <= 0.0

    def bound(self, per_call: float) -> float:
        """A per-call time limit that also respects the overall deadline."""
        left = self.remaining()
        return per_call if left is None else max(0.001, min(per_call, left))


@runtime_checkable
class Engine(Protocol):
    name: str

    def find(self, text: str, ctx: Context) -> Sequence[Candidate]:
        """The claims in ``text`` this engine can decide, with their spans."""

    def check(self, candidates: Sequence[Candidate], ctx: Context) -> Sequence[Claim]:
        """One verdict per candidate, in order. Batch so an engine can use the whole
        answer (e.g. to propagate a corrected value into later steps)."""


class EngineError(Exception):
    """Raised by engines for input they refuse (too large, malformed); becomes
    an ``unverified`` claim whose explanation is this message."""
