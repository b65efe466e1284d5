"""Claims in a chain ``A = B = C``, link by link: each link goes to an ordered list of readers
(:data:`LINK_READERS`), and the first that takes it decides what claim, if any, it is."""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

import sympy

from verify.limits import TimeLimitExceeded, call_with_limit
from .chain_state import (ChainState, FINDER_SECONDS, IDENTITY_CUES, MAX_LINK_GAP, MAX_SIBLING_GAP, NEGATED,
                          NUMERIC_LATEX, SOLVE_CUES, UNLINKED, applies, calls, is_calculus, is_name, listing,
                          read_side, substitute_definitions, symbols_of, undefined_calls)
from .latex import MathParseError, parse_expression
from .statements import MathClaim, Side, Statement, constant_symbols, hypothetical, parse_side


def _unexpanded(e: sympy.Expr) -> bool:
    """Written as a product, power or quotient of sums (something a rewriting would expand)."""
    return any(isinstance(a, sympy.Pow) and isinstance(a.base, sympy.Add) or
               isinstance(a, sympy.Mul) and any(isinstance(f, sympy.Add) for f in a.args)
               for a in sympy.preorder_traversal(e))


def _equation_in_chain(st: Statement, values: tuple, k: int) -> bool:
    """Links of a chain that state an equation rather than rewrite: ``r^2 = 1 + (2\\sqrt2 - r)^2
    = …`` opens with a power of the unknown set equal to an expression in it, and ``f(x) =
    \\frac{-3x-7}{9x-6} = x - 3`` (a chain that evaluates a function) ends with the equation."""
    a, b = values[k], values[k + 1]
    if k == 0 and not st.continued and isinstance(a, sympy.Expr) and (
            isinstance(a, sympy.Symbol) or isinstance(a, sympy.Pow) and isinstance(a.base, sympy.Symbol)) \
            and symbols_of(a) <= symbols_of(b):
        return True
    first = values[0]
    call_text = re.fullmatch(r"[A-Za-z](?:_\{?[\w+\-]+\}?)?\s*(?:\\left)?\(.*\)", st.sides[0].text.strip())
    return k == len(st.ops) - 1 and k > 0 and (first is None or is_name(first) or call_text is not None)


def _factorization(poly: Any, product: Any, poly_text: str, product_text: str) -> bool:
    """``x^3 - 4x^2 - 7x + 6 = (x-1)(x^2 - 3x - 6)``: an expanded polynomial written out and
    a product of factors with the same degree and leading coefficient. As an equation it
    would have lost its top term, so it is a factorization claim."""
    syms = symbols_of(poly)
    if len(syms) != 1 or not isinstance(poly, sympy.Add) or len(poly.args) < 3 or "(" in poly_text:
        return False
    # a square (x + 2)^2 = x^2 + 2 is usually an equation whose top terms cancel; a product
    # of two or more factors against a polynomial written out in full is a factorization
    factors = [f for f in sympy.Mul.make_args(product) if symbols_of(f)]
    if not (isinstance(product, sympy.Mul) and len(factors) >= 2):
        return False
    (x,) = syms
    try:
        p, q = sympy.Poly(poly, x), sympy.Poly(product, x)
    except (sympy.PolynomialError, sympy.GeneratorsNeeded):
        return False
    return p.degree() >= 2 and p.degree() == q.degree() and p.LC() == q.LC() and "(" in product_text


_LETTER = re.compile(r"(?<![\\A-Za-z_])[A-Za-z](?![A-Za-z_])")


def _cancelled(text: str, value: Any, other: Any) -> bool:
    """``x^2 - 2x^2 + x^2 + 10x - 10x + 25 = x^2``: the written side names a variable of the
    other side that cancelled on reading: the writer is simplifying, not solving. (A gcd,
    floor or remainder of expressions is about integers, not a rewriting.)"""
    if not isinstance(value, sympy.Expr) or not isinstance(other, sympy.Expr) or is_name(other) or is_name(value):
        return False
    if re.search(r"\\(?:gcd|lcm|max|min|lfloor|lceil|b?mod|operatorname)\b|\b(?:gcd|lcm)\b", text):
        return False
    written = set(_LETTER.findall(re.sub(r"\\[A-Za-z]+", " ", text)))
    lost = {s for s in symbols_of(other) if s.name in written} - symbols_of(value)
    return bool(lost) and symbols_of(other) <= {sympy.Symbol(n) for n in written}


_TRAILING_TERM = re.compile(r"([+\-]\s*[^+\-=]+?)\s*$")


