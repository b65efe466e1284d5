"""Embedding similarity between a claim and its evidence sentences (the packaged MiniLM).

Similarity says "this sentence is about the same thing", not "this sentence entails the
claim": a claim with a wrong year is as similar as the right one. So this judge only ever
answers ``supported`` (very similar) or ``not found``; contradictions come from the
deterministic checks. The model loads on first use.
"""
from __future__ import annotations

from typing import Any, Sequence

from verify.prose.nlp import content_stems
from verify.limits import torch_threads
from .base import Judgement, Passage, as_passages, not_found
from .evidence import Unit, split_units

#: Cosine similarity at which the closest evidence sentence counts as stating the claim.
#: High on purpose: below it, MiniLM said nothing about factuality on FRANK (dev half).
EMBEDDING_SUPPORT = 0.90
#: Evidence sentences embedded per claim: the ones sharing the most words with it (a
#: paraphrase still shares some), so a long article costs a few encodings, not hundreds.
MAX_EMBED_UNITS = 4
#: torch threads for the judge's small encodes (a claim and a few sentences): on the shared
#: 2-core machine one thread took 0.04 s per call where two took 0.9 s.
EMBED_THREADS = 1
#: Sentence vectors kept between calls (cleared when full).
EMBED_CACHE_SIZE = 50_000


class EmbeddingJudge:
    """Supported when one evidence sentence is a near-paraphrase of the claim."""

    name = "embedding"

    def __init__(self, embedder: Any = None, threshold: float = EMBEDDING_SUPPORT) -> None:
        self._embedder = embedder
        self.threshold = threshold
        self._cache: dict[str, Any] = {}  # sentence → vector: evidence is re-read for every claim

    @property
    def embedder(self) -> Any:
        if self._embedder is None:
            from retrieval.embedding import default_embedder  # lazy: torch
            self._embedder = default_embedder()
        return self._embedder

    @property
    def model_name(self) -> str:
        return getattr(self._embedder, "name", "all-MiniLM-L6-v2")

    def best(self, claim: str, passages: Sequence[Passage]) -> tuple[float, Passage | None]:
        """The highest cosine similarity of ``claim`` to any evidence sentence, and that sentence."""
        units = _closest(claim, split_units(passages), MAX_EMBED_UNITS)
        if not units:
            return 0.0, None
        import numpy as np

        todo = [t for t in dict.fromkeys([claim] + [u.text for u in units]) if t not in self._cache]
        if todo:
            if len(self._cache) > EMBED_CACHE_SIZE:
                self._cache.clear()
            with torch_threads(EMBED_THREADS):
                self._cache.update(zip(todo, self.embedder.encode(todo)))
        sims = np.stack([self._cache[u.text] for u in units]) @ self._cache[claim]
        i = int(sims.argmax())
        u = units[i]
        return float(sims[i]), Passage(u.text, u.passage.source, u.passage.citation, u.passage.score)

    def judge(self, claim: str, passages: Sequence[Passage | str], *,
              question: str | None = None) -> Judgement:
        text = f"{question} {claim}" if question else claim
        sim, where = self.best(text, as_passages(passages))
        detail = {"similarity": round(sim, 4), "model": self.model_name}
        if where is not None and sim >= self.threshold:
            return Judgement("supported", round(sim, 4), (where,),
                             f"an evidence sentence says nearly the same (similarity {sim:.2f}).",
                             ("embedding",), detail=detail)
        return not_found(f"no evidence sentence is close enough (best similarity {sim:.2f}).",
                         score=round(sim, 4), checks=["embedding"],
                         passages=(where,) if where else (), **detail)


def _closest(claim: str, units: Sequence[Unit], n: int) -> list[Unit]:
    """The ``n`` sentences sharing the most content words with ``claim`` (document order
    breaks ties, so the choice is deterministic)."""
    words = set(content_stems(claim))
    ranked = sorted(range(len(units)), key=lambda i: (-len(words & units[i].stems), i))
    return [units[i] for i in ranked[:n]]

