"""Are two math answers the same? Exact first, then symbolic, then numeric probing.

The decision ladder for two expressions, each rung bounded in time:

1. **exact** — identical after parsing, or both rational numbers compared as fractions;
2. **symbolic** — the difference expands/cancels/simplifies to 0 (or, for algebraic
   numbers, its minimal polynomial is ``t``);
3. **numeric** — only to tell things apart, or to decide an identity in free variables.
   A difference is evaluated with SymPy's adaptive precision (``evalf(strict=True)``: the
   digits are correct whatever the magnitudes, so ``10^{20}+\\sqrt{2}`` is not ``10^{20}``
   and ``x(1+10^{-15})`` is not ``x``); a nonzero value refutes. Two **constants** are equal
   only when proved (exact rationals, or a simplification / minimal polynomial giving 0): a
   finite decimal never equals an irrational, and numeric agreement alone leaves constants
   undecided. Expressions in free variables may be judged equal numerically when they agree
   to every digit at several random positive points and nowhere differ at negative or
   mixed-sign points where both sides are defined; a point where one side is real and the
   other is not (``\\ln(x^2)`` vs ``2\\ln x`` at x < 0) leaves them undecided.

Structures are compared as what they are: equations by proportional sides (``y = 2x+1`` is
``2x - y + 1 = 0``, ``3x-y+13=0`` is not ``3x+4y+14=0``), lists of roots and sets without
order, tuples in order, intervals with their open/closed ends, matrices entry by entry.
"""
from __future__ import annotations

import logging
import random
import re
from dataclasses import dataclass
from typing import Any, Iterable

import mpmath
import sympy
from sympy.core.evalf import PrecisionExhausted
from sympy.core.function import AppliedUndef
from sympy.polys.polyerrors import BasePolynomialError

from verify.limits import Budget, TimeLimitExceeded
from .latex import MathParseError, parse_answer
from .values import (ExprValue, IntervalValue, MathValue, MatrixValue, RelationValue,
                                   SeqValue, TextValue, UnionValue, fmt)

log = logging.getLogger("verity.math")

DIGITS = 30
PROBES = 6
DEFAULT_TIMEOUT = 2.0

_WEAKNESS = {"exact": 0, "structural": 0, "text": 0, "symbolic": 1, "numeric": 2}


@dataclass(frozen=True)
class Equivalence:
    """The verdict on two answers: ``equal`` is True/False when decided, None when not;
    ``method`` says which rung decided (exact, symbolic, numeric, text, ...)."""

    equal: bool | None
    method: str
    explanation: str

    def to_dict(self) -> dict[str, Any]:
        return {"equal": self.equal, "method": self.method, "explanation": self.explanation}


def equivalent(a: str | MathValue, b: str | MathValue, *, timeout: float = DEFAULT_TIMEOUT,
               percent_points: bool = False) -> Equivalence:
    """Whether answer ``a`` equals answer ``b`` (LaTeX/plain text or parsed values).

    A percentage means its value: ``25\\%`` is 0.25, so it equals ``\\frac14`` and not ``25``.
    ``percent_points=True`` (for a question that asks for a percent, where graders' references
    drop the sign) also accepts ``25\\%`` against a bare ``25``."""
    try:
        va = _read(a)
    except MathParseError as exc:
        return Equivalence(None, "parse", f"cannot read {_short(a)!r}: {exc}")
    try:
        vb = _read(b)
    except MathParseError as exc:
        return Equivalence(None, "parse", f"cannot read {_short(b)!r}: {exc}")
    budget = Budget.start(timeout, "the comparison")
    try:
        return compare_values(va, vb, budget, percent_points)
    except TimeLimitExceeded as exc:
        return Equivalence(None, "timeout", f"undecided: {exc}")
    except (TypeError, ValueError, ArithmeticError, AttributeError, NotImplementedError,
            RecursionError, BasePolynomialError) as exc:
        log.debug("comparison failed", exc_info=True)
        return Equivalence(None, "error", f"undecided: SymPy could not compare them ({type(exc).__name__}: {exc})")


_WORD = re.compile(r"(?<![\\A-Za-z])[A-Za-z]{3,}")


def _read(x: str | MathValue) -> MathValue:
    """Parse an answer; prose that is no math at all ("cannot be determined") is read as a
    word answer, which no number equals."""
    if not isinstance(x, str):
        return x
    try:
        return parse_answer(x)
    except MathParseError:
        plain = re.sub(r"\\(?:text|textbf|mbox|mathrm)\s*\{([^{}]*)\}", r" \1 ", x)
        words = [w for w in _WORD.findall(plain) if w.lower() not in _MATH_NAMES]
        if len(words) >= 3:
            return TextValue(" ".join(plain.split()))
        raise


