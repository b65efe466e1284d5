"""Finding symbolic math claims in a worked solution (deterministic, no model).

What counts as a claim here (purely numeric equalities in plain text are left to the
arithmetic engine):

- calculus, in symbols or in words: ``d/dx x^3 = 3x^2``, ``\\int 2x\\,dx = x^2 + C``,
  "the integral of x² is x³/3 + C", "the derivative of … is …", ``\\lim_{x\\to 0} … = 1``;
- evaluations of a function defined earlier (in the answer or the question):
  ``f(x) = x^2 + 3`` … ``f(2) = 7`` (never a piece of a function defined by cases, nor a
  formula for a function the question describes in words);
- algebraic identities written as rewriting: chains ``A = B = C`` whose sides hold variables,
  an equation next to "expand", "factor", "simplify", …, a factorization
  (``x^3 - 4x^2 - 7x + 6 = (x-1)(x^2 - 3x - 6)``), terms cancelling
  (``x^2 - 2x^2 + x^2 + 25 = x^2``), a display opening with ``=`` that continues the one
  before it, a displayed expression announced as the rewriting of the one before ("combine
  like terms:", "this simplifies to:"), an identity recalled in passing
  (``\\sin^2 x + \\cos^2 x = 1``), chains of logs, roots or trigonometric functions of the
  same unknowns;
- equation steps: an equation in one unknown followed by the next one (``2x + 3 = 7``
  → ``2x = 4`` → ``x = 2``, also ``x = \\frac{24}{15} = \\frac85``), stated roots ("the roots
  are x = 2 and x = 3"), inequality steps, steps in several unknowns after ``\\implies``;
- numbers: LaTeX numeric links (``\\binom{8}{4} = 70``, ``195 \\bmod 19 = 5``), ``A \\neq B``,
  approximations (``\\frac{100}{11} \\approx 9.0909``, "= approximately 40.71"), congruences
  (``13^{-1} \\equiv 15 \\pmod{19}``), a value given for a division by zero;
- what the question states (:mod:`.find_facts`): an equation in the unknowns the question
  pins down (also when it pins some unknowns and not others, logs of one unknown read as
  unknowns), checked against its equations, its identities in ``x`` read coefficient by
  coefficient, and Vieta's relations for roots it names; results against the expression
  the question asks to simplify or compute; the equation given for line AB against the
  coordinates the question gives A and B;
- facts about whole numbers in words (:mod:`.find_words`): GCD/LCM, remainders, primes,
  divisibility, bases, rounding, lists, extremes ("the smallest power of 4 larger than 8");
- an implication between inequalities, "A, this means either B or C": refuted by a
  counterexample among small positive integers (also when A is a case being tried);
- a named term of the expression the question asks to simplify or compute ("the second part
  becomes −16a² − 32a"): it must be that term as written, with or without its sign;
- "Let θ be the argument of Z", then "θ = V" (an exact number): V ≡ arg Z modulo 2π;
- "let d be the ones digit of n", then "the ones digit of E(n) is F(d)" with E an integer
  polynomial (its ones digit depends on d alone): tried on every digit under the "if"
  conditions on d in the same sentence (an unread condition, or n given a value, leaves it).

Each claim keeps the character span it came from and the span of its right-hand side, so a
refuted claim can be corrected in place. Relations that are cases being tried ("if",
"testing x = 1"), negated, or named as the object of a phrase ("multiplying by …") are not
claims. Every claim carries its :func:`.stance.stance` — a contradiction the text reaches on purpose,
a supposition, one of alternatives — and the engine refutes only what the text asserts
unconditionally (issue 11). Names written as functions (``d(n)``, ``N_A(t)``, ``\\phi(n)``)
are applied, never multiplied; a letter the text introduces ("let u = …") leaves the
question's equations behind.

Where each part lives: :mod:`.statements` reads the text into chains and parses their
sides; :mod:`.chain_state` holds what carries from line to line (definitions, the last
equation, facts, what the question pins down); :mod:`.find_chains` reads each link of a
chain through an ordered list of readers; :mod:`.find_patterns` reads the claims that have
their own wording (results against the question, lines, lists, implications, named parts,
arguments, digit formulas); :mod:`.stance` marks how the text holds each relation. This
module runs them in order (:func:`find_claims`). The claim types and their deciders are
the table in :mod:`.decide`.
"""
from __future__ import annotations

