"""Claims read by their own pattern, outside the chains: results against the expression the
question asks for, the equation of a line through the question's points, lists of simplified
values, implications between inequalities, named terms, arguments of complex numbers and
ones-digit formulas."""
from __future__ import annotations

import re

import sympy

from .answers import extract_final_answer, math_segments
from .chain_state import ChainState, FUNCTION_LETTERS, calls, restriction_items, substitute_definitions, symbols_of
from .find_chains import DECIMAL
from .find_facts import question_target
from .latex import strip_wrappers
from .statements import (LINKING_WORDS, MAX_CONTINUATION_GAP, MathClaim, REL_RE, SIMPLIFY, hypothetical, in_dollars,
                         parse_side, read_inequality, statements, top_level)


#: words that present an expression as the whole result, not a part of it
_RESULT_CUES = re.compile(r"\b(?:simplified|final|resulting)\s+(?:expression|form|result|answer)\b|"
                          r"\bexpression\s+(?:becomes|simplifies\s+to|is\s+now)\b|\bthe\s+(?:final\s+)?answer\s+is\b|"
                          r"\bvalue\s+of\s+the\s+(?:given\s+|original\s+)?expression\b[^.]{0,40}?\bis\b", re.I)


_STRONG_RULES = ("boxed", "final-answer", "hashes", "answer-section", "answer-is")


def target_claims(text: str, question: str, state: ChainState) -> list[MathClaim]:
    """The final answer, and any expression presented as the simplified result, against the
    expression the question asks to simplify or evaluate."""
    target = question_target(question, lambda t: parse_side(t, frozenset(state.defs), FUNCTION_LETTERS), state.defs)
    if target is None:
        return []
    value = substitute_definitions(target.value, state.defs)
    found: list[tuple[int, int, str]] = []
    final = extract_final_answer(text)
    if final is not None and final.rule not in _STRONG_RULES:
        final = None  # "the last expression" is a guess, not a stated answer
    if final is not None:
        found.append((final.start, final.end, final.text))
    for s, e in math_segments(text):
        seg = text[s:e]
        # the cue must introduce this very expression: "The simplified expression becomes: $$…$$"
        lead = re.sub(r"(?:\$\$?|\\[\[(])\s*$", "", text[max(0, s - 60):s]).rstrip(" :\n")
        cue = [m for m in _RESULT_CUES.finditer(lead) if len(lead) - m.end() <= 12]
        if top_level(seg, REL_RE) or not cue:
            continue
        if final is not None and s <= final.start < e + 8:
            continue
        found.append((s, e, seg))
    out = []
    for s, e, shown in found:
        claimed = parse_side(strip_wrappers(shown), frozenset(state.defs), FUNCTION_LETTERS)
        if not isinstance(claimed, sympy.Expr) or calls(claimed):
            continue
        if not target.symbolic and claimed.free_symbols or target.symbolic and not claimed.free_symbols <= value.free_symbols:
            continue
        out.append(MathClaim("target", text=text[s:e], start=s, end=e, lhs=claimed, rhs=value, rhs_span=(s, e),
                             extra={"question": target.text, "rounded": target.rounded,
                                    "places": _decimals(shown) if target.rounded else None}))
    return out


#: a named point with coordinates: "A(2,2)", "$B = (7, -1)$"
_POINT = re.compile(r"(?<![A-Za-z\\])([A-Z])\s*=?\s*\(\s*([^(),$]{1,20}?)\s*,\s*([^(),$]{1,20}?)\s*\)")
#: "the line AB", "line $\\overline{AB}$", "the line through A and B"
_LINE = re.compile(r"\bline\s+(?:(?:passing\s+)?through\s+(?:points?\s+)?)?(?:\$|\\\(\s*)?(?:\\overline\s*\{|\\overleftrightarrow\s*\{)?"
                   r"([A-Z])\}?(?:\$|\s*\\\))?\s*(?:and\s+)?(?:\$|\\\(\s*)?([A-Z])\b", re.I)


