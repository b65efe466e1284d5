"""Equations a worked solution may lean on, read from the question (deterministic, no model).

- the question's own equations (``x + y = 10``, ``(a+1)(b+1)(c+1) = 1``);
- an equation the question says holds for every ``x`` ("for all x besides 3 and 5",
  "by partial fractions"), read coefficient by coefficient: ``4x = A(x-5) + B(x-3)`` for all
  ``x`` gives ``A + B = 4`` and ``5A + 3B = 0``;
- the roots the question names ("let a, b, c be the roots of x^3 + 7x^2 - 11x - 2 = 0"):
  Vieta's relations ``a + b + c = -7``, ``ab + bc + ca = -11``, ``abc = 2``.

The engine decides a step's equation against them (it follows from them, or it has no
solution together with them); this module only reads them. Each relation is ``expr = 0``.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from itertools import combinations
from typing import Any, Callable

import sympy

#: "for all x", "for every real number x", "for all real x": the equation is an identity in x
_FOR_ALL = re.compile(r"\bfor\s+(?:all|every|each|any)\s+(?:real\s+|complex\s+|positive\s+)?"
                      r"(?:numbers?\s+|values?\s+(?:of\s+)?)?\$?\\?\(?\s*([a-z])\b", re.I)
_PARTIAL = re.compile(r"\bpartial\s+fractions?\b", re.I)
_GREEK = r"\\(?:alpha|beta|gamma|delta|epsilon|zeta|eta|theta|lambda|mu|nu|xi|rho|sigma|tau|phi|chi|psi|omega)"
_NAME = r"-?\s*(?:[a-z]|" + _GREEK + r")(?:_\{?\d{1,2}\}?)?"
#: "let r, s, and t be the roots of", "z_1, z_2, z_3, and z_4 are the roots of"
_ROOTS_OF = re.compile(
    r"(?P<names>(?:[$\\(\s]*" + _NAME + r"[$\\)\s]*,?\s*(?:and\s+)?){2,8}?)\s*(?:be|are)\s+(?:the\s+)?"
    r"(?:(?:\w+|\$\d\$)\s+){0,3}?(?:roots|solutions|zeros|zeroes)\s+(?:of|to)\s+(?:the\s+)?"
    r"(?:equation|polynomial|cubic|quadratic|quartic)?\s*(?P<poly>\$\$.+?\$\$|\$[^$]+\$|\\\[.+?\\\]|\\\(.+?\\\))",
    re.S | re.I)
#: "f(x) = 0 has roots r and s"
_HAS_ROOTS = re.compile(
    r"(?P<poly>\$[^$]+\$|\\\(.+?\\\))\s+has\s+(?:the\s+)?(?:roots|solutions|zeros)\s+"
    r"(?P<names>(?:[$\\(\s]*" + _NAME + r"[$\\)\s]*,?\s*(?:and\s+)?){2,8})", re.S | re.I)
_NAME_RE = re.compile(r"-?\s*(?:(?<![A-Za-z\\])[a-z]|" + _GREEK + r")(?:_\{?\d{1,2}\}?)?(?![A-Za-z])")
MAX_DEGREE = 6
#: questions about figures: their equations describe lines and curves, not values
_FIGURES = re.compile(r"\b(?:graphs?|lines?|curves?|parabola|circles?|ellipse|hyperbola|asymptotes?|planes?|"
                      r"points?|tangent|region|axis|axes|coordinates?|intersect\w*|polygon|vertex|vertices|"
                      r"triangle|square|rectangle|diagram|reflect\w*|rotat\w*)\b", re.I)
#: "the probability that A + B = C": the equation is an event, not a given
_EVENT = re.compile(r"\bprobability\b", re.I)
_SEGMENT = re.compile(r"(?<![\\A-Za-z])[A-Z]{2,}(?![A-Za-z])")  # AB = 6: a length, not A times B


@dataclass(frozen=True)
class Given:
    """What the question states, as relations ``expr = 0``. ``trusted`` (Vieta, identities
    read coefficient by coefficient) always applies; ``stated`` (the question's plain
    equations) only when they pin their unknowns down (the engine checks that)."""

    trusted: tuple[sympy.Expr, ...] = ()
    stated: tuple[sympy.Expr, ...] = ()
    notes: tuple[str, ...] = ()  # what each group came from, for the evidence

    @property
    def symbols(self) -> frozenset:
        out: set = set()
        for e in self.trusted + self.stated:
            out |= e.free_symbols
        return frozenset(out)

    def __bool__(self) -> bool:
        return bool(self.trusted or self.stated)


def atomize_logs(expr: sympy.Expr) -> sympy.Expr:
    """``\\log x`` of a single unknown as an unknown of its own (``log(x)``): equations in
    logs (``\\log x - \\log y = a``) become polynomial. Relaxing is sound: values that satisfy
    the original equations satisfy the atomized ones, so a contradiction with them (or a
    consequence of them) holds for the original too."""
    if not expr.has(sympy.log):
        return expr
    return expr.replace(lambda e: isinstance(e, sympy.log) and isinstance(e.args[0], sympy.Symbol),
                        lambda e: sympy.Symbol(f"log({e.args[0].name})"))


def coefficient_equations(expr: sympy.Expr, var: sympy.Symbol) -> list[sympy.Expr]:
    """``expr = 0`` for every value of ``var``: each coefficient of its numerator is 0."""
    num = sympy.numer(sympy.cancel(sympy.together(expr)))
    if not num.is_polynomial(var):
        return []
    try:
        poly = sympy.Poly(sympy.expand(num), var)
    except (sympy.PolynomialError, sympy.GeneratorsNeeded):
        return []
    if poly.degree() > MAX_DEGREE:
        return []
    return [c for c in poly.all_coeffs() if c != 0]


def vieta(roots: list[sympy.Expr], poly: sympy.Expr, var: sympy.Symbol) -> list[sympy.Expr]:
    """The elementary symmetric functions of ``roots`` against the coefficients of ``poly``;
    empty unless the roots are as many as its degree."""
    try:
        p = sympy.Poly(sympy.expand(poly), var)
    except (sympy.PolynomialError, sympy.GeneratorsNeeded):
        return []
    n = p.degree()
    if n != len(roots) or not 1 <= n <= MAX_DEGREE:
        return []
    coeffs = p.all_coeffs()
    lead = coeffs[0]
    if not lead.is_number or lead == 0:
        return []
    out = []
    for k in range(1, n + 1):
        e_k = sum((sympy.Mul(*c) for c in combinations(roots, k)), sympy.Integer(0))
        out.append(sympy.expand(e_k - (-1) ** k * coeffs[k] / lead))
    return out


def read_given(question: str, relations: list[tuple[str, Any, Any]],
               parse: Callable[[str], Any], defs: dict) -> Given:
    """The question's relations (text, lhs, rhs as parsed) and root statements → :class:`Given`."""
    trusted: list[sympy.Expr] = []
    stated: list[sympy.Expr] = []
    notes: list[str] = []
    for_all = _FOR_ALL.search(question)
    identity_var = sympy.Symbol(for_all.group(1)) if for_all else None
    partial = _PARTIAL.search(question) is not None
    # the question's plain equations pin values down only when all of them could be read
    # and they are not the equations of lines and curves in a figure
    partial_reading = _FIGURES.search(question) is not None or _EVENT.search(question) is not None
    for text, lhs, rhs in relations:
        if not isinstance(lhs, sympy.Expr) or not isinstance(rhs, sympy.Expr) or _SEGMENT.search(text):
            partial_reading = True
            continue
        expr = atomize_logs(sympy.Add(lhs, -rhs))
        syms = expr.free_symbols
        if not syms or expr.has(sympy.core.function.AppliedUndef):
            partial_reading = partial_reading or bool(syms)
            continue
        var = identity_var if identity_var in syms else (_denominator_variable(expr) if partial else None)
        if var is not None and len(syms) > 1:
            coeffs = coefficient_equations(expr, var)
            if coeffs:
                trusted.extend(coeffs)
                notes.append(f"{text} for every {var}, coefficient by coefficient")
            continue
        if not _polynomial_in_all(expr):
            partial_reading = True
            continue
        stated.append(expr)
        notes.append(text)
    if partial_reading:
        notes = [n for n in notes if n.endswith("coefficient by coefficient")]
        stated = []
    for names, poly_text in _root_statements(question):
        roots = [parse(n) for n in names]
        poly, var = _polynomial(poly_text, parse, defs)
        if poly is None or not all(isinstance(r, sympy.Expr) and r.free_symbols for r in roots):
            continue
        if any(var in r.free_symbols for r in roots):
            continue
        relations_v = vieta(roots, poly, var)
        if relations_v:
            trusted.extend(relations_v)
            notes.append(f"{', '.join(names)} are the roots of {poly_text.strip('$ ')} (Vieta)")
    return Given(tuple(trusted), tuple(stated), tuple(notes))