import re

import sympy

from verify.limits import TimeLimitExceeded, call_with_limit
from .chain_state import (ASY, BRACKETED_FRACTION, ChainState, FINDER_SECONDS, FLOOR_WORDS, applied_names,
                          described_functions, introduce, maybe_define, read_definitions, read_question_equation,
                          read_question_facts, redefine, restriction_items)
from .find_chains import chain_claims
from .find_facts import Given
from .find_patterns import (argument_claims, digit_formula_claims, implication_claims, line_claims, list_claims,
                            named_part_claims, target_claims)
from .find_words import Needs, number_facts, question_facts
from .stance import with_stance
from .statements import MathClaim, constant_symbols, parse_side, statements


# ---- natural-language calculus -----------------------------------------------------------
_END = r"(?=\s*(?:[.;,](?:\s|$)|$|\n|\s+(?:and|but|since|because|so|which|as|for|by)\b))"
_EXPR = r"(?:\$[^$]+\$|\\\(.+?\\\)|[^.;,\n]+?)"
NL_PATTERNS = [
    ("integral", Needs("integral|antiderivative|anti-derivative|primitive", re.compile(
        r"(?:the\s+)?(?:indefinite\s+)?(?:integral|antiderivative|anti-derivative|primitive)\s+of\s+"
        r"(?P<f>" + _EXPR + r")\s+(?:with respect to\s+(?P<var>[a-z])\s+|d(?P<var2>[a-z])\s+)?"
        r"(?:is|equals|=|gives)\s+(?P<F>" + _EXPR + r")" + _END, re.I), re.I)),
    ("derivative", Needs("derivative", re.compile(
        r"(?:the\s+)?(?:first\s+)?derivative\s+of\s+(?P<f>" + _EXPR + r")\s+"
        r"(?:with respect to\s+(?P<var>[a-z])\s+)?(?:is|equals|=)\s+(?P<F>" + _EXPR + r")" + _END, re.I),
        re.I)),
    ("limit", Needs("limit", re.compile(
        r"(?:the\s+)?limit\s+of\s+(?P<f>" + _EXPR + r")\s+as\s+(?P<var>[a-z])\s+(?:approaches|goes to|"
        r"tends to|→|->)\s+(?P<a>" + _EXPR + r")\s+(?:is|equals|=)\s+(?P<F>" + _EXPR + r")" + _END, re.I),
        re.I)),
]


def _strip_math(s: str, start: int) -> tuple[str, int]:
    m = re.fullmatch(r"\s*(?:\$(.+)\$|\\\((.+)\\\))\s*", s, re.S)
    if m:
        g = 1 if m.group(1) is not None else 2
        return m.group(g), start + m.start(g)
    lead = len(s) - len(s.lstrip())
    return s.strip(), start + lead


def natural_language_claims(text: str) -> list[MathClaim]:
    out = []
    for kind, pat in NL_PATTERNS:
        for m in pat.finditer(text):
            f_text, f_at = _strip_math(m.group("f"), m.start("f"))
            F_text, F_at = _strip_math(m.group("F"), m.start("F"))
            f = parse_side(f_text, frozenset())
            F = parse_side(F_text, frozenset())
            if not isinstance(f, sympy.Expr) or not isinstance(F, sympy.Expr):
                continue
            var_name = (m.groupdict().get("var") or m.groupdict().get("var2") or "")
            var = sympy.Symbol(var_name) if var_name else _main_variable(f)
            if var is None:
                continue
            extra: dict = {}
            if kind == "limit":
                a_text, _ = _strip_math(m.group("a"), m.start("a"))
                point = parse_side(a_text.replace("infinity", "\\infty"), frozenset())
                if not isinstance(point, sympy.Expr):
                    continue
                extra["point"] = point
            end = F_at + len(F_text)
            out.append(MathClaim(kind, text[m.start():end], m.start(), end, lhs=f, rhs=F,
                                 rhs_span=(F_at, end), var=var, extra=extra))
    return out


