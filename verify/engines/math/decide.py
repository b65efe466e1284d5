"""The math engine's implementation (loaded on first use by :mod:`verify.engines.math.engine`, so
a check with no math in it never imports SymPy).

It decides what :mod:`verify.engines.math.find_steps` finds — identities, derivatives, integrals
(checked by differentiating the claimed antiderivative), limits, evaluations of functions
defined earlier, equation and inequality steps (the new one must keep the old one's
solutions; only gaining or only losing some is left undecided; equations SymPy cannot solve
are compared through real roots found by bisection), stated roots, numeric links, ``≠``,
approximations, congruences, facts about whole numbers, and equations against what the
question states (Gröbner bases: an equation that reduces to 0 follows; one whose basis
grows to {1} contradicts). Purely numeric plain-text equalities are left to the arithmetic
engine, which runs after this one. Every SymPy call is bounded by the claim's budget.
"""
from __future__ import annotations

import itertools
import logging
import math
import time
import re
from fractions import Fraction
from typing import Any, Sequence

import sympy
from sympy.polys.polyerrors import BasePolynomialError

from .find_facts import atomize_logs
from .find_steps import MathClaim, find_claims, substitute_definitions
from .equivalence import Equivalence, compare_exprs
from verify.limits import DEFAULT_CALL_SECONDS, Budget, TimeLimitExceeded
from verify.report import Claim, Evidence, Span
from .values import fmt
from verify.engines.base import Candidate, Context

log = logging.getLogger("verity.math")