def _polynomial_in_all(expr: sympy.Expr) -> bool:
    num = sympy.numer(sympy.together(expr))
    return num.is_polynomial(*num.free_symbols)


def _denominator_variable(expr: sympy.Expr) -> sympy.Symbol | None:
    den = sympy.denom(sympy.together(expr))
    syms = sorted(den.free_symbols, key=lambda s: s.name)
    return syms[0] if len(syms) == 1 else None


def _root_statements(question: str) -> list[tuple[list[str], str]]:
    out = []
    for pat in (_ROOTS_OF, _HAS_ROOTS):
        for m in pat.finditer(question):
            names = [re.sub(r"\s+", "", n) for n in _NAME_RE.findall(m.group("names"))]
            if 2 <= len(names) <= MAX_DEGREE and len(set(names)) == len(names):
                out.append((names, m.group("poly")))
    return out


def _polynomial(text: str, parse: Callable[[str], Any], defs: dict) -> tuple[Any, Any]:
    """``x^3 + 7x^2 - 11x - 2 = 0`` or ``Q(x) = 0`` (Q defined) → (lhs − rhs, x)."""
    inner = re.sub(r"^\$\$?|\$\$?$|^\\[\[(]|\\[\])]$", "", text.strip()).strip().rstrip(".,")
    parts = inner.split("=")
    if len(parts) > 2:
        return None, None
    call = re.fullmatch(r"\s*([A-Za-z])\s*\(\s*([a-z])\s*\)\s*", parts[0])
    if call and call.group(1) in defs:
        var, body = defs[call.group(1)]
        lhs = body
    else:
        lhs = parse(parts[0])
        var = None
    rhs = parse(parts[1]) if len(parts) == 2 else sympy.Integer(0)
    if not isinstance(lhs, sympy.Expr) or not isinstance(rhs, sympy.Expr):
        return None, None
    poly = sympy.Add(lhs, -rhs)
    if var is None:
        syms = poly.free_symbols
        var = next((s for name in ("x", "z", "t", "y") for s in syms if s.name == name), None)
        if var is None and len(syms) == 1:
            (var,) = syms
    if var is None or not poly.is_polynomial(var) or poly.has(sympy.core.function.AppliedUndef):
        return None, None
    return poly, var