#: "its equation is", "the equation of the line is", "so the line is"
_LINE_EQUATION = re.compile(r"\b(?:(?:its\s+equation|(?:the\s+)?equation\s+(?:of\s+(?:the\s+|this\s+)?line\s*"
                            r"(?:\$?[A-Z]{2}\$?\s*)?)?)\s*(?:is|becomes|will\s+be)|(?:has|with)\s+(?:the\s+)?equation)"
                            r"\s*:?\s*$", re.I)


#: another figure named between the line and its equation: the equation may be that one's
_OTHER_FIGURE = re.compile(r"\b(?:perpendicular|bisector|tangent|normal|parallel|circle|parabola|median|altitude|"
                           r"another|other|second|reflect\w*|rotat\w*|shift\w*|translat\w*|image|if|suppose)\b", re.I)


MAX_LINE_GAP = 200


def line_claims(text: str, question: str, state: ChainState) -> list[MathClaim]:
    """"The line AB … its equation is $y = x + 5$" with A and B given coordinates in the
    question: both points must lie on the stated line."""
    points = {}
    for m in _POINT.finditer(question):
        xy = [parse_side(g, frozenset()) for g in (m.group(2), m.group(3))]
        if all(isinstance(v, sympy.Expr) and v.is_number and v.is_real for v in xy):
            points.setdefault(m.group(1), tuple(xy))
    if len(points) < 2:
        return []
    x, y = sympy.Symbol("x"), sympy.Symbol("y")
    out = []
    for m in _LINE.finditer(text):
        a, b = m.group(1).upper(), m.group(2).upper()
        if a == b or a not in points or b not in points or m.group(1) != a or m.group(2) != b:
            continue
        for st in statements(text[m.end():m.end() + MAX_LINE_GAP]):
            gap = text[m.end():m.end() + st.sides[0].start]
            lead = re.sub(r"(?:\$\$?|\\[\[(])\s*$", "", gap)
            named = re.search(r"\bequation\s+of\s+(?:the\s+)?$", text[max(0, m.start() - 30):m.start()], re.I) \
                and re.fullmatch(r"[\s$}]*(?:\\\))?\s*(?:is|:)\s*:?\s*", lead)  # "the equation of line AB is …"
            if st.ops != ("=",) or not (named or _LINE_EQUATION.search(lead)) or _OTHER_FIGURE.search(gap):
                continue
            lhs, rhs = (parse_side(side.text.rstrip(". "), frozenset()) for side in st.sides)
            if not isinstance(lhs, sympy.Expr) or not isinstance(rhs, sympy.Expr):
                break
            d = sympy.Add(lhs, -rhs)
            if symbols_of(d) != {x, y} or not d.is_polynomial(x, y) or sympy.Poly(d, x, y).total_degree() != 1:
                break
            s, e = m.end() + st.sides[0].start, m.end() + st.sides[1].end
            out.append(MathClaim("line-points", text=text[s:e], start=s, end=e, lhs=lhs, rhs=rhs,
                                 extra={"points": ((a, points[a]), (b, points[b]))}))
            break
    return out


_COMMA = re.compile(r"(?<!\\),(?!\d{3}(?!\d))")
#: the only words between two lists of values when the second simplifies the first
_SIMPLIFIED_LIST = re.compile(LINKING_WORDS + SIMPLIFY + r"(?:\s+(?:these|them|each))?(?:\s+(?:gives?|yields?|to))?"
                              r"(?:\s+us)?\s*:?\s*", re.I)


def _value_list(seg: str) -> tuple[str, list[tuple[str, int]]] | None:
    """``k = E = a_1, a_2, …, a_n`` → ("k", [(a_1, offset), …]): a name given several values,
    each with where it starts in ``seg`` (equal values written twice keep their own places)."""
    cuts = [m.start() for m in top_level(seg, _COMMA)]
    starts = [0] + [c + 1 for c in cuts]
    items = [seg[a:b] for a, b in zip(starts, cuts + [len(seg)])]
    if len(items) < 2:
        return None
    first = [m for m in top_level(items[0], REL_RE)]
    if not first or any(m.group(0) != "=" for m in first):
        return None
    name = items[0][:first[0].start()].strip()
    if not re.fullmatch(r"[A-Za-z](?:_\{?\w+\}?)?", name):
        return None
    raw = [(items[0][first[-1].end():], first[-1].end())] + [
        (it.split("=")[0] if top_level(it, REL_RE) else it, at) for it, at in zip(items[1:], starts[1:])]
    return name, [(v.strip().rstrip(".").strip(), at + len(v) - len(v.lstrip())) for v, at in raw]


