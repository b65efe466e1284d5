"""What carries from one line of a solution to the next while claims are found: functions
defined so far, the last equation and inequality, every equation seen (facts), what the
question pins down, letters restricted or redefined. :class:`ChainState` is that object;
the helpers here read definitions, the question and restrictions into it."""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

import sympy

from .find_facts import Given, read_given
from .stance import lead_in, words_of
from .statements import Statement, parse_side, read_inequality, statements


#: time for a numeric probe while finding claims (deciding them has the engine's budget)
FINDER_SECONDS = 0.25
#: words that mark an equality as a rewriting (an identity) rather than an equation to solve
IDENTITY_CUES = re.compile(
    r"\b(expand\w*|factor\w*|simplif\w*|distribut\w*|rewrit\w*|multiply(?:ing)? out|foil|"
    r"identity|equivalent(?:ly)?|combin\w* like terms|can be written|written as|same as)\b", re.I)


SOLVE_CUES = re.compile(r"\b(solv\w*|equation|set\w* (?:it |this )?equal|intersect\w*|when|both\s+sides|"
                        r"(?:left|right)(?:[\s-]+hand)?\s+side)\b", re.I)


#: letters read as function names when written f(…): f(2) is "f at 2", not f·2
FUNCTION_LETTERS = frozenset("fghpqrsFGHPQRST")
#: words between two equations that mean "the second is another case, not a consequence"
UNLINKED = re.compile(r"\b(if|case|cases|suppose|assum\w*|for|when|where|check\w*|test\w*|try\w*|"
                      r"consider\w*|not|otherwise|alternatively|either|or|but|however|instead|also|"
                      r"let|another|other|next|similarly|critical|interval|and|first|second|third|fourth)\b|"
                      r"\\(?:neq|ne|pm)\b|[?]|"
                      r"\(\s*\d+\s*\)",  # an equation label "(1)": a list of equations
                      re.I)


#: words that introduce several separate equations, not a derivation
LISTING_CUES = re.compile(r"\b(separate\w*|two|both|system|each|respectively|following|given|"
                          r"conditions?|cases?)\b", re.I)


_BOTH_SIDES = re.compile(r"\b(?:both|each)\s+sides?\b", re.I)


def listing(context: str) -> bool:
    """Words that introduce separate equations ("both equations"), not "both sides"."""
    return LISTING_CUES.search(_BOTH_SIDES.sub(" ", context)) is not None


#: check numeric links written in LaTeX here (the arithmetic engine reads plain numbers only)
NUMERIC_LATEX = True
MAX_LINK_GAP = 160  # characters of text between an equation and the one it must imply
MAX_SIBLING_GAP = 30  # between two roots of the same equation ("x = 2 or x = 3")
NEGATED = re.compile(r"[\s\\)$.,]*(?:is|are|does|do)?\s*(?:not|n't|never|no longer)\b|\s*\\ne", re.I)


@dataclass
class ChainState:
    """What carries from one statement of a solution to the next while claims are found (the
    finders' only mutable state): set from the question first, then updated by each chain."""

    defs: dict[str, tuple[sympy.Symbol, sympy.Expr]] = field(default_factory=dict)
    #: the last equation in one unknown: (lhs, rhs, unknown)
    equation: tuple[Any, Any, sympy.Symbol] | None = None
    #: every equation seen so far as lhs − rhs (to recognise substitutions of known facts)
    facts: list[sympy.Expr] = field(default_factory=list)
    last_end: int = 0
    #: what the previous statement was: "equation" (set ``equation``), "root" (a root of it
    #: linked to it), or "other"; only the first two can be followed by a linked step
    last_kind: str = "other"
    #: the variable the previous statement assigned a number to ("b = -1"), if it did
    prev_assign: sympy.Symbol | None = None
    #: relations stated in the question, as lhs − rhs
    given: list[sympy.Expr] = field(default_factory=list)
    #: the last inequality in one unknown: (lhs, op, rhs, unknown)
    inequality: tuple[Any, str, Any, sympy.Symbol] | None = None
    #: what the question pins down (its equations, named roots, identities in x)
    known: Given = field(default_factory=Given)
    #: function letters the question describes in words (never defined by a step's formula)
    described: set = field(default_factory=set)
    #: the question's equations (not its inequalities), as lhs − rhs, however they read
    question_equations: list[sympy.Expr] = field(default_factory=list)
    #: letters a domain word or an unreadable inequality restricts (question or earlier step)
    restricted: set = field(default_factory=set)
    #: inequalities stated so far (question or earlier step): a probe must meet them
    domain: list = field(default_factory=list)
    #: letters written as functions (``d(n)``, ``s(k)``): ``d(9)`` is d at 9, never d·9
    applied: frozenset = frozenset()
    #: other names written as functions (``N_A(t)``, ``\\phi(n)``): a side applying one is not read
    applied_names: re.Pattern | None = None
    #: letters the solution (re)defines ("let u = \\sin x", "set k = 2m"): the question's
    #: equations and earlier facts no longer speak of them
    redefined: set = field(default_factory=set)
    #: the text or question uses [x] for the integer part ("the greatest integer …")
    floor_brackets: bool = False

    def bound(self, *exprs: Any) -> bool:
        """Some equation or restriction stated so far (in the question or a step) shares an
        unknown with ``exprs``: a relation between them may hold only where that one does
        ("for $x > 20$", "$x \\geq 0$")."""
        syms: set = set()
        for e in exprs:
            syms |= symbols_of(e)
        return any(symbols_of(f) & syms for f in list(self.facts) + self.question_equations) \
            or any(s.name in self.restricted for s in syms)

    def domain_of(self, *exprs: Any) -> tuple:
        """The stated inequalities on the unknowns of ``exprs``."""
        syms: set = set()
        for e in exprs:
            syms |= symbols_of(e)
        return tuple(r for r in self.domain if r.free_symbols & syms)

    def read_restrictions(self, items: list) -> None:
        """Take in :func:`restriction_items`: inequalities join the domain; a domain word or
        an inequality that does not parse restricts its letters outright."""
        for _, rel, letters in items:
            if rel is not None:
                self.domain.append(rel)
            self.restricted |= letters