_MATH_NAMES = {"sqrt", "frac", "dfrac", "sin", "cos", "tan", "log", "text", "cdot", "times", "left",
               "right", "infty", "boxed", "begin", "end", "pmatrix", "cup"}


def _short(x: Any) -> str:
    s = x if isinstance(x, str) else x.to_text()
    return s if len(s) <= 80 else s[:77] + "..."


# ---- structure ------------------------------------------------------------------------
def _solved_value(v: MathValue, loose: bool = False) -> MathValue | None:
    """``x = 3`` → ``3``; ``v = (1, 2)`` → the tuple; ``x \\in [1, 2]`` → the interval.

    With ``loose`` (the other answer is not a relation), a chain ending in a constant gives
    that constant, as graders read ``x^3 = 12`` or ``\\frac{28}{4} = 7`` against ``12``/``7``.
    """
    if not isinstance(v, RelationValue) or any(op not in ("=", "in") for op in v.ops):
        return None
    lhs, rhs = v.sides[0], v.sides[-1]
    if not isinstance(rhs, sympy.Basic):
        return rhs if len(v.sides) == 2 and (_is_name(lhs) or _names_tuple(lhs, rhs)) else None
    if len(v.ops) == 1 and v.ops[0] == "=" and isinstance(lhs, sympy.Basic):
        if _is_name(lhs) and not rhs.has(lhs):
            return ExprValue(rhs)
        if _is_name(rhs) and not lhs.has(rhs) and lhs.is_number:
            return ExprValue(lhs)
    if loose and "in" not in v.ops and rhs.is_number:
        return ExprValue(rhs)
    return None


def _implicit_equation(v: MathValue, other: MathValue) -> bool:
    """``a + 3z = 0`` against ``0``: an equation in standard form (a sum of unknowns = 0)
    states a set, not a value, so its 0 agreeing with the value proves nothing
    (``x + y = 4027``, ``x^3 = 12`` or ``\\frac{28}{4} = 7`` do state a value)."""
    if not isinstance(v, RelationValue) or isinstance(other, RelationValue) or set(v.ops) != {"="} \
            or _solved_value(v) is not None or v.sides[-1] != 0:
        return False
    return any(isinstance(s, sympy.Add) and s.free_symbols for s in v.sides[:-1])


def _names_tuple(lhs: Any, rhs: Any) -> bool:
    """``(p, q) = (3, 2)``: a tuple of names given a tuple of values of the same length."""
    return isinstance(lhs, SeqValue) and isinstance(rhs, SeqValue) and len(lhs.items) == len(rhs.items) \
        and all(isinstance(i, ExprValue) and _is_name(i.expr) for i in lhs.items)


def _is_name(e: Any) -> bool:
    """A variable or a named value such as ``f(x)``, ``a_1``, ``AC``."""
    if isinstance(e, sympy.Symbol):
        return True
    if isinstance(e, MathValue.__args__):  # a structural left side is never a name
        return False
    if isinstance(e, AppliedUndef) or (isinstance(e, sympy.Function) and not isinstance(e, (sympy.Abs,))
                                       and type(e).__module__ == "sympy.core.function"):
        return True
    if isinstance(e, sympy.Mul) and all(isinstance(f, sympy.Symbol) for f in e.args) and len(e.args) <= 3 \
            and all(f.name.isupper() for f in e.args):
        return True  # a segment name such as AC
    return False


def _unwrap(v: MathValue, other: MathValue) -> MathValue:
    """Bring ``v`` into the form ``other`` is in, where the answer's wording allows it."""
    if isinstance(v, RelationValue) and not isinstance(other, RelationValue):
        solved = _solved_value(v, loose=True)
        if solved is not None:
            return solved
    if isinstance(v, SeqValue) and v.kind in ("list", "tuple") and v.items:
        # "x = 2, x = 3" / "x = 1, 2" → the values
        items = [(_solved_value(i) or i) if isinstance(i, RelationValue) else i for i in v.items]
        other_rel = isinstance(other, RelationValue) or (
            isinstance(other, SeqValue) and any(isinstance(i, RelationValue) for i in other.items))
        if not other_rel:
            v = SeqValue(v.kind, tuple(items))
    if isinstance(v, SeqValue) and len(v.items) == 1 and not (
            isinstance(other, SeqValue) and len(other.items) == 1 and other.kind == v.kind):
        return _unwrap(v.items[0], other)
    return v


def compare_values(a: MathValue, b: MathValue, budget: Budget, percent_points: bool = False) -> Equivalence:
    """Compare two parsed answers by their structure (see the module docstring)."""
    verdict = _compare_structures(a, b, budget, percent_points)
    if verdict.equal and (_implicit_equation(a, b) or _implicit_equation(b, a)):
        rel = a if isinstance(a, RelationValue) else b
        return Equivalence(None, "structural", f"undecided: the equation {_short(rel)!r} relates unknowns; "
                           "it states no value to compare")
    return verdict