def _same_operation(left: str, right: str) -> bool:
    """``6x - x = x - 20 - x``: both sides end with the same added or subtracted term, so the
    writer did one thing to both sides of an equation (the step is an equation, not a
    rewriting whose cancelled term shows simplifying)."""
    ends = [_TRAILING_TERM.search(t) for t in (left, right)]
    if None in ends:
        return False
    a, b = (re.sub(r"\s+", "", m.group(1)) for m in ends)
    return a == b and ends[0].start() > 0 and ends[1].start() > 0


def _probe(k: int, probe: int) -> sympy.Rational:
    """Unremarkable values (no linear relation between unknowns or across probes)."""
    return sympy.Rational(1000 + 37 * k * k + 101 * probe * (k + 1) + 13 * probe * probe, 997 - 11 * k - 7 * probe)


def _holds_everywhere(a: Any, b: Any) -> bool:
    """``a = b`` at three unremarkable points for every unknown: a known identity stated,
    not an equation (the engine then proves or refutes it as an identity)."""
    syms = sorted(symbols_of(a) | symbols_of(b), key=lambda s: s.name)
    if not syms or len(syms) > 3 or calls(a) or calls(b):
        return False

    def probe_all() -> bool:
        for probe in range(3):
            point = {s: _probe(k, probe) for k, s in enumerate(syms)}
            d = complex(sympy.N(sympy.Add(a, -b).xreplace(point), 20))
            scale = 1 + abs(complex(sympy.N(a.xreplace(point), 20)))
            if not abs(d) <= 1e-12 * scale:
                return False
        return True
    try:
        return call_with_limit(FINDER_SECONDS, probe_all, what="probing an identity")
    except (TimeLimitExceeded, TypeError, ValueError, ArithmeticError, AttributeError, RecursionError):
        return False


def _rewrites_functions(st: Statement, values: tuple, k: int) -> bool:
    """A chain of three or more sides in the same unknowns, none a bare name or number, whose
    link ``k`` carries a log, trigonometric or root of an unknown
    (``2\\log_{10} x - \\log_x \\frac{1}{100} = 2\\log_{10} x + 2\\log_{10} x = 4\\log_{10} x``): a
    rewriting of one expression, the way a product of sums is (an equation chain ends in a
    number or a name: ``\\sin x = \\cos x = \\frac{\\sqrt2}{2}``)."""
    if len(values) < 3 or not all(isinstance(v, sympy.Expr) for v in values):
        return False
    syms = symbols_of(values[0])
    if not syms or any(symbols_of(v) != syms or is_name(v) or calls(v) for v in values):
        return False
    return any(isinstance(f, (sympy.log, sympy.sin, sympy.cos, sympy.tan, sympy.exp)) and f.free_symbols
               or isinstance(f, sympy.Pow) and not f.exp.is_Integer and f.base.free_symbols
               for v in (values[k], values[k + 1]) for f in sympy.preorder_traversal(v))


def _grouped(text: str) -> bool:
    """Written with a bracketed sum (``3(2x-3)``, ``\\left(x + 1\\right)^2``): SymPy
    distributes a number over a sum on reading, so the text tells what the writer rewrote."""
    return re.search(r"(?<![_^])[(\[{][^()\[\]{}]*[^\s(\[{^_]\s*[+\-]", text) is not None


def _monomials_of_one_degree(a: sympy.Expr, b: sympy.Expr, syms: set) -> bool:
    """``8a·(-4) = -32a``: two single terms of the same degree can only be a computation
    (as an equation it would just say a = 0)."""
    if isinstance(a, sympy.Add) or isinstance(b, sympy.Add):
        return False
    gens = sorted(syms, key=lambda s: s.name)
    try:
        pa, pb = sympy.Poly(a, *gens), sympy.Poly(b, *gens)
    except (sympy.PolynomialError, sympy.GeneratorsNeeded):
        return False
    return len(pa.terms()) == 1 and len(pb.terms()) == 1 and pa.total_degree() == pb.total_degree() > 0


def _names_new(e: Any, calculus: Any) -> bool:
    """``e`` is a plain expression whose letters the calculus side does not hold: the
    relation defines a name for it (or is an equation in that name), not an identity."""
    return not is_calculus(e) and is_calculus(calculus) and bool(symbols_of(e)) and not (symbols_of(e) & symbols_of(calculus))


def _subscripted_index(e: Any) -> bool:
    """A sum over ``x_i`` whose index is only a subscript: not something SymPy can evaluate."""
    for a in sympy.preorder_traversal(e) if isinstance(e, sympy.Basic) else ():
        if isinstance(a, (sympy.Sum, sympy.Product)):
            idx = {str(lim[0]) for lim in a.limits}
            if any("_" in s.name and s.name.split("_", 1)[1] in idx for s in a.function.free_symbols):
                return True
    return False