KIND = "math"
METHOD = "sympy"
MAX_ROOT_DEGREE = 6
_SUPERSCRIPTS = str.maketrans("0123456789", "⁰¹²³⁴⁵⁶⁷⁸⁹")


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

    # -- dispatch
    def _decide(self, cand: Candidate, c: MathClaim, budget: Budget) -> Claim:
        if c.type in ("integral", "derivative", "limit"):
            return self._calculus_words(cand, c, budget)
        if c.type == "calculus":
            return self._calculus_symbols(cand, c, budget)
        if c.type == "evaluation":
            lhs = substitute_definitions(c.lhs, c.extra["defs"])
            rhs = substitute_definitions(c.rhs, c.extra["defs"])
            lhs = budget.call(lambda: lhs.doit(), what="evaluating") if lhs.has(sympy.Derivative, sympy.Subs) else lhs
            rhs = budget.call(lambda: rhs.doit(), what="evaluating") if rhs.has(sympy.Derivative, sympy.Subs) else rhs
            verdict = compare_exprs(lhs, rhs, budget)
            if verdict.equal is False and (lhs.free_symbols or rhs.free_symbols):
                given = c.extra.get("given")
                if given and (lhs.free_symbols | rhs.free_symbols) <= given.symbols:
                    decided = self._against_given(cand, c, lhs, rhs, given, budget)
                    if decided is not None:
                        return decided
                if lhs.free_symbols != rhs.free_symbols:
                    # f(5) = 3 with f(x) = mx + b: an equation in the other letters, not a value
                    return Claim.unverified(cand.text, cand.span, KIND, METHOD,
                                            "not decided: the value depends on "
                                            f"{', '.join(sorted(map(str, lhs.free_symbols | rhs.free_symbols)))}",
                                            type=c.type)
                guarded = self._guard(cand, c, lhs, rhs, verdict, budget)
                if guarded is not None:
                    return guarded
            return self._verdict(cand, c, verdict, computed=lhs,
                                 evidence=f"{_show(c.lhs)} = {_show(lhs)} (from the definition)")
        if c.type == "identity":
            return self._identity(cand, c, budget)
        if c.type == "numeric":
            return self._numeric(cand, c, budget)
        if c.type == "numeric-neq":
            return self._not_equal(cand, c, budget)
        if c.type == "numeric-order":
            return self._order(cand, c, budget)
        if c.type == "congruence":
            return _congruence(cand, c)
        if c.type == "approx":
            return self._approximation(cand, c, budget)
        if c.type == "number-fact":
            return _number_fact(cand, c, budget)
        if c.type == "line-points":
            return _line_points(cand, c)
        if c.type == "implication":
            return _implication(cand, c, budget)
        if c.type == "target":
            return self._target(cand, c, budget)
        if c.type == "named-part":
            return _named_part(cand, c, budget)
        if c.type == "argument":
            return _argument(cand, c, budget)
        if c.type == "digit-formula":
            return _digit_formula(cand, c, budget)
        if c.type == "undefined":
            return Claim(text=cand.text, span=cand.span, kind=KIND, status="refuted", method=METHOD,
                         explanation=f"the left side divides by zero: it is undefined, not {_show(c.rhs)}",
                         evidence=(Evidence("a denominator evaluates to 0", source="exact"),),
                         detail={"type": c.type, "decided_by": "exact"})
        if c.type == "equation-step":
            return self._equation_step(cand, c, budget)
        if c.type == "inequality-step":
            return self._inequality_step(cand, c, budget)
        if c.type == "system-step":
            return self._system_step(cand, c, budget)
        if c.type == "given":
            decided = self._against_given(cand, c, c.lhs, c.rhs, c.extra["given"], budget)
            return decided or Claim.unverified(cand.text, cand.span, KIND, METHOD,
                                               "undecided: neither follows from nor contradicts what the question states",
                                               type=c.type)
        raise ValueError(f"unknown math claim type {c.type!r}")

    def _against_given(self, cand: Candidate, c: MathClaim, lhs: Any, rhs: Any, given: Any,
                       budget: Budget) -> Claim | None:
        """``lhs = rhs`` against what the question states: it follows (its difference reduces
        to 0 modulo their Gröbner basis) → verified; it has no common solution with them (the
        basis grows to {1}) → refuted; otherwise None."""
        target = budget.call(lambda: sympy.numer(sympy.together(sympy.expand(atomize_logs(lhs - rhs)))),
                             what="clearing denominators", share=0.2)
        basis = _given_basis(given, budget)
        if basis is None or not target.free_symbols <= set(basis[1]):
            basis = _pinned_basis(given, frozenset(target.free_symbols), budget) or basis
        if basis is None:
            return None
        polys, gens, used = basis
        gens = sorted(set(gens) | target.free_symbols, key=lambda s: s.name)
        if not target.free_symbols or not target.is_polynomial(*gens):
            return None
        detail = {"type": c.type, "decided_by": "groebner", "given": used}
        known = "; ".join(used)
        try:
            _, remainder = budget.call(lambda: sympy.reduced(target, list(polys), *gens, order="grevlex"),
                                       what="reducing by the question's equations", share=0.4)
            if remainder == 0:
                return Claim(text=cand.text, span=cand.span, kind=KIND, status="verified", method=METHOD,
                             explanation=f"follows from what the question states ({known})",
                             evidence=(Evidence(f"{_show(target)} reduces to 0 modulo the question's equations "
                                                f"({', '.join(_show(p) + ' = 0' for p in polys)})", source="sympy"),),
                             detail=detail)
            grown = budget.call(lambda: sympy.groebner(list(polys) + [target], *gens, order="grevlex"),
                                what="checking against the question's equations", share=0.6)
        except (TimeLimitExceeded, BasePolynomialError, NotImplementedError):
            return None
        if list(grown.exprs) == [1]:
            return Claim(text=cand.text, span=cand.span, kind=KIND, status="refuted", method=METHOD,
                         explanation=f"contradicts what the question states ({known}): no values satisfy both",
                         evidence=(Evidence(f"the equations {', '.join(_show(p) + ' = 0' for p in polys)} together "
                                            f"with {_show(target)} = 0 have Gröbner basis {{1}}: no common solution",
                                            source="sympy"),),
                         detail=detail)
        return None

    def _guard(self, cand: Candidate, c: MathClaim, lhs: Any, rhs: Any, verdict: Equivalence,
               budget: Budget) -> Claim | None:
        """Before refuting ``lhs = rhs`` as an identity: is it a consequence of equations
        stated earlier (their multiple, or zero modulo them), or a statement that may hold on
        a domain only (not a rational function)? Then verify it with the facts used, or
        leave it unverified; None = refute."""
        diff = sympy.Add(lhs, -rhs)
        # "x = 1" stated earlier is a root or a case being tried, not a fact an identity in x
        # may lean on; and facts that contradict each other (x = 1 and x = -2) prove anything
        facts = _agreeing([f for f in c.extra.get("facts", ())
                           if f.free_symbols and not _assignment(f) and not _vanishes(f, budget)], budget)
        for fact in facts:
            ratio = budget.call(lambda f=fact: sympy.cancel(diff / f), what="sympy.cancel", share=0.3)
            if ratio.is_number and ratio.is_finite and ratio != 0:
                used = f"{_show(fact)} = 0"
                return Claim(text=cand.text, span=cand.span, kind=KIND, status="verified", method=METHOD,
                             explanation=f"holds given the earlier equation {used}: the difference of "
                                         f"the sides is {_show(ratio)} × ({_show(fact)})",
                             evidence=(Evidence(f"{_show(diff)} = {_show(ratio)}·({_show(fact)}), "
                                                f"and {used} earlier", source="sympy"),),
                             detail={"type": c.type, "decided_by": "symbolic"})
        gens = sorted(diff.free_symbols | set().union(*(f.free_symbols for f in facts)), key=lambda s: s.name)
        polys = [f for f in facts if f.is_polynomial(*gens)]
        # a difference of fractions vanishes where its numerator does (off the poles)
        num = budget.call(lambda: sympy.numer(sympy.together(diff)), what="clearing denominators", share=0.2) \
            if diff.is_rational_function(*gens) else diff
        if polys and num.is_polynomial(*gens):
            try:
                def reduce() -> Any:
                    basis = sympy.groebner([sympy.expand(f) for f in polys], *gens, order="grevlex")
                    return sympy.reduced(sympy.expand(num), list(basis.exprs), *gens, order="grevlex")[1]
                remainder = budget.call(reduce, what="reducing by earlier equations", share=0.4)
            except (TimeLimitExceeded, BasePolynomialError, NotImplementedError):
                remainder = None
            if remainder == 0:
                used = ", ".join(f"{_show(f)} = 0" for f in polys)
                return Claim(text=cand.text, span=cand.span, kind=KIND, status="verified", method=METHOD,
                             explanation=f"holds given the earlier equations ({used})",
                             evidence=(Evidence(f"{_show(diff)} reduces to 0 modulo {used}", source="sympy"),),
                             detail={"type": c.type, "decided_by": "symbolic"})
            if remainder is None:
                return Claim.unverified(cand.text, cand.span, KIND, METHOD,
                                        "undecided: could not reduce by the earlier equations", type=c.type)
        given = c.extra.get("given")
        basis = _given_basis(given, budget) if given else None
        if basis is not None and diff.free_symbols & set(basis[1]):
            decided = self._against_given(cand, c, lhs, rhs, given, budget)
            if decided is not None:
                return decided
            return Claim.unverified(cand.text, cand.span, KIND, METHOD,
                                    f"not an identity for every value ({verdict.explanation}), but the question's "
                                    "equations constrain its letters: it may hold for their values", type=c.type)
        syms = sorted(diff.free_symbols, key=lambda s: s.name)
        if not (lhs.is_rational_function(*syms) and rhs.is_rational_function(*syms)) \
                and (c.extra.get("bound", True)
                     or not _differs_wherever_real(lhs, rhs, syms, budget, c.extra.get("domain", ()))):
            return Claim.unverified(cand.text, cand.span, KIND, METHOD,
                                    f"not an identity for every value ({verdict.explanation}); "
                                    "it may hold on a restricted domain", type=c.type)
        return None

    def _numeric(self, cand: Candidate, c: MathClaim, budget: Budget) -> Claim:
        """A numeric LaTeX link; a decimal on the right may be the value rounded to its digits."""
        verdict = compare_exprs(c.lhs, c.rhs, budget)
        if verdict.equal is False and c.extra.get("decimal") and c.rhs_span is not None:
            shown = cand.text[c.rhs_span[0] - cand.span.start:c.rhs_span[1] - cand.span.start].strip()
            places = len(shown.split(".")[1])
            value = budget.call(lambda: sympy.N(c.lhs, 30), what="numeric evaluation")
            if value.is_real and abs(value - c.rhs) <= sympy.Rational(1, 2 * 10 ** places) * (1 + sympy.Rational(1, 10**9)):
                return Claim(text=cand.text, span=cand.span, kind=KIND, status="verified", method=METHOD,
                             explanation=f"holds to the {places} decimal place(s) shown: {_show(c.lhs)} ≈ {sympy.N(value, places + 3)}",
                             evidence=(Evidence(f"{_show(c.lhs)} = {sympy.N(value, 15)}, which rounds to {shown}",
                                                source="sympy"),),
                             detail={"type": c.type, "decided_by": "numeric", "rounded": True})
        computed = c.lhs if verdict.equal is False else None
        return self._verdict(cand, c, verdict, computed=computed, evidence=f"{_show(c.lhs)} = {_show(c.rhs)}")

    def _not_equal(self, cand: Candidate, c: MathClaim, budget: Budget) -> Claim:
        """``A ≠ B`` between numbers: refuted exactly when they are equal."""
        verdict = compare_exprs(c.lhs, c.rhs, budget)
        detail = {"type": c.type, "decided_by": verdict.method}
        if verdict.equal is True:
            return Claim(text=cand.text, span=cand.span, kind=KIND, status="refuted", method=METHOD,
                         explanation=f"both sides are equal ({verdict.method}): {_show(c.lhs)} = {_show(c.rhs)}",
                         evidence=(Evidence(verdict.explanation, source="sympy"),), detail=detail)
        if verdict.equal is False:
            return Claim(text=cand.text, span=cand.span, kind=KIND, status="verified", method=METHOD,
                         explanation=f"holds ({verdict.method}): {verdict.explanation}",
                         evidence=(Evidence(verdict.explanation, source="sympy"),), detail=detail)
        return Claim.unverified(cand.text, cand.span, KIND, METHOD, verdict.explanation, **detail)

    def _order(self, cand: Candidate, c: MathClaim, budget: Budget) -> Claim:
        """``A < B`` between real numbers, decided exactly (or at 50 digits when irrational)."""
        op = c.extra["op"]
        diff = budget.call(lambda: sympy.nsimplify(c.lhs - c.rhs) if (c.lhs - c.rhs).is_Float else c.lhs - c.rhs,
                           what="comparing")
        value = diff if diff.is_Rational else budget.call(lambda: sympy.N(diff, 50), what="numeric evaluation")
        detail = {"type": c.type, "decided_by": "exact" if diff.is_Rational else "numeric"}
        if not value.is_real or (not diff.is_Rational and abs(value) < sympy.Float(10) ** -40):
            return Claim.unverified(cand.text, cand.span, KIND, METHOD, "undecided: not two comparable real numbers", **detail)
        holds = {"<": value < 0, "<=": value <= 0, ">": value > 0, ">=": value >= 0}[op]
        evidence = (Evidence(f"{_show(c.lhs)} − {_show(c.rhs)} = {sympy.N(value, 12)}", source="sympy"),)
        if holds:
            return Claim(text=cand.text, span=cand.span, kind=KIND, status="verified", method=METHOD,
                         explanation=f"holds: {_show(c.lhs)} {op} {_show(c.rhs)}", evidence=evidence, detail=detail)
        return Claim(text=cand.text, span=cand.span, kind=KIND, status="refuted", method=METHOD,
                     explanation=f"does not hold: {_show(c.lhs)} is {sympy.N(c.lhs, 10)}, {_show(c.rhs)} is "
                                 f"{sympy.N(c.rhs, 10)}", evidence=evidence, detail=detail)

    def _approximation(self, cand: Candidate, c: MathClaim, budget: Budget) -> Claim:
        """``A ≈ d``: ``d`` is ``A`` rounded to the digits shown → verified (rounding, not
        cutting digits: ``-4.97 ≈ -4.9`` is not verified); off by more than one unit of the last
        digit and by more than 1 % of the value → refuted; a looser approximation in between
        (digits cut, say) → undecided."""
        value = budget.call(lambda: sympy.N(c.lhs, 30), what="numeric evaluation")
        detail = {"type": c.type, "decided_by": "numeric"}
        if not value.is_real:
            return Claim.unverified(cand.text, cand.span, KIND, METHOD, "undecided: not a real number", **detail)
        places = c.extra["places"]
        unit = sympy.Rational(1, 10 ** places)
        gap = abs(value - c.rhs)
        evidence = Evidence(f"{_show(c.lhs)} = {sympy.N(value, 12)}", source="sympy")
        if gap <= unit / 2 * (1 + sympy.Rational(1, 10**9)):
            return Claim(text=cand.text, span=cand.span, kind=KIND, status="verified", method=METHOD,
                         explanation=f"holds to the {places} decimal place(s) shown: {_show(c.lhs)} ≈ {sympy.N(value, places + 3)}",
                         evidence=(evidence,), detail=detail)
        if gap > max(unit, abs(value) / 100):
            return Claim(text=cand.text, span=cand.span, kind=KIND, status="refuted", method=METHOD,
                         explanation=f"{_show(c.lhs)} is about {sympy.N(value, max(places + 2, 4))}, not {c.extra['shown']}",
                         evidence=(evidence,), detail=detail)
        return Claim.unverified(cand.text, cand.span, KIND, METHOD,
                                f"a loose approximation: {_show(c.lhs)} ≈ {sympy.N(value, places + 3)}", **detail)

    def _target(self, cand: Candidate, c: MathClaim, budget: Budget) -> Claim:
        """A result against the expression the question asks for. A question that asks for
        rounding accepts a decimal rounded to its digits (see ``_approximation``)."""
        if c.extra.get("rounded"):
            if c.extra.get("places") is None:
                return Claim.unverified(cand.text, cand.span, KIND, METHOD,
                                        "not decided: the question asks for a rounded value", type=c.type)
            swapped = MathClaim("approx", c.text, c.start, c.end, lhs=c.rhs, rhs=c.lhs,
                                extra={"places": c.extra["places"], "shown": cand.text.strip("$ ")})
            return self._approximation(cand, swapped, budget)
        verdict = compare_exprs(c.lhs, c.rhs, budget)
        detail = {"type": c.type, "decided_by": verdict.method, "question": c.extra["question"]}
        asked = f"the question asks for {c.extra['question']}, which is {_show(c.rhs)}"
        if verdict.equal is True:
            return Claim(text=cand.text, span=cand.span, kind=KIND, status="verified", method=METHOD,
                         explanation=f"equals what the question asks for: {asked}",
                         evidence=(Evidence(f"{asked}; {verdict.explanation}", source="sympy"),), detail=detail)
        if verdict.equal is False:
            correction, span = self._correction(cand, c, c.rhs)
            return Claim(text=cand.text, span=cand.span, kind=KIND, status="refuted", method=METHOD,
                         explanation=f"differs from what the question asks for: {asked}, not {_show(c.lhs)}",
                         correction=correction, correction_span=span,
                         evidence=(Evidence(f"{asked}; {verdict.explanation}", source="sympy"),), detail=detail)
        return Claim.unverified(cand.text, cand.span, KIND, METHOD, verdict.explanation, **detail)

    def _identity(self, cand: Candidate, c: MathClaim, budget: Budget) -> Claim:
        """A rewriting ``A = B``. If it fails as an identity it may still be a substitution
        of an equation stated earlier (``(a+b+c)^2 = a^2+b^2+c^2 + 2(-11)`` after
        ``ab+bc+ca = -11``), or hold only on a domain (``|x-1| = -(x-1)`` for x < 1): those
        are verified with the fact used, or left unverified — never refuted."""
        verdict = compare_exprs(c.lhs, c.rhs, budget)
        if verdict.equal is False:
            guarded = self._guard(cand, c, c.lhs, c.rhs, verdict, budget)
            if guarded is not None:
                return guarded
        computed = _rewrite_like(c.lhs, c.rhs, budget) if verdict.equal is False else None
        return self._verdict(cand, c, verdict, computed=computed,
                             evidence=f"{_show(c.lhs)} − ({_show(c.rhs)}) = 0")

    def _verdict(self, cand: Candidate, c: MathClaim, verdict: Equivalence, computed: Any,
                 evidence: str) -> Claim:
        detail = {"type": c.type, "decided_by": verdict.method}
        if verdict.equal is True:
            return Claim(text=cand.text, span=cand.span, kind=KIND, status="verified", method=METHOD,
                         explanation=f"holds ({verdict.method}): {verdict.explanation}",
                         evidence=(Evidence(evidence, source="sympy"), Evidence(verdict.explanation, source="sympy")),
                         detail=detail)
        if verdict.equal is False:
            correction, span = self._correction(cand, c, computed)
            return Claim(text=cand.text, span=cand.span, kind=KIND, status="refuted", method=METHOD,
                         explanation=f"does not hold ({verdict.method}): {verdict.explanation}",
                         correction=correction, correction_span=span,
                         evidence=(Evidence(verdict.explanation, source="sympy"),), detail=detail)
        return Claim.unverified(cand.text, cand.span, KIND, METHOD, verdict.explanation, **detail)

    def _correction(self, cand: Candidate, c: MathClaim, computed: Any) -> tuple[str | None, Span | None]:
        if computed is None or c.rhs_span is None:
            return None, None
        start, end = c.rhs_span
        if not (cand.span.start <= start and end <= cand.span.end):
            return None, None
        original = cand.text[start - cand.span.start:end - cand.span.start]
        return render_like(computed, original), Span(start, end)

    # -- calculus
    def _calculus_words(self, cand: Candidate, c: MathClaim, budget: Budget) -> Claim:
        x, f, F = c.var, c.lhs, c.rhs
        if c.type == "integral":
            return self._antiderivative(cand, c, f, x, F, budget)
        if c.type == "derivative":
            d = budget.call(sympy.diff, f, x, what="differentiating")
            verdict = compare_exprs(d, F, budget)
            return self._verdict(cand, c, verdict, computed=d, evidence=f"d/d{x} ({_show(f)}) = {_show(d)}")
        limit = budget.call(sympy.limit, f, x, c.extra["point"], what="computing the limit")
        verdict = compare_exprs(limit, F, budget)
        return self._verdict(cand, c, verdict, computed=limit,
                             evidence=f"lim {x}→{_show(c.extra['point'])} {_show(f)} = {_show(limit)}")

    def _antiderivative(self, cand: Candidate, c: MathClaim, f: Any, x: sympy.Symbol, F: Any,
                        budget: Budget) -> Claim:
        """An antiderivative is checked by differentiating it: d/dx F must be f."""
        dF = budget.call(sympy.diff, F, x, what="differentiating the antiderivative")
        verdict = compare_exprs(dF, f, budget)
        evidence = f"d/d{x} ({_show(F)}) = {_show(dF)}"
        if verdict.equal is True:
            return Claim(text=cand.text, span=cand.span, kind=KIND, status="verified", method=METHOD,
                         explanation=f"verified by differentiation: {evidence}, which is the integrand {_show(f)}",
                         evidence=(Evidence(evidence, source="sympy"),),
                         detail={"type": c.type, "decided_by": verdict.method, "derivative": _show(dF)})
        if verdict.equal is False:
            try:  # the correction is a bonus: the refutation already stands
                right = budget.call(sympy.integrate, f, x, what="integrating", share=0.8)
            except (TimeLimitExceeded, NotImplementedError, BasePolynomialError):
                right = None
            if right is None or right.has(sympy.Integral):
                right = None
            elif F.free_symbols - f.free_symbols - {x}:
                right = right + sorted(F.free_symbols - f.free_symbols - {x}, key=lambda s: s.name)[0]
            correction, span = self._correction(cand, c, right)
            hint = f"; an antiderivative is {_show(right)}" if right is not None else ""
            return Claim(text=cand.text, span=cand.span, kind=KIND, status="refuted", method=METHOD,
                         explanation=f"refuted by differentiation: {evidence}, not {_show(f)}{hint}",
                         correction=correction, correction_span=span,
                         evidence=(Evidence(evidence, source="sympy"),),
                         detail={"type": c.type, "decided_by": verdict.method, "derivative": _show(dF)})
        return Claim.unverified(cand.text, cand.span, KIND, METHOD, verdict.explanation, type=c.type)

    def _calculus_symbols(self, cand: Candidate, c: MathClaim, budget: Budget) -> Claim:
        defs = c.extra.get("defs") or {}
        lhs, rhs = substitute_definitions(c.lhs, defs), substitute_definitions(c.rhs, defs)
        for integral, other, other_is_rhs in ((lhs, rhs, True), (rhs, lhs, False)):
            if isinstance(integral, sympy.Integral) and len(integral.limits) == 1 and \
                    len(integral.limits[0]) == 1 and not _is_calculus_expr(other):
                x = integral.limits[0][0]
                swapped = c if other_is_rhs else MathClaim(c.type, c.text, c.start, c.end, lhs=rhs,
                                                            rhs=lhs, rhs_span=None)
                return self._antiderivative(cand, swapped, integral.function, x, other, budget)
        left = budget.call(lambda: lhs.doit(), what="evaluating") if _is_calculus_expr(lhs) else lhs
        right = budget.call(lambda: rhs.doit(), what="evaluating") if _is_calculus_expr(rhs) else rhs
        if left.has(sympy.Integral, sympy.Limit, sympy.Sum, sympy.Product) or \
                right.has(sympy.Integral, sympy.Limit, sympy.Sum, sympy.Product):
            return Claim.unverified(cand.text, cand.span, KIND, METHOD,
                                    "undecided: SymPy could not evaluate the sum, product, integral or limit",
                                    type=c.type)
        verdict = compare_exprs(left, right, budget)
        if verdict.equal is False:
            why = _conditional_calculus(lhs, rhs, left, right, verdict)
            if why is not None:
                return Claim.unverified(cand.text, cand.span, KIND, METHOD, why, type=c.type,
                                        refuted_reading=verdict.explanation)
        computed = left if _is_calculus_expr(lhs) else None
        return self._verdict(cand, c, verdict, computed=computed,
                             evidence=f"{_describe(lhs)} = {_show(left)}")

    # -- equations
    def _equation_step(self, cand: Candidate, c: MathClaim, budget: Budget) -> Claim:
        x = c.var
        l1, r1 = c.extra["from"]
        before = f"{_show(l1)} = {_show(r1)}"
        if c.extra["solved"]:
            value = c.rhs if c.lhs == x else c.lhs
            lhs_at = l1.subs(x, value)
            rhs_at = r1.subs(x, value)
            verdict = compare_exprs(lhs_at, rhs_at, budget)
            evidence = f"substituting {x} = {_show(value)} into {before}: {_show(lhs_at)} vs {_show(rhs_at)}"
            if verdict.equal is True:
                return Claim(text=cand.text, span=cand.span, kind=KIND, status="verified", method=METHOD,
                             explanation=f"{x} = {_show(value)} satisfies {before}",
                             evidence=(Evidence(evidence, source="sympy"),),
                             detail={"type": c.type, "decided_by": verdict.method})
            if verdict.equal is False:
                roots = _roots(l1, r1, x, budget)
                shown_value = cand.text[c.rhs_span[0] - cand.span.start:c.rhs_span[1] - cand.span.start] \
                    if c.rhs_span is not None and c.lhs == x else ""
                near = _rounded_root(shown_value.strip(" .,$"), roots or [])
                if near is not None:
                    return Claim.unverified(cand.text, cand.span, KIND, METHOD,
                                            f"not refuted: {shown_value.strip(' .,$')} is the solution {x} = {_show(near)} "
                                            "rounded to the digits shown, written with '='", type=c.type)
                computed = roots[0] if roots is not None and len(roots) == 1 else None
                correction, span = (None, None)
                if computed is not None and c.lhs == x:
                    correction, span = self._correction(cand, c, computed)
                shown = f"; its solution is {x} = {_show(computed)}" if computed is not None else ""
                return Claim(text=cand.text, span=cand.span, kind=KIND, status="refuted", method=METHOD,
                             explanation=f"{x} = {_show(value)} does not satisfy {before}{shown}",
                             correction=correction, correction_span=span,
                             evidence=(Evidence(evidence, source="sympy"),),
                             detail={"type": c.type, "decided_by": verdict.method,
                                     "solutions": len(roots) if roots is not None else None})
            return Claim.unverified(cand.text, cand.span, KIND, METHOD, verdict.explanation, type=c.type)
        s1, s2 = _roots(l1, r1, x, budget), _roots(c.lhs, c.rhs, x, budget)
        after = f"{_show(c.lhs)} = {_show(c.rhs)}"
        if (s1 is None or s2 is None) and not (s1 == [] or s2 == []):
            decided = self._numeric_solution_change(cand, c, l1 - r1, c.lhs - c.rhs, x, before, after, budget)
            if decided is not None:
                return decided
        if s1 is None or s2 is None or not s1:
            return Claim.unverified(cand.text, cand.span, KIND, METHOD,
                                    f"undecided: could not compare the solutions of {before} and {after}",
                                    type=c.type)
        e1, e2 = _as_set(s1), _as_set(s2)
        evidence = f"solutions of {before}: {_show_set(e1)}; of {after}: {_show_set(e2)}"
        return self._compare_solution_sets(cand, c, e1 == e2, e1 <= e2, e2 <= e1, before, evidence)

    def _numeric_solution_change(self, cand: Candidate, c: MathClaim, f: Any, g: Any, x: Any, before: str,
                                 after: str, budget: Budget) -> Claim | None:
        """Equations SymPy cannot solve (trigonometric, radical): look for a real solution
        of the earlier one that this one loses AND one this one gains (a sign change closed
        in by bisection to a residue below 1e-14, the other equation above 1e-6 there).
        Both found → refuted, with the two numbers as evidence; otherwise None."""
        if not (_simple_arguments(f, x) and _simple_arguments(g, x)):
            return None  # cos(x (sin^5 x − …)): a reading this search should not lean on
        try:
            lost = budget.call(_real_root_not_of, f, g, x, what="looking for a lost solution", share=0.45)
            gained = budget.call(_real_root_not_of, g, f, x, what="looking for a new solution", share=0.9) \
                if lost is not None else None
        except (TimeLimitExceeded, TypeError, ValueError, ArithmeticError):
            return None
        if lost is None or gained is None:
            return None
        evidence = (f"{x} ≈ {sympy.N(lost, 10)} solves {before} but not {after}; "
                    f"{x} ≈ {sympy.N(gained, 10)} solves {after} but not {before}")
        return Claim(text=cand.text, span=cand.span, kind=KIND, status="refuted", method=METHOD,
                     explanation=f"does not follow from {before}: the solutions change ({evidence})",
                     evidence=(Evidence(evidence, source="sympy/numeric"),),
                     detail={"type": c.type, "decided_by": "numeric"})

    def _compare_solution_sets(self, cand: Candidate, c: MathClaim, same: bool, grows: bool, shrinks: bool,
                               before: str, evidence: str) -> Claim:
        """Same solutions → verified; only gained (squaring) or only lost (dividing by a
        factor) solutions → unverified with the reason; any other change → refuted."""
        detail = {"type": c.type, "decided_by": "symbolic"}
        if same:
            return Claim(text=cand.text, span=cand.span, kind=KIND, status="verified", method=METHOD,
                         explanation=f"follows from {before}: the same solutions", detail=detail,
                         evidence=(Evidence(evidence, source="sympy"),))
        if grows or shrinks:
            how = "adds solutions (check for extraneous ones)" if grows else "keeps only some solutions"
            return Claim.unverified(cand.text, cand.span, KIND, METHOD,
                                    f"{how} of {before} ({evidence})", **detail)
        return Claim(text=cand.text, span=cand.span, kind=KIND, status="refuted", method=METHOD,
                     explanation=f"does not follow from {before}: the solutions change ({evidence})",
                     evidence=(Evidence(evidence, source="sympy"),), detail=detail)

    def _system_step(self, cand: Candidate, c: MathClaim, budget: Budget) -> Claim:
        """``premise ⟹ claim`` in several unknowns: the claim's ``lhs − rhs`` must be
        k·(premise) + Σ mᵢ·(earlier equation i) for constants k ≠ 0, mᵢ (found by matching
        coefficients). No such constants → it does not follow from what was written."""
        def cleared(e: Any) -> Any:  # multiplying out denominators is a legitimate step
            return sympy.numer(sympy.together(e))
        target = budget.call(cleared, sympy.Add(c.lhs, -c.rhs), what="clearing denominators", share=0.3)
        premise = budget.call(cleared, c.extra["premise"], what="clearing denominators", share=0.3)
        facts = _agreeing([budget.call(cleared, f, what="clearing denominators", share=0.3)
                           for f in c.extra["facts"]], budget)
        ks = sympy.symbols(f"k0:{len(facts) + 1}", cls=sympy.Dummy)
        combo = ks[0] * premise + sum((k * f for k, f in zip(ks[1:], facts)), sympy.Integer(0))
        gens = sorted(target.free_symbols | premise.free_symbols |
                      set().union(*(f.free_symbols for f in facts)), key=lambda s: s.name)

        def solve() -> Any:
            num = sympy.numer(sympy.together(sympy.expand(target - combo)))
            if not num.is_polynomial(*gens):
                return None
            eqs = sympy.Poly(sympy.expand(num), *gens).coeffs()
            return sympy.linsolve(eqs, *ks)
        solutions = budget.call(solve, what="matching coefficients", share=0.8)
        before = f"{_show(c.extra['from'][0])} = {_show(c.extra['from'][1])}"
        if solutions is None:
            return Claim.unverified(cand.text, cand.span, KIND, METHOD,
                                    f"undecided: not a polynomial step from {before}", type=c.type)
        sol = next(iter(solutions), None) if solutions else None
        if sol is not None and sol[0] != 0:
            used = [f"{_show(f)} = 0" for k, f in zip(sol[1:], facts) if k != 0]
            how = f" using {', '.join(used)}" if used else ""
            return Claim(text=cand.text, span=cand.span, kind=KIND, status="verified", method=METHOD,
                         explanation=f"follows from {before}{how}",
                         evidence=(Evidence(f"{_show(target)} = {_show(sol[0])}·({_show(premise)})"
                                            + "".join(f" + {_show(k)}·({_show(f)})" for k, f in zip(sol[1:], facts) if k != 0),
                                            source="sympy"),),
                         detail={"type": c.type, "decided_by": "symbolic"})
        if not c.extra.get("all_facts", True):
            return Claim.unverified(cand.text, cand.span, KIND, METHOD,
                                    f"undecided: does not follow from {before} and the latest equations; "
                                    "earlier ones were not all kept", type=c.type)
        fact_symbols = set().union(*(f.free_symbols for f in facts))
        if not premise.free_symbols <= target.free_symbols | fact_symbols:
            # x_5 = y_3 ⟹ 4N + c_5 = 5c_3 − 2: x_5 and y_3 are defined where no equation says so
            return Claim.unverified(cand.text, cand.span, KIND, METHOD,
                                    f"undecided: it rests on what {before} means beyond the equations written",
                                    type=c.type)
        if not target.free_symbols <= premise.free_symbols | fact_symbols:
            return Claim.unverified(cand.text, cand.span, KIND, METHOD,
                                    f"undecided: it names letters {before} and the equations before it do not",
                                    type=c.type)
        # both sides expanded or simplified ("rewritten"): no root is taken, no case chosen
        if not c.extra.get("rewritten") and self._restricts(target, premise, facts, gens, budget):
            return Claim.unverified(cand.text, cand.span, KIND, METHOD,
                                    f"keeps only some solutions of {before} (a root taken, a case chosen)",
                                    type=c.type)
        return Claim(text=cand.text, span=cand.span, kind=KIND, status="refuted", method=METHOD,
                     explanation=f"does not follow from {before} (nor from it combined with the equations before it)",
                     evidence=(Evidence(f"no constants k, m make {_show(target)} = k·({_show(premise)}) + Σ m·(earlier equations)",
                                        source="sympy"),),
                     detail={"type": c.type, "decided_by": "symbolic"})

    @staticmethod
    def _restricts(target: Any, premise: Any, facts: list, gens: list, budget: Budget) -> bool:
        """The claim implies the premise (``x + y = 22`` after ``(x + y)^2 = 484``): a choice
        among its solutions, not a wrong consequence. Undecided counts as a restriction."""
        try:
            def implied() -> bool:
                basis = sympy.groebner([sympy.expand(target)] + [sympy.expand(f) for f in facts], *gens,
                                       order="grevlex")
                if list(basis.exprs) == [1]:
                    return False  # it contradicts the equations before it: no choice among solutions
                return sympy.reduced(sympy.expand(premise), list(basis.exprs), *gens, order="grevlex")[1] == 0
            return bool(budget.call(implied, what="checking the converse", share=0.9))
        except (TimeLimitExceeded, BasePolynomialError, NotImplementedError):
            return True

    def _inequality_step(self, cand: Candidate, c: MathClaim, budget: Budget) -> Claim:
        x = c.var
        l1, op1, r1 = c.extra["from"]
        makers = {"<": sympy.Lt, "<=": sympy.Le, ">": sympy.Gt, ">=": sympy.Ge}
        rx = sympy.Symbol(x.name, real=True)

        def solve(l: Any, op: str, r: Any) -> Any:
            rel = makers[op](l.xreplace({x: rx}), r.xreplace({x: rx}))
            return sympy.solve_univariate_inequality(rel, rx, relational=False)
        s1 = budget.call(solve, l1, op1, r1, what="solving the inequality")
        s2 = budget.call(solve, c.lhs, c.extra["op"], c.rhs, what="solving the inequality")
        before = f"{_show(l1)} {op1} {_show(r1)}"
        evidence = f"solutions of {before}: {s1}; of {_show(c.lhs)} {c.extra['op']} {_show(c.rhs)}: {s2}"
        grows = budget.call(lambda: s1.is_subset(s2), what="comparing sets")
        shrinks = budget.call(lambda: s2.is_subset(s1), what="comparing sets")
        # a weaker consequence (y^2 > 32 so y > 5.5) or squaring under a root only gains
        # solutions; a restriction to a domain only loses some: neither is an error by itself
        if not grows and not shrinks:
            positive = sympy.Interval.open(0, sympy.oo)
            same_positive = budget.call(lambda: s1.intersect(positive) == s2.intersect(positive), what="comparing sets")
            if same_positive:  # multiplying by the unknown: a step for a positive length or count
                return Claim.unverified(cand.text, cand.span, KIND, METHOD,
                                        f"the same solutions for positive {x} (it multiplies by {x}, which holds when "
                                        f"{x} > 0; the text states no sign) ({evidence})", type=c.type)
        return self._compare_solution_sets(cand, c, bool(grows and shrinks), bool(grows), bool(shrinks),
                                           before, evidence)


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