def _compare_structures(a: MathValue, b: MathValue, budget: Budget, percent_points: bool) -> Equivalence:
    a, b = _unwrap(a, b), _unwrap(b, a)
    if isinstance(a, TextValue) or isinstance(b, TextValue):
        return _compare_text(a, b)
    if isinstance(a, ExprValue) and isinstance(b, ExprValue):
        return _compare_expr_values(a, b, budget, percent_points)
    if isinstance(a, RelationValue) and isinstance(b, RelationValue):
        return _compare_relations(a, b, budget, percent_points)
    seta, setb = _as_set(a), _as_set(b)
    if seta is not None and setb is not None and (
            not isinstance(a, SeqValue) or not isinstance(b, SeqValue)):
        return _compare_sets(seta, setb, budget, percent_points)
    if isinstance(a, SeqValue) and isinstance(b, SeqValue):
        return _compare_seqs(a, b, budget, percent_points)
    if isinstance(a, MatrixValue) or isinstance(b, MatrixValue):
        ma, mb = _as_matrix(a), _as_matrix(b)
        if ma is not None and mb is not None:
            return _compare_matrices(ma, mb, budget)
    return Equivalence(False, "structural",
                       f"{_describe(a)} {_short(a)!r} cannot equal {_describe(b)} {_short(b)!r}")


def _describe(v: MathValue) -> str:
    if isinstance(v, SeqValue):
        return {"list": "a list", "tuple": "a tuple", "set": "a set"}[v.kind]
    return {"expr": "the expression", "relation": "the relation", "interval": "the interval",
            "union": "the union", "matrix": "the matrix", "text": "the word"}.get(v.kind, "the value")


def _text_key(v: MathValue) -> str | None:
    if isinstance(v, TextValue):
        s = v.text
    elif isinstance(v, ExprValue) and isinstance(v.expr, sympy.Symbol):
        s = v.expr.name
    else:
        return None
    return "".join(ch for ch in s.lower() if ch.isalnum() or ch == ",").replace(",", " ").strip()


def _compare_text(a: MathValue, b: MathValue) -> Equivalence:
    ka, kb = _text_key(a), _text_key(b)
    if ka is None or kb is None:
        return Equivalence(False, "text", f"the word {_short(a)!r} is not the value {_short(b)!r}")
    if ka == kb:
        return Equivalence(True, "text", f"the same word answer: {_short(a)!r}")
    return Equivalence(False, "text", f"different word answers: {_short(a)!r} vs {_short(b)!r}")


# ---- expressions ----------------------------------------------------------------------
def _compare_expr_values(a: ExprValue, b: ExprValue, budget: Budget, percent_points: bool) -> Equivalence:
    if a.percent != b.percent and not percent_points:  # 20% is 0.2, not 20
        x, y = (a.expr / 100, b.expr) if a.percent else (a.expr, b.expr / 100)
        verdict = compare_exprs(x, y, budget)
        return Equivalence(verdict.equal, verdict.method, f"{verdict.explanation} (a percentage is its value / 100)")
    first = compare_exprs(a.expr, b.expr, budget)
    if first.equal is not False:
        return first
    # with percent_points, 20% vs 0.2 as well as vs 20; 40° vs 2π/9: the converted reading
    for x, y, note in (
            (a.expr / 100, b.expr, "as a percentage") if a.percent and not b.percent else (None, None, ""),
            (a.expr, b.expr / 100, "as a percentage") if b.percent and not a.percent else (None, None, ""),
            (a.expr * sympy.pi / 180, b.expr, "in radians") if a.degrees and not b.degrees else (None, None, ""),
            (a.expr, b.expr * sympy.pi / 180, "in radians") if b.degrees and not a.degrees else (None, None, "")):
        if x is None:
            continue
        other = compare_exprs(x, y, budget)
        if other.equal:
            return Equivalence(True, other.method, f"{other.explanation} ({note})")
    return first


def _has_unevaluated(e: sympy.Basic) -> bool:
    return e.has(sympy.Integral, sympy.Limit, sympy.Derivative, sympy.Sum, sympy.Product, sympy.Subs)