_MODULUS = re.compile(r"\\pmod\s*\{?\s*(\d{1,12})\s*\}?|\(\s*\\?b?mod\s*\{?\s*(\d{1,12})\s*\}?\s*\)|"
                      r"\\b?mod\s*\{?\s*(\d{1,12})\s*\}?", re.I)


def congruence_claims(st: Statement) -> list[MathClaim]:
    """``13^{-1} \\equiv 15 \\pmod{19}``: numbers congruent modulo the stated modulus
    (a fraction stands for the product with an inverse, as in modular arithmetic)."""
    last = st.sides[-1]
    m = _MODULUS.search(last.text)
    if m is None or _MODULUS.search(last.text, m.end()) or last.text[m.end():].strip(" .,"):
        return []
    modulus = int(next(g for g in m.groups() if g))
    texts = [x.text for x in st.sides[:-1]] + [last.text[:m.start()]]
    values = [parse_side(t, frozenset(), frozenset()) for t in texts]
    out = []
    for k, op in enumerate(st.ops):
        a, b = values[k], values[k + 1]
        if op not in ("equiv", "=") or not isinstance(a, sympy.Expr) or not isinstance(b, sympy.Expr):
            continue
        if not (a.is_Rational and b.is_Rational) or modulus < 2:
            continue
        sa, sb = st.sides[k], st.sides[k + 1]
        end = sb.end if k + 1 < len(st.sides) - 1 else last.start + len(last.text.rstrip(" .,"))
        out.append(MathClaim("congruence", text=f"{sa.text} ≡ {texts[k + 1].strip()} (mod {modulus})",
                             start=sa.start, end=end, lhs=a, rhs=b, extra={"modulus": modulus}))
    return out


@dataclass(frozen=True)
class Link:
    """One link ``a op b`` of a chain, with what its readers look at around it."""

    st: Statement
    k: int  # the link's index in the chain
    values: tuple  # every side of the chain as read (SymPy or structural; None when unreadable)
    n_links: int  # links in the chain; a continued display counts as a link of a longer chain
    identity_cue: bool  # the sentence announces a rewriting ("expand", "simplify"), not a solving
    fns: frozenset  # names that are functions here (f \left( … \right) is a call)
    between: str  # the text since the previous statement
    after: str  # the text just after the chain
    kind_before: str  # what the previous statement was (:attr:`ChainState.last_kind`)

    @property
    def op(self) -> str:
        return self.st.ops[self.k]

    @property
    def a(self) -> Any:
        return self.values[self.k]

    @property
    def b(self) -> Any:
        return self.values[self.k + 1]

    @property
    def sa(self) -> Side:
        return self.st.sides[self.k]

    @property
    def sb(self) -> Side:
        return self.st.sides[self.k + 1]

    @property
    def common(self) -> dict:
        """What every claim on this link shares: its text and spans (a continued display's
        first link belongs where its new side is: it may be the next step)."""
        sa, sb = self.sa, self.sb
        return dict(text=f"{sa.text} {self.op} {sb.text}", start=sb.start if self.st.continued and self.k == 0
                    else sa.start, end=sb.end, lhs=self.a, rhs=self.b, rhs_span=(sb.start, sb.end))


def _numbers(link: Link) -> bool:
    """Both sides are numbers with no function applied."""
    a, b = link.a, link.b
    return isinstance(a, sympy.Expr) and isinstance(b, sympy.Expr) and a.is_number and b.is_number \
        and not calls(a) and not calls(b)


def read_not_equal(link: Link, state: ChainState) -> list[MathClaim] | None:
    """"162 - 108 - 45 - 6 - 3 \\neq 0": a computed value said to differ from a number."""
    if link.op != "!=" or not _numbers(link):
        return None
    return [MathClaim("numeric-neq", text=f"{link.sa.text} \\neq {link.sb.text}", start=link.sa.start,
                      end=link.sb.end, lhs=link.a, rhs=link.b)]


def read_order(link: Link, state: ChainState) -> list[MathClaim] | None:
    """"since 2^3 < 25": a comparison of two numbers, alone in its chain (a chain "… = 68.125
    > 0" keeps its plain links for the arithmetic engine, which a span taken here would hide)."""
    st = link.st
    if link.op not in ("<", "<=", ">", ">=") or len(st.ops) != 1 or st.source != "latex" or not _numbers(link):
        return None
    return [MathClaim("numeric-order", text=f"{link.sa.text} {link.op} {link.sb.text}", start=link.sa.start,
                      end=link.sb.end, lhs=link.a, rhs=link.b, extra={"op": link.op})]


def read_approx(link: Link, state: ChainState) -> list[MathClaim] | None:
    """``A \\approx d``: a computed number and the decimal shown for it, or no claim."""
    if link.op != "approx":
        return None
    claim = _approx_claim(link.a, link.b, link.sa, link.sb)
    return [claim] if claim is not None else []


