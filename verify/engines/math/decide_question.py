"""Deciding claims read against the question or a set-up the text states: a result against
the expression the question asks for, a named term of it, the equation of a line through
the question's points, an implication between inequalities (a counterexample among small
integers), an argument of a complex number, a ones-digit formula."""
from __future__ import annotations

import itertools
import time

import sympy

from verify.engines.base import Candidate
from verify.limits import Budget, TimeLimitExceeded
from verify.report import Claim, Evidence
from .decide_common import KIND, METHOD, correction_for, show
from .decide_numbers import decide_approx
from .equivalence import compare_exprs
from .statements import MathClaim


def decide_target(cand: Candidate, c: MathClaim, budget: Budget) -> Claim:
    """A result against the expression the question asks for. A question that asks for
    rounding accepts a decimal rounded to its digits (see :func:`.decide_numbers.decide_approx`)."""
    if c.extra.get("rounded"):
        if c.extra.get("places") is None:
            return Claim.unverified(cand.text, cand.span, KIND, METHOD,
                                    "not decided: the question asks for a rounded value", type=c.type)
        swapped = MathClaim("approx", c.text, c.start, c.end, lhs=c.rhs, rhs=c.lhs,
                            extra={"places": c.extra["places"], "shown": cand.text.strip("$ ")})
        return decide_approx(cand, swapped, budget)
    verdict = compare_exprs(c.lhs, c.rhs, budget)
    detail = {"type": c.type, "decided_by": verdict.method, "question": c.extra["question"]}
    asked = f"the question asks for {c.extra['question']}, which is {show(c.rhs)}"
    if verdict.equal is True:
        return Claim(text=cand.text, span=cand.span, kind=KIND, status="verified", method=METHOD,
                     explanation=f"equals what the question asks for: {asked}",
                     evidence=(Evidence(f"{asked}; {verdict.explanation}", source="sympy"),), detail=detail)
    if verdict.equal is False:
        correction, span = correction_for(cand, c, c.rhs)
        return Claim(text=cand.text, span=cand.span, kind=KIND, status="refuted", method=METHOD,
                     explanation=f"differs from what the question asks for: {asked}, not {show(c.lhs)}",
                     correction=correction, correction_span=span,
                     evidence=(Evidence(f"{asked}; {verdict.explanation}", source="sympy"),), detail=detail)
    return Claim.unverified(cand.text, cand.span, KIND, METHOD, verdict.explanation, **detail)


def decide_named_part(cand: Candidate, c: MathClaim, budget: Budget) -> Claim:
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
                     explanation=f"does not hold: that term is {shown} = {show(sympy.expand(part))}, "
                                 f"and {show(claimed)} is neither it nor its negative",
                     evidence=tuple(Evidence(v.explanation, source=v.method) for v in verdicts), detail=detail)
    return Claim.unverified(cand.text, cand.span, KIND, METHOD, "undecided: " + verdicts[0].explanation, type=c.type)


def decide_line_points(cand: Candidate, c: MathClaim, budget: Budget) -> Claim:
    """The stated equation of line AB must hold at A and at B (exact rational arithmetic)."""
    x, y = sympy.Symbol("x"), sympy.Symbol("y")
    d = sympy.Add(c.lhs, -c.rhs)
    shown = []
    off = None
    for name, (px, py) in c.extra["points"]:
        value = sympy.simplify(d.xreplace({x: px, y: py}))
        shown.append(f"{name}({show(px)}, {show(py)}): {show(c.lhs.xreplace({x: px, y: py}))} vs "
                     f"{show(c.rhs.xreplace({x: px, y: py}))}")
        if value != 0 and off is None:
            off = name
    detail = {"type": c.type, "decided_by": "exact"}
    evidence = (Evidence("; ".join(shown), source="exact"),)
    if off is not None:
        return Claim(text=cand.text, span=cand.span, kind=KIND, status="refuted", method=METHOD,
                     explanation=f"point {off} does not lie on {show(c.lhs)} = {show(c.rhs)}, so it is not "
                                 "the line through the two points", evidence=evidence, detail=detail)
    return Claim(text=cand.text, span=cand.span, kind=KIND, status="verified", method=METHOD,
                 explanation="both points lie on it", evidence=evidence, detail=detail)