def compare_exprs(x: sympy.Expr, y: sympy.Expr, budget: Budget) -> Equivalence:
    """The ladder exact → symbolic → numeric for two expressions."""
    if _has_unevaluated(x):
        x = budget.call(lambda: x.doit(), what="evaluating the expression")
    if _has_unevaluated(y):
        y = budget.call(lambda: y.doit(), what="evaluating the expression")
    sx, sy = fmt(x), fmt(y)
    if x == y:
        return Equivalence(True, "exact", f"{_clip(sx)} and {_clip(sy)} are identical")
    if isinstance(x, sympy.Rational) and isinstance(y, sympy.Rational):
        return Equivalence(False, "exact", f"{_clip(sx)} ≠ {_clip(sy)} (exact rational comparison)")
    if x.has(sympy.oo, -sympy.oo, sympy.zoo) or y.has(sympy.oo, -sympy.oo, sympy.zoo):
        return Equivalence(False, "exact", f"{_clip(sx)} ≠ {_clip(sy)}")
    diff = budget.call(lambda: sympy.Add(x, -y), what="subtracting")
    if diff == 0:
        return Equivalence(True, "symbolic", f"{_clip(sx)} − ({_clip(sy)}) = 0")
    if isinstance(diff, sympy.Rational):
        return Equivalence(False, "exact", f"{_clip(sx)} − ({_clip(sy)}) = {_clip(fmt(diff))}, not 0")
    if not diff.free_symbols:
        return _compare_constants(x, y, diff, budget)
    symbols = sorted(x.free_symbols | y.free_symbols, key=lambda s: s.name)
    return _compare_functions(x, y, diff, symbols, budget)


def _clip(s: str, n: int = 60) -> str:
    return s if len(s) <= n else s[:n - 3] + "..."


def _to_mp(v: Any) -> mpmath.mpc | None:
    """A SymPy number (evaluated) as an mpmath complex, None when not finite."""
    if v.has(sympy.nan, sympy.zoo, sympy.oo, -sympy.oo):
        return None
    re, im = v.as_real_imag()
    out = []
    for part in (re, im):
        if isinstance(part, sympy.Float):
            out.append(mpmath.mpf(part._mpf_))
        elif isinstance(part, sympy.Rational):
            out.append(mpmath.mpf(int(part.p)) / int(part.q))
        else:
            return None
    return mpmath.mpc(*out)


def _evaluate(e: sympy.Expr, budget: Budget, digits: int = DIGITS, subs: dict | None = None) -> mpmath.mpc | None:
    """The value of ``e`` (at the point ``subs``), None where it is undefined or SymPy's
    evaluation fails there."""
    e = e.subs(subs) if subs else e  # exact substitution: the point is a rational
    with mpmath.workdps(digits + 10):
        try:
            v = budget.call(lambda: sympy.N(e, digits), what="numeric evaluation")
        except (ZeroDivisionError, ValueError, TypeError):
            return None
        return _to_mp(v)


def _show(v: mpmath.mpc, digits: int = 12) -> str:
    if v.imag == 0:
        return mpmath.nstr(v.real, digits)
    return mpmath.nstr(v, digits)


def _nonzero(d: sympy.Expr, budget: Budget, subs: dict | None = None) -> mpmath.mpc | None:
    """The value of ``d`` when it is provably not 0 (evaluated to ``DIGITS`` correct digits
    with SymPy's adaptive precision, so a difference of 1e-30 next to 1e20 still shows);
    None when the evaluation cannot tell it from 0 (a true 0, or one too small to see)."""
    e = d.subs(subs) if subs else d  # exact substitution: the point is a rational
    try:
        v = budget.call(lambda: e.evalf(DIGITS, strict=True), what="numeric evaluation")
    except PrecisionExhausted:
        return None
    except (ZeroDivisionError, ValueError, TypeError) as exc:
        raise Unevaluable(f"cannot evaluate {_clip(fmt(e))}: {type(exc).__name__}") from exc
    value = _to_mp(v)
    return value if value is not None and value != 0 else None


class Unevaluable(ArithmeticError):
    """SymPy's evaluation failed at a point (not the same as a value of 0)."""


def _compare_constants(x: sympy.Expr, y: sympy.Expr, diff: sympy.Expr, budget: Budget) -> Equivalence:
    """Two constants are equal only when proved: their difference simplifies to 0. A
    difference that evaluates to a nonzero number refutes them, however small it is (a
    finite decimal never equals an irrational); one that is 0 to every digit SymPy can
    reach but resists proof leaves them undecided. Numeric agreement never equates them."""
    if x.has(sympy.nan, sympy.zoo) or y.has(sympy.nan, sympy.zoo):
        return Equivalence(None, "numeric", "undecided: a value is not a finite number")
    gap = _nonzero(diff, budget)
    if gap is not None:
        vx, vy = _evaluate(x, budget), _evaluate(y, budget)
        shown = f"{_clip(fmt(x))} ≈ {_show(vx)}, {_clip(fmt(y))} ≈ {_show(vy)}" if vx is not None and vy is not None \
            else f"{_clip(fmt(x))} vs {_clip(fmt(y))}"
        return Equivalence(False, "numeric", f"they differ by ≈ {_show(gap, 6)}: {shown}")
    proof = _prove_zero(diff, budget, algebraic=True)
    if proof:
        return Equivalence(True, "symbolic", f"{_clip(fmt(x))} − ({_clip(fmt(y))}) simplifies to 0 ({proof})")
    return Equivalence(None, "numeric", f"undecided: {_clip(fmt(x))} and {_clip(fmt(y))} agree to every digit "
                       "evaluated, but no simplification proves them equal")