def read_undefined(link: Link, state: ChainState) -> list[MathClaim] | None:
    """"\\frac{0 - 1994}{0 - 0} = -1": no number equals a division by zero."""
    b = link.b
    if not (link.op == "=" and link.st.source == "latex" and link.a is None and isinstance(b, sympy.Expr)
            and b.is_number and _divides_by_zero(link.sa.text, link.fns)):
        return None
    return [MathClaim("undefined", text=f"{link.sa.text} = {link.sb.text}", start=link.sa.start, end=link.sb.end,
                      lhs=None, rhs=b)]


def read_unreadable(link: Link, state: ChainState) -> list[MathClaim] | None:
    """No claim: a side that does not read as an expression, a relation other than ``=``, or
    a function nobody defined (``P(2)``, ``f(x) + g(x)`` with f, g unknown: nothing to compute).
    Every reader after this one sees an equality of two expressions."""
    a, b = link.a, link.b
    if not isinstance(a, sympy.Expr) or not isinstance(b, sympy.Expr) or link.op != "=":
        return []
    if undefined_calls(a, state.defs) or undefined_calls(b, state.defs):
        return []
    return None


def read_calculus(link: Link, state: ChainState) -> list[MathClaim] | None:
    """A derivative, integral, limit, sum or product set equal to something; no claim when
    the link names the sum ("S = \\sum_{k=1}^{n} a_k", "ks = \\sum …") or sums over a subscript."""
    a, b = link.a, link.b
    if not (is_calculus(a) or is_calculus(b)):
        return None
    if _names_new(a, b) or _names_new(b, a) or _subscripted_index(a) or _subscripted_index(b):
        return []
    return [MathClaim("calculus", extra={"defs": dict(state.defs)}, **link.common)]


def read_evaluation(link: Link, state: ChainState) -> list[MathClaim] | None:
    """A function defined earlier, applied: an evaluation (``f(2) = 7``), else an equation
    against the question's (with the definitions put in); when neither, a fact about the
    unknowns for later steps ("Q(z) = 0" given Q; a value claim is no fact)."""
    a, b = link.a, link.b
    if not (applies(a, state.defs) or applies(b, state.defs)):
        return None
    claim = _evaluation_claim(a, b, state, link.common)
    if claim is None:
        claim = _given_claim(substitute_definitions(a, state.defs), substitute_definitions(b, state.defs),
                             link.st, state, link.common, link.after)
    if claim is not None:
        return [claim]
    fact = substitute_definitions(sympy.Add(a, -b), state.defs)
    if fact.free_symbols and not fact.has(sympy.core.function.AppliedUndef):
        state.facts.append(fact)
    return []


def read_numeric(link: Link, state: ChainState) -> list[MathClaim] | None:
    """Numbers on both sides: a LaTeX numeric link (:func:`_numeric_claim`); no claim for a
    quotient followed by its remainder ("-161 \\div 13 = -12 \\text{ remainder } -5")."""
    if symbols_of(link.a) or symbols_of(link.b):
        return None
    if link.k == len(link.st.ops) - 1 and _REMAINDER_AFTER.match(link.after):
        return []
    claim = _numeric_claim(link.st, link.k, link.values, link.common) if NUMERIC_LATEX else None
    return [claim] if claim is not None else []


def read_same(link: Link, state: ChainState) -> list[MathClaim] | None:
    """A rewriting step SymPy already sees as the same expression (8a·2a = 16a²)."""
    a, b = link.a, link.b
    syms_a = symbols_of(a)
    if not (syms_a and syms_a == symbols_of(b) and a == b and not is_name(a)):
        return None
    return [MathClaim("identity", extra={"cue": "same", "facts": ()}, **link.common)]


def _rewrites(link: Link) -> bool:
    """A rewriting (expand, factor, simplify): the same letters, one side not expanded, inside
    a chain or announced by the wording; a factorization; terms that cancel."""
    st, k, values, a, b, sa, sb = link.st, link.k, link.values, link.a, link.b, link.sa, link.sb
    syms_a, syms_b = symbols_of(a), symbols_of(b)
    return bool(syms_a and syms_a == syms_b and not is_name(a) and not is_name(b) and (
        ((_unexpanded(a) or _unexpanded(b) or _grouped(sa.text) or _grouped(sb.text))
         and ((link.n_links >= 2 and not _equation_in_chain(st, values, k)) or link.identity_cue))
        or (_rewrites_functions(st, values, k) and not _equation_in_chain(st, values, k))
        or _monomials_of_one_degree(a, b, syms_a) or _factorization(a, b, sa.text, sb.text)
        or _factorization(b, a, sb.text, sa.text))) or (
            (_cancelled(sa.text, a, b) or _cancelled(sb.text, b, a)) and not _same_operation(sa.text, sb.text))


