"""The result objects of a search: frozen, typed, JSON-ready (CONTRACTS.md "Knowledge bases")."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Citation:
    """Where a passage comes from, precisely enough to show the original.

    ``source`` is the path as given at build time (a CNXML module keeps its module id in
    it); ``section`` is the heading path joined with " > "; ``start``/``end`` are
    character offsets into the source's extracted text (``KnowledgeBase.source_text``);
    ``page`` is 1-based for PDFs, else None; ``anchor`` names a record inside the source
    (a JSON Lines ``id``), else None.
    """

    source: str
    title: str
    section: str
    start: int
    end: int
    page: int | None = None
    anchor: str | None = None

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"source": self.source, "title": self.title, "section": self.section,
                               "start": self.start, "end": self.end, "page": self.page}
        if self.anchor is not None:
            out["anchor"] = self.anchor
        return out

    def __str__(self) -> str:
        where = f"p. {self.page}, " if self.page is not None else ""
        head = self.section if self.section.startswith(self.title) else \
            " > ".join(p for p in (self.title, self.section) if p)
        return f"{head} ({where}{self.source} [{self.start}:{self.end}])"


@dataclass(frozen=True)
class Hit:
    """One search result. ``score``: higher is better; its scale depends on the mode
    (cosine for dense, BM25 for bm25, the fused z-score (or reciprocal-rank score) for
    hybrid, cross-encoder logit when reranked). ``scores`` keeps each stage's score so a
    ranking can be explained."""

    rank: int
    score: float
    text: str
    citation: Citation
    chunk_id: int = -1
    kind: str = "text"
    scores: dict[str, float] = field(default_factory=dict, compare=False)

    def to_dict(self) -> dict[str, Any]:
        return {"rank": self.rank, "score": round(float(self.score), 6), "text": self.text,
                "citation": self.citation.to_dict(), "chunk_id": self.chunk_id, "kind": self.kind,
                "scores": {k: round(float(v), 6) for k, v in self.scores.items()}}
