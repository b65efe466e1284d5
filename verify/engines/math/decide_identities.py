"""Deciding relations in unknowns: rewritings (identities), evaluations of a function
defined earlier, and equations against what the question states. A relation that fails as
an identity may still follow from an equation stated earlier or from the question's
equations (Gröbner bases: one that reduces to 0 follows; one whose basis grows to {1}
contradicts), or hold on a domain only: those are verified with the fact used, or left
unverified, never refuted (:func:`guard`)."""
from __future__ import annotations

import math
from typing import Any

import sympy
from sympy.polys.polyerrors import BasePolynomialError

from verify.engines.base import Candidate
from verify.limits import Budget, TimeLimitExceeded
from verify.report import Claim, Evidence
from .chain_state import substitute_definitions
from .decide_common import KIND, METHOD, show, verdict_claim
from .equivalence import Equivalence, compare_exprs
from .find_facts import atomize_logs
from .statements import MathClaim


def decide_identity(cand: Candidate, c: MathClaim, budget: Budget) -> Claim:
    """A rewriting ``A = B``. If it fails as an identity it may still be a substitution
    of an equation stated earlier (``(a+b+c)^2 = a^2+b^2+c^2 + 2(-11)`` after
    ``ab+bc+ca = -11``), or hold only on a domain (``|x-1| = -(x-1)`` for x < 1): those
    are verified with the fact used, or left unverified — never refuted."""
    verdict = compare_exprs(c.lhs, c.rhs, budget)
    if verdict.equal is False:
        guarded = guard(cand, c, c.lhs, c.rhs, verdict, budget)
        if guarded is not None:
            return guarded
    computed = _rewrite_like(c.lhs, c.rhs, budget) if verdict.equal is False else None
    return verdict_claim(cand, c, verdict, computed=computed,
                         evidence=f"{show(c.lhs)} − ({show(c.rhs)}) = 0")


def decide_evaluation(cand: Candidate, c: MathClaim, budget: Budget) -> Claim:
    """``f(2) = 7`` with ``f`` defined earlier: both sides with the definitions put in. A
    refutation in other letters is first tried against the question's equations and the
    earlier facts (:func:`guard`); one whose sides name different letters is a value that
    depends on them, not a false one."""
    lhs = substitute_definitions(c.lhs, c.extra["defs"])
    rhs = substitute_definitions(c.rhs, c.extra["defs"])
    lhs = budget.call(lambda: lhs.doit(), what="evaluating") if lhs.has(sympy.Derivative, sympy.Subs) else lhs
    rhs = budget.call(lambda: rhs.doit(), what="evaluating") if rhs.has(sympy.Derivative, sympy.Subs) else rhs
    verdict = compare_exprs(lhs, rhs, budget)
    if verdict.equal is False and (lhs.free_symbols or rhs.free_symbols):
        given = c.extra.get("given")
        if given and (lhs.free_symbols | rhs.free_symbols) <= given.symbols:
            decided = against_given(cand, c, lhs, rhs, given, budget)
            if decided is not None:
                return decided
        if lhs.free_symbols != rhs.free_symbols:
            # f(5) = 3 with f(x) = mx + b: an equation in the other letters, not a value
            return Claim.unverified(cand.text, cand.span, KIND, METHOD,
                                    "not decided: the value depends on "
                                    f"{', '.join(sorted(map(str, lhs.free_symbols | rhs.free_symbols)))}",
                                    type=c.type)
        guarded = guard(cand, c, lhs, rhs, verdict, budget)
        if guarded is not None:
            return guarded
    return verdict_claim(cand, c, verdict, computed=lhs,
                         evidence=f"{show(c.lhs)} = {show(lhs)} (from the definition)")


def decide_given(cand: Candidate, c: MathClaim, budget: Budget) -> Claim:
    """An equation in the unknowns the question pins down: it follows from or contradicts
    the question's equations (:func:`against_given`), or stays undecided."""
    decided = against_given(cand, c, c.lhs, c.rhs, c.extra["given"], budget)
    return decided or Claim.unverified(cand.text, cand.span, KIND, METHOD,
                                       "undecided: neither follows from nor contradicts what the question states",
                                       type=c.type)


def against_given(cand: Candidate, c: MathClaim, lhs: Any, rhs: Any, given: Any,
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
                         evidence=(Evidence(f"{show(target)} reduces to 0 modulo the question's equations "
                                            f"({', '.join(show(p) + ' = 0' for p in polys)})", source="sympy"),),
                         detail=detail)
        grown = budget.call(lambda: sympy.groebner(list(polys) + [target], *gens, order="grevlex"),
                            what="checking against the question's equations", share=0.6)
    except (TimeLimitExceeded, BasePolynomialError, NotImplementedError):
        return None
    if list(grown.exprs) == [1]:
        return Claim(text=cand.text, span=cand.span, kind=KIND, status="refuted", method=METHOD,
                     explanation=f"contradicts what the question states ({known}): no values satisfy both",
                     evidence=(Evidence(f"the equations {', '.join(show(p) + ' = 0' for p in polys)} together "
                                        f"with {show(target)} = 0 have Gröbner basis {{1}}: no common solution",
                                        source="sympy"),),
                     detail=detail)
    return None


def guard(cand: Candidate, c: MathClaim, lhs: Any, rhs: Any, verdict: Equivalence,
          budget: Budget) -> Claim | None:
    """Before refuting ``lhs = rhs`` as an identity: is it a consequence of equations
    stated earlier (their multiple, or zero modulo them), or a statement that may hold on
    a domain only (not a rational function)? Then verify it with the facts used, or
    leave it unverified; None = refute."""
    diff = sympy.Add(lhs, -rhs)
    # "x = 1" stated earlier is a root or a case being tried, not a fact an identity in x
    # may lean on; and facts that contradict each other (x = 1 and x = -2) prove anything
    facts = agreeing([f for f in c.extra.get("facts", ())
                      if f.free_symbols and not _assignment(f) and not _vanishes(f, budget)], budget)
    for fact in facts:
        ratio = budget.call(lambda f=fact: sympy.cancel(diff / f), what="sympy.cancel", share=0.3)
        if ratio.is_number and ratio.is_finite and ratio != 0:
            used = f"{show(fact)} = 0"
            return Claim(text=cand.text, span=cand.span, kind=KIND, status="verified", method=METHOD,
                         explanation=f"holds given the earlier equation {used}: the difference of "
                                     f"the sides is {show(ratio)} × ({show(fact)})",
                         evidence=(Evidence(f"{show(diff)} = {show(ratio)}·({show(fact)}), "
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
            used = ", ".join(f"{show(f)} = 0" for f in polys)
            return Claim(text=cand.text, span=cand.span, kind=KIND, status="verified", method=METHOD,
                         explanation=f"holds given the earlier equations ({used})",
                         evidence=(Evidence(f"{show(diff)} reduces to 0 modulo {used}", source="sympy"),),
                         detail={"type": c.type, "decided_by": "symbolic"})
        if remainder is None:
            return Claim.unverified(cand.text, cand.span, KIND, METHOD,
                                    "undecided: could not reduce by the earlier equations", type=c.type)
    given = c.extra.get("given")
    basis = _given_basis(given, budget) if given else None
    if basis is not None and diff.free_symbols & set(basis[1]):
        decided = against_given(cand, c, lhs, rhs, given, budget)
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


def agreeing(facts: list, budget: Budget) -> list:
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