def read_rewriting(link: Link, state: ChainState) -> list[MathClaim] | None:
    """A rewriting (:func:`_rewrites`): an identity, checked with the facts stated so far."""
    if not _rewrites(link):
        return None
    a, b = link.a, link.b
    return [MathClaim("identity", extra={"cue": "chain" if link.n_links >= 2 else "wording",
                                         # an = chain over one expression, or "expand", "simplify" …
                                         "rewriting": link.n_links >= 2 or link.identity_cue,
                                         "facts": tuple(state.facts),
                                         "given": None if (symbols_of(a) | symbols_of(b)) & state.redefined
                                         else state.known,
                                         "bound": state.bound(a, b), "domain": state.domain_of(a, b)},
                      **link.common)]


def read_known_identity(link: Link, state: ChainState) -> list[MathClaim] | None:
    """sin^2 x + cos^2 x = 1 recalled in passing: an identity, not the next equation (the
    equation before it stays the one the next step is checked against)."""
    a, b = link.a, link.b
    if not (symbols_of(a) | symbols_of(b) and _holds_everywhere(a, b)):
        return None
    if link.n_links == 1:
        state.last_kind = link.kind_before
    return [MathClaim("identity", extra={"cue": "known", "facts": (), "bound": state.bound(a, b),
                                         "domain": state.domain_of(a, b)}, **link.common)]


def read_operand(link: Link, state: ChainState) -> list[MathClaim] | None:
    """"multiplying by $z^6 - 1 = 0$", "the roots of $z^2 + 1 = 0$": named, not stated."""
    return [] if link.n_links == 1 and _OPERAND.search(link.between) else None


def read_equation(link: Link, state: ChainState) -> list[MathClaim] | None:
    """What is left is an equation: a step from the equation before it or a root of it
    (:func:`_equation_claim`; also ``x = \\frac{24}{15} = \\frac{8}{5}``, whose first link
    states the root), else an equation against the question's. An equation recalled as a
    premise ("From $x - 8 = 12$ we get …") is no claim. Every equation in unknowns becomes a
    fact for later steps. Always takes the link."""
    st, k, values, a, b = link.st, link.k, link.values, link.a, link.b
    premise = link.n_links == 1 and _FROM.search(link.between) is not None
    out: list[MathClaim] = []
    claim = None
    if link.n_links == 1 or (k == 0 and isinstance(a, sympy.Symbol) and all(
            isinstance(v, sympy.Expr) and v.is_number for v in values[1:])):
        claim = _equation_claim(a, b, st, state, link.common, link.between, link.after, link.kind_before)
        if claim is not None and not premise:
            out.append(claim)
    if claim is None and not premise:
        claim = _given_claim(a, b, st, state, link.common, link.after)
        if claim is not None:
            out.append(claim)
    if symbols_of(a) | symbols_of(b):
        state.facts.append(sympy.Add(a, -b))
    return out


#: the readers a link goes through, in order. Each returns the link's claims (an empty list:
#: the link is taken and is no claim) or None (not its link: the next reader reads it).
#: The order is the precedence: relations other than ``=`` between numbers first (≠, <, ≈,
#: a division by zero); then anything that is not an equality of two expressions is dropped;
#: calculus before evaluations of defined functions (``f'(x) = …``); numbers before
#: letters; among equalities in letters, a rewriting (the same expression, expanded or
#: factored, or an identity recalled in passing) before an equation to solve, so a
#: derivation's equations are only what is not a rewriting.
LINK_READERS = (read_not_equal, read_order, read_approx, read_undefined, read_unreadable, read_calculus,
                read_evaluation, read_numeric, read_same, read_rewriting, read_known_identity, read_operand,
                read_equation)


def chain_claims(st: Statement, state: ChainState, skip_first: bool, between: str, after: str,
                 kind_before: str) -> list[MathClaim]:
    """The claims in one chain: a congruence chain as a whole, else each link through
    :data:`LINK_READERS` (the first link is skipped when it is a definition, ``f(x) = …``),
    then a lone inequality against the one before it. Updates ``state`` with what carries to
    the next statement (facts, the last equation, the value just assigned)."""
    if "equiv" in st.ops:
        return congruence_claims(st)
    fns = frozenset(state.defs) | frozenset(state.described)  # f \left( … \right) is a call
    values = tuple(read_side(s.text, state, fns) for s in st.sides)
    n_links = len(st.ops) + st.continued
    identity_cue = bool(IDENTITY_CUES.search(st.context)) and not SOLVE_CUES.search(st.context)
    out: list[MathClaim] = []
    for k in range(1 if skip_first else 0, len(st.ops)):
        link = Link(st, k, values, n_links, identity_cue, fns, between, after, kind_before)
        for reader in LINK_READERS:
            claims = reader(link, state)
            if claims is not None:
                out.extend(claims)
                break
    if n_links == 1 and st.ops[0] in ("<", "<=", ">", ">=") and all(isinstance(v, sympy.Expr) for v in values):
        claim = inequality_claim(values[0], st.ops[0], values[1], st, state, between, after, kind_before)
        if claim is not None:
            out.append(claim)
    a, b = values[0], values[-1]
    state.prev_assign = a if (n_links == 1 and isinstance(a, sympy.Symbol) and isinstance(b, sympy.Expr)
                              and b.is_number) else None
    return out


