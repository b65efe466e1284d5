"""Deciding equation steps: the new equation must keep the old one's solutions (only
gaining or only losing some is left undecided; equations SymPy cannot solve are compared
through real roots found by bisection), a stated root must satisfy it, an inequality step
keeps the solution set, and a step in several unknowns must be a combination of the
equations before it."""
from __future__ import annotations

import re
from typing import Any

import sympy
from sympy.polys.polyerrors import BasePolynomialError

from verify.engines.base import Candidate
from verify.limits import Budget, TimeLimitExceeded
from verify.report import Claim, Evidence
from .decide_common import KIND, METHOD, correction_for, show
from .decide_identities import agreeing
from .equivalence import compare_exprs
from .statements import MathClaim


MAX_ROOT_DEGREE = 6


def decide_equation_step(cand: Candidate, c: MathClaim, budget: Budget) -> Claim:
    x = c.var
    l1, r1 = c.extra["from"]
    before = f"{show(l1)} = {show(r1)}"
    if c.extra["solved"]:
        value = c.rhs if c.lhs == x else c.lhs
        lhs_at = l1.subs(x, value)
        rhs_at = r1.subs(x, value)
        verdict = compare_exprs(lhs_at, rhs_at, budget)
        evidence = f"substituting {x} = {show(value)} into {before}: {show(lhs_at)} vs {show(rhs_at)}"
        if verdict.equal is True:
            return Claim(text=cand.text, span=cand.span, kind=KIND, status="verified", method=METHOD,
                         explanation=f"{x} = {show(value)} satisfies {before}",
                         evidence=(Evidence(evidence, source="sympy"),),
                         detail={"type": c.type, "decided_by": verdict.method})
        if verdict.equal is False:
            roots = _roots(l1, r1, x, budget)
            shown_value = cand.text[c.rhs_span[0] - cand.span.start:c.rhs_span[1] - cand.span.start] \
                if c.rhs_span is not None and c.lhs == x else ""
            near = _rounded_root(shown_value.strip(" .,$"), roots or [])
            if near is not None:
                return Claim.unverified(cand.text, cand.span, KIND, METHOD,
                                        f"not refuted: {shown_value.strip(' .,$')} is the solution {x} = {show(near)} "
                                        "rounded to the digits shown, written with '='", type=c.type)
            computed = roots[0] if roots is not None and len(roots) == 1 else None
            correction, span = (None, None)
            if computed is not None and c.lhs == x:
                correction, span = correction_for(cand, c, computed)
            shown = f"; its solution is {x} = {show(computed)}" if computed is not None else ""
            return Claim(text=cand.text, span=cand.span, kind=KIND, status="refuted", method=METHOD,
                         explanation=f"{x} = {show(value)} does not satisfy {before}{shown}",
                         correction=correction, correction_span=span,
                         evidence=(Evidence(evidence, source="sympy"),),
                         detail={"type": c.type, "decided_by": verdict.method,
                                 "solutions": len(roots) if roots is not None else None})
        return Claim.unverified(cand.text, cand.span, KIND, METHOD, verdict.explanation, type=c.type)
    s1, s2 = _roots(l1, r1, x, budget), _roots(c.lhs, c.rhs, x, budget)
    after = f"{show(c.lhs)} = {show(c.rhs)}"
    if (s1 is None or s2 is None) and not (s1 == [] or s2 == []):
        decided = _numeric_solution_change(cand, c, l1 - r1, c.lhs - c.rhs, x, before, after, budget)
        if decided is not None:
            return decided
    if s1 is None or s2 is None or not s1:
        return Claim.unverified(cand.text, cand.span, KIND, METHOD,
                                f"undecided: could not compare the solutions of {before} and {after}",
                                type=c.type)
    e1, e2 = _as_set(s1), _as_set(s2)
    evidence = f"solutions of {before}: {_show_set(e1)}; of {after}: {_show_set(e2)}"
    return _compare_solution_sets(cand, c, e1 == e2, e1 <= e2, e2 <= e1, before, evidence)


