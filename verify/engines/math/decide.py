"""The math engine's implementation (loaded on first use by :mod:`verify.engines.math.engine`, so
a check with no math in it never imports SymPy): one table, :data:`RULES`, from each claim
type to the finder that emits it and the decider that checks it.

=================  =======================================================  ===================
type               found by                                                 decided in
=================  =======================================================  ===================
integral,          ``find_steps.natural_language_claims`` ("the derivative  ``decide_calculus``
derivative, limit  of … is …")
calculus           ``find_chains.read_calculus`` (a chain link)             ``decide_calculus``
evaluation         ``find_chains.read_evaluation``                          ``decide_identities``
identity           ``find_chains.read_same``, ``read_rewriting``,           ``decide_identities``
                   ``read_known_identity``
given              ``find_chains.read_evaluation``, ``read_equation``       ``decide_identities``
numeric            ``find_chains.read_numeric``, ``find_patterns.list_claims``  ``decide_numbers``
numeric-neq        ``find_chains.read_not_equal``                           ``decide_numbers``
numeric-order      ``find_chains.read_order``                               ``decide_numbers``
approx             ``find_chains.read_approx``                              ``decide_numbers``
undefined          ``find_chains.read_undefined``                           ``decide_numbers``
congruence         ``find_chains.congruence_claims``                        ``decide_numbers``
number-fact        ``find_words.number_facts``, ``question_facts``          ``decide_numbers``
equation-step      ``find_chains.read_equation``                            ``decide_equations``
system-step        ``find_chains.read_equation``                            ``decide_equations``
inequality-step    ``find_chains.inequality_claim``                         ``decide_equations``
target             ``find_patterns.target_claims``                          ``decide_question``
named-part         ``find_patterns.named_part_claims``                      ``decide_question``
line-points        ``find_patterns.line_claims``                            ``decide_question``
implication        ``find_patterns.implication_claims``                     ``decide_question``
argument           ``find_patterns.argument_claims``                        ``decide_question``
digit-formula      ``find_patterns.digit_formula_claims``                   ``decide_question``
=================  =======================================================  ===================

A type with no entry is never decided: it comes back unverified (fail closed). A new claim
type is one :class:`Rule` here, the finder that emits it, its decider, and their tests
(``tests/test_math_rules.py`` checks the table covers every type the finders emit). Every
decider takes ``(candidate, claim, budget)`` and bounds each SymPy call by the budget; a
refutation then stands only where the text asserts the relation (:func:`_as_asserted`).
Purely numeric plain-text equalities are left to the arithmetic engine, which runs after
this one.
"""
from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from typing import Callable, Sequence

from sympy.polys.polyerrors import BasePolynomialError

from verify.engines.base import Candidate, Context
from verify.limits import Budget, DEFAULT_CALL_SECONDS, TimeLimitExceeded
from verify.report import Claim, Span
from . import decide_calculus, decide_equations, decide_identities, decide_numbers, decide_question
from . import find_chains, find_patterns, find_steps, find_words
from .decide_common import KIND, METHOD
from .find_steps import find_claims
from .statements import MathClaim

log = logging.getLogger("verity.math")

#: a rule's decider: (the candidate, its claim, the claim's time budget) → the verdict
Decider = Callable[[Candidate, MathClaim, Budget], Claim]


@dataclass(frozen=True)
class Rule:
    """One claim type: the finders (or chain-link readers, :data:`.find_chains.LINK_READERS`)
    that emit it, and the decider that checks it."""

    type: str
    find: tuple[Callable, ...]
    decide: Decider


#: every claim type the math engine decides (see the module docstring for the table)
RULES: dict[str, Rule] = {r.type: r for r in (
    Rule("integral", (find_steps.natural_language_claims,), decide_calculus.decide_calculus_words),
    Rule("derivative", (find_steps.natural_language_claims,), decide_calculus.decide_calculus_words),
    Rule("limit", (find_steps.natural_language_claims,), decide_calculus.decide_calculus_words),
    Rule("calculus", (find_chains.read_calculus,), decide_calculus.decide_calculus),
    Rule("evaluation", (find_chains.read_evaluation,), decide_identities.decide_evaluation),
    Rule("identity", (find_chains.read_same, find_chains.read_rewriting, find_chains.read_known_identity),
         decide_identities.decide_identity),
    Rule("given", (find_chains.read_evaluation, find_chains.read_equation), decide_identities.decide_given),
    Rule("numeric", (find_chains.read_numeric, find_patterns.list_claims), decide_numbers.decide_numeric),
    Rule("numeric-neq", (find_chains.read_not_equal,), decide_numbers.decide_not_equal),
    Rule("numeric-order", (find_chains.read_order,), decide_numbers.decide_order),
    Rule("approx", (find_chains.read_approx,), decide_numbers.decide_approx),
    Rule("undefined", (find_chains.read_undefined,), decide_numbers.decide_undefined),
    Rule("congruence", (find_chains.congruence_claims,), decide_numbers.decide_congruence),
    Rule("number-fact", (find_words.number_facts, find_words.question_facts), decide_numbers.decide_number_fact),
    Rule("equation-step", (find_chains.read_equation,), decide_equations.decide_equation_step),
    Rule("system-step", (find_chains.read_equation,), decide_equations.decide_system_step),
    Rule("inequality-step", (find_chains.inequality_claim,), decide_equations.decide_inequality_step),
    Rule("target", (find_patterns.target_claims,), decide_question.decide_target),
    Rule("named-part", (find_patterns.named_part_claims,), decide_question.decide_named_part),
    Rule("line-points", (find_patterns.line_claims,), decide_question.decide_line_points),
    Rule("implication", (find_patterns.implication_claims,), decide_question.decide_implication),
    Rule("argument", (find_patterns.argument_claims,), decide_question.decide_argument),
    Rule("digit-formula", (find_patterns.digit_formula_claims,), decide_question.decide_digit_formula),
)}