_REMAINDER_AFTER = re.compile(r"\s*(?:\\(?:text|mathrm|textrm)\s*\{\s*)?(?:with\s+)?(?:a\s+)?(?:remainder|R)\b")
_LATEX_MARK = re.compile(r"\\[A-Za-z]|[{}^]")
DECIMAL = re.compile(r"^-?\d+\.\d+$")


def _numeric_claim(st: Statement, k: int, values: tuple, common: dict) -> MathClaim | None:
    """A numeric link written in LaTeX (``\\frac{1}{2} + \\frac{1}{3} = \\frac{5}{6}``,
    ``\\binom{8}{4} = 70``, ``2^{10} = 1024``): the arithmetic engine reads plain numbers only,
    so these are checked here. Plain chains are left to it. A running computation
    (``3 \\cdot 4 = 12 + 2 = 14``) restarts from the value just computed."""
    sa, sb = st.sides[k], st.sides[k + 1]
    marked = _LATEX_MARK.search(sa.text) or _LATEX_MARK.search(sb.text) or (st.continued and k == 0)
    if st.source != "latex" or not marked:  # (a continued display is out of the arithmetic engine's view)
        return None
    if re.search(r"\\(?:gcd|lcm|max|min|operatorname)\b", sa.text + sb.text) and \
            _LETTER.search(re.sub(r"\\[A-Za-z]+", " ", sa.text + sb.text)):
        return None  # \\gcd(f(m) + n, f(n) + m) read as a number: a gcd of expressions in unknowns
    if "%" in sa.text + sb.text or re.search(r"\\(?:approx|ldots|dots|cdots)", sa.text + sb.text):
        return None
    if re.search(r"\\circ|°", sa.text + sb.text) and re.search(r"\\pi|π", sa.text + sb.text):
        return None  # 9π/4 = (180°/π)(9π/4): a change of units written as an equality
    a, b = values[k], values[k + 1]
    lead = re.match(r"\s*(-?\d+(?:\.\d+)?)\s*[-+]", sb.text)
    if lead is not None and a != b:
        try:
            if sympy.Rational(lead.group(1)) == a:
                return None  # "= 12 + 2": a running computation continues from 12
        except (TypeError, ValueError):
            return None
    return MathClaim("numeric", extra={"decimal": bool(DECIMAL.match(sb.text.strip()))}, **common)


_PLAIN_NUMBER = re.compile(r"-?\d+(?:\.(\d+))?")


def _divides_by_zero(text: str, functions: frozenset[str]) -> bool:
    """The side is unreadable because a denominator is exactly zero (numbers only)."""
    if re.search(r"[A-Za-z]", re.sub(r"\\[A-Za-z]+", " ", text)):
        return False
    try:
        parse_expression(text, functions=functions)
    except MathParseError as exc:
        return "division by zero" in str(exc)
    except (TypeError, ValueError, ZeroDivisionError, RecursionError, AttributeError):
        return False
    return False


def _approx_claim(a: Any, b: Any, sa: Side, sb: Side) -> MathClaim | None:
    """``\\frac{100}{11} \\approx 9.0909``: a computed number and a decimal shown for it."""
    shown = re.sub(r"\\(?:text|mbox)\s*\{[^{}]*\}|[A-Za-z]{2,}.*$", "", sb.text).strip(" .,$")
    m = _PLAIN_NUMBER.fullmatch(shown)
    if m is None or not isinstance(a, sympy.Expr) or not a.is_number or calls(a) or a.is_Float:
        return None
    if _PLAIN_NUMBER.fullmatch(sa.text.strip(" $")):
        return None  # "3.14 ≈ 3.1": a rounding of a shown decimal, nothing computed
    places = len(m.group(1) or "")
    return MathClaim("approx", text=f"{sa.text} ≈ {shown}", start=sa.start, end=sb.start + sb.text.find(shown) + len(shown),
                     lhs=a, rhs=sympy.Rational(shown), extra={"places": places, "shown": shown})