def _prove_zero(diff: sympy.Expr, budget: Budget, algebraic: bool = False) -> str | None:
    """A short name of the SymPy step that turns ``diff`` into 0, or None."""
    steps: list[tuple[str, Any]] = [("expand", sympy.expand), ("cancel", sympy.cancel),
                                    ("radsimp", sympy.radsimp), ("trigsimp", sympy.trigsimp),
                                    ("simplify", sympy.simplify)]
    for name, fn in steps:
        try:
            if budget.call(fn, diff, what=f"sympy.{name}", share=0.4) == 0:
                return name
        except TimeLimitExceeded:
            continue
        except (TypeError, ValueError, NotImplementedError, BasePolynomialError, AttributeError):
            continue
    if algebraic:
        try:
            t = sympy.Dummy("t")
            if budget.call(sympy.minimal_polynomial, diff, t, what="minimal polynomial", share=0.5) == t:
                return "minimal polynomial"
        except (TimeLimitExceeded, NotImplementedError, ValueError, BasePolynomialError):
            return None
    return None


def _probe_points(symbols: list[sympy.Symbol], seed: str, signs: str = "+") -> Iterable[dict]:
    """Seeded random rational points: all coordinates positive (``+``), all negative
    (``-``), or of random signs (``±``)."""
    rng = random.Random(seed + signs)
    for _ in range(PROBES):
        point = {}
        for s in symbols:
            v = sympy.Rational(rng.randint(101, 999), rng.randint(101, 499))
            neg = signs == "-" or (signs == "±" and rng.random() < 0.5)
            point[s] = -v if neg else v
        yield point


def _is_real(v: mpmath.mpc | None) -> bool:
    return v is not None and abs(v.imag) <= mpmath.mpf(10) ** -(DIGITS - 5) * max(1, abs(v.real))


def _compare_functions(x: sympy.Expr, y: sympy.Expr, diff: sympy.Expr, symbols: list[sympy.Symbol],
                       budget: Budget) -> Equivalence:
    """Expressions in free variables: a proof (expand/cancel/simplify) makes them equal; a
    point where both sides are real and differ refutes them (at positive points) or shows
    they agree only on a restricted domain (elsewhere: undecided). Without a proof, equal
    needs agreement to every digit SymPy can reach at several positive points and no point
    of other signs where they differ or where one side is real and the other is not
    (``\\ln(x^2)`` vs ``2\\ln x``: a branch cut)."""
    try:  # cheap and decisive for polynomials either way
        expanded = budget.call(sympy.expand, diff, what="sympy.expand", share=0.3)
    except TimeLimitExceeded:
        expanded = None
    if expanded == 0:
        return Equivalence(True, "symbolic", f"{_clip(fmt(x))} − ({_clip(fmt(y))}) = 0 after expand")
    if expanded is not None and expanded.is_number:
        return _constant_difference(x, y, expanded, budget)
    seed = fmt(x) + "|" + fmt(y)
    agree = 0
    for point in _probe_points(symbols, seed, "+"):
        vx, vy = _evaluate(x, budget, 15, subs=point), _evaluate(y, budget, 15, subs=point)
        if vx is None or vy is None:
            continue  # outside a domain: try another point
        try:
            gap = _nonzero(diff, budget, subs=point)
        except Unevaluable:
            continue  # not a point where the difference can be evaluated: try another
        if gap is None:
            agree += 1
            continue
        if _is_real(vx) and _is_real(vy):
            where = ", ".join(f"{s} = {v}" for s, v in point.items())
            return Equivalence(False, "numeric", f"they differ at {where}: {_show(vx)} vs {_show(vy)} "
                               f"(difference ≈ {_show(gap, 6)})")
        return Equivalence(None, "numeric", "undecided: they differ at a point where a side is not real "
                           "(a branch of a root or logarithm)")
    proof = _prove_zero(diff, budget)
    if proof:
        return Equivalence(True, "symbolic", f"{_clip(fmt(x))} − ({_clip(fmt(y))}) = 0 after {proof}")
    if agree < 3:
        return Equivalence(None, "numeric", "undecided: too few points where both sides are defined")
    for signs in ("-", "±"):
        for point in _probe_points(symbols, seed, signs):
            vx, vy = _evaluate(x, budget, 15, subs=point), _evaluate(y, budget, 15, subs=point)
            if vx is None and vy is None:
                continue
            where = ", ".join(f"{s} = {v}" for s, v in point.items())
            if vx is None or vy is None or _is_real(vx) != _is_real(vy):
                return Equivalence(None, "numeric", f"undecided: equal at {agree} positive points, but at {where} "
                                   "one side is real and the other is not: they are defined on different domains")
            try:
                differs = _nonzero(diff, budget, subs=point) is not None
            except Unevaluable:
                continue
            if differs:
                return Equivalence(None, "numeric", f"undecided: equal at {agree} positive points but they differ "
                                   f"at {where} ({_show(vx)} vs {_show(vy)}): it holds only on a restricted domain")
    return Equivalence(True, "numeric", f"equal to every digit evaluated at {agree} random points of "
                       f"{', '.join(map(str, symbols))}, and nowhere different where both sides are defined")