def _congruence(cand: Candidate, c: MathClaim) -> Claim:
    """``a ≡ b (mod m)`` for rationals: m divides the numerator of a − b, whose denominator
    must be invertible modulo m (an inverse ``13^{-1}`` is a fraction here)."""
    m = c.extra["modulus"]
    d = sympy.Rational(c.lhs - c.rhs)
    detail = {"type": c.type, "decided_by": "exact", "modulus": m}
    if sympy.gcd(d.q, m) != 1:
        return Claim.unverified(cand.text, cand.span, KIND, METHOD,
                                f"undecided: {d.q} has no inverse modulo {m}", **detail)
    residue = int(d.p) * pow(int(d.q), -1, m) % m
    lhs_r = _residue(c.lhs, m)
    rhs_r = _residue(c.rhs, m)
    evidence = Evidence(f"{_show(c.lhs)} ≡ {lhs_r} and {_show(c.rhs)} ≡ {rhs_r} (mod {m})", source="exact")
    if residue == 0:
        return Claim(text=cand.text, span=cand.span, kind=KIND, status="verified", method=METHOD,
                     explanation=f"holds: both sides are {lhs_r} modulo {m}", evidence=(evidence,), detail=detail)
    return Claim(text=cand.text, span=cand.span, kind=KIND, status="refuted", method=METHOD,
                 explanation=f"does not hold: {_show(c.lhs)} is {lhs_r} modulo {m}, {_show(c.rhs)} is {rhs_r}",
                 evidence=(evidence,), detail=detail)