def _numeric_solution_change(cand: Candidate, c: MathClaim, f: Any, g: Any, x: Any, before: str,
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


def _compare_solution_sets(cand: Candidate, c: MathClaim, same: bool, grows: bool, shrinks: bool,
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


def decide_system_step(cand: Candidate, c: MathClaim, budget: Budget) -> Claim:
    """``premise ⟹ claim`` in several unknowns: the claim's ``lhs − rhs`` must be
    k·(premise) + Σ mᵢ·(earlier equation i) for constants k ≠ 0, mᵢ (found by matching
    coefficients). No such constants → it does not follow from what was written."""
    def cleared(e: Any) -> Any:  # multiplying out denominators is a legitimate step
        return sympy.numer(sympy.together(e))
    target = budget.call(cleared, sympy.Add(c.lhs, -c.rhs), what="clearing denominators", share=0.3)
    premise = budget.call(cleared, c.extra["premise"], what="clearing denominators", share=0.3)
    facts = agreeing([budget.call(cleared, f, what="clearing denominators", share=0.3)
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
    before = f"{show(c.extra['from'][0])} = {show(c.extra['from'][1])}"
    if solutions is None:
        return Claim.unverified(cand.text, cand.span, KIND, METHOD,
                                f"undecided: not a polynomial step from {before}", type=c.type)
    sol = next(iter(solutions), None) if solutions else None
    if sol is not None and sol[0] != 0:
        used = [f"{show(f)} = 0" for k, f in zip(sol[1:], facts) if k != 0]
        how = f" using {', '.join(used)}" if used else ""
        return Claim(text=cand.text, span=cand.span, kind=KIND, status="verified", method=METHOD,
                     explanation=f"follows from {before}{how}",
                     evidence=(Evidence(f"{show(target)} = {show(sol[0])}·({show(premise)})"
                                        + "".join(f" + {show(k)}·({show(f)})" for k, f in zip(sol[1:], facts) if k != 0),
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
    if not c.extra.get("rewritten") and _restricts(target, premise, facts, gens, budget):
        return Claim.unverified(cand.text, cand.span, KIND, METHOD,
                                f"keeps only some solutions of {before} (a root taken, a case chosen)",
                                type=c.type)
    return Claim(text=cand.text, span=cand.span, kind=KIND, status="refuted", method=METHOD,
                 explanation=f"does not follow from {before} (nor from it combined with the equations before it)",
                 evidence=(Evidence(f"no constants k, m make {show(target)} = k·({show(premise)}) + Σ m·(earlier equations)",
                                    source="sympy"),),
                 detail={"type": c.type, "decided_by": "symbolic"})


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


def decide_inequality_step(cand: Candidate, c: MathClaim, budget: Budget) -> Claim:
    x = c.var
    l1, op1, r1 = c.extra["from"]
    makers = {"<": sympy.Lt, "<=": sympy.Le, ">": sympy.Gt, ">=": sympy.Ge}
    rx = sympy.Symbol(x.name, real=True)

    def solve(l: Any, op: str, r: Any) -> Any:
        rel = makers[op](l.xreplace({x: rx}), r.xreplace({x: rx}))
        return sympy.solve_univariate_inequality(rel, rx, relational=False)
    s1 = budget.call(solve, l1, op1, r1, what="solving the inequality")
    s2 = budget.call(solve, c.lhs, c.extra["op"], c.rhs, what="solving the inequality")
    before = f"{show(l1)} {op1} {show(r1)}"
    evidence = f"solutions of {before}: {s1}; of {show(c.lhs)} {c.extra['op']} {show(c.rhs)}: {s2}"
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
    return _compare_solution_sets(cand, c, bool(grows and shrinks), bool(grows), bool(shrinks),
                                  before, evidence)


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
    return "{" + ", ".join(sorted(show(x) for x in s)) + "}" if s else "∅"
