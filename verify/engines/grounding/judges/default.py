"""The default judge: deterministic cross-checks first, embedding similarity for the rest.

No NLI model ships offline here, so the default is built from what does and is measured
in ``benchmarks/grounding.py``. The deterministic checks decide whenever they can (a
wrong value, a wrong name, a negation, a dispute, or full lexical support); only a claim
they leave undecided *and* that is already mostly worded like one evidence sentence is
handed to the embedding judge, which may call it supported when a sentence is a
near-paraphrase. A claim with a value or a name the evidence lacks, a short claim missing
its verb, or an answer missing what it adds to the question is never rescued: on FRANK
(dev half) the sentences MiniLM rescued came from wrong summaries as often as wrong
summaries occur at all, so similarity is kept for the rare near-verbatim paraphrase only.
"""
from __future__ import annotations

import logging
from typing import Any, Sequence

from .base import Judgement, Passage, as_passages
from .deterministic import DeterministicJudge
from .embedding import EMBEDDING_SUPPORT, EmbeddingJudge

log = logging.getLogger("verity.judges")

#: The deterministic "not found" claims whose best sentence holds at least this share of
#: their words are shown to the embedding judge (paraphrases worded differently).
EMBEDDING_MIN_WINDOW_COVERAGE = 0.60
#: Checks after which a claim stays "not found" whatever the embedding says.
HARD_CHECKS = frozenset({"value_unsupported", "name_unsupported", "empty_claim", "no_evidence",
                         "choice_ambiguous", "choice_negated", "choice_undecided", "slot_rival",
                         "yes_no", "predicate_missing", "answer_words_missing", "answer_echo",
                         "relation_elsewhere"})


class DefaultJudge:
    """Deterministic checks + embedding similarity (see the module docstring)."""

    name = "default"

    def __init__(self, embedder: Any = None, *, use_embedding: bool = True,
                 embedding_threshold: float = EMBEDDING_SUPPORT) -> None:
        self.deterministic = DeterministicJudge()
        self.embedding = EmbeddingJudge(embedder, embedding_threshold) if use_embedding else None
        self.embedding_error: str | None = None

    @property
    def models(self) -> dict[str, str]:
        return {"embedding": self.embedding.model_name} if self.embedding else {}

    def judge(self, claim: str, passages: Sequence[Passage | str], *,
              question: str | None = None) -> Judgement:
        ps = as_passages(passages)
        d = self.deterministic.analyse(claim, ps, question)
        if d.label != "not found" or self.embedding is None or set(d.checks) & HARD_CHECKS:
            return d
        if d.detail.get("window_coverage", 0.0) < EMBEDDING_MIN_WINDOW_COVERAGE:
            return d
        if self.embedding_error is None:
            try:
                e = self.embedding.judge(claim, ps, question=question)
            except Exception as exc:  # noqa: BLE001 - a missing model leaves the claim undecided
                self.embedding_error = f"{type(exc).__name__}: {exc}"
                log.warning("embedding judge unavailable: %s", self.embedding_error)
            else:
                if e.label == "supported":
                    return Judgement("supported", e.score, e.passages, e.explanation,
                                     d.checks + e.checks, detail=dict(d.detail, **e.detail))
                return Judgement(d.label, d.score, d.passages, d.explanation, d.checks + e.checks,
                                 detail=dict(d.detail, **e.detail))
        return Judgement(d.label, d.score, d.passages, d.explanation, d.checks,
                         detail=dict(d.detail, embedding_error=self.embedding_error))