def _constant_difference(x: sympy.Expr, y: sympy.Expr, diff: sympy.Expr, budget: Budget) -> Equivalence:
    """The difference of two expressions expanded to a constant: 0 only when proved."""
    gap = _nonzero(diff, budget)
    if gap is not None:
        return Equivalence(False, "symbolic", f"{_clip(fmt(x))} − ({_clip(fmt(y))}) = {_clip(fmt(diff))} "
                           f"≈ {_show(gap, 6)}, not 0")
    if _prove_zero(diff, budget, algebraic=True):
        return Equivalence(True, "symbolic", f"{_clip(fmt(x))} − ({_clip(fmt(y))}) simplifies to 0")
    return Equivalence(None, "numeric", f"undecided: {_clip(fmt(x))} − ({_clip(fmt(y))}) is a constant "
                       "that no simplification proves to be 0")


# ---- relations ------------------------------------------------------------------------
_FLIP = {"<": ">", ">": "<", "<=": ">=", ">=": "<=", "=": "=", "!=": "!="}


def _compare_relations(a: RelationValue, b: RelationValue, budget: Budget, percent_points: bool) -> Equivalence:
    sa, sb = _as_set(a), _as_set(b)
    if sa is not None and sb is not None:
        return _compare_sets(sa, sb, budget, percent_points)
    if len(a.ops) != 1 or len(b.ops) != 1 or "in" in a.ops + b.ops:
        if a.ops == b.ops and len(a.sides) == len(b.sides):
            results = [compare_exprs(x, y, budget) for x, y in zip(a.sides, b.sides)]
            return _combine(results, "the chains")
        return Equivalence(None, "structural", "undecided: relations of different shapes")
    if not all(isinstance(x, sympy.Expr) for x in a.sides + b.sides):
        va, vb = _solved_value(a), _solved_value(b)
        if va is not None and vb is not None:
            return compare_values(va, vb, budget, percent_points)
        return Equivalence(None, "structural", "undecided: relations between structures")
    opa, opb = a.ops[0], b.ops[0]
    da = sympy.Add(a.sides[0], -a.sides[1])
    db = sympy.Add(b.sides[0], -b.sides[1])
    if opa == "=" and opb == "=":
        va, vb = _solved_value(a), _solved_value(b)
        if va is not None and vb is not None and a.sides[0] == b.sides[0]:
            return compare_values(va, vb, budget, percent_points)
        return _proportional(da, db, budget, "equations", positive=False)
    if {opa, opb} <= {"<", "<=", ">", ">="}:
        if opa in (">", ">="):
            da, opa = -da, _FLIP[opa]
        if opb in (">", ">="):
            db, opb = -db, _FLIP[opb]
        if opa != opb:
            return Equivalence(False, "structural", "one inequality is strict, the other is not")
        return _proportional(da, db, budget, "inequalities", positive=True)
    if opa != opb:
        return Equivalence(False, "structural", f"different relations: {opa} vs {opb}")
    return _proportional(da, db, budget, "relations", positive=False)