def list_claims(text: str) -> list[MathClaim]:
    """``k = \\frac{56 + 1}{18}, \\frac{28 + 2}{18}`` then "simplifying these gives"
    ``k = 3, \\frac{5}{3}``: the values pair up in order, each a numeric claim."""
    segs = [(s, e) for s, e in math_segments(text) if not in_dollars(text, s, e)]
    out = []
    for (s1, e1), (s2, e2) in zip(segs, segs[1:]):
        gap = re.sub(r"\\[\[\]()]|\$", " ", text[e1:s2])
        if len(gap) > MAX_CONTINUATION_GAP or _SIMPLIFIED_LIST.fullmatch(gap) is None:
            continue
        before, after = _value_list(text[s1:e1]), _value_list(text[s2:e2])
        if before is None or after is None or before[0] != after[0] or len(before[1]) != len(after[1]):
            continue
        pairs = [(parse_side(a, frozenset()), parse_side(b, frozenset()), a, b, s2 + where)
                 for (a, _), (b, where) in zip(before[1], after[1])]
        if not all(isinstance(a, sympy.Expr) and isinstance(b, sympy.Expr) and a.is_number and b.is_number
                   for a, b, _, _, _ in pairs):
            continue
        for a, b, ta, tb, at in pairs:
            out.append(MathClaim("numeric", text=f"{ta} = {tb}", start=at, end=at + len(tb), lhs=a, rhs=b,
                                 rhs_span=(at, at + len(tb)), extra={"decimal": bool(DECIMAL.match(tb))}))
    return out


_MATH_BIT = r"(\$[^$]{1,200}\$|\\\((?:(?!\\[()]).){1,200}\\\))"  # one $…$ or \(…\), never two
#: "$xy > x + y$, this means either $x > y + 1$ or $y > x + 1$": an implication between inequalities
_IMPLIES_OR = re.compile(_MATH_BIT + r"\s*,?\s*(?:(?:this|which|that)\s+(?:means|implies)|(?:so|hence|thus|therefore))"
                         r"\s+(?:that\s+)?(?:either\s+)?" + _MATH_BIT + r"\s+or\s+" + _MATH_BIT, re.S)


MAX_IMPLICATION_SYMBOLS = 3
#: words that narrow the unknowns below "any positive integer" (a counterexample among small
#: positive integers may break them)
_DOMAIN_WORDS = re.compile(r"\b(?:even|odd|primes?|multiples?|divisible|divisors?|factors?|digits?|integers?|whole|"
                           r"natural|squares?|cubes?|consecutive|distinct|negative|remainder|mod|parity)\b", re.I)


def implication_claims(text: str, question: str | None = None) -> list[MathClaim]:
    """"A, this means B or C" between inequalities: every value satisfying A must satisfy B or
    C (the engine looks for a counterexample among small positive integers). "If A" or "in
    case 1, A" changes nothing: the implication is claimed for every value. Not when the
    question or an earlier step narrows the unknowns ("both $m$ and $n$ are even", "$m > 3$"):
    the counterexample may not be one of the values meant."""
    out = []
    for m in _IMPLIES_OR.finditer(text):
        rels = [read_inequality(m.group(k)) for k in (1, 2, 3)]
        if any(r is None for r in rels):
            continue
        syms = set().union(*(r.free_symbols for r in rels))
        if not syms or len(syms) > MAX_IMPLICATION_SYMBOLS or not rels[0].free_symbols:
            continue
        earlier = (question or "") + "\n" + text[:m.start()]
        restrictions = _restrictions(earlier, syms)
        if _DOMAIN_WORDS.search(earlier) or restrictions is None:
            continue
        # the span is the connective ("this means either"): the inequalities keep their own claims
        start = m.end(1) + len(text[m.end(1):m.start(2)]) - len(text[m.end(1):m.start(2)].lstrip(" ,"))
        out.append(MathClaim("implication", text[start:m.start(2)].rstrip(), start, start + len(text[start:m.start(2)].rstrip()),
                             lhs=rels[0], extra={"cases": tuple(rels[1:]), "restrictions": restrictions}))
    return out


