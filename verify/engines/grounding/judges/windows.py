"""Evidence windows: the few stretches of evidence a claim is scored against.

A cross-encoder reads a claim with one short stretch of evidence, so long evidence (an
article, a knowledge-base page) is cut into windows of ``WINDOW_SENTENCES`` consecutive
sentences and only the ``MAX_WINDOWS`` that share the most content words with the claim
are scored. Training (``training/judge.py``) builds its pairs with this same function, so the
model sees at run time the kind of window it learned on.
"""
from __future__ import annotations

from typing import Sequence

from verify.prose.nlp import content_stems, sentences

from .base import Passage

#: Consecutive sentences in one window.
WINDOW_SENTENCES = 2
#: Windows scored per claim (the best by word overlap).
MAX_WINDOWS = 4
#: Longest window kept, in characters (the model reads ``trained.MAX_TOKENS`` per pair).
MAX_WINDOW_CHARS = 700


def evidence_windows(claim: str, passages: Sequence[Passage], *, k: int = MAX_WINDOWS,
                     size: int = WINDOW_SENTENCES) -> list[Passage]:
    """The ``k`` windows of ``passages`` sharing the most content-word stems with ``claim``
    (ties keep document order); each window keeps its passage's source and citation."""
    want = set(content_stems(claim))
    scored: list[tuple[float, int, Passage]] = []
    seen: set[str] = set()
    order = 0
    for p in passages:
        spans = sentences(p.text) or [(0, len(p.text))]
        for i in range(len(spans)):
            text = p.text[spans[i][0]:spans[min(i + size, len(spans)) - 1][1]].strip()
            if len(text) > MAX_WINDOW_CHARS:
                text = p.text[spans[i][0]:spans[i][1]].strip()[:MAX_WINDOW_CHARS]
            if not text or text in seen:
                continue
            seen.add(text)
            have = set(content_stems(text))
            overlap = len(want & have) / (len(want) or 1)
            scored.append((overlap, order, Passage(text, p.source, p.citation, p.score)))
            order += 1
            if len(spans) <= size:
                break  # the whole passage is one window
    scored.sort(key=lambda s: (-s[0], s[1]))
    return [p for _, _, p in scored[:k]]