MAX_PRIME_DIGITS = 30


IMPLICATION_RANGE = 12  # counterexamples are searched among 1..12 for each unknown


def _implication(cand: Candidate, c: MathClaim, budget: Budget) -> Claim:
    """"A means B or C": a point where A holds and every case fails refutes it. Only small
    positive integers are tried, the narrowest domain such steps are about (dice, counts,
    digits), so a counterexample is one in any wider domain too, once it meets the inequalities
    stated earlier on those unknowns; finding none proves nothing."""
    premise, cases = c.lhs, c.extra["cases"]
    syms = sorted(set().union(premise.free_symbols, *(r.free_symbols for r in cases)), key=lambda x: x.name)
    shown = f"{_show(premise)} ⇒ " + " or ".join(_show(r) for r in cases)
    detail = {"type": c.type, "decided_by": "counterexample"}
    for point in itertools.product(range(1, IMPLICATION_RANGE + 1), repeat=len(syms)):
        if time.monotonic() > budget.deadline:
            raise TimeLimitExceeded("the counterexample search ran out of time")
        values = {s: sympy.Integer(v) for s, v in zip(syms, point)}
        holds = [r.xreplace(values) for r in (premise, *cases, *c.extra.get("restrictions", ()))]
        if not all(h in (sympy.true, sympy.false) for h in holds):
            continue  # undefined at this point (a zero denominator)
        if any(h is sympy.false for h in holds[1 + len(cases):]):
            continue  # outside what the question or an earlier step allows
        holds = holds[:1 + len(cases)]
        if holds[0] is sympy.true and not any(h is sympy.true for h in holds[1:]):
            at = ", ".join(f"{s} = {v}" for s, v in zip(syms, point))
            return Claim(text=cand.text, span=cand.span, kind=KIND, status="refuted", method=METHOD,
                         explanation=f"does not follow: {shown} fails at {at} (the first holds, no case does)",
                         evidence=(Evidence(f"counterexample {at}", source="exact"),), detail=detail)
    return Claim.unverified(cand.text, cand.span, KIND, METHOD,
                            f"undecided: no counterexample to {shown} among 1..{IMPLICATION_RANGE}", type=c.type)