def _restrictions(earlier: str, syms: set) -> tuple | None:
    """The inequalities ``earlier`` states on ``syms`` (a counterexample must meet them), or
    None when one of them cannot be read (then no counterexample can be trusted)."""
    names = {s.name for s in syms}
    out = []
    for _, rel, letters in restriction_items(earlier):
        if letters & names:
            return None  # a domain word or an inequality this reading does not capture
        if rel is not None and {s.name for s in rel.free_symbols} & names:
            if not rel.free_symbols <= syms:
                return None
            out.append(rel)
    return tuple(out)


def _decimals(shown: str) -> int | None:
    m = re.fullmatch(r"\s*-?\d+(?:\.(\d+))?\s*", strip_wrappers(shown).strip("$ ."))
    return len(m.group(1) or "") if m else None


# ---- named parts, arguments, digit formulas ----------------------------------------------
_MATH_ONE = r"(?:\$[^$]{1,300}\$|\\\((?:(?!\\[()]).){1,300}\\\)|\\\[(?:(?!\\[\[\]]).){1,300}\\\])"
_ORDINALS = {"first": 0, "second": 1, "third": 2, "fourth": 3, "last": -1}
#: "So, the second part becomes \(-16a^2 - 32a\)": a named term of the expression asked about
_NAMED_PART = re.compile(r"\bthe\s+(?P<ord>first|second|third|fourth|last)\s+(?:term|part)\s+"
                         r"(?:becomes|simplifies\s+to|expands\s+to)\s*:?\s*(?P<math>" + _MATH_ONE + r")", re.I | re.S)


def _math_inner(bit: str) -> str:
    bit = bit.strip()
    inner = bit[1:-1] if bit.startswith("$") else bit[2:-2]
    return strip_wrappers(inner).strip().rstrip(".,;:").strip()


def written_terms(text: str) -> list[str]:
    """The terms of a sum in written order, each with its sign (``7a^3(3a^2 - a) - 8a(2a - 4)``
    → ``7a^3(3a^2 - a)``, ``- 8a(2a - 4)``): cut at a top-level ``+``/``-`` that follows an
    operand (not the sign of an exponent or of a factor after ``\\cdot``)."""
    depth, cuts = 0, []
    for i, c in enumerate(text):
        if c in "{([":
            depth += 1
        elif c in "})]":
            depth = max(0, depth - 1)
        elif c in "+-" and depth == 0 and i > 0:
            prev = text[:i].rstrip()
            if prev and (prev[-1].isalnum() or prev[-1] in ")}]") and not re.search(r"\\[A-Za-z]+$", prev):
                cuts.append(i)
    bounds = [0] + cuts + [len(text)]
    return [text[a:b].strip() for a, b in zip(bounds, bounds[1:]) if text[a:b].strip()]


def named_part_claims(text: str, question: str, state: ChainState) -> list[MathClaim]:
    """"The second part becomes X" where the question asks to simplify or compute a sum: X
    must be that term of the sum as written, with or without its sign."""
    parse = lambda t: parse_side(t, frozenset(state.defs), FUNCTION_LETTERS)  # noqa: E731
    target = question_target(question, parse, state.defs)
    if target is None:
        return []
    terms = written_terms(target.text)
    values = [parse(t) for t in terms]
    if len(terms) < 2 or not all(isinstance(v, sympy.Expr) and not calls(v) for v in values):
        return []
    out = []
    for m in _NAMED_PART.finditer(text):
        k = _ORDINALS[m.group("ord").lower()]
        if k >= len(terms):
            continue
        shown = _math_inner(m.group("math"))
        claimed = parse(shown)
        if not isinstance(claimed, sympy.Expr) or calls(claimed) or top_level(shown, REL_RE):
            continue
        s, e = m.start("math"), m.end("math")
        out.append(MathClaim("named-part", text=text[m.start():e], start=m.start(), end=e, lhs=claimed,
                             rhs=substitute_definitions(values[k], state.defs), rhs_span=(s, e),
                             extra={"part": terms[k], "question": target.text}))
    return out