#: "Simplify $E$.", "Compute: $E$.", "What is the value of $E$?", "Calculate $E$ when $a=42$."
_TARGET = re.compile(
    r"(?:^|[.?!:]\s+)(?P<verb>simplify|expand|evaluate|compute|calculate|find|what\s+is)\b\s*:?\s*"
    r"(?:the\s+(?:value\s+of|expression|product|sum)\s+|this\s+expression\s*)?:?\s*"
    r"(?P<math>\$\$?[^$]+\$\$?|\\\(.+?\\\)|\\\[.+?\\\])\s*(?P<after>[.?!]|$|(?:when|if|for)\b|"
    r"(?<=[.?!]\$)|(?<=[.?!]\$\$)|(?<=[.?!]\\\))|(?<=[.?!]\\\]))", re.I | re.S)  # "Simplify $E.$" ends inside
_ASSIGN = re.compile(r"^\s*(?:when|if|for)\s+(\$[^$]+\$|\\\(.+?\\\))", re.I | re.S)
_ROUNDED = re.compile(r"\b(?:round\w*|nearest|decimal|approximat\w*|estimate)\b", re.I)


@dataclass(frozen=True)
class Target:
    """The expression the question asks to simplify or evaluate, and how its answer is judged:
    ``symbolic`` (an equivalent expression is expected) or a number, possibly ``rounded``."""

    value: sympy.Expr
    text: str
    symbolic: bool
    rounded: bool