IMPLICATION_RANGE = 12  # counterexamples are searched among 1..12 for each unknown


def decide_implication(cand: Candidate, c: MathClaim, budget: Budget) -> Claim:
    """"A means B or C": a point where A holds and every case fails refutes it. Only small
    positive integers are tried, the narrowest domain such steps are about (dice, counts,
    digits), so a counterexample is one in any wider domain too, once it meets the inequalities
    stated earlier on those unknowns; finding none proves nothing."""
    premise, cases = c.lhs, c.extra["cases"]
    syms = sorted(set().union(premise.free_symbols, *(r.free_symbols for r in cases)), key=lambda x: x.name)
    shown = f"{show(premise)} ⇒ " + " or ".join(show(r) for r in cases)
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


ARGUMENT_TOLERANCE = 1e-12
MAX_ARGUMENT_TURNS = 10**9  # beyond this many turns 30 digits no longer separate the angles


def decide_argument(cand: Candidate, c: MathClaim, budget: Budget) -> Claim:
    """θ = V for θ named the argument of Z: V − arg Z must be a whole multiple of 2π
    (exactly when the difference is a rational multiple of π, else to 30 digits; a difference
    neither near a multiple nor clearly off, or of a huge number of turns, is undecided)."""
    z, value = c.rhs, c.lhs
    arg = budget.call(lambda: sympy.arg(z), what="the argument")
    multiple = budget.call(lambda: sympy.cancel(sympy.expand((value - arg) / sympy.pi)), what="comparing angles")
    evidence = (Evidence(f"arg({show(z)}) = {show(arg)} ≈ {float(sympy.N(arg)):.6f}; "
                         f"{show(value)} ≈ {float(sympy.N(value)):.6f}", source="numeric"),)
    if multiple.is_Rational:  # exact: V − arg Z is a rational multiple of π
        exact = multiple.is_integer and multiple % 2 == 0
        evidence = (Evidence(f"({show(value)} − {show(arg)})/π = {show(multiple)}", source="exact"),)
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
                     explanation=f"holds: {show(value)} is an argument of {show(z)}", evidence=evidence, detail=detail)
    if off > 1e-6:
        return Claim(text=cand.text, span=cand.span, kind=KIND, status="refuted", method=METHOD,
                     explanation=f"does not hold: the argument of {show(z)} is {show(arg)} (up to multiples of 2π), "
                                 f"not {show(value)}", evidence=evidence, detail=detail)
    return Claim.unverified(cand.text, cand.span, KIND, METHOD, "undecided: too close to call numerically", type=c.type)


DIGIT_PROBES = 100  # n = 0..99 covers every ones digit ten times


def decide_digit_formula(cand: Candidate, c: MathClaim, budget: Budget) -> Claim:
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
                         explanation=f"does not hold: for {n} = {k} ({d} = {digit}), {show(e)} = {value} has ones digit "
                                     f"{value % 10}, but {show(f)} = {show(claimed)}",
                         evidence=(Evidence(f"{n} = {k}: {show(e)} = {value}", source="exact"),), detail=detail)
    if not tried:
        return Claim.unverified(cand.text, cand.span, KIND, METHOD, "undecided: no value meets the conditions",
                                type=c.type)
    return Claim(text=cand.text, span=cand.span, kind=KIND, status="verified", method=METHOD,
                 explanation=f"holds for every ones digit {d} in {', '.join(map(str, sorted(tried)))}",
                 evidence=(Evidence(f"tried {n} = 0..{DIGIT_PROBES - 1}", source="exact"),), detail=detail)