class MathChecker:
    """``find`` → symbolic claims; ``check`` → one verdict each, every SymPy call bounded."""

    def __init__(self, per_claim_seconds: float = DEFAULT_CALL_SECONDS) -> None:
        self.per_claim_seconds = per_claim_seconds

    def find(self, text: str, ctx: Context) -> list[Candidate]:
        claims = find_claims(text, ctx.question)
        return [Candidate(text=text[c.start:c.end], span=Span(c.start, c.end), kind=KIND, payload=c)
                for c in claims]

    def check(self, candidates: Sequence[Candidate], ctx: Context) -> list[Claim]:
        out = []
        for cand in candidates:
            if ctx.expired():
                out.append(Claim.unverified(cand.text, cand.span, KIND, METHOD,
                                            "not checked: the time limit for the whole check ran out"))
                continue
            budget = ctx.budget.child(self.per_claim_seconds, "the comparison")
            try:
                out.append(_as_asserted(self._decide(cand, cand.payload, budget), cand.payload))
            except TimeLimitExceeded as exc:
                out.append(Claim.unverified(cand.text, cand.span, KIND, METHOD,
                                            f"undecided: {exc}", type=cand.payload.type))
            except (TypeError, ValueError, ArithmeticError, AttributeError, NotImplementedError,
                    RecursionError, BasePolynomialError) as exc:
                log.debug("math claim failed", exc_info=True)
                out.append(Claim.unverified(cand.text, cand.span, KIND, METHOD,
                                            f"undecided: SymPy could not decide it ({type(exc).__name__})",
                                            type=cand.payload.type))
        return out

    def _decide(self, cand: Candidate, c: MathClaim, budget: Budget) -> Claim:
        """The verdict of the claim's rule; a type with no rule is left unverified."""
        rule = RULES.get(c.type)
        if rule is None:
            return Claim.unverified(cand.text, cand.span, KIND, METHOD,
                                    f"not decided: no rule decides math claims of type {c.type!r}", type=c.type)
        return rule.decide(cand, c, budget)

#: claim types that read a relation with unknowns as true for every value, or as following
#: from what is stated: a case being tried or one of two alternatives is neither
_IDENTITY_LIKE = frozenset({"identity", "given", "evaluation", "calculus", "system-step"})
_LETTER_WRITTEN = re.compile(r"(?<![A-Za-z\\])[A-DF-HJ-Za-df-hj-z](?![A-Za-z])")  # an unknown: not e, i


def _as_asserted(claim: Claim, c: MathClaim) -> Claim:
    """A refutation stands only for what the text asserts unconditionally. A relation the
    text reaches on purpose and says fails (a contradiction, a tried value that "does not
    work") is never refuted; one stated under a supposition ("if a = -1: …") or as one of
    alternatives ("… or …") is not refuted as an identity, nor as a solution when the equation
    has one (after it, "x = 11 or x = 15" lists candidate values the text goes on to test;
    after a quadratic, "x = 2 or x = 4" claims its roots) — unless the text presents it as
    a rewriting of one expression (an ``=`` chain, "expand", "simplify") — nor as a computation whose
    written sides hold unknowns that cancelled (``0 \\cdot b = 2014``). It is left unverified
    with the reading that failed in ``detail``."""
    why = c.extra.get("stance")
    if claim.status != "refuted" or why is None:
        return claim
    if why != "contradiction" and c.type == "identity" and c.extra.get("rewriting"):
        return claim  # a rewriting the text presents (an = chain, "expand"), inside a case or not
    written = re.sub(r"\\[A-Za-z]+", " ", c.text)
    # values joined by "or" after an equation with one solution: candidates found elsewhere
    candidate = (why == "alternative" and c.type == "equation-step" and c.extra.get("solved")
                 and claim.detail.get("solutions") == 1)
    if why != "contradiction" and not candidate and c.type not in _IDENTITY_LIKE and not (
            c.type in ("numeric", "numeric-neq", "numeric-order") and _LETTER_WRITTEN.search(written)):
        return claim
    said = {"contradiction": "the text reaches it on purpose and says it fails",
            "supposition": "it is stated under a supposition or as a case being tried",
            "alternative": "it is one of alternatives (\"… or …\")"}[why]
    return Claim.unverified(claim.text, claim.span, KIND, METHOD,
                            f"not refuted: {said}, not asserted unconditionally (as written: {claim.explanation})",
                            type=c.type, stance=why, refuted_reading=claim.explanation)