def _named_part(cand: Candidate, c: MathClaim, budget: Budget) -> Claim:
    """"The second part becomes X": X is that term of the question's sum, with or without
    its sign; refuted only when both comparisons decide it differs."""
    part, claimed = c.rhs, c.lhs
    verdicts = [compare_exprs(claimed, part, budget), compare_exprs(claimed, -part, budget)]
    detail = {"type": c.type, "decided_by": verdicts[0].method}
    shown = f"{c.extra['part']} (in {c.extra['question']})"
    for v, sign in zip(verdicts, ("", "minus ")):
        if v.equal is True:
            return Claim(text=cand.text, span=cand.span, kind=KIND, status="verified", method=METHOD,
                         explanation=f"holds: it equals {sign}the term {shown}",
                         evidence=(Evidence(v.explanation, source=v.method),), detail=detail)
    if all(v.equal is False for v in verdicts):
        return Claim(text=cand.text, span=cand.span, kind=KIND, status="refuted", method=METHOD,
                     explanation=f"does not hold: that term is {shown} = {_show(sympy.expand(part))}, "
                                 f"and {_show(claimed)} is neither it nor its negative",
                     evidence=tuple(Evidence(v.explanation, source=v.method) for v in verdicts), detail=detail)
    return Claim.unverified(cand.text, cand.span, KIND, METHOD, "undecided: " + verdicts[0].explanation, type=c.type)


ARGUMENT_TOLERANCE = 1e-12
MAX_ARGUMENT_TURNS = 10**9  # beyond this many turns 30 digits no longer separate the angles


def _argument(cand: Candidate, c: MathClaim, budget: Budget) -> Claim:
    """θ = V for θ named the argument of Z: V − arg Z must be a whole multiple of 2π
    (exactly when the difference is a rational multiple of π, else to 30 digits; a difference
    neither near a multiple nor clearly off, or of a huge number of turns, is undecided)."""
    z, value = c.rhs, c.lhs
    arg = budget.call(lambda: sympy.arg(z), what="the argument")
    multiple = budget.call(lambda: sympy.cancel(sympy.expand((value - arg) / sympy.pi)), what="comparing angles")
    evidence = (Evidence(f"arg({_show(z)}) = {_show(arg)} ≈ {float(sympy.N(arg)):.6f}; "
                         f"{_show(value)} ≈ {float(sympy.N(value)):.6f}", source="numeric"),)
    if multiple.is_Rational:  # exact: V − arg Z is a rational multiple of π
        exact = multiple.is_integer and multiple % 2 == 0
        evidence = (Evidence(f"({_show(value)} − {_show(arg)})/π = {_show(multiple)}", source="exact"),)
        off = 0.0 if exact else 1.0
        detail = {"type": c.type, "decided_by": "exact"}
    else:
        turns = budget.call(lambda: sympy.N(multiple / 2, 30), what="comparing angles")
        re_part, im_part = turns.as_real_imag()
        if not (re_part.is_Number and im_part.is_Number) or abs(re_part) > MAX_ARGUMENT_TURNS:
            return Claim.unverified(cand.text, cand.span, KIND, METHOD,
                                    "undecided: the angles are not comparable at 30 digits", type=c.type)
        off = float(abs(re_part - sympy.Integer(round(re_part))) + abs(im_part))
        detail = {"type": c.type, "decided_by": "numeric"}
    if off <= ARGUMENT_TOLERANCE:
        return Claim(text=cand.text, span=cand.span, kind=KIND, status="verified", method=METHOD,
                     explanation=f"holds: {_show(value)} is an argument of {_show(z)}", evidence=evidence, detail=detail)
    if off > 1e-6:
        return Claim(text=cand.text, span=cand.span, kind=KIND, status="refuted", method=METHOD,
                     explanation=f"does not hold: the argument of {_show(z)} is {_show(arg)} (up to multiples of 2π), "
                                 f"not {_show(value)}", evidence=evidence, detail=detail)
    return Claim.unverified(cand.text, cand.span, KIND, METHOD, "undecided: too close to call numerically", type=c.type)


DIGIT_PROBES = 100  # n = 0..99 covers every ones digit ten times


def _digit_formula(cand: Candidate, c: MathClaim, budget: Budget) -> Claim:
    """"The ones digit of E(n) is F(d)", d the ones digit of n and E an integer polynomial (its
    ones digit depends on d alone): every n in 0..99 with E(n) ≥ 0 that meets the stated
    conditions on d is tried, exactly."""
    n, d, e, f = c.var, c.extra["digit"], c.lhs, c.rhs
    detail = {"type": c.type, "decided_by": "exact"}
    tried = set()
    for k in range(DIGIT_PROBES):
        if time.monotonic() > budget.deadline:
            raise TimeLimitExceeded("trying the ones digits ran out of time")
        digit = sympy.Integer(k % 10)
        if not all(cond.xreplace({d: digit}) is sympy.true for cond in c.extra["conditions"]):
            continue
        value = e.xreplace({n: sympy.Integer(k)})
        if not value.is_Integer or value < 0:
            continue
        tried.add(int(digit))
        claimed = f.xreplace({d: digit})
        if claimed != value % 10:
            return Claim(text=cand.text, span=cand.span, kind=KIND, status="refuted", method=METHOD,
                         explanation=f"does not hold: for {n} = {k} ({d} = {digit}), {_show(e)} = {value} has ones digit "
                                     f"{value % 10}, but {_show(f)} = {_show(claimed)}",
                         evidence=(Evidence(f"{n} = {k}: {_show(e)} = {value}", source="exact"),), detail=detail)
    if not tried:
        return Claim.unverified(cand.text, cand.span, KIND, METHOD, "undecided: no value meets the conditions",
                                type=c.type)
    return Claim(text=cand.text, span=cand.span, kind=KIND, status="verified", method=METHOD,
                 explanation=f"holds for every ones digit {d} in {', '.join(map(str, sorted(tried)))}",
                 evidence=(Evidence(f"tried {n} = 0..{DIGIT_PROBES - 1}", source="exact"),), detail=detail)


