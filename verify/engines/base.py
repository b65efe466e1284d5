"""The one interface every engine implements: claims found in text in, verdicts out.

An engine is a small object with a ``name``, a ``find`` that locates the claims it can
decide in an answer, and a ``check`` that decides them. Engines never import each other;
each reads the whole answer, and the pipeline arbitrates between readings of one span: the
higher-ranked (more specific) engine's claim is reported, and a lower-ranked reading that
decides the same span the other way makes it ``unverified`` (see ``verify.pipeline``).
"""
from __future__ import annotations

import os
from dataclasses import dataclass, field
from typing import Any, Mapping, Protocol, Sequence, runtime_checkable

from verify.limits import Budget
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


class Retrieved(Protocol):
    """One passage a retriever found: its text, a score (higher is better) and where it
    comes from (``kb.Citation``: ``source``, ``title``, ``section``, offsets)."""

    text: str
    score: float
    citation: Any


@runtime_checkable
class Retriever(Protocol):
    """What grounding and CoVe need from a knowledge base: the ``k`` best passages for a
    query, best first. ``kb.KnowledgeBase`` is one; any object with this ``search`` works."""

    def search(self, query: str, k: int = 5) -> Sequence[Retrieved]:
        """The ``k`` best passages for ``query``, best first."""


def open_kb(kb: Retriever | str | os.PathLike[str] | None) -> Retriever | None:
    """The one place a knowledge base is opened: a path (str or ``Path``) is opened as a
    ``kb.KnowledgeBase`` (``FileNotFoundError``/``ValueError`` when it is not one), a
    retriever or None is returned as it is."""
    if isinstance(kb, (str, os.PathLike)):
        from kb import KnowledgeBase  # lazy: kb pulls in faiss and torch

        return KnowledgeBase.open(kb)
    return kb


@dataclass(frozen=True)
class Context:
    """What a check knows besides the answer text. Built once per ``check()`` call.

    ``budget`` is the whole check's time (unbounded by default); ``deadline``,
    ``remaining()``, ``expired()`` and ``bound()`` read it, so an engine slices one budget."""

    question: str | None = None
    evidence: tuple[str, ...] = ()
    kb: Retriever | None = None
    llm: Any = None
    budget: Budget = Budget()
    options: Mapping[str, Any] = field(default_factory=dict)

    @property
    def deadline(self) -> float | None:
        """The overall deadline as a ``time.monotonic()`` value; None = no overall bound."""
        return self.budget.deadline

    def remaining(self) -> float | None:
        """Seconds left before the overall deadline (None when unbounded)."""
        return self.budget.remaining()

    def expired(self) -> bool:
        return self.budget.expired()

    def bound(self, per_call: float) -> float:
        """A per-call time limit that also respects the overall deadline."""
        return self.budget.bound(per_call)


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