def _evaluation_claim(a: Any, b: Any, state: ChainState, common: dict) -> MathClaim | None:
    """``f(2) = 7`` (all arguments known) or ``f(x+1) = (x+1)^2 + 3`` (a rewriting)."""
    if is_name(a) and not applies(a, state.defs) or is_name(b) and not applies(b, state.defs):
        return None  # y = f(x): a definition
    if applies(a, state.defs) and applies(b, state.defs):
        return None  # f(g(x)) = g(f(x)): an equation to solve
    call_side, other = (a, b) if applies(a, state.defs) else (b, a)
    has_free = bool(symbols_of(call_side))
    if has_free and not symbols_of(other):
        return None  # h(x) = 0: an equation
    return MathClaim("evaluation", extra={"defs": dict(state.defs), "facts": tuple(state.facts),
                                          "given": state.known}, **common)


def _equation_claim(a: Any, b: Any, st: Statement, state: ChainState, common: dict,
                    between: str, after: str, kind_before: str) -> MathClaim | None:
    """Equations in one unknown: the next equation must keep the previous one's solutions,
    a stated root must satisfy it. Linked only when it directly follows that equation (or a
    root of it: "x = 2 or x = 3") and nothing around suggests another case ("if", "testing
    x = -1", "for x = 0", "where c = -2", "x = 3 is not a root")."""
    unknowns = symbols_of(a) | symbols_of(b)
    if len(unknowns) > 1 and not constant_symbols(a) | constant_symbols(b):
        return _system_claim(a, b, unknowns, state, common, between, kind_before)
    if len(unknowns) != 1 or constant_symbols(a) | constant_symbols(b):
        return None
    (x,) = unknowns
    solved = (a == x and not symbols_of(b)) or (b == x and not symbols_of(a))
    value_text = st.sides[1].text if a == x else st.sides[0].text
    computed_value = solved and re.search(r"\d\s*(?:[-+*/×·]|\\cdot|\\times|\\div|\\b?mod\b|mod\b)\s*\(?\d|"
                                          r"\d\s*\(|\\frac|\\binom|\d!", value_text.lstrip("-")) is not None
    previous = state.equation
    # "a = 1, b = -1, and c = -2": a list of parameter values, not a root of the c-equation
    in_list = state.prev_assign is not None and state.prev_assign != x and len(between) <= MAX_SIBLING_GAP
    gap_words = {w.lower() if isinstance(w, str) else w for w in UNLINKED.findall(between)}
    if kind_before == "root":  # "x = 2 or x = 3": another root only when nothing but "or"/"and" joins them
        ok_gap = solved and len(between) <= MAX_SIBLING_GAP and _joined(between, ("or", "and"))
    elif kind_before == "value":  # "42·56 = c, or c = 2336": "or" restates the value as a number
        ok_gap = (solved and not computed_value and len(between) <= MAX_SIBLING_GAP and _joined(between, ("or",))
                  and re.fullmatch(r"-?\s*\d[\d,]*(?:\.\d+)?", value_text.strip(" .,$")) is not None)
    else:  # "2x = 4 and x = 2" is a derivation; "9x^2 = 16 and 15x^2 = -12" lists two equations
        ok_gap = kind_before == "equation" and len(between) <= MAX_LINK_GAP and not (
            gap_words - {"and"} if solved else gap_words)
    linked = (previous is not None and previous[2] == x and x is not None and ok_gap and not in_list and
              not hypothetical(st.context) and not NEGATED.match(after) and
              not (listing(st.context) and not solved) and not _given(a, b, state))
    claim = None
    if linked:
        claim = MathClaim("equation-step", var=x,
                          extra={"from": (previous[0], previous[1]), "solved": solved}, **common)
    if computed_value and not hypothetical(st.context):
        state.equation, state.last_kind = (a, b, x), "value"  # c = 42·56 fixes c
    elif solved:
        state.last_kind = "root" if linked else "other"
    elif (not linked and kind_before == "equation" and previous is not None and previous[2] == x
          and len(between) <= MAX_SIBLING_GAP and _joined(between, ("or", "either", "and"))):
        # "x - 3 = 0 or x + 1 = 0": alternatives; what comes next follows from the
        # disjunction (the product of the two), not from the last one alone
        state.equation = (sympy.Mul(sympy.Add(previous[0], -previous[1]), sympy.Add(a, -b)), sympy.Integer(0), x)
        state.last_kind = "equation"
    else:
        state.equation, state.last_kind = (a, b, x), "equation"
    return claim


#: what may stand between two relations joined as a list or as alternatives: punctuation,
#: spacing, math delimiters and the joining words themselves
_JOINERS = r"(?:[\s,;:&$]|\\[\[\]()]|\\q?quad\b|\\[,;!]|\\(?:text|mbox)\s*\{\s*(?:{w})?\s*\}|(?<![A-Za-z])(?:{w})(?![A-Za-z]))*"


