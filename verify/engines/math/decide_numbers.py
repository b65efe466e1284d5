"""Deciding claims about numbers: LaTeX numeric links, ``≠`` and ``<`` between numbers,
approximations, congruences, a value given for a division by zero, and facts about whole
numbers stated in words (GCD/LCM, remainders, primes, bases, rounding, extremes)."""
from __future__ import annotations

import math
import time
from fractions import Fraction
from typing import Any

import sympy

from verify.engines.base import Candidate
from verify.limits import Budget, TimeLimitExceeded
from verify.report import Claim, Evidence
from .decide_common import KIND, METHOD, show, verdict_claim
from .equivalence import compare_exprs
from .statements import MathClaim


def decide_numeric(cand: Candidate, c: MathClaim, budget: Budget) -> Claim:
    """A numeric LaTeX link; a decimal on the right may be the value rounded to its digits."""
    verdict = compare_exprs(c.lhs, c.rhs, budget)
    if verdict.equal is False and c.extra.get("decimal") and c.rhs_span is not None:
        shown = cand.text[c.rhs_span[0] - cand.span.start:c.rhs_span[1] - cand.span.start].strip()
        places = len(shown.split(".")[1])
        value = budget.call(lambda: sympy.N(c.lhs, 30), what="numeric evaluation")
        if value.is_real and abs(value - c.rhs) <= sympy.Rational(1, 2 * 10 ** places) * (1 + sympy.Rational(1, 10**9)):
            return Claim(text=cand.text, span=cand.span, kind=KIND, status="verified", method=METHOD,
                         explanation=f"holds to the {places} decimal place(s) shown: {show(c.lhs)} ≈ {sympy.N(value, places + 3)}",
                         evidence=(Evidence(f"{show(c.lhs)} = {sympy.N(value, 15)}, which rounds to {shown}",
                                            source="sympy"),),
                         detail={"type": c.type, "decided_by": "numeric", "rounded": True})
    computed = c.lhs if verdict.equal is False else None
    return verdict_claim(cand, c, verdict, computed=computed, evidence=f"{show(c.lhs)} = {show(c.rhs)}")


def decide_not_equal(cand: Candidate, c: MathClaim, budget: Budget) -> Claim:
    """``A ≠ B`` between numbers: refuted exactly when they are equal."""
    verdict = compare_exprs(c.lhs, c.rhs, budget)
    detail = {"type": c.type, "decided_by": verdict.method}
    if verdict.equal is True:
        return Claim(text=cand.text, span=cand.span, kind=KIND, status="refuted", method=METHOD,
                     explanation=f"both sides are equal ({verdict.method}): {show(c.lhs)} = {show(c.rhs)}",
                     evidence=(Evidence(verdict.explanation, source="sympy"),), detail=detail)
    if verdict.equal is False:
        return Claim(text=cand.text, span=cand.span, kind=KIND, status="verified", method=METHOD,
                     explanation=f"holds ({verdict.method}): {verdict.explanation}",
                     evidence=(Evidence(verdict.explanation, source="sympy"),), detail=detail)
    return Claim.unverified(cand.text, cand.span, KIND, METHOD, verdict.explanation, **detail)


def decide_order(cand: Candidate, c: MathClaim, budget: Budget) -> Claim:
    """``A < B`` between real numbers, decided exactly (or at 50 digits when irrational)."""
    op = c.extra["op"]
    diff = budget.call(lambda: sympy.nsimplify(c.lhs - c.rhs) if (c.lhs - c.rhs).is_Float else c.lhs - c.rhs,
                       what="comparing")
    value = diff if diff.is_Rational else budget.call(lambda: sympy.N(diff, 50), what="numeric evaluation")
    detail = {"type": c.type, "decided_by": "exact" if diff.is_Rational else "numeric"}
    if not value.is_real or (not diff.is_Rational and abs(value) < sympy.Float(10) ** -40):
        return Claim.unverified(cand.text, cand.span, KIND, METHOD, "undecided: not two comparable real numbers", **detail)
    holds = {"<": value < 0, "<=": value <= 0, ">": value > 0, ">=": value >= 0}[op]
    evidence = (Evidence(f"{show(c.lhs)} − {show(c.rhs)} = {sympy.N(value, 12)}", source="sympy"),)
    if holds:
        return Claim(text=cand.text, span=cand.span, kind=KIND, status="verified", method=METHOD,
                     explanation=f"holds: {show(c.lhs)} {op} {show(c.rhs)}", evidence=evidence, detail=detail)
    return Claim(text=cand.text, span=cand.span, kind=KIND, status="refuted", method=METHOD,
                 explanation=f"does not hold: {show(c.lhs)} is {sympy.N(c.lhs, 10)}, {show(c.rhs)} is "
                             f"{sympy.N(c.rhs, 10)}", evidence=evidence, detail=detail)


def decide_approx(cand: Candidate, c: MathClaim, budget: Budget) -> Claim:
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
    evidence = Evidence(f"{show(c.lhs)} = {sympy.N(value, 12)}", source="sympy")
    if gap <= unit / 2 * (1 + sympy.Rational(1, 10**9)):
        return Claim(text=cand.text, span=cand.span, kind=KIND, status="verified", method=METHOD,
                     explanation=f"holds to the {places} decimal place(s) shown: {show(c.lhs)} ≈ {sympy.N(value, places + 3)}",
                     evidence=(evidence,), detail=detail)
    if gap > max(unit, abs(value) / 100):
        return Claim(text=cand.text, span=cand.span, kind=KIND, status="refuted", method=METHOD,
                     explanation=f"{show(c.lhs)} is about {sympy.N(value, max(places + 2, 4))}, not {c.extra['shown']}",
                     evidence=(evidence,), detail=detail)
    return Claim.unverified(cand.text, cand.span, KIND, METHOD,
                            f"a loose approximation: {show(c.lhs)} ≈ {sympy.N(value, places + 3)}", **detail)


def decide_undefined(cand: Candidate, c: MathClaim, budget: Budget) -> Claim:
    """A number given for a side that divides by zero: refuted outright (the finder saw the
    zero denominator, so there is nothing to compute)."""
    return Claim(text=cand.text, span=cand.span, kind=KIND, status="refuted", method=METHOD,
                 explanation=f"the left side divides by zero: it is undefined, not {show(c.rhs)}",
                 evidence=(Evidence("a denominator evaluates to 0", source="exact"),),
                 detail={"type": c.type, "decided_by": "exact"})


def decide_congruence(cand: Candidate, c: MathClaim, budget: Budget) -> Claim:
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
    evidence = Evidence(f"{show(c.lhs)} ≡ {lhs_r} and {show(c.rhs)} ≡ {rhs_r} (mod {m})", source="exact")
    if residue == 0:
        return Claim(text=cand.text, span=cand.span, kind=KIND, status="verified", method=METHOD,
                     explanation=f"holds: both sides are {lhs_r} modulo {m}", evidence=(evidence,), detail=detail)
    return Claim(text=cand.text, span=cand.span, kind=KIND, status="refuted", method=METHOD,
                 explanation=f"does not hold: {show(c.lhs)} is {lhs_r} modulo {m}, {show(c.rhs)} is {rhs_r}",
                 evidence=(evidence,), detail=detail)


def decide_number_fact(cand: Candidate, c: MathClaim, budget: Budget) -> Claim:
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


MAX_PRIME_DIGITS = 30
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