def _proportional(da: sympy.Expr, db: sympy.Expr, budget: Budget, what: str, positive: bool) -> Equivalence:
    """Two relations ``da op 0`` and ``db op 0`` are the same when da = k·db for a constant
    k ≠ 0 (k > 0 for inequalities). Never compares da and db to 0 on their own: that is
    how ``3x-y+13=0`` and ``3x+4y+14=0`` both collapse to 0 in other graders."""
    if da == 0 or db == 0:
        same = da == db
        return Equivalence(same, "exact", f"the {what} are {'both' if same else 'not both'} trivial")
    ratio = budget.call(lambda: sympy.cancel(da / db), what="sympy.cancel")
    if ratio.is_number:
        value = _evaluate(ratio, budget)
        ok = value is not None and value != 0 and (not positive or (value.imag == 0 and value.real > 0))
        if ok:
            return Equivalence(True, "symbolic",
                               f"the {what} are multiples of each other (factor {_clip(fmt(ratio))})")
        return Equivalence(False, "symbolic", f"the {what} differ (factor {_clip(fmt(ratio))} is not allowed)")
    symbols = sorted(ratio.free_symbols, key=lambda s: s.name)
    if da.is_rational_function(*symbols) and db.is_rational_function(*symbols):
        # cancel() is canonical for rational functions: a ratio left with variables is no constant
        return Equivalence(False, "symbolic", f"the {what} are not multiples of each other "
                           f"(their ratio {_clip(fmt(ratio))} is not constant): different solution sets")
    values = []
    for point in _probe_points(symbols, fmt(da) + "|" + fmt(db)):
        if _evaluate(ratio, budget, 15, subs=point) is not None:
            values.append(ratio.subs(point))
    if len(values) >= 2 and any(_nonzero(sympy.Add(v, -values[0]), budget) is not None for v in values[1:]):
        return Equivalence(False, "numeric",
                           f"the {what} are not multiples of each other: they have different solution sets")
    if len(values) >= 3:
        return Equivalence(True, "numeric", f"the {what} are multiples of each other at {len(values)} random points")
    return Equivalence(None, "numeric", f"undecided: could not compare the {what}")


def _relation_set(r: RelationValue) -> IntervalValue | None:
    """A one-variable inequality (or chain) with constant bounds as an interval."""
    if "=" in r.ops or "!=" in r.ops or "in" in r.ops or "approx" in r.ops:
        return None
    syms = set().union(*(s.free_symbols for s in r.sides if isinstance(s, sympy.Basic)))
    middle = r.sides[1] if len(r.sides) == 3 else None
    if isinstance(middle, sympy.Symbol) and all(
            isinstance(s, sympy.Basic) and not s.has(middle) for s in (r.sides[0], r.sides[2])):
        x = middle  # a + b ≤ x ≤ b: the variable is the middle of the chain
    elif len(syms) == 1:
        (x,) = syms
    else:
        return None
    lo, hi, lo_open, hi_open = -sympy.oo, sympy.oo, True, True
    for op, left, right in zip(r.ops, r.sides, r.sides[1:]):
        if left == x and not right.has(x):
            bound, var_on_left = right, True
        elif right == x and not left.has(x):
            bound, var_on_left = left, False
        else:
            return None
        op = op if var_on_left else _FLIP[op]
        if op in ("<", "<="):
            hi, hi_open = bound, op == "<"
        else:
            lo, lo_open = bound, op == ">"
    return IntervalValue(lo, hi, lo_open, hi_open)


# ---- sets, sequences, matrices ---------------------------------------------------------
def _as_set(v: MathValue) -> list[MathValue] | None:
    """Interval-like values as a list of parts (a union's parts)."""
    if isinstance(v, IntervalValue):
        return [v]
    if isinstance(v, UnionValue):
        return list(v.parts)
    if isinstance(v, RelationValue):
        if v.ops == ("in",) and isinstance(v.sides[0], sympy.Symbol):
            return _as_set(v.sides[1])  # x \\in [a, b] is the set a ≤ x ≤ b describes
        s = _relation_set(v)
        return [s] if s is not None else None
    if isinstance(v, SeqValue) and v.kind == "tuple" and len(v.items) == 2 and all(
            isinstance(i, ExprValue) for i in v.items):
        return [IntervalValue(v.items[0].expr, v.items[1].expr, True, True)]
    if isinstance(v, SeqValue) and v.kind == "set":
        return [v]
    return None


def _compare_intervals(a: IntervalValue, b: IntervalValue, budget: Budget) -> Equivalence:
    ends = [compare_exprs(a.start, b.start, budget), compare_exprs(a.end, b.end, budget)]
    if any(e.equal is False for e in ends):
        return Equivalence(False, "exact", f"the intervals {a.to_text()} and {b.to_text()} have different ends")
    opens_a = (a.left_open or a.start.has(sympy.oo, -sympy.oo), a.right_open or a.end.has(sympy.oo, -sympy.oo))
    opens_b = (b.left_open or b.start.has(sympy.oo, -sympy.oo), b.right_open or b.end.has(sympy.oo, -sympy.oo))
    if opens_a != opens_b:
        return Equivalence(False, "exact",
                           f"{a.to_text()} and {b.to_text()} differ in which ends are included")
    return _combine(ends, "the intervals")