_ANY_MATH = re.compile(r"\$[^$]{1,200}\$|\\\((?:(?!\\[()]).){1,200}\\\)|\\\[(?:(?!\\[\[\]]).){1,400}\\\]", re.S)


def restriction_items(text: str) -> list:
    """(position, inequality or None, restricted letters) for each restriction in ``text``:
    a math bit holding one inequality is read; any other bit ordering a letter, and a
    domain word or inequality in plain words, restricts its letters."""
    out = []
    plain = list(text)
    for b in _ANY_MATH.finditer(text):
        plain[b.start():b.end()] = " " * (b.end() - b.start())
        letters = _restricted_letters(b.group(0))
        if not letters:
            continue
        bit = b.group(0)
        rel = read_inequality(bit if not bit.startswith("\\[") else "\\(" + bit[2:-2] + "\\)")
        out.append((b.start(), rel, set() if rel is not None else letters))
    for m in _RESTRICTED.finditer("".join(plain)):
        out.append((m.start(), None, {g for g in m.groups() if g}))
    # a domain word before a math letter ("positive $x$") spans both
    for m in re.finditer(r"\b(?:positive|negative|nonnegative|non-negative|nonzero|non-zero)\s+(?:numbers?\s+|integers?\s+)?"
                         r"(?:\$|\\\()\s*([A-Za-z])(?![A-Za-z])", text, re.I):
        out.append((m.start(), None, {m.group(1)}))
    return sorted(out, key=lambda t: t[0])


_ORDER_WORD = r"(?:<|>|≤|≥|\\(?:leq?|geq?|leqslant|geqslant|in|ne|neq)(?![A-Za-z]))"
#: a letter an inequality or a domain word restricts: "x > 20", "0 \le x", "positive $x$"
_RESTRICTED = re.compile(r"(?<![A-Za-z\\])([A-Za-z])(?:_\{?\w+\}?)?\s*" + _ORDER_WORD
                         + r"|" + _ORDER_WORD + r"\s*-?\s*([A-Za-z])(?![A-Za-z])"
                         r"|\b(?:positive|negative|nonnegative|non-negative|nonzero|non-zero|real)\s+"
                         r"(?:numbers?\s+|integers?\s+|values?\s+(?:of\s+)?)?(?:\$|\\\()?\s*([A-Za-z])(?![A-Za-z])")


def _restricted_letters(text: str) -> set:
    """Letters ``text`` restricts by an inequality or a domain word."""
    return {a or b or c for a, b, c in _RESTRICTED.findall(text)}


def is_calculus(e: Any) -> bool:
    return isinstance(e, sympy.Basic) and e.has(sympy.Integral, sympy.Derivative, sympy.Limit,
                                                 sympy.Sum, sympy.Product, sympy.Subs)


def symbols_of(e: Any) -> set:
    return set(getattr(e, "free_symbols", set())) if isinstance(e, sympy.Basic) else set()


def calls(e: Any) -> list:
    if not isinstance(e, sympy.Basic):
        return []
    return [a for a in sympy.preorder_traversal(e) if isinstance(a, sympy.core.function.AppliedUndef)]


def applies(e: Any, defs: dict) -> bool:
    return any(a.func.__name__ in defs for a in calls(e))


def undefined_calls(e: Any, defs: dict) -> bool:
    return any(a.func.__name__ not in defs for a in calls(e))


