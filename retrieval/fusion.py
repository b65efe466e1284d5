"""Fusing a dense and a lexical ranking into one.

Two ways: by rank (reciprocal rank fusion) or by score normalised per query (z-scores).
Rank fusion throws away how *sure* each retriever is: a BM25 list whose first hit stands
far above the rest (a defined term, a name, an exact phrase) counts the same as a flat list
of near-ties, so fixed weights that suit one book hurt another (benchmarks/retrieval.py).
Z-score fusion keeps it: each candidate's score is measured in standard deviations above
its own list's mean, so the retriever with the standout hit for *this* query leads, and a
retriever with only near-ties adds little. Nothing is tuned per book.
"""
from __future__ import annotations

import math
from typing import Hashable, Sequence

RRF_K = 60
FUSIONS = ("zscore", "rrf")


def reciprocal_rank_fusion(rankings: Sequence[Sequence[Hashable]],
                           weights: Sequence[float] | None = None, k: int = RRF_K
                           ) -> list[tuple[Hashable, float]]:
    """``score(d) = Σ_i w_i / (k + rank_i(d))`` with 1-based ranks; best first, ties broken
    by first appearance. ``k`` damps the head (60 is the value of Cormack et al., 2009)."""
    weights = _weights(weights, len(rankings))
    if k < 0:
        raise ValueError("k must be non-negative")
    scores: dict[Hashable, float] = {}
    order: dict[Hashable, int] = {}
    for ranking, w in zip(rankings, weights):
        for rank, item in enumerate(ranking, start=1):
            scores[item] = scores.get(item, 0.0) + float(w) / (k + rank)
            order.setdefault(item, len(order))
    return sorted(scores.items(), key=lambda kv: (-kv[1], order[kv[0]]))


def zscore_fusion(scored: Sequence[Sequence[tuple[Hashable, float]]],
                  weights: Sequence[float] | None = None) -> list[tuple[Hashable, float]]:
    """``score(d) = Σ_i w_i · z_i(d)``, ``z_i = (s_i(d) − mean_i) / sd_i`` over list ``i``'s
    candidates (higher raw score = better). A candidate list ``i`` did not return scores
    that list's lowest z (it ranked below all of them). A list whose scores are all equal
    (one hit, say) measures no spread: its hits score 1 and the rest 0, one unit for being
    found. Best first; ties by first appearance."""
    weights = _weights(weights, len(scored))
    zs: list[dict[Hashable, float]] = []
    floors: list[float] = []
    for ranking in scored:
        values = [float(s) for _, s in ranking]
        if not all(math.isfinite(v) for v in values):
            raise ValueError("scores must be finite numbers")
        mean = sum(values) / len(values) if values else 0.0
        sd = math.sqrt(sum((v - mean) ** 2 for v in values) / len(values)) if values else 0.0
        z = {item: (float(s) - mean) / sd if sd > 0 else 1.0 for item, s in ranking}
        zs.append(z)
        floors.append(min(z.values(), default=0.0) if sd > 0 else 0.0)
    order: dict[Hashable, int] = {}
    for ranking in scored:
        for item, _ in ranking:
            order.setdefault(item, len(order))
    fused = {item: sum(float(w) * z.get(item, floor) for z, floor, w in zip(zs, floors, weights))
             for item in order}
    return sorted(fused.items(), key=lambda kv: (-kv[1], order[kv[0]]))


def _weights(weights: Sequence[float] | None, n: int) -> Sequence[float]:
    if weights is None:
        return [1.0] * n
    if len(weights) != n:
        raise ValueError(f"{len(weights)} weights for {n} rankings")
    return weights
