"""The rule-based translator: the embedded default, deterministic, no model needed.

It reads a claim with the arithmetic claim finder (:mod:`verify.engines.arithmetic.scan`): unit
words are dropped, word operators and relations become symbols, implicit multiplication
becomes explicit, and each operand keeps its offsets in the claim. The result still goes
through :func:`verify.engines.arithmetic.translate.validate` like any other translator's.
"""
from __future__ import annotations

from .scan import find_chains
from .translate import Translation, TranslationError


class RuleTranslator:
    """``"Natalia sold 48/2 = 24 clips"`` → ``Translation("48 / 2 = 24", ...)``."""

    name = "rules"

    def translate(self, claim: str) -> Translation:
        if not isinstance(claim, str):
            raise TranslationError(f"expected the claim as str, got {type(claim).__name__}")
        chains = find_chains(claim)
        if not chains:
            raise TranslationError("no explicit arithmetic in this claim")
        if len(chains) > 1:
            raise TranslationError(f"{len(chains)} separate computations in one claim; "
                                   "translate them one at a time")
        expression, operands, spans = chains[0].canonical(base=0)
        return Translation(expression, operands, spans, translator=self.name)