_GREEK_NAME = r"\\(?:theta|phi|alpha|beta|psi|varphi|vartheta)"
#: "Let \( \theta \) be the argument of \( \frac{64}{5} - \frac{48}{5}i \)"
_ARGUMENT_OF = re.compile(r"\blet\s+(?:\$|\\\()\s*(?P<name>" + _GREEK_NAME + r")\s*(?:\$|\\\))\s+be\s+the\s+argument\s+"
                          r"(?:\(angle\)\s+)?of\s+(?:the\s+complex\s+number\s+)?(?P<math>" + _MATH_ONE + r")", re.I | re.S)


def argument_claims(text: str) -> list[MathClaim]:
    """"Let θ be the argument of Z" then "θ = V": V must be an argument of the complex
    number Z (equal to it up to a multiple of 2π). Only until θ is named again."""
    decls = list(_ARGUMENT_OF.finditer(text))
    out = []
    for n, m in enumerate(decls):
        z = parse_side(_math_inner(m.group("math")), frozenset())
        if not isinstance(z, sympy.Expr) or not z.is_number or z.has(sympy.Float) or z == 0:
            continue
        name = m.group("name")
        end = decls[n + 1].start() if n + 1 < len(decls) else len(text)
        for st in statements(text[m.end():end]):
            if st.ops[0] != "=" or st.sides[0].text.strip() != name or hypothetical(st.context):
                continue  # "if we guessed θ = π/2, …" tries a value, it does not state one
            side = st.sides[1]
            value = parse_side(side.text, frozenset())
            if not isinstance(value, sympy.Expr) or not value.is_number or value.has(sympy.Float) \
                    or re.search(r"\d\.\d", side.text):
                continue  # a decimal is a rounding of the angle, not an exact value
            s, e = m.end() + st.sides[0].start, m.end() + side.end
            out.append(MathClaim("argument", text=text[s:e], start=s, end=e, lhs=value, rhs=z,
                                 rhs_span=(m.end() + side.start, e), extra={"name": name}))
    return out


_DIGIT_WORD = r"(?:ones|units|unit)\s+digit"
_MATH_SHORT = r"(?:\$[^$]{1,80}\$|\\\((?:(?!\\[()]).){1,80}\\\))"
#: "denote the ones digit of \(n\) as \(d\)", "let $d$ be the units digit of $n$"
_DIGIT_NAMED = re.compile(r"\b(?:denote|call)\s+the\s+" + _DIGIT_WORD + r"\s+of\s+(?P<n>" + _MATH_SHORT + r")\s+(?:as|by)\s+"
                          r"(?P<d>" + _MATH_SHORT + r")|\blet\s+(?P<d2>" + _MATH_SHORT + r")\s+be\s+the\s+" + _DIGIT_WORD
                          + r"\s+of\s+(?P<n2>" + _MATH_SHORT + r")", re.I)


#: "the ones digit of \(51 - n\) is actually \(10 - d\)"
_DIGIT_OF = re.compile(r"\bthe\s+" + _DIGIT_WORD + r"\s+of\s+(?P<e>" + _MATH_SHORT + r")\s+is\s+(?:actually\s+|then\s+|just\s+)?"
                       r"(?P<f>" + _MATH_SHORT + r")", re.I)


