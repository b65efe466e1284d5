"""Deciding calculus claims: derivatives, limits and integrals in words or in symbols (an
antiderivative is checked by differentiating it), sums and products evaluated by SymPy."""
from __future__ import annotations

from typing import Any

import sympy
from sympy.polys.polyerrors import BasePolynomialError

from verify.engines.base import Candidate
from verify.limits import Budget, TimeLimitExceeded
from verify.report import Claim, Evidence
from .chain_state import substitute_definitions
from .decide_common import KIND, METHOD, correction_for, show, verdict_claim
from .equivalence import Equivalence, compare_exprs
from .statements import MathClaim


def decide_calculus_words(cand: Candidate, c: MathClaim, budget: Budget) -> Claim:
    """Calculus stated in words: an integral is checked by differentiating the claimed
    antiderivative; a derivative or a limit is computed and compared."""
    x, f, F = c.var, c.lhs, c.rhs
    if c.type == "integral":
        return _antiderivative(cand, c, f, x, F, budget)
    if c.type == "derivative":
        d = budget.call(sympy.diff, f, x, what="differentiating")
        verdict = compare_exprs(d, F, budget)
        return verdict_claim(cand, c, verdict, computed=d, evidence=f"d/d{x} ({show(f)}) = {show(d)}")
    limit = budget.call(sympy.limit, f, x, c.extra["point"], what="computing the limit")
    verdict = compare_exprs(limit, F, budget)
    return verdict_claim(cand, c, verdict, computed=limit,
                         evidence=f"lim {x}→{show(c.extra['point'])} {show(f)} = {show(limit)}")


def _antiderivative(cand: Candidate, c: MathClaim, f: Any, x: sympy.Symbol, F: Any,
                    budget: Budget) -> Claim:
    """An antiderivative is checked by differentiating it: d/dx F must be f."""
    dF = budget.call(sympy.diff, F, x, what="differentiating the antiderivative")
    verdict = compare_exprs(dF, f, budget)
    evidence = f"d/d{x} ({show(F)}) = {show(dF)}"
    if verdict.equal is True:
        return Claim(text=cand.text, span=cand.span, kind=KIND, status="verified", method=METHOD,
                     explanation=f"verified by differentiation: {evidence}, which is the integrand {show(f)}",
                     evidence=(Evidence(evidence, source="sympy"),),
                     detail={"type": c.type, "decided_by": verdict.method, "derivative": show(dF)})
    if verdict.equal is False:
        try:  # the correction is a bonus: the refutation already stands
            right = budget.call(sympy.integrate, f, x, what="integrating", share=0.8)
        except (TimeLimitExceeded, NotImplementedError, BasePolynomialError):
            right = None
        if right is None or right.has(sympy.Integral):
            right = None
        elif F.free_symbols - f.free_symbols - {x}:
            right = right + sorted(F.free_symbols - f.free_symbols - {x}, key=lambda s: s.name)[0]
        correction, span = correction_for(cand, c, right)
        hint = f"; an antiderivative is {show(right)}" if right is not None else ""
        return Claim(text=cand.text, span=cand.span, kind=KIND, status="refuted", method=METHOD,
                     explanation=f"refuted by differentiation: {evidence}, not {show(f)}{hint}",
                     correction=correction, correction_span=span,
                     evidence=(Evidence(evidence, source="sympy"),),
                     detail={"type": c.type, "decided_by": verdict.method, "derivative": show(dF)})
    return Claim.unverified(cand.text, cand.span, KIND, METHOD, verdict.explanation, type=c.type)


def decide_calculus(cand: Candidate, c: MathClaim, budget: Budget) -> Claim:
    defs = c.extra.get("defs") or {}
    lhs, rhs = substitute_definitions(c.lhs, defs), substitute_definitions(c.rhs, defs)
    for integral, other, other_is_rhs in ((lhs, rhs, True), (rhs, lhs, False)):
        if isinstance(integral, sympy.Integral) and len(integral.limits) == 1 and \
                len(integral.limits[0]) == 1 and not _is_calculus_expr(other):
            x = integral.limits[0][0]
            swapped = c if other_is_rhs else MathClaim(c.type, c.text, c.start, c.end, lhs=rhs,
                                                        rhs=lhs, rhs_span=None)
            return _antiderivative(cand, swapped, integral.function, x, other, budget)
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
    return verdict_claim(cand, c, verdict, computed=computed,
                         evidence=f"{_describe(lhs)} = {show(left)}")


def _describe(e: Any) -> str:
    """An unevaluated calculus expression the way a person writes it."""
    if isinstance(e, sympy.Derivative):
        (x, n), = e.variable_count
        order = "" if n == 1 else f"^{n}"
        return f"d{order}/d{x}{order} ({show(e.expr)})"
    if isinstance(e, sympy.Subs) and isinstance(e.expr, sympy.Derivative):
        (t,), (a,) = e.variables, e.point
        inner = _describe(e.expr).replace(str(t), "x")
        return f"{inner} at x = {show(a)}"
    if isinstance(e, sympy.Integral):
        lim = e.limits[0]
        if len(lim) == 3:
            return f"∫ from {show(lim[1])} to {show(lim[2])} of {show(e.function)} d{lim[0]}"
        return f"∫ {show(e.function)} d{lim[0]}"
    if isinstance(e, sympy.Limit):
        f, x, a, _ = e.args
        return f"lim {x}→{show(a)} {show(f)}"
    return show(e)


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
