"""Finding explicit arithmetic claims in prose, with exact character spans.

A claim is a *chain* of terms joined by relations: ``847 × 923 = 781681``, ``48/2 = 24``,
``12 times 3 is 36``, ``2 + 3 = 5 = 10/2``, ``22/7 ≈ 3.14``. Each link of a chain (two
neighbouring terms) is judged on its own. The scanner works on the tokens of
:func:`verify.translate.arith.lex` in one left-to-right pass (no backtracking regex), so it
is linear in the text.

What it reads: currency (``$0.2``, ``5 USD``), thousands separators, decimals, ``%``,
``x``/``×``/``*`` as times, word operators (plus, minus, times, multiplied by, divided by,
over), word relations (is, equals, makes, gives) when the left side is a computation, and
unit words between a number and the next operator (``2 wheels * 10ml of oil per wheel =
20ml``) — those are dropped from the expression.

What it leaves alone, on purpose: symbolic work with variables (``x = 3``, ``2x + 1 = 7``,
``X + 278 = 536``: the math engine's job), dates, times, ratios, phone numbers, version
strings, list numbering, a bare restatement between two plain numbers (``1 dozen = 12``),
and a number that continues words it cannot read (``half of 48 = 24``, ``three times 4``).
Whatever it skips shows up as unchecked text in the report rather than as a wrong verdict.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from fractions import Fraction

from ..translate.arith import CURRENCY_SYMBOLS, ExpressionError, lex, literal_value

#: Single letters read as units when glued to a number (10m, 5g, 3h); any other glued
#: letter is a variable (2x, 5A) and makes the term symbolic.
UNIT_LETTERS = frozenset("mgshlLWVJ")
#: Words that end a clause, so they never sit inside a unit phrase between two numbers.
STOP_WORDS = frozenset("""
and or but so then than is are was were be been being am if when while because since as
that which who whom whose where he she it they we you i his her its their our your my me
him them us this these those there here has have had will would can could should may
might must do does did not no yes to from at on in with by for into onto after before
total equals equal makes gives plus minus times over left more less now also only just
about approximately approx roughly around nearly almost how what why let means
""".split())
MULTIPLIER_WORDS = frozenset({"half", "twice", "double", "triple", "thrice", "quarter",
                              "third", "thirds", "quarters", "halves", "fifth", "tenth"})
_SIGNS = frozenset("-−–+")
_BINARY_OPS = frozenset(["+", "-", "−", "–", "*", "×", "·", "⋅", "∗", "/", "÷", "^", "**"])
_OP_CANON = {"×": "*", "·": "*", "⋅": "*", "∗": "*", "÷": "/", "−": "-", "–": "-", "**": "^"}
_REL_SYMBOLS = {"=": "=", "==": "=", "≈": "≈", "~": "≈", "≃": "≈", "≅": "≈", "=~": "≈",
                "~=": "≈"}
_APPROX_WORDS = frozenset({"about", "approximately", "approx", "roughly", "around", "nearly",
                           "almost", "circa"})
_REL_WORDS = frozenset({"is", "equals", "makes", "gives"})
_NOT_UNITS = frozenset({"x", "off", "percent", "pi", "π", "sqrt", "multiplied", "divided"})
_SUPERSCRIPT = {c: str(i) for i, c in enumerate("⁰¹²³⁴⁵⁶⁷⁸⁹")}
MAX_BRIDGE_WORDS = 10
MAX_PAREN_DEPTH = 12


@dataclass(frozen=True)
class Term:
    """One side of a relation: char offsets, and its expression items (kind, text, start,
    end) with unit words removed. Kinds: num, cur (prefix), curs (suffix), pct, sup, op,
    lp, rp, root, pi."""

    start: int
    end: int
    bare: bool  # a plain number (a stated result), not a computation
    items: tuple[tuple[str, str, int, int], ...]


@dataclass(frozen=True)
class Chain:
    """``terms[0] rels[0] terms[1] ...``; every link has a computation on one side."""

    start: int
    end: int
    terms: tuple[Term, ...]
    rels: tuple[str, ...]  # "=" or "≈"

    def link_span(self, i: int) -> tuple[int, int]:
        """Offsets of link ``i`` (1-based: terms[i-1] rel terms[i])."""
        return self.terms[i - 1].start, self.terms[i].end

    def canonical(self, base: int | None = None
                  ) -> tuple[str, tuple[str, ...], tuple[tuple[int, int], ...]]:
        """The chain in the translation grammar, its operands in order, and each operand's
        offsets relative to ``base`` (default: the chain's start)."""
        base = self.start if base is None else base
        parts: list[str] = []
        operands: list[str] = []
        spans: list[tuple[int, int]] = []
        for k, term in enumerate(self.terms):
            if k:
                parts.append(self.rels[k - 1])
            prev = ""
            for kind, text, s, e in term.items:
                if kind == "num":
                    operands.append(text)
                    spans.append((s - base, e - base))
                    if prev == "cur":
                        parts[-1] += ("" if parts[-1] in CURRENCY_SYMBOLS else " ") + text
                    else:
                        parts.append(text)
                elif kind == "curs":
                    parts[-1] += ("" if text in CURRENCY_SYMBOLS else " ") + text
                elif kind == "pct":
                    parts[-1] += "%"
                elif kind == "sup":
                    operands.append(text)
                    spans.append((s - base, e - base))
                    parts[-1] += "^" + text
                else:
                    parts.append(text)
                prev = kind
        return " ".join(parts), tuple(operands), tuple(spans)


@dataclass(frozen=True)
class FinalAnswer:
    """A stated final answer (``#### 72``, ``The answer is 72``, or the last number after
    the last computation) whose value some computation in the text produced."""

    start: int
    end: int
    text: str


class _Scanner:
    def __init__(self, text: str) -> None:
        self.text = text
        self.t = lex(text)
        self.n = len(self.t)

    # -------------------------------------------------------------- token predicates
    def kind(self, i: int) -> str:
        return self.t[i].kind if 0 <= i < self.n else ""

    def low(self, i: int) -> str:
        return self.t[i].low if 0 <= i < self.n and self.t[i].kind == "WORD" else ""

    def gap(self, i: int) -> int:
        """Characters between token i-1 and token i."""
        return self.t[i].start - self.t[i - 1].end

    def operand_start(self, i: int) -> bool:
        if i >= self.n:
            return False
        tok = self.t[i]
        k = tok.kind
        if k in ("NUM", "LP", "ROOT"):
            return True
        if k == "CUR":
            return self.kind(i + 1) == "NUM" and self.gap(i + 1) <= 1
        if k == "OP" and tok.text in _SIGNS:
            return (i + 1 < self.n and self.gap(i + 1) == 0
                    and self.kind(i + 1) in ("NUM", "CUR", "LP", "ROOT"))
        if k == "WORD":
            return tok.low in ("π", "pi") or (tok.low == "sqrt" and self.kind(i + 1) == "LP")
        return False

    def times_operand(self, i: int) -> bool:
        """After an "x": a number, currency, "(" or "√" makes it "times" (12 x 3, 15x2);
        anything else (11x+15, 2x = 10) makes it a variable."""
        return self.kind(i) in ("NUM", "CUR", "LP", "ROOT") and self.operand_start(i)

    # -------------------------------------------------------------- operands
    def operand(self, i: int, depth: int, out: list) -> tuple[int, bool, str]:
        """Scan one operand at token i. Returns (index after it, ok, what) where what is
        "num", "pct", "frac-ready", "group" or "const"."""
        t = self.t
        tok = t[i]
        if tok.kind == "OP" and tok.text in _SIGNS:
            out.append(("op", "-" if tok.text != "+" else "+", tok.start, tok.end))
            i += 1
            tok = t[i]
        if tok.kind == "CUR":
            out.append(("cur", tok.text, tok.start, tok.end))
            i += 1
            tok = t[i]
        if tok.kind == "NUM":
            out.append(("num", tok.text, tok.start, tok.end))
            j = i + 1
            what = "num"
            if j < self.n and t[j].kind == "SUP" and t[j].start == t[j - 1].end:
                digits = "".join(_SUPERSCRIPT[c] for c in t[j].text)
                out.append(("sup", digits, t[j].start, t[j].end))
                j += 1
                what = "power"
            if j < self.n and ((t[j].kind == "PCT" and self.gap(j) <= 1)
                               or (t[j].kind == "WORD" and t[j].low == "percent")):
                out.append(("pct", "%", t[j].start, t[j].end))
                j += 1
                what = "pct"
            elif (j < self.n and t[j].kind == "CUR" and self.gap(j) <= 1
                  and not (self.kind(j + 1) == "NUM" and self.gap(j + 1) <= 1)):
                out.append(("curs", t[j].text, t[j].start, t[j].end))
                j += 1
            if j < self.n and t[j].kind == "WORD" and self.gap(j) == 0:
                w = t[j].text
                if len(w) == 1 and w not in UNIT_LETTERS and not (
                        w in "xX" and self.times_operand(j + 1)):
                    return j + 1, False, what  # 2x, 5A: a variable, not arithmetic
            return j, True, what
        if tok.kind == "LP":
            if depth >= MAX_PAREN_DEPTH:
                return i + 1, False, "group"
            out.append(("lp", "(", tok.start, tok.end))
            j, ok, has_op, _ = self.expression(i + 1, depth + 1, out, bridges=False)
            if not ok or self.kind(j) != "RP":
                return j, False, "group"
            out.append(("rp", ")", t[j].start, t[j].end))
            return j + 1, True, "group"
        if tok.kind == "ROOT" or (tok.kind == "WORD" and tok.low == "sqrt"):
            out.append(("root", "√", tok.start, tok.end))
            if not self.operand_start(i + 1):
                return i + 1, False, "const"
            j, ok, _ = self.operand(i + 1, depth + 1, out)
            return j, ok, "const"
        if tok.kind == "WORD" and tok.low in ("π", "pi"):
            out.append(("pi", "pi", tok.start, tok.end))
            return i + 1, True, "const"
        return i + 1, False, "num"

    # -------------------------------------------------------------- operators
    def bridge(self, j: int) -> int:
        """Skip unit words after an operand ("tubs of lip gloss", "cups/day") when they
        lead to an operator or a relation; else return j unchanged."""
        t = self.t
        k = j
        words = 0
        while k < self.n and words <= MAX_BRIDGE_WORDS:
            tok = t[k]
            if tok.kind == "WORD":
                if tok.low in STOP_WORDS or tok.low in _NOT_UNITS:
                    break
                words += 1
                k += 1
            elif tok.kind == "OP" and tok.text in ("/", "-") and words and \
                    self.kind(k + 1) == "WORD" and self.gap(k + 1) == 0:
                k += 1  # cups/day, lip-gloss
            else:
                break
        if words == 0 or words > MAX_BRIDGE_WORDS or k >= self.n:
            return j
        tok = t[k]
        if tok.kind == "OP" and tok.text in _BINARY_OPS:
            return k
        if tok.kind == "REL":
            return k
        if tok.kind == "WORD" and tok.low in ("plus", "minus", "times", "x", "multiplied",
                                              "divided", "is", "equals", "makes", "gives"):
            return k
        return j

    def binop(self, k: int, bridged: bool, last: str, prev_end: int) -> tuple[int, str] | None:
        """The operator at token k: (index of the next operand, canonical symbol)."""
        if k >= self.n:
            return None
        tok = self.t[k]
        if tok.kind == "OP":
            if tok.text in _BINARY_OPS:
                return k + 1, _OP_CANON.get(tok.text, tok.text)
            return None
        if tok.kind == "LP" and not bridged and tok.start == prev_end:
            return k, "*"  # 200(.60): implicit multiplication
        if tok.kind != "WORD":
            return None
        w = tok.low
        if w in ("plus", "minus"):
            return k + 1, "+" if w == "plus" else "-"
        if w == "times":
            return k + 1, "*"
        if w == "x" and self.times_operand(k + 1):
            return k + 1, "*"
        if w in ("multiplied", "divided") and self.low(k + 1) == "by":
            return k + 2, "*" if w == "multiplied" else "/"
        if bridged:
            return None
        if w == "over" and self.kind(k + 1) == "NUM":
            return k + 1, "/"
        if w == "of" and last in ("pct", "frac"):
            return k + 1, "of"
        if w == "off" and last == "pct":
            return k + 1, "off"
        if w in ("π", "pi") and tok.start == prev_end and last == "num":
            return k, "*"
        return None

    def expression(self, i: int, depth: int, out: list, bridges: bool = True
                   ) -> tuple[int, bool, bool, bool]:
        """Scan operand (op operand)*. Returns (index after the last operand, ok, has an
        operator, has a constant or root)."""
        j, ok, what = self.operand(i, depth, out)
        const = what in ("const", "power")
        if not ok:
            return j, False, False, const
        has_op = False
        last = what
        prev_was_num_only = what == "num"
        while True:
            k = self.bridge(j) if bridges else j
            if k != j and self.kind(k) == "REL" or (k != j and self.low(k) in _REL_WORDS):
                break
            found = self.binop(k, k != j, last, self.t[j - 1].end)
            if found is None:
                break
            nxt, sym = found
            if not self.operand_start(nxt):
                return nxt, False, True, const
            out.append(("op", sym, self.t[k].start, self.t[k].end))
            j, ok, what = self.operand(nxt, depth, out)
            has_op = True
            const = const or what in ("const", "power")
            if not ok:
                return j, False, True, const
            last = "frac" if (sym == "/" and prev_was_num_only and what == "num") else what
            prev_was_num_only = False
        return j, True, has_op, const

    def relation(self, k: int, left_is_computation: bool) -> tuple[int, str] | None:
        """The relation at token k: (index of the right side, "=" or "≈")."""
        if k >= self.n:
            return None
        tok = self.t[k]
        if tok.kind == "REL":
            sym = _REL_SYMBOLS.get(tok.text)
            if sym is None:
                return None
            k += 1
        elif tok.kind == "WORD" and tok.low in _REL_WORDS and left_is_computation:
            sym = "="
            k += 1
            if tok.low == "is" and self.low(k) == "equal" and self.low(k + 1) == "to":
                k += 2
        else:
            return None
        if self.kind(k) == "REL" and self.t[k].text == "~" and sym == "=":
            sym, k = "≈", k + 1
        if self.low(k) in _APPROX_WORDS:
            sym, k = "≈", k + 1
            if self.kind(k) == "P" and self.t[k].text == "." and self.low(k - 1) == "approx":
                k += 1
        return k, sym

    # -------------------------------------------------------------- context
    def left_poisoned(self, i: int) -> bool:
        """Does the operand at i continue something that is not plain arithmetic?"""
        if i == 0:
            return False
        p = self.t[i - 1]
        g = self.gap(i)
        if p.kind == "OP":
            before = self.kind(i - 2)
            return before not in ("", "NL", "P")  # "- 2 + 2 = 4" as a bullet is fine
        if p.kind in ("NUM", "BAD", "PCT", "SUP") and g <= 1:
            return True
        if p.kind == "RP" and g == 0:
            return True
        if p.kind == "WORD":
            w = p.low
            if g == 0:
                return True  # v2, H2O, B12: an identifier
            if w in ("plus", "minus", "times", "by", "over") or w in MULTIPLIER_WORDS:
                return True
            if w == "x" and self.kind(i - 2) in ("NUM", "RP", "PCT"):
                return True
            if w in ("of", "off") and (self.kind(i - 2) == "PCT" or self.low(i - 2) in MULTIPLIER_WORDS):
                return True
        return False

    def right_poisoned(self, j: int) -> bool:
        if j >= self.n:
            return False
        q = self.t[j]
        return q.kind in ("NUM", "BAD", "SUP") and self.gap(j) <= 1

    # -------------------------------------------------------------- chains
    def scan(self) -> list[Chain]:
        chains: list[Chain] = []
        i = 0
        while i < self.n:
            if not self.operand_start(i):
                i += 1
                continue
            j = self.chain(i, chains)
            i = max(j, i + 1)
        return chains

    def chain(self, i: int, chains: list[Chain]) -> int:
        terms: list[tuple[Term, bool, bool]] = []  # (term, usable, computation)
        rels: list[str] = []
        out: list = []
        poisoned = self.left_poisoned(i)
        j, ok, has_op, const = self.expression(i, 0, out)
        while True:
            usable = ok and not poisoned and not self.right_poisoned(j)
            end = self.t[j - 1].end if j > i else self.t[i].end
            terms.append((Term(self.t[i].start, end, not (has_op or const), tuple(out)),
                          usable, has_op or const))
            if not ok:
                break
            k = self.bridge(j)
            r = self.relation(k, has_op or const)
            if r is None:
                break
            nxt, sym = r
            if not self.operand_start(nxt):
                j = nxt
                break
            rels.append(sym)
            i = nxt
            out = []
            poisoned = False
            j, ok, has_op, const = self.expression(i, 0, out)
        self._emit(terms, rels, chains)
        return j

    @staticmethod
    def _emit(terms: list[tuple[Term, bool, bool]], rels: list[str], chains: list[Chain]) -> None:
        """Split at unusable terms and at links between two plain numbers."""
        run: list[Term] = []
        run_rels: list[str] = []

        def flush() -> None:
            if len(run) >= 2:
                chains.append(Chain(run[0].start, run[-1].end, tuple(run), tuple(run_rels)))
            run.clear()
            run_rels.clear()

        for k, (term, usable, comp) in enumerate(terms):
            if not usable:
                flush()
                continue
            if run:
                link_ok = not (run[-1].bare and term.bare)
                if not link_ok:
                    flush()
                else:
                    run_rels.append(rels[k - 1])
            run.append(term)
        flush()


def find_chains(text: str) -> list[Chain]:
    """Every arithmetic chain in ``text``, in order."""
    if not _ANCHOR.search(text):
        return []
    return _Scanner(text).scan()


_ANCHOR = re.compile(r"[=≈~≃≅]|\b(?:is|equals|makes|gives)\b")
_FINAL_RE = re.compile(
    r"(?im)(?:^[ \t]*#{2,}[ \t]*|\\boxed\{\s*|\b(?:final answer|the answer|answer)\b"
    r"(?:[ \t]+is)?[ \t]*[:=]?[ \t]*\**[ \t]*)"
    r"(?P<num>[-−]?[$€£¥]?[ \t]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?%?)")
_NUM_RE = re.compile(r"(?:\d{1,3}(?:,\d{3})+(?![\d,]\d)|\d+)(?:\.\d+)?")


def _number_value(s: str) -> Fraction | None:
    m = _NUM_RE.search(s)
    if m is None:
        return None
    try:
        value = literal_value(m.group())[0]
    except ExpressionError:
        return None
    return -value if s.lstrip().startswith(("-", "−")) else value


def find_final_answers(text: str, chains: list[Chain]) -> list[FinalAnswer]:
    """Stated final answers whose value one of ``chains`` states as a result: an explicit
    marker (``#### 72``, ``The answer is 72``, ``\\boxed{72}``), else the last number of
    the text when nothing but words follows the last computation."""
    if not chains:
        return []
    results: set[Fraction] = set()
    for c in chains:
        for term in c.terms:
            if term.bare:
                v = _number_value(text[term.start:term.end])
                if v is not None:
                    results.add(v)
    last_end = chains[-1].end
    out: list[FinalAnswer] = []
    for m in _FINAL_RE.finditer(text, last_end):
        s, e = m.span("num")
        if _number_value(m.group("num")) in results:
            out.append(FinalAnswer(s, e, text[s:e]))
    if out:
        return out
    tail = list(_NUM_RE.finditer(text, last_end))
    if len(tail) == 1:
        m = tail[0]
        s, e = m.span()
        before = text[s - 1] if s else ""
        after = text[e:e + 1]
        if before not in "./-:" and not after.isalnum() and after not in ("%", ":", "/"):
            if _number_value(m.group()) in results:
                out.append(FinalAnswer(s, e, m.group()))
    return out
