"""Entailment judges for grounding: does the evidence support, contradict, or not state a claim?

``get_judge(spec, llm=None)`` resolves what a user passes as ``judge=``: ``None``/"default"
(the deterministic checks), "deterministic", "embedding", "llm" (needs ``llm``), a folder of
weights made by ``training/judge.py`` (joined with the checks in one decision), a path to a
local NLI model directory, or any object with a ``judge(claim, passages)``
method. With an ``llm`` and no explicit judge, the default judge and the LLM judge must
agree before a claim is supported.
"""
from __future__ import annotations

import os
from typing import Any

from .base import LABELS, Judge, Judgement, Passage, as_passages, call_judge

__all__ = ["LABELS", "Judge", "Judgement", "Passage", "as_passages", "call_judge", "get_judge"]


def get_judge(spec: Any = None, *, llm: Any = None) -> Any:
    """The judge object for ``spec`` (see the module docstring)."""
    if spec is None or spec == "auto":
        from .default import DefaultJudge
        if llm is None:
            return DefaultJudge()
        from .llm import ConsensusJudge, LLMJudge
        return ConsensusJudge(DefaultJudge(), LLMJudge(llm))
    if isinstance(spec, str) and spec in ("default", "deterministic", "embedding", "llm"):
        if spec == "default":
            from .default import DefaultJudge
            return DefaultJudge()
        if spec == "deterministic":
            from .deterministic import DeterministicJudge
            return DeterministicJudge()
        if spec == "embedding":
            from .embedding import EmbeddingJudge
            return EmbeddingJudge()
        if llm is None:
            raise ValueError('judge="llm" needs an llm (check(..., llm=...))')
        from .llm import LLMJudge
        return LLMJudge(llm)
    if isinstance(spec, (str, os.PathLike)) and os.path.isfile(os.path.join(spec, "calibration.json")):
        from .default import DefaultJudge
        from .trained import TrainedJudge
        return DefaultJudge(TrainedJudge(spec))
    if isinstance(spec, (str, os.PathLike)):
        from .nli import NLIJudge
        return NLIJudge(spec)  # raises NLIModelError naming the path when it is not a directory
    if callable(getattr(spec, "judge", None)):
        return spec
    raise TypeError(f"a judge must be a name ('default', 'deterministic', 'embedding', 'llm'), "
                    f"a trained judge's or an NLI model's directory, or an object with judge(); got {type(spec).__name__}")