def _main_variable(e: sympy.Expr) -> sympy.Symbol | None:
    syms = sorted(e.free_symbols - constant_symbols(e), key=lambda s: s.name)
    if len(syms) == 1:
        return syms[0]
    for name in ("x", "t", "y"):
        for s in syms:
            if s.name == name:
                return s
    return None


def find_claims(text: str, question: str | None = None) -> list[MathClaim]:
    """All symbolic claims in ``text`` (the question only supplies definitions/equations)."""
    state = ChainState()
    state.applied, state.applied_names = applied_names(text + "\n" + (question or ""))
    state.floor_brackets = FLOOR_WORDS.search(text + "\n" + (question or "")) is not None \
        or BRACKETED_FRACTION.search(question or "") is not None
    if question:
        question = ASY.sub(" ", question)  # drawing code: its "pair A=(-4.07,0)" is no equation
        read_definitions(question, state)
        state.described = described_functions(question, state)
        read_question_equation(question, state)
        try:  # reading the question's equations is bounded like any other SymPy work
            state.known = call_with_limit(4 * FINDER_SECONDS, read_question_facts, question, state,
                                          what="reading the question's equations")
        except (TimeLimitExceeded, TypeError, ValueError, ArithmeticError, RecursionError):
            state.known = Given()
        state.last_end = 0
    claims: list[MathClaim] = natural_language_claims(text)
    for _, s, e, fact in number_facts(text):
        s += len(text[s:e]) - len(text[s:e].lstrip())
        e -= len(text[s:e]) - len(text[s:e].rstrip())
        claims.append(MathClaim("number-fact", text[s:e], s, e, extra=fact))
    if question:
        for _, s, e, fact in question_facts(text, question):
            claims.append(MathClaim("number-fact", text[s:e], s, e, extra=fact))
    taken = [(c.start, c.end) for c in claims]
    claims += argument_claims(text) + digit_formula_claims(text)  # ahead of the chain claims on the same span
    if question:
        state.read_restrictions(restriction_items(question))
    pending = restriction_items(text)
    for st in statements(text):
        if any(s <= st.sides[0].start < e for s, e in taken):
            continue
        state.read_restrictions([r for r in pending if r[0] < st.sides[0].start])
        pending = [r for r in pending if r[0] >= st.sides[0].start]
        between = text[state.last_end:st.sides[0].start] if st.sides[0].start >= state.last_end else ""
        after = text[st.sides[-1].end:st.sides[-1].end + 40]
        kind_before = state.last_kind
        state.last_kind = "other"
        introduce(st, text, state)
        if redefine(st, state):
            state.last_end = max(state.last_end, st.sides[-1].end)
            continue
        if maybe_define(st, state):
            # f(x) = body = simpler body: the links after the definition are identities
            claims.extend(chain_claims(st, state, True, between, after, kind_before))
        else:
            claims.extend(chain_claims(st, state, False, between, after, kind_before))
        state.last_end = max(state.last_end, st.sides[-1].end)
    claims += list_claims(text)
    claims += implication_claims(text, question)
    if question:
        claims += target_claims(text, question, state)
        claims += named_part_claims(text, question, state)
        claims += line_claims(text, question, state)
    claims.sort(key=lambda c: (c.start, c.end))
    return [with_stance(c, text) for c in _drop_overlaps(claims)]


def _drop_overlaps(claims: list[MathClaim]) -> list[MathClaim]:
    """Drop a claim nested inside another one; links of one chain share a side and stay."""
    out: list[MathClaim] = []
    for c in claims:
        if any(o.start <= c.start and c.end <= o.end for o in out):
            continue
        out.append(c)
    return out