def _line_points(cand: Candidate, c: MathClaim) -> Claim:
    """The stated equation of line AB must hold at A and at B (exact rational arithmetic)."""
    x, y = sympy.Symbol("x"), sympy.Symbol("y")
    d = sympy.Add(c.lhs, -c.rhs)
    shown = []
    off = None
    for name, (px, py) in c.extra["points"]:
        value = sympy.simplify(d.xreplace({x: px, y: py}))
        shown.append(f"{name}({_show(px)}, {_show(py)}): {_show(c.lhs.xreplace({x: px, y: py}))} vs "
                     f"{_show(c.rhs.xreplace({x: px, y: py}))}")
        if value != 0 and off is None:
            off = name
    detail = {"type": c.type, "decided_by": "exact"}
    evidence = (Evidence("; ".join(shown), source="exact"),)
    if off is not None:
        return Claim(text=cand.text, span=cand.span, kind=KIND, status="refuted", method=METHOD,
                     explanation=f"point {off} does not lie on {_show(c.lhs)} = {_show(c.rhs)}, so it is not "
                                 "the line through the two points", evidence=evidence, detail=detail)
    return Claim(text=cand.text, span=cand.span, kind=KIND, status="verified", method=METHOD,
                 explanation="both points lie on it", evidence=evidence, detail=detail)