#: "the remainder when $E$ is divided by $n$", "the remainder of 1529 (mod 6)"
_REMAINDER_Q = re.compile(
    r"\bremainder\s+(?:when|of)\s+(?P<math>\$[^$]+\$|\\\(.+?\\\)|\d[\d,]*)\s+(?:is\s+divided\s+by\s+"
    r"\$?(?P<n>\d{1,12})\$?|\(\s*mod\s+(?P<m>\d{1,12})\s*\))", re.I | re.S)
_PMOD_IN = re.compile(r"\\pmod\s*\{?\s*(\d{1,12})\s*\}?\s*$")


def _remainder_target(question: str, parse: Callable[[str], Any]) -> Target | None:
    m = _REMAINDER_Q.search(question)
    if m is None:
        return None
    inner = re.sub(r"^\$|\$$|^\\\(|\\\)$", "", m.group("math").strip()).replace(",", "")
    value, modulus = parse(inner), int(m.group("n") or m.group("m"))
    if not isinstance(value, sympy.Expr) or not value.is_Integer or modulus < 2:
        return None
    return Target(sympy.Integer(int(value) % modulus), f"({inner}) mod {modulus}", False, False)


def question_target(question: str, parse: Callable[[str], Any], defs: dict) -> Target | None:
    """What the question asks to compute, when that is one explicit expression: numbers
    (or letters given values: "when $a=42$") for any verb, letters only for simplify/expand,
    or the remainder of a number. "Find $a+b$" names unknowns the problem defines in words:
    no target."""
    remainder = _remainder_target(question, parse)
    if remainder is not None:
        return remainder
    m = _TARGET.search(question)
    if m is None:
        return None
    inner = re.sub(r"^\$\$?|\$\$?$|^\\[\[(]|\\[\])]$", "", m.group("math").strip()).strip().rstrip(".,?")
    if re.fullmatch(r"-?\s*[\w.]+", inner):
        return None  # "Find $x$", "What is $5$": nothing to compute
    pmod = _PMOD_IN.search(inner)  # "What is $3^{-1} + 13^{-1} \pmod{19}$?"
    if pmod is not None:
        inner = f"{inner[:pmod.start()]} \\bmod {pmod.group(1)}"
    value = parse(inner)
    if not isinstance(value, sympy.Expr) or value.has(sympy.core.function.AppliedUndef):
        return None
    rest = question[m.end("math"):]
    assign = _ASSIGN.match(rest) if m.group("after").lower() in ("when", "if", "for") else None
    if m.group("after").lower() in ("when", "if", "for") and assign is None:
        return None
    if assign is not None:
        rel = re.sub(r"^\$|\$$|^\\\(|\\\)$", "", assign.group(1).strip())
        parts = rel.split("=")
        if len(parts) != 2:
            return None
        var, val = parse(parts[0]), parse(parts[1])
        if not isinstance(var, sympy.Symbol) or not isinstance(val, sympy.Expr) or not val.is_number:
            return None
        value = value.xreplace({var: val})
    symbolic = bool(value.free_symbols)
    if symbolic and m.group("verb").lower() not in ("simplify", "expand"):
        return None
    return Target(value, inner, symbolic, _ROUNDED.search(question) is not None)
