"""Reciprocal rank fusion: combine rankings by rank, not by incomparable raw scores."""
from __future__ import annotations

from typing import Hashable, Sequence

RRF_K = 60


def reciprocal_rank_fusion(rankings: Sequence[Sequence[Hashable]],
                           weights: Sequence[float] | None = None, k: int = RRF_K
                           ) -> list[tuple[Hashable, float]]:
    """``score(d) = Σ_i w_i / (k + rank_i(d))`` with 1-based ranks; best first, ties broken
    by first appearance. ``k`` damps the head (60 is the value of Cormack et al., 2009)."""
    if weights is None:
        weights = [1.0] * len(rankings)
    if len(weights) != len(rankings):
        raise ValueError(f"{len(weights)} weights for {len(rankings)} rankings")
    if k < 0:
        raise ValueError("k must be non-negative")
    scores: dict[Hashable, float] = {}
    order: dict[Hashable, int] = {}
    for ranking, w in zip(rankings, weights):
        for rank, item in enumerate(ranking, start=1):
            scores[item] = scores.get(item, 0.0) + float(w) / (k + rank)
            order.setdefault(item, len(order))
    return sorted(scores.items(), key=lambda kv: (-kv[1], order[kv[0]]))