def _number_fact(cand: Candidate, c: MathClaim, budget: Budget) -> Claim:
    """A fact about whole numbers stated in words, decided with exact integer arithmetic."""
    f = c.extra
    kind = f["fact"]
    detail = {"type": c.type, "fact": kind, "decided_by": "exact"}
    if kind in ("gcd", "lcm"):
        nums = f["numbers"]
        actual = math.gcd(*nums) if kind == "gcd" else math.lcm(*nums)
        name = "greatest common divisor" if kind == "gcd" else "least common multiple"
        holds, what = actual == f["claimed"], f"the {name} of {', '.join(map(str, nums))} is {actual}"
    elif kind in ("remainder", "division"):
        q, r = divmod(f["n"], f["d"])
        holds = r == f["claimed"] and (kind == "remainder" or q == f["quotient"])
        if kind == "division" and not holds and f["n"] < 0:  # truncated division: -161 = 13 × (-12) - 5
            q_t = -(-f["n"] // f["d"])
            holds = (q_t, f["n"] - f["d"] * q_t) == (f["quotient"], f["claimed"])
            if holds:
                q, r = q_t, f["n"] - f["d"] * q_t
        what = f"{f['n']} = {f['d']} × {q} + {r}: quotient {q}, remainder {r}"
    elif kind == "prime":
        if len(str(f["n"])) > MAX_PRIME_DIGITS:
            return Claim.unverified(cand.text, cand.span, KIND, METHOD, "undecided: number too large", **detail)
        actual = bool(budget.call(sympy.isprime, f["n"], what="primality test"))
        holds = actual == f["claimed"]
        what = f"{f['n']} is prime" if actual else f"{f['n']} is not prime" + (
            f" ({f['n']} = {' × '.join(map(str, _small_factor(f['n'])))})" if f["n"] > 3 else "")
    elif kind == "divisible":
        actual = f["n"] % f["d"] == 0
        holds = actual == f["claimed"]
        what = f"{f['n']} = {f['d']} × {f['n'] // f['d']} + {f['n'] % f['d']}"
    elif kind == "coprime":
        g = math.gcd(*f["numbers"])
        holds = (g == 1) == f["claimed"]
        what = f"gcd({', '.join(map(str, f['numbers']))}) = {g}"
    elif kind == "base":
        digits = _to_base(f["n"], f["base"])
        holds = digits == f["claimed"].lstrip("0") or (f["n"] == 0 and set(f["claimed"]) == {"0"})
        what = f"{f['n']} in base {f['base']} is {digits}"
    elif kind == "round":
        unit = Fraction(1, 10 ** f["places"])
        down = (f["value"] / unit).__floor__() * unit
        nearest = {down, down + unit} if f["value"] - down == unit / 2 else             {down if f["value"] - down < unit / 2 else down + unit}
        holds = f["claimed"] in nearest
        what = f"{f['value']} rounds to {' or '.join(_plain(x, f['places']) for x in sorted(nearest))}"
    elif kind == "multiples":
        bad = [n for n in f["items"] if n % f["d"]]
        holds = not bad
        d = f["d"]
        what = (", ".join(f"{n} = {d} × {n // d} + {n % d}" for n in bad) if bad
                else f"each of {', '.join(map(str, f['items']))} is a multiple of {d}")
    elif kind == "extreme":
        actual = _extreme(f, budget)
        if actual is None:
            return Claim.unverified(cand.text, cand.span, KIND, METHOD, "undecided: no such number or too large",
                                    **detail)
        holds = actual == f["claimed"]
        what = f"the {'largest' if f['largest'] else 'smallest'} {_EXTREME_NAMES[f['kind']].format(f['of'])} " \
               f"{'≥' if f['above'] and f['or_equal'] else '>' if f['above'] else '≤' if f['or_equal'] else '<'} " \
               f"{f['bound']} is {actual}"
    elif kind == "extreme-in-list":
        first, step, last = f["run"]
        actual = _extreme_in_run(f, budget)
        if actual is None:
            return Claim.unverified(cand.text, cand.span, KIND, METHOD, "undecided: no such number in the list",
                                    **detail)
        holds = actual == f["claimed"]
        what = f"the {'largest' if f['largest'] else 'smallest'} {_EXTREME_NAMES[f['kind']].format(f['of'])} " \
               f"in the list {first}, {first + step}, …, {last} is {actual}"
    elif kind == "given-digits":
        digits = set(str(d) for d in f["digits"])
        bad = [n for n in f["items"] if not set(n.lstrip("-")) <= digits]
        holds = not bad
        shown = ", ".join(f["items"])
        what = (f"{', '.join(bad)} use(s) a digit other than the given {', '.join(sorted(digits))}" if bad
                else f"each of {shown} uses only the given digits {', '.join(sorted(digits))}")
        if f.get("d"):
            off = [n for n in f["items"] if int(n) % f["d"]]
            holds = holds and not off
            what += "; " + (", ".join(f"{n} = {f['d']} × {int(n) // f['d']} + {int(n) % f['d']}" for n in off) if off
                            else f"each is a multiple of {f['d']}")
        if holds and not f.get("digits_only", False):
            return Claim.unverified(cand.text, cand.span, KIND, METHOD,
                                    f"undecided: only the digits{' and the multiples' if f.get('d') else ''} were checked ({what}); "
                                    "the sentence states more "
                                    "about these numbers", **detail)
    elif kind == "count":
        holds = len(f["items"]) == f["claimed"]
        what = f"the list {', '.join(f['items'])} has {len(f['items'])} item(s)"
    else:
        raise ValueError(f"unknown number fact {kind!r}")
    evidence = (Evidence(what, source="exact"),)
    if holds:
        return Claim(text=cand.text, span=cand.span, kind=KIND, status="verified", method=METHOD,
                     explanation=f"holds: {what}", evidence=evidence, detail=detail)
    return Claim(text=cand.text, span=cand.span, kind=KIND, status="refuted", method=METHOD,
                 explanation=f"does not hold: {what}", evidence=evidence, detail=detail)


_EXTREME_NAMES = {"power": "power of {}", "multiple": "multiple of {}", "square": "perfect square",
                  "cube": "perfect cube", "prime": "prime"}
MAX_EXTREME_DIGITS = 18


def _extreme(f: dict, budget: Budget) -> int | None:
    """The smallest number of the kind above ``bound`` (or the largest below it), counting
    positive numbers only; None when there is none or the numbers are too large to decide."""
    bound, of, kind = f["bound"], f["of"], f["kind"]
    if len(str(bound)) > MAX_EXTREME_DIGITS or (kind == "power" and of < 2) or (kind == "multiple" and of < 1):
        return None
    ok = (lambda n: n >= bound) if f["above"] and f["or_equal"] else (lambda n: n > bound) if f["above"] \
        else (lambda n: n <= bound) if f["or_equal"] else (lambda n: n < bound)
    if kind == "prime":
        if f["above"]:
            return int(budget.call(sympy.nextprime, bound - 1 if f["or_equal"] else bound, what="next prime"))
        top = bound + 1 if f["or_equal"] else bound
        return int(budget.call(sympy.prevprime, top, what="previous prime")) if top > 2 else None
    if kind == "power":
        near = [of ** k for k in range(0, 4 * MAX_EXTREME_DIGITS)]
    elif kind == "multiple":
        near = [of * k for k in range(max(1, bound // of - 1), bound // of + 3)]
    else:
        p = 2 if kind == "square" else 3
        root = int(sympy.integer_nthroot(bound, p)[0])
        near = [k ** p for k in range(max(1, root - 1), root + 3)]
    # the candidates bracket the bound, so the first/last one on the right side is the answer
    fits = [n for n in near if ok(n) and n > 0]
    return (min(fits) if f["above"] else max(fits)) if fits else None


def _extreme_in_run(f: dict, budget: Budget) -> int | None:
    """The smallest (largest) number of the kind among first, first + step, …, last; None
    when there is none (the run is at most MAX_RUN_MEMBERS long, checked when it was read)."""
    first, step, last = f["run"]
    of, kind = f["of"], f["kind"]
    if (kind == "power" and of < 2) or (kind == "multiple" and of < 1) or len(str(last)) > MAX_EXTREME_DIGITS:
        return None
    if kind == "prime":
        test = lambda n: bool(budget.call(sympy.isprime, n, what="primality test"))  # noqa: E731
    elif kind == "multiple":
        test = lambda n: n % of == 0  # noqa: E731
    elif kind == "power":
        test = lambda n: _is_power(n, of)  # noqa: E731
    else:
        p = 2 if kind == "square" else 3
        test = lambda n: n >= 0 and sympy.integer_nthroot(n, p)[1]  # noqa: E731
    members = range(last, first - 1, -step) if f["largest"] else range(first, last + 1, step)
    for n in members:
        if time.monotonic() > budget.deadline:
            raise TimeLimitExceeded("the search through the list ran out of time")
        if test(n):
            return n
    return None


def _is_power(n: int, base: int) -> bool:
    while n > 1 and n % base == 0:
        n //= base
    return n == 1


def _small_factor(n: int) -> tuple[int, int]:
    for p in range(2, min(n, 10**6)):
        if n % p == 0:
            return p, n // p
    return n, 1


def _to_base(n: int, base: int) -> str:
    out = ""
    while n:
        n, r = divmod(n, base)
        out = str(r) + out
    return out or "0"


def _plain(x: Fraction, places: int) -> str:
    return f"{float(x):.{places}f}"


def _residue(x: Any, m: int) -> int:
    x = sympy.Rational(x)
    return int(x.p) * pow(int(x.q), -1, m) % m


def _assignment(fact: Any) -> bool:
    """``x - 3`` (from ``x = 3``): a single unknown given a number."""
    syms = fact.free_symbols
    if len(syms) != 1:
        return False
    (x,) = syms
    try:
        return sympy.Poly(fact, x).degree() == 1
    except (sympy.PolynomialError, BasePolynomialError):
        return False


_GIVEN_BASES: dict = {}
MAX_GIVEN_CACHE = 256


def _given_basis(given: Any, budget: Budget) -> tuple[tuple, tuple, tuple] | None:
    """The polynomial relations to decide against (Gröbner basis, generators, where they
    came from), or None when there are none or they are inconsistent. The question's plain
    equations count only when they pin their unknowns down (finitely many solutions): one
    equation of a curve, ``y = x^2``, says nothing about a step's other ``x`` and ``y``."""
    if given in _GIVEN_BASES:
        return _GIVEN_BASES[given]

    trusted, stated = _polynomials(given.trusted), _polynomials(given.stated)
    try:
        if stated:
            gens = sorted(set().union(*(p.free_symbols for p in stated)), key=lambda s: s.name)
            g = budget.call(lambda: sympy.groebner(stated, *gens, order="grevlex"),
                            what="reading the question's equations", share=0.4)
            if list(g.exprs) == [1] or not g.is_zero_dimensional:
                stated = []
        polys = trusted + stated
        if not polys:
            result = None
        else:
            gens = sorted(set().union(*(p.free_symbols for p in polys)), key=lambda s: s.name)
            g = budget.call(lambda: sympy.groebner(polys, *gens, order="grevlex"),
                            what="reading the question's equations", share=0.5)
            used = tuple(n for n in given.notes)
            result = None if list(g.exprs) == [1] else (tuple(g.exprs), tuple(gens), used)
    except (TimeLimitExceeded, BasePolynomialError, NotImplementedError):
        return None  # not cached: another claim may have more time
    if len(_GIVEN_BASES) < MAX_GIVEN_CACHE:
        _GIVEN_BASES[given] = result
    return result


def _polynomials(exprs: tuple) -> list:
    out = []
    for e in exprs:
        num = sympy.numer(sympy.together(sympy.expand(e)))
        if num.free_symbols and num.is_polynomial(*num.free_symbols):
            out.append(sympy.expand(num))
    return out


_PINNED: dict = {}


def _pinned_basis(given: Any, syms: frozenset, budget: Budget) -> tuple[tuple, tuple, tuple] | None:
    """What the question's equations say about ``syms`` alone when they pin those down even
    though not every unknown is (``\\log x - \\log y = a``, ``\\log y - \\log z = 15``,
    ``\\log z - \\log x = -7`` fix ``a = -8`` but not x, y, z): the elimination ideal, kept only
    when it has finitely many solutions in ``syms``."""
    key = (given, syms)
    if key in _PINNED:
        return _PINNED[key]
    polys = _polynomials(given.trusted + given.stated)
    gens_all = set().union(*(p.free_symbols for p in polys)) if polys else set()
    if not syms or not syms <= gens_all or len(gens_all) > 8:
        return None
    keep = sorted(syms, key=lambda s: s.name)
    others = sorted(gens_all - syms, key=lambda s: s.name)
    try:
        g = budget.call(lambda: sympy.groebner(polys, *others, *keep, order="lex"),
                        what="eliminating the question's other unknowns", share=0.4)
        elim = [p for p in g.exprs if p.free_symbols <= syms] if list(g.exprs) != [1] else []
        result = None
        if elim:
            e = budget.call(lambda: sympy.groebner(elim, *keep, order="grevlex"),
                            what="reading the question's equations", share=0.3)
            if list(e.exprs) != [1] and e.is_zero_dimensional:
                result = (tuple(e.exprs), tuple(keep), tuple(given.notes))
    except (TimeLimitExceeded, BasePolynomialError, NotImplementedError):
        return None
    if len(_PINNED) < MAX_GIVEN_CACHE:
        _PINNED[key] = result
    return result


def _vanishes(fact: Any, budget: Budget) -> bool:
    """An earlier "equation" that holds for every value (an identity such as combining
    fractions) says nothing about the unknowns; undecided counts as vanishing."""
    try:
        return budget.call(lambda: sympy.cancel(sympy.together(fact)) == 0, what="sympy.cancel", share=0.2)
    except (TimeLimitExceeded, BasePolynomialError, NotImplementedError):
        return True


#: probe values spread over (0, 1), (1, ∞) and the negatives: an identity meant on an implicit
#: domain (x > 0, x > 1, 0 < x < π/2, x < 0) holds at some of them
_DOMAIN_PROBES = (sympy.Rational(3, 10), sympy.Rational(7, 10), sympy.Rational(13, 10), sympy.Rational(29, 10),
                  sympy.Rational(61, 10), sympy.Rational(137, 10), sympy.Rational(-4, 10), sympy.Rational(-23, 10),
                  # far points: \sqrt{(x-20)^2} = x - 20 holds for x ≥ 20, a domain the writer may mean
                  sympy.Rational(10003, 10), sympy.Rational(10000007, 10), sympy.Rational(-10007, 10))
MIN_REAL_PROBES = 4


def _differs_wherever_real(lhs: Any, rhs: Any, syms: list, budget: Budget, domain: tuple = ()) -> bool:
    """``lhs = rhs`` (logs, roots, trigonometry) fails at every probe point where both sides
    are real and finite, and there are at least :data:`MIN_REAL_PROBES` of them: it holds
    on no domain the writer could mean, so it can be refuted. ``\\sqrt{x^2} = x`` holds at
    the positive probes and stays undecided. Only for rewritings whose unknowns no earlier
    equation constrains (the finder's ``bound``): ``\\cot^2 x = \\frac{\\sin x \\tan x}{\\sin^2 x}``
    after ``\\cos^2 x = \\sin x \\tan x`` holds where that equation does. Only points inside the
    stated ``domain`` (inequalities such as the question's "for $x > 20$") count."""
    if not syms or len(syms) > 3:
        return False

    def probe() -> bool:
        real = 0
        for i in range(len(_DOMAIN_PROBES)):
            point = {s: _DOMAIN_PROBES[(i + 3 * k) % len(_DOMAIN_PROBES)] for k, s in enumerate(syms)}
            if any(r.xreplace(point) is not sympy.true for r in domain):
                continue  # outside the stated domain (or not decidable there)
            a = complex(sympy.N(lhs.xreplace(point), 30))
            b = complex(sympy.N(rhs.xreplace(point), 30))
            if not all(math.isfinite(v) for v in (a.real, a.imag, b.real, b.imag)):
                continue
            if abs(a.imag) > 1e-20 or abs(b.imag) > 1e-20:
                continue  # outside the real domain of a side
            if abs(a.real - b.real) <= 1e-9 * (1 + abs(a.real) + abs(b.real)):
                return False
            real += 1
        return real >= MIN_REAL_PROBES
    try:
        return bool(budget.call(probe, what="probing the real domain", share=0.3))
    except (TimeLimitExceeded, TypeError, ValueError, ArithmeticError, AttributeError, RecursionError):
        return False


def _agreeing(facts: list, budget: Budget) -> list:
    """The latest facts that agree with each other: walking back from the most recent, a
    fact that contradicts those kept (another case, another root) is left out."""
    cleared = {f: _cleared(f) for f in facts}
    if _consistent(facts, budget, cleared):
        return list(facts)  # the usual case: one Gröbner basis, no walk
    kept: list = []
    for f in reversed(facts):
        if _consistent(kept + [f], budget, cleared):
            kept.append(f)
    return kept[::-1]


def _cleared(f: Any) -> Any:
    """The polynomial numerator of a fact ``f = 0``, or None when it is not polynomial."""
    num = sympy.numer(sympy.together(f))
    return sympy.expand(num) if num.is_polynomial(*num.free_symbols) else None


def _consistent(facts: list, budget: Budget, cleared: dict | None = None) -> bool:
    """Polynomial facts with a common solution (their Gröbner basis is not {1}); facts
    that are not polynomials are taken as they are. Unknown (time ran out) → False."""
    cleared = cleared or {}
    polys = [p for p in (cleared[f] if f in cleared else _cleared(f) for f in facts) if p is not None]
    if len(polys) < 2:
        return True
    gens = sorted(set().union(*(p.free_symbols for p in polys)), key=lambda s: s.name)
    try:
        basis = budget.call(lambda: sympy.groebner(polys, *gens, order="grevlex"),
                            what="checking the earlier equations agree", share=0.3)
    except (TimeLimitExceeded, BasePolynomialError, NotImplementedError):
        return False
    return list(basis.exprs) != [1]


def _describe(e: Any) -> str:
    """An unevaluated calculus expression the way a person writes it."""
    if isinstance(e, sympy.Derivative):
        (x, n), = e.variable_count
        order = "" if n == 1 else f"^{n}"
        return f"d{order}/d{x}{order} ({_show(e.expr)})"
    if isinstance(e, sympy.Subs) and isinstance(e.expr, sympy.Derivative):
        (t,), (a,) = e.variables, e.point
        inner = _describe(e.expr).replace(str(t), "x")
        return f"{inner} at x = {_show(a)}"
    if isinstance(e, sympy.Integral):
        lim = e.limits[0]
        if len(lim) == 3:
            return f"∫ from {_show(lim[1])} to {_show(lim[2])} of {_show(e.function)} d{lim[0]}"
        return f"∫ {_show(e.function)} d{lim[0]}"
    if isinstance(e, sympy.Limit):
        f, x, a, _ = e.args
        return f"lim {x}→{_show(a)} {_show(f)}"
    return _show(e)


def _rounded_root(shown: str, roots: list) -> Any:
    """The root that the decimal ``shown`` rounds or cuts to its digits (``M = 11.14`` for
    78/7), or None."""
    m = re.fullmatch(r"-?\d+\.(\d+)", shown)
    if m is None:
        return None
    unit = sympy.Rational(1, 10 ** len(m.group(1)))
    value = sympy.Rational(shown)
    for r in roots:
        if not (r.is_real and r.is_number):
            continue
        rounded = sympy.floor(abs(r) / unit + sympy.Rational(1, 2)) * unit
        cut = sympy.floor(abs(r) / unit) * unit
        if abs(value) in (rounded, cut) and (value >= 0) == (r >= 0):
            return r
    return None


def _conditional_calculus(lhs: Any, rhs: Any, left: Any, right: Any, verdict: Equivalence) -> str | None:
    """Why a calculus relation that fails as an identity is not refuted, or None:
    SymPy's value carries a condition (a power series converges on a domain the text does not
    state: ``Piecewise``); a sum or product runs to a symbolic bound (it means something at
    whole numbers only, while a numeric probe tries fractions); or the relation sets an
    expression in unknowns equal to a number (``f'(x) = 0``: an equation to solve)."""
    if left.has(sympy.Piecewise) or right.has(sympy.Piecewise):
        return ("not decided: SymPy's value holds only under a condition (e.g. where a series "
                "converges), and the text states no domain to compare it on")
    bounds = [lim[1:] for e in (lhs, rhs) for a in sympy.preorder_traversal(e)
              if isinstance(a, (sympy.Sum, sympy.Product)) for lim in a.limits]
    if any(getattr(b, "free_symbols", None) for pair in bounds for b in pair) and verdict.method != "exact":
        return "not decided: a sum or product to a symbolic bound is defined at whole numbers only"
    free_l, free_r = left.free_symbols, right.free_symbols
    if bool(free_l) != bool(free_r):
        return "not an identity: an expression in unknowns set equal to a number is an equation to solve"
    return None


def _is_calculus_expr(e: Any) -> bool:
    return isinstance(e, sympy.Basic) and e.has(sympy.Integral, sympy.Derivative, sympy.Limit,
                                                 sympy.Sum, sympy.Product, sympy.Subs)


def _rewrite_like(source: Any, target: Any, budget: Budget) -> Any:
    """The correct right side in the form the writer used: expanded or factored."""
    try:
        if isinstance(target, sympy.Add):
            return budget.call(sympy.expand, source, what="expanding")
        if isinstance(target, (sympy.Mul, sympy.Pow)):
            return budget.call(sympy.factor, source, what="factoring")
        return budget.call(sympy.simplify, source, what="simplifying")
    except (TimeLimitExceeded, BasePolynomialError, NotImplementedError):
        return None


def _roots(lhs: Any, rhs: Any, x: sympy.Symbol, budget: Budget) -> list | None:
    """The solutions of ``lhs = rhs`` in ``x`` for polynomial/rational equations of low degree;
    None when they cannot be listed exactly."""
    def solve() -> list | None:
        num, den = sympy.fraction(sympy.together(lhs - rhs))
        if not num.is_polynomial(x) or not den.is_polynomial(x):
            return None
        p = sympy.Poly(sympy.expand(num), x)
        if p.is_zero or p.degree() > MAX_ROOT_DEGREE:
            return None
        found = sympy.roots(p, multiple=False)
        if sum(found.values()) != p.degree():
            return None
        return [r for r in found if den.subs(x, r) != 0]
    return budget.call(solve, what="solving the equation")


ROOT_GRID = 160
ROOT_WINDOW = (-7, 7)  # more than a period of the trigonometric functions, either side of 0


def _value(e: Any, x: Any, at: Any, digits: int = 40) -> Any:
    """``e`` at ``x = at`` to ``digits`` digits; None when not a finite real number."""
    v = sympy.N(e.xreplace({x: at}), digits)
    if not v.is_number or v.has(sympy.zoo, sympy.nan, sympy.oo, -sympy.oo):
        return None
    re_, im = v.as_real_imag()
    if abs(im) > sympy.Float(10) ** (10 - digits) * (1 + abs(re_)):
        return None
    return re_


def _simple_arguments(e: Any, x: Any) -> bool:
    """Every function of ``x`` in ``e`` is applied to a linear ``a·x + b`` (sin 2x, log(x + 1)),
    and nothing but elementary functions occur."""
    for f in sympy.preorder_traversal(e):
        if isinstance(f, sympy.Function):
            if not isinstance(f, (sympy.sin, sympy.cos, sympy.tan, sympy.cot, sympy.sec, sympy.csc,
                                  sympy.log, sympy.exp, sympy.Abs)):
                return False
            arg = f.args[0]
            if x in arg.free_symbols and not (arg.is_polynomial(x) and sympy.degree(arg, x) == 1):
                return False
    return True


def _real_root_not_of(f: Any, g: Any, x: Any) -> Any:
    """A real ``r`` with f(r) = 0 (a sign change of ``f`` narrowed to |f| < 1e-14; a pole,
    where |f| grows instead, is rejected) and |g(r)| clearly away from 0; None if not found."""
    lo, hi = ROOT_WINDOW
    grid = [sympy.Rational(lo) + sympy.Rational(hi - lo, ROOT_GRID) * k + sympy.Rational(1, 997) for k in range(ROOT_GRID + 1)]
    values = [_value(f, x, p, 15) for p in grid]  # signs only: the roots are then narrowed at 40 digits
    for (a, fa), (b, fb) in zip(zip(grid, values), zip(grid[1:], values[1:])):
        if fa is None or fb is None or fa == 0 or fb == 0 or (fa > 0) == (fb > 0):
            continue
        left, right, f_left = sympy.Float(a, 40), sympy.Float(b, 40), fa
        for _ in range(64):
            mid = (left + right) / 2
            fm = _value(f, x, mid)
            if fm is None:
                break
            if (fm > 0) == (f_left > 0):
                left, f_left = mid, fm
            else:
                right = mid
        else:
            root = (left + right) / 2
            fr, gr = _value(f, x, root), _value(g, x, root)
            if fr is not None and gr is not None and abs(fr) < sympy.Float(10) ** -14 and abs(gr) > sympy.Float(10) ** -6:
                return root
    return None


def _as_set(roots: list) -> frozenset:
    return frozenset(sympy.nsimplify(r) if r.is_Float else sympy.simplify(r) for r in roots)


def _show_set(s: frozenset) -> str:
    return "{" + ", ".join(sorted(_show(x) for x in s)) + "}" if s else "∅"


_CONSTANTS = {"C", "K", "c_1", "C_1"}


def _terms(expr: Any, render: Any) -> str:
    """Render a sum term by term, with the constant of integration last (x³/3 + C)."""
    if not isinstance(expr, sympy.Add):
        return render(expr)
    terms = list(expr.as_ordered_terms())
    last = [t for t in terms if t.free_symbols and all(s.name in _CONSTANTS for s in t.free_symbols)]
    terms = [t for t in terms if t not in last] + last
    out = render(terms[0])
    for t in terms[1:]:
        piece = render(t)
        out += f" - {piece[1:].lstrip()}" if piece.startswith("-") else f" + {piece}"
    return out


def _show(e: Any) -> str:
    return _terms(e, lambda t: fmt(t).replace("**", "^"))


def render_like(expr: Any, original: str) -> str:
    """``expr`` written the way ``original`` was: LaTeX, Unicode superscripts or plain."""
    if "\\" in original or "{" in original:
        return _terms(expr, sympy.latex)
    text = _show(expr)
    if re.search(r"[²³¹⁴⁵⁶⁷⁸⁹⁰]", original):
        text = re.sub(r"\^(\d+)", lambda m: m.group(1).translate(_SUPERSCRIPTS), text)
        text = text.replace("*", "")
    elif "*" not in original:
        text = re.sub(r"(\d)\*(?=[A-Za-z(])", r"\1", text)
    return text