def is_name(e: Any) -> bool:
    return isinstance(e, sympy.Symbol) or isinstance(e, sympy.core.function.AppliedUndef)


_DEF_LHS = re.compile(r"^([A-Za-z])\s*\(\s*([a-z])\s*\)$")


def read_definitions(text: str, state: ChainState) -> None:
    for st in statements(text):
        maybe_define(st, state)


def maybe_define(st: Statement, state: ChainState) -> bool:
    if not st.ops or st.ops[0] != "=":
        return False
    m = _DEF_LHS.match(st.sides[0].text.replace(" ", ""))
    if not m:
        return False
    name, var_name = m.group(1), m.group(2)
    if name == var_name or name in state.defs or name in state.described:
        return False  # restating a defined function is a claim about it, checked as such
    if _PIECEWISE.search(st.sides[1].text) or _PIECEWISE.search(st.context):
        return False  # one piece of a function defined by cases is not the function
    body = parse_side(st.sides[1].text, frozenset(state.defs) | {name})
    var = sympy.Symbol(var_name)
    if isinstance(body, sympy.Expr) and var in body.free_symbols and not calls(body):
        state.defs[name] = (var, body)
        return True
    return False


ASY = re.compile(r"\[asy\].*?(?:\[/asy\]|$)", re.S)
_PIECEWISE = re.compile(r"\\begin\s*\{(?:array|cases)\}|\\left\s*\\\{|\\text\s*\{\s*(?:if|for|when)\b", re.I)


def described_functions(question: str, state: ChainState) -> set[str]:
    """Letters the question uses as functions without an equation for them ("let f(n) be
    the sum of the divisors of n"): a formula a step gives for one (on some case) is not
    their definition."""
    used = set(re.findall(r"(?<![A-Za-z\\])([A-Za-z])\s*\(\s*[a-z]\s*\)", question))
    return {f for f in used if f in FUNCTION_LETTERS and f not in state.defs}


#: a name applied to one letter: ``d(n)``, ``N_A(t)``, ``\\phi(n)`` (a function, in the question or the text)
_APPLIED = re.compile(r"(?<![A-Za-z\\])(\\(?:phi|varphi|sigma|tau|pi|mu|lambda|omega|psi|rho|nu|chi|eta|Phi)(?![A-Za-z])|"
                      r"[A-Za-z](?:_\{?[A-Za-z0-9]{1,3}\}?)?)\s*(?:\\left\s*)?\(\s*([A-Za-z])\s*(?:\\right\s*)?\)")


def applied_names(text: str) -> tuple[frozenset, re.Pattern | None]:
    """Names the text writes as functions of a letter (``d(n)``, ``N_A(t)``, ``\\sigma(n)``;
    not ``x(x)``): single letters, and a pattern for the others, written applied to anything."""
    letters, others = set(), set()
    for m in _APPLIED.finditer(text):
        name, arg = m.group(1), m.group(2)
        if name == arg or name in ("e", "i"):
            continue
        if len(name) == 1:
            letters.add(name)
        else:
            base, _, sub = name.partition("_")
            others.add(re.escape(base) + (r"_\{?" + re.escape(sub.strip("{}")) + r"\}?" if sub else r"(?![A-Za-z])"))
    pattern = re.compile(r"(?<![A-Za-z])(?:" + "|".join(sorted(others)) + r")\s*(?:\\left\s*)?\(") if others else None
    return frozenset(letters), pattern


FLOOR_WORDS = re.compile(r"\bgreatest\s+integer\b|\binteger\s+part\b|\bfloor\s+function\b", re.I)
#: a lone fraction in square brackets (``\\left[ \\frac{n}{m} \\right]``): nobody groups a lone
#: fraction, so the brackets are notation (the integer part)
BRACKETED_FRACTION = re.compile(r"\\left\s*\[\s*\\[dt]?frac\s*(?:\{[^{}]*\}|\w)\s*(?:\{[^{}]*\}|\w)\s*\\right\s*\]")
#: a name introduced or given a new meaning just before a relation: "let u = …", "set k = …"
_INTRODUCED = re.compile(r"\b(?:let(?:'s)?|set(?:ting)?|denote|define|substitut\w*|where|put(?:ting)?|introduce|"
                         r"call)\b[^.;]{0,25}$", re.I)