def _joined(between: str, words: tuple[str, ...]) -> bool:
    """``between`` holds nothing but punctuation, spacing and the joining ``words``."""
    pattern = _JOINERS.replace("{w}", "|".join(words))
    return re.fullmatch(pattern, between, re.I) is not None


#: "Expanding both sides gives:": the next equation is the one before, rewritten side by side
_BOTH_SIDES_REWRITTEN = re.compile(r"\b(?:expand\w*|simplif\w*|distribut\w*|multiply(?:ing)?\s+out)\s+"
                                   r"(?:both\s+sides|each\s+side)\b[^.;]*$", re.I)


IMPLIES = re.compile(r"\\(?:implies|Rightarrow|Longrightarrow|therefore)\b|⇒|⟹")
MAX_FACTS = 40


def _system_claim(a: Any, b: Any, unknowns: set, state: ChainState, common: dict, between: str,
                  kind_before: str) -> MathClaim | None:
    """An equation in several unknowns written right after another with an explicit
    ``\\implies``: it must follow from that one and the equations stated before it, as
    a combination with constant factors (``xy - y^2 = -112 \\implies 33 - y^2 = -112``
    after ``xy = 33``)."""
    previous = state.equation if kind_before == "system" else None
    claim = None
    implied = IMPLIES.search(between) and len(between) <= MAX_SIBLING_GAP and not UNLINKED.findall(between)
    rewritten = len(between) <= MAX_LINK_GAP and _BOTH_SIDES_REWRITTEN.search(between) is not None
    if previous is not None and (implied or rewritten):
        premise = sympy.Add(previous[0], -previous[1])
        facts = [f for f in state.facts[-MAX_FACTS:] if f != premise]
        claim = MathClaim("system-step", var=None, extra={"premise": premise, "facts": tuple(facts),
                                                          "from": (previous[0], previous[1]),
                                                          "all_facts": len(state.facts) <= MAX_FACTS,
                                                          "rewritten": rewritten}, **common)
    state.equation, state.last_kind = (a, b, None), "system"
    return claim


def _given_claim(a: Any, b: Any, st: Statement, state: ChainState, common: dict, after: str) -> MathClaim | None:
    """An equation in the unknowns the question pins down (its equations, roots, identities):
    checked against them, unless it is a case being tried or said not to hold."""
    known = state.known
    syms = symbols_of(a) | symbols_of(b)
    if not known or not syms or not syms <= known.symbols or calls(a) or calls(b) or syms & state.redefined:
        return None
    if hypothetical(st.context) or NEGATED.match(after) or _given(a, b, state):
        return None
    return MathClaim("given", extra={"given": known}, **common)


def _given(a: Any, b: Any, state: ChainState) -> bool:
    """The relation restates one from the question (a given condition, not a derived step)."""
    d = sympy.Add(a, -b)
    return any(d == g or d == -g for g in state.given)


#: an equation named as the object of a phrase, not asserted
_OPERAND = re.compile(r"\b(?:by|of|into|than|with)\s*(?:\$\$?|\\[(\[])?\s*$", re.I)
#: "From $x - 8 = 12$", "solve $x + 2 = x^2$:": an equation recalled as a premise, or named as the one
#: to solve, not a step derived from the one before
_FROM = re.compile(r"\b(?:from|solv(?:e|ing))\s*(?:the\s+(?:\w+\s+)?equation\s*)?:?\s*(?:\$\$?|\\[(\[])?\s*$", re.I)
#: "Since $b > 1$": a condition recalled, not the next step of a derivation
_PREMISE = re.compile(r"\b(?:since|because|given|as)\b", re.I)


def inequality_claim(a: Any, op: str, b: Any, st: Statement, state: ChainState, between: str,
                      after: str, kind_before: str) -> MathClaim | None:
    """One-unknown inequalities: the next one must have the same solution set."""
    unknowns = symbols_of(a) | symbols_of(b)
    if len(unknowns) != 1:
        state.inequality = None
        return None
    (x,) = unknowns
    previous = state.inequality
    gap_words = UNLINKED.findall(between) + _PREMISE.findall(between)
    linked = (previous is not None and previous[3] == x and kind_before == "inequality" and
              len(between) <= MAX_LINK_GAP and not gap_words and not re.search(r"[.;]\s", between) and not hypothetical(st.context)
              and not NEGATED.match(after) and not listing(st.context) and not _given(a, b, state))
    state.inequality, state.last_kind = (a, op, b, x), "inequality"
    if not linked:
        return None
    sa, sb = st.sides[0], st.sides[1]
    return MathClaim("inequality-step", text=f"{sa.text} {op} {sb.text}", start=sa.start, end=sb.end,
                     lhs=a, rhs=b, var=x, extra={"from": previous[:3], "op": op})