_IF_MATH = re.compile(r"\bif\s+(" + _MATH_SHORT + r")\s*,?\s*(?:then\s*,?\s*)?", re.I)
_CONDITION_WORDS = re.compile(r"\b(?:if|when|whenever|unless|for|suppose|assum\w*|case|where|only)\b", re.I)
#: words that set a condition before the claim ("Since d ≥ 2, …"); after it they usually
#: explain it ("(since we borrow 1)") and count only with a bound on the digit
_PREMISE_WORDS = re.compile(r"\b(?:since|because|as|given|now)\b", re.I)
_ORDER_SIGN = re.compile(r"<|>|\\[lg]eq?\b|\\n(?:eq|e)\b|\\[lg]eqslant|[≤≥≠]")
_SCALAR = re.compile(r"^[A-Za-z]$")


def digit_formula_claims(text: str) -> list[MathClaim]:
    """"Let d be the ones digit of n" then "the ones digit of E(n) is F(d)", E a polynomial
    in n with integer coefficients (so its ones digit depends on d alone): checked on every
    ones digit, under the "if" conditions on d written in the same sentence."""
    out = []
    for decl in _DIGIT_NAMED.finditer(text):
        n_text, d_text = (_math_inner(decl.group(g) or decl.group(g + "2")) for g in ("n", "d"))
        if not (_SCALAR.match(n_text) and _SCALAR.match(d_text)) or n_text == d_text:
            continue
        n, d = sympy.Symbol(n_text), sympy.Symbol(d_text)
        if re.search(r"(?<![A-Za-z\\])" + n_text + r"\s*=\s*-?\d", text[:decl.start()]):
            continue  # n was given a value: the claim is about that number only
        for m in _DIGIT_OF.finditer(text, decl.end()):
            claim = _digit_formula(text, m, n, d, decl.end())
            if claim is not None:
                out.append(claim)
        break  # one naming of the digit per solution
    return out


def _bounds_digit(bit: str, d: sympy.Symbol) -> bool:
    """A piece of math that orders or excludes the digit ("d \\geq 2", "d < 5", "d \\neq 0")."""
    return _ORDER_SIGN.search(bit) is not None and re.search(r"(?<![A-Za-z\\])" + d.name + r"(?![A-Za-z])", bit) is not None


def _digit_formula(text: str, m: re.Match, n: sympy.Symbol, d: sympy.Symbol, decl_end: int) -> MathClaim | None:
    e = parse_side(_math_inner(m.group("e")), frozenset())
    f = parse_side(_math_inner(m.group("f")), frozenset())
    if not isinstance(e, sympy.Expr) or not isinstance(f, sympy.Expr) or e.free_symbols != {n} \
            or d not in f.free_symbols or f.free_symbols != {d}:
        return None
    try:
        poly = sympy.Poly(e, n)
    except (sympy.PolynomialError, sympy.GeneratorsNeeded):
        return None
    if poly.degree() > 6 or not all(c.is_Integer for c in poly.all_coeffs()):
        return None
    start = max(text.rfind(". ", 0, m.start()), text.rfind("\n", 0, m.start())) + 1
    stops = [i for i in (text.find(". ", m.end()), text.find("\n", m.end())) if i >= 0]
    before, after = text[start:m.start()], text[m.end():min(stops) if stops else len(text)]
    conditions = []
    for c in _IF_MATH.finditer(before):
        rel = read_inequality(c.group(1))
        if rel is None or rel.free_symbols != {d}:
            return None
        conditions.append(rel)
    unread_before = _IF_MATH.sub(" ", before)
    if _CONDITION_WORDS.search(unread_before) or _PREMISE_WORDS.search(unread_before) \
            or _CONDITION_WORDS.search(after):
        return None  # a condition this reading does not capture
    # "Suppose d ≥ 2. Then …", "… (as d ≥ 2)": a bound on the digit stated outside an "if"
    # (one the "if" repeats is read)
    unread = text[decl_end:start] + unread_before + after
    for b in re.finditer(_MATH_SHORT, unread):
        if _bounds_digit(b.group(0), d) and read_inequality(b.group(0)) not in conditions:
            return None
    return MathClaim("digit-formula", text=text[m.start():m.end()], start=m.start(), end=m.end(), lhs=e, rhs=f,
                     rhs_span=(m.start("f"), m.end("f")), var=n, extra={"digit": d, "conditions": tuple(conditions)})