def _compare_sets(pa: list[MathValue], pb: list[MathValue], budget: Budget, percent_points: bool) -> Equivalence:
    def one(x: MathValue, y: MathValue) -> Equivalence:
        if isinstance(x, IntervalValue) and isinstance(y, IntervalValue):
            return _compare_intervals(x, y, budget)
        if isinstance(x, SeqValue) and isinstance(y, SeqValue):
            return _compare_seqs(x, y, budget, percent_points)
        return Equivalence(False, "structural", "an interval is not a finite set")
    return _match_unordered(pa, pb, one, "the unions")


def _compare_seqs(a: SeqValue, b: SeqValue, budget: Budget, percent_points: bool) -> Equivalence:
    ordered = a.kind == "tuple" or b.kind == "tuple"
    ia, ib = list(a.items), list(b.items)
    if a.kind == "set":
        ia = _dedupe(ia, budget, percent_points)
    if b.kind == "set":
        ib = _dedupe(ib, budget, percent_points)
    if ordered:
        if len(ia) != len(ib):
            return Equivalence(False, "structural", f"{len(ia)} entries vs {len(ib)} entries")
        results = [compare_values(x, y, budget, percent_points) for x, y in zip(ia, ib)]
        return _combine(results, "the tuples (in order)")
    return _match_unordered(ia, ib, lambda x, y: compare_values(x, y, budget, percent_points),
                            "the lists (order does not matter)")


def _dedupe(items: list[MathValue], budget: Budget, percent_points: bool) -> list[MathValue]:
    out: list[MathValue] = []
    for it in items:
        if not any(compare_values(it, o, budget, percent_points).equal for o in out):
            out.append(it)
    return out


def _match_unordered(ia: list[MathValue], ib: list[MathValue], cmp: Any, what: str) -> Equivalence:
    if len(ia) != len(ib):
        return Equivalence(False, "structural", f"{what}: {len(ia)} entries vs {len(ib)} entries")
    grid = [[cmp(x, y) for y in ib] for x in ia]
    if _perfect_matching(grid, lambda e: e.equal is True):
        used = [e for row in grid for e in row if e.equal]
        method = max((e.method for e in used), key=lambda m: _WEAKNESS.get(m, 3), default="exact")
        return Equivalence(True, method, f"{what} hold the same {len(ia)} entr{'y' if len(ia) == 1 else 'ies'}")
    if _perfect_matching(grid, lambda e: e.equal is not False):
        return Equivalence(None, "numeric", f"undecided: some entries of {what} could not be compared")
    missing = next((x for x, row in zip(ia, grid) if not any(e.equal for e in row)), None)
    detail = f": {_short(missing)!r} has no match" if missing is not None else ""
    return Equivalence(False, "structural", f"{what} differ{detail}")


def _perfect_matching(grid: list[list[Equivalence]], ok: Any) -> bool:
    n = len(grid)
    match: dict[int, int] = {}

    def augment(i: int, seen: set[int]) -> bool:
        for j in range(n):
            if ok(grid[i][j]) and j not in seen:
                seen.add(j)
                if j not in match or augment(match[j], seen):
                    match[j] = i
                    return True
        return False

    return all(augment(i, set()) for i in range(n))


def _as_matrix(v: MathValue) -> list[list[sympy.Expr]] | None:
    if isinstance(v, MatrixValue):
        return [list(r) for r in v.rows]
    if isinstance(v, SeqValue) and v.kind == "tuple" and all(isinstance(i, ExprValue) for i in v.items):
        return [[i.expr] for i in v.items]  # a point written as a tuple = a column vector
    return None


def _compare_matrices(ma: list[list[sympy.Expr]], mb: list[list[sympy.Expr]], budget: Budget) -> Equivalence:
    if len(ma) == 1 and len(mb) > 1:
        ma = [[x] for x in ma[0]]
    if len(mb) == 1 and len(ma) > 1:
        mb = [[x] for x in mb[0]]
    if len(ma) != len(mb) or any(len(r) != len(s) for r, s in zip(ma, mb)):
        return Equivalence(False, "structural", "matrices of different shapes")
    results = [compare_exprs(x, y, budget) for r, s in zip(ma, mb) for x, y in zip(r, s)]
    return _combine(results, "the matrices (entry by entry)")


def _combine(results: list[Equivalence], what: str) -> Equivalence:
    bad = next((r for r in results if r.equal is False), None)
    if bad is not None:
        return Equivalence(False, bad.method, f"{what} differ: {bad.explanation}")
    if any(r.equal is None for r in results):
        return Equivalence(None, "numeric", f"undecided: part of {what} could not be compared")
    method = max((r.method for r in results), key=lambda m: _WEAKNESS.get(m, 3), default="exact")
    return Equivalence(True, method, f"{what} agree entry by entry")