def introduce(st: Statement, text: str, state: ChainState) -> None:
    """A letter the text introduces by a relation ("let $u = \\sin x$"): the question's
    equations and earlier facts about it no longer apply, and a function of the question
    written anew on it (``f(u) = …``) is the text's own function."""
    name = st.sides[0].text.strip()
    if not st.ops or st.ops[0] != "=" or not re.fullmatch(r"[A-Za-z](?:_\{?\w{1,3}\}?)?", name):
        return
    lead = re.sub(r"\$|\\\(|\\\[", " ", text[max(0, st.sides[0].start - 60):st.sides[0].start])
    if not _INTRODUCED.search(lead.rstrip()):
        return
    sym = parse_side(name, frozenset())
    if not isinstance(sym, sympy.Symbol):
        return
    state.redefined.add(sym)
    state.facts = [f for f in state.facts if sym not in f.free_symbols]
    if state.equation is not None and state.equation[2] == sym:
        state.equation, state.last_kind = None, "other"


def redefine(st: Statement, state: ChainState) -> bool:
    """``f(u) = body`` with ``f`` defined on another letter and ``u`` introduced by the text:
    the text's own function of ``u`` (the question's ``f`` written anew), not a claim about it."""
    if not st.ops or st.ops[0] != "=":
        return False
    m = _DEF_LHS.match(st.sides[0].text.replace(" ", ""))
    if not m or m.group(1) not in state.defs or sympy.Symbol(m.group(2)) not in state.redefined:
        return False
    name, var = m.group(1), sympy.Symbol(m.group(2))
    body = parse_side(st.sides[1].text, frozenset(state.defs) | {name})
    if isinstance(body, sympy.Expr) and var in body.free_symbols and not calls(body):
        state.defs[name] = (var, body)
        return True
    return False


def read_question_equation(question: str, state: ChainState) -> None:
    for st in statements(question):
        if len(st.ops) == 1:
            sides = [parse_side(x.text, frozenset(state.defs), FUNCTION_LETTERS) for x in st.sides]
            if all(isinstance(v, sympy.Expr) for v in sides):
                state.given.append(sympy.Add(sides[0], -sides[1]))
                if st.ops[0] == "=":
                    state.question_equations.append(sympy.Add(sides[0], -sides[1]))
        if len(st.ops) == 1 and st.ops[0] == "=":
            lhs = parse_side(st.sides[0].text, frozenset(state.defs))
            rhs = parse_side(st.sides[1].text, frozenset(state.defs))
            unknowns = symbols_of(lhs) | symbols_of(rhs)
            if isinstance(lhs, sympy.Expr) and isinstance(rhs, sympy.Expr) and len(unknowns) == 1 \
                    and not is_name(lhs) and not calls(lhs) and not calls(rhs):
                (x,) = unknowns
                state.equation, state.last_kind = (lhs, rhs, x), "equation"


_CONDITION = re.compile(r"\b(?:if|when|whenever|unless|otherwise)\b", re.I)


def read_question_facts(question: str, state: ChainState) -> Given:
    relations = []
    for st in statements(question):
        if st.ops == ("=",) and _CONDITION.search(words_of(lead_in(question, st.sides[0].start, 0))):
            # "If r = 0, P.J. sets s = 0": a relation stated under a condition is no fact
            relations.append((f"{st.sides[0].text} = {st.sides[1].text}", None, None))
            continue
        if st.ops == ("=",) and not _DEF_LHS.match(st.sides[0].text.replace(" ", "")):
            lhs, rhs = (parse_side(x.text, frozenset(state.defs), FUNCTION_LETTERS) for x in st.sides)
            if isinstance(lhs, sympy.Expr) and isinstance(rhs, sympy.Expr):
                lhs, rhs = substitute_definitions(lhs, state.defs), substitute_definitions(rhs, state.defs)
                relations.append((f"{st.sides[0].text} = {st.sides[1].text}", lhs, rhs))
    return read_given(question, relations, lambda t: parse_side(t, frozenset(state.defs), FUNCTION_LETTERS),
                      state.defs)


def substitute_definitions(e: Any, defs: dict) -> Any:
    """Replace ``f(a)`` by the body of ``f`` with ``a`` put in, for every defined ``f``."""
    def is_call(a: Any) -> bool:
        return isinstance(a, sympy.core.function.AppliedUndef) and a.func.__name__ in defs and len(a.args) == 1

    def expand_call(a: Any) -> Any:
        var, body = defs[a.func.__name__]
        return body.xreplace({var: a.args[0]})

    for _ in range(4):  # compositions f(g(x)) unfold in a few rounds
        if not any(is_call(a) for a in sympy.preorder_traversal(e)):
            break
        e = e.replace(is_call, expand_call)
    return e


def read_side(text: str, state: ChainState, fns: frozenset) -> Any:
    """A side as the text's notation means it: a name used as a function is applied, not
    multiplied (unread when the parser has no such name); square brackets where the text
    uses them for the integer part are not grouping (unread)."""
    if state.applied_names is not None and state.applied_names.search(text):
        return None
    if state.floor_brackets and "[" in text:
        return None
    return parse_side(text, fns, FUNCTION_LETTERS | state.applied)
