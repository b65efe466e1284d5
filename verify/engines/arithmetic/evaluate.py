"""Exact evaluation of an arithmetic tree from :mod:`.expr` over :class:`fractions.Fraction`.

Separate from the grammar: parsing only builds a tree, and every value, with the hard size
limits that keep absurd input (``10^10^10``, a power with a huge exponent) from running
away, is computed here. π and non-square roots are 50-digit rational approximations
flagged inexact.
"""
from __future__ import annotations

from fractions import Fraction
from math import isqrt

from .expr import Bin, Const, ExpressionError, Node, Num, Unary, parse_expression

# ---------------------------------------------------------------------------- limits
MAX_EXPONENT = 10_000
MAX_BITS = 6_600          # ~2,000 decimal digits for any intermediate numerator/denominator
MAX_ROOT_DEGREE = 64
_APPROX_DIGITS = 50       # precision of π and irrational roots


_PI = Fraction("3.14159265358979323846264338327950288419716939937510582097494459")


def _size_ok(value: Fraction) -> Fraction:
    if value.numerator.bit_length() > MAX_BITS or value.denominator.bit_length() > MAX_BITS:
        raise ExpressionError("a value in this expression is too large to compute "
                              f"(over {MAX_BITS * 3 // 10:,} digits)")
    return value


def _root(value: Fraction, degree: int) -> tuple[Fraction, bool]:
    """The ``degree``-th root: exact when it is rational, else a 50-digit approximation."""
    if value < 0:
        if degree % 2 == 0:
            raise ExpressionError("even root of a negative number")
        r, exact = _root(-value, degree)
        return -r, exact
    num, den = value.numerator, value.denominator
    rn, rd = _iroot(num, degree), _iroot(den, degree)
    if rn ** degree == num and rd ** degree == den:
        return Fraction(rn, rd), True
    scale = 10 ** _APPROX_DIGITS
    return Fraction(_iroot(num * scale ** degree // den, degree), scale), False


def _iroot(n: int, k: int) -> int:
    if k == 2:
        return isqrt(n)
    lo, hi = 0, 1 << (n.bit_length() // k + 1)
    while lo < hi:  # largest r with r**k <= n
        mid = (lo + hi + 1) // 2
        if mid ** k <= n:
            lo = mid
        else:
            hi = mid - 1
    return lo


def _power(base: Fraction, exp: Fraction) -> tuple[Fraction, bool]:
    if exp.denominator != 1:
        if exp.denominator > MAX_ROOT_DEGREE:
            raise ExpressionError(f"fractional exponent {exp} is not supported")
        root, exact = _root(base, exp.denominator)
        if not exact:
            raise ExpressionError(f"{base}^({exp}) is irrational; only exact roots are supported")
        base, exp = root, Fraction(exp.numerator)
    e = exp.numerator
    if abs(e) > MAX_EXPONENT:
        raise ExpressionError(f"exponent {e} is too large (limit {MAX_EXPONENT:,})")
    if base == 0 and e < 0:
        raise ExpressionError("division by zero (0 to a negative power)")
    bits = max(base.numerator.bit_length(), base.denominator.bit_length())
    if (bits - 1) * abs(e) > MAX_BITS:
        raise ExpressionError(f"the power with exponent {e} is too large to compute")
    return _size_ok(base ** e), True


def evaluate(node: Node, subst: dict[int, Fraction] | None = None) -> tuple[Fraction, bool]:
    """Exact value of ``node`` and whether it is exact (False only for π and irrational
    roots). ``subst`` replaces leaves by index with other values (for propagation)."""
    if isinstance(node, Num):
        if subst is not None and node.index in subst:
            return subst[node.index], True
        return node.value, True
    if isinstance(node, Bin):
        a, ea = evaluate(node.left, subst)
        b, eb = evaluate(node.right, subst)
        op = node.op
        if op == "+":
            return _size_ok(a + b), ea and eb
        if op == "-":
            return _size_ok(a - b), ea and eb
        if op == "*":
            return _size_ok(a * b), ea and eb
        if op == "/":
            if b == 0:
                raise ExpressionError("division by zero")
            return _size_ok(a / b), ea and eb
        if not eb:
            raise ExpressionError("an irrational exponent is not supported")
        value, exact = _power(a, b)
        return value, exact and ea
    if isinstance(node, Unary):
        a, ea = evaluate(node.arg, subst)
        if node.op == "-":
            return -a, ea
        r, exact = _root(a, 2)
        return r, exact and ea
    if isinstance(node, Const):
        return _PI, False
    raise ExpressionError(f"unknown node {type(node).__name__}")


def evaluate_text(text: str) -> Fraction:
    """The exact value of an arithmetic expression given as text (raises when irrational)."""
    value, exact = evaluate(parse_expression(text))
    if not exact:
        raise ExpressionError(f"{text!r} is irrational")
    return value


def leaf_path_solve(node: Node, index: int, target: Fraction) -> Fraction | None:
    """The value leaf ``index`` must take so that ``node`` equals ``target`` (None when
    the leaf is not there, appears twice, or sits under a power or root)."""
    if isinstance(node, Num):
        return target if node.index == index else None
    if isinstance(node, Unary):
        return leaf_path_solve(node.arg, index, -target) if node.op == "-" else None
    if not isinstance(node, Bin) or node.op == "^" or node.form:
        return None
    in_left = any(n.index == index for n in node.left.leaves())
    in_right = any(n.index == index for n in node.right.leaves())
    if in_left == in_right:
        return None
    try:
        if in_left:
            other, exact = evaluate(node.right)
            if not exact:
                return None
            if node.op == "+":
                return leaf_path_solve(node.left, index, target - other)
            if node.op == "-":
                return leaf_path_solve(node.left, index, target + other)
            if node.op == "*":
                return None if other == 0 else leaf_path_solve(node.left, index, target / other)
            return leaf_path_solve(node.left, index, target * other)
        other, exact = evaluate(node.left)
        if not exact:
            return None
        if node.op == "+":
            return leaf_path_solve(node.right, index, target - other)
        if node.op == "-":
            return leaf_path_solve(node.right, index, other - target)
        if node.op == "*":
            return None if other == 0 else leaf_path_solve(node.right, index, target / other)
        return None if target == 0 else leaf_path_solve(node.right, index, other / target)
    except ExpressionError:
        return None
