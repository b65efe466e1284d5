r"""The arithmetic grammar: a tokenizer and a recursive-descent parser into a small tree,
which :mod:`.evaluate` computes over :class:`fractions.Fraction` and :mod:`.formatting`
writes back. Nothing here calls ``eval``/``exec``/``sympify``.

Why its own parser: claims come from model output and users, so the text is untrusted.
Text becomes tokens (one compiled regex), tokens become a small tree (recursive descent
with an explicit depth bound), the tree is evaluated with exact rationals under hard size
limits (:mod:`.evaluate`). Absurd input (``10^10^10``, a 100k-digit literal, 10k nested parentheses, a huge
expression) raises :class:`ExpressionError` with a message naming the problem.

Surface grammar (what :func:`parse_relation` and :func:`parse_expression` accept)::

    relation := expr (REL expr)+
    REL      := "=" | "==" | "≈" | "~" | "≃" | "≅" | "=~" | "~="
              | ("is" ["equal" "to"] | "equals" | "makes" | "gives") [APPROX]
              | "=" APPROX                      APPROX: about, approximately, approx,
                                                roughly, around, nearly, almost, ~
    expr     := term (("+" | "-" | "−" | "–" | "plus" | "minus") term)*
    term     := unary (MULOP unary | "(" ...)*  MULOP: * × x · ⋅ / ÷ times, "multiplied by",
                                                "divided by", over; "of" after a percentage
                                                or a fraction; "off" after a percentage;
                                                a "(" right after a number multiplies
    unary    := ("-" | "−" | "–" | "+" | "minus") unary | power
    power    := postfix [("^" | "**") unary | SUPERSCRIPT]      (right-associative)
    postfix  := primary ["%" | "percent"]
    primary  := [CUR] NUMBER [CUR] | "(" expr ")" | "[" expr "]" | "π" | "pi"
              | "√" primary | "sqrt" "(" expr ")"
    NUMBER   := 1,234.50 | 1234 | .5 | 0.25 | ½ | 1½ | 66.666... (digits cut off)
    CUR      := $ € £ ¥ ₹ ¢ USD EUR GBP ...   (decoration: kept for formatting, one per expression)

LaTeX commands are tokens too (:data:`TEX_TOKENS`): ``\cdot``/``\times`` multiply,
``\div`` divides, ``\pi``, ``\%``, ``\$`` and ``\approx`` are what they print,
``\left``/``\right`` vanish; any other command is a TEX token no grammar rule accepts.

Percentages: ``b%`` is ``b/100``; ``b% of a`` is ``a·b/100``; ``b% off a`` is ``a − a·b/100``;
``a ± b%`` (a single operand that is not itself a percentage) follows the price convention
``a ± a·b/100`` ("80 + 20% = 96"); a bare percentage added to a longer sum is ambiguous and
refused. Sums of percentages are percentage points (``20% + 5% = 25%``).

π and non-square roots are irrational: they evaluate to 50-digit rational approximations
flagged inexact, which a caller may compare only at a stated precision.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from fractions import Fraction
from functools import lru_cache
from typing import Sequence

# ---------------------------------------------------------------------------- limits
MAX_EXPRESSION_CHARS = 2_000
MAX_TOKENS = 400
MAX_DEPTH = 40            # nested parentheses / unary signs
MAX_LITERAL_DIGITS = 120  # digits in one number as written


class ExpressionError(ValueError):
    """The text is not an arithmetic expression this parser accepts, or it is too large."""


# ---------------------------------------------------------------------------- tokens
VULGAR: dict[str, Fraction] = {
    "½": Fraction(1, 2), "⅓": Fraction(1, 3), "⅔": Fraction(2, 3), "¼": Fraction(1, 4),
    "¾": Fraction(3, 4), "⅕": Fraction(1, 5), "⅖": Fraction(2, 5), "⅗": Fraction(3, 5),
    "⅘": Fraction(4, 5), "⅙": Fraction(1, 6), "⅚": Fraction(5, 6), "⅐": Fraction(1, 7),
    "⅛": Fraction(1, 8), "⅜": Fraction(3, 8), "⅝": Fraction(5, 8), "⅞": Fraction(7, 8),
    "⅑": Fraction(1, 9), "⅒": Fraction(1, 10),
}
_VULGAR_CLASS = "".join(VULGAR)
SUPERSCRIPTS = {c: str(i) for i, c in enumerate("⁰¹²³⁴⁵⁶⁷⁸⁹")}
CURRENCY_SYMBOLS = frozenset("$€£¥₹¢")
CURRENCY_CODES = frozenset({"USD", "EUR", "GBP", "JPY", "CNY", "INR", "CAD", "AUD", "CHF"})

_TOKEN_RE = re.compile(rf"""
 [^\S\n]*                                         # spaces are skipped, not tokens
 (?:(?P<WORD>[^\W\d_⁰¹²³⁴⁵⁶⁷⁸⁹{_VULGAR_CLASS}]+(?:['’][^\W\d_⁰¹²³⁴⁵⁶⁷⁸⁹{_VULGAR_CLASS}]+)*)
 |(?P<BAD>\d{{4}}-\d{{1,2}}-\d{{1,2}}(?!\d)        # ISO date
   |\d{{1,2}}/\d{{1,2}}/\d{{4}}(?!\d)              # 1/2/2024
   |\d{{3}}[-.]\d{{3}}[-.]\d{{4}}(?!\d)            # phone number
   |\d+(?::\d+)+                                  # time of day, ratio
   |\d+(?:\.\d+){{2,}}                            # version string, IP address
   |\d+(?:st|nd|rd|th)\b                          # ordinal
   |0\d+(?![\d.,]))                                # 0900: a clock time or code
 |(?P<NUM>(?:\d{{1,3}}(?:,\d{{3}})+(?![\d,]\d)|\d+)(?:\.\d+(?:\.\.\.|…)?|[{_VULGAR_CLASS}])?
        |\.\d+(?:\.\.\.|…)?|[{_VULGAR_CLASS}])                 # 66.666... : digits cut off
 |(?P<OP>\*\*|[-+*/^×÷·⋅−–∗])
 |(?P<REL>==|=~|~=|[=≈≃≅≠~])
 |(?P<LP>[(\[])
 |(?P<RP>[)\]])
 |(?P<PCT>%)
 |(?P<SUP>[⁰¹²³⁴⁵⁶⁷⁸⁹]+)
 |(?P<ROOT>√)
 |(?P<CUR>[$€£¥₹¢])
 |(?P<NL>\n)
 |(?P<TEX>\\(?:[A-Za-z]+|[^\sA-Za-z]))              # a LaTeX command: \cdot, \frac, \(, \%
 |(?P<P>\S))
""", re.VERBOSE)

#: LaTeX commands read as the symbols they print; None: dropped (``\left(`` is a "(").
#: A line break, display delimiter, spacing or arrow ends a claim like a new line does;
#: any other command (``\frac``, ``\sqrt``, ``\alpha``, ``\,``) stays a TEX token, which
#: the claim finder treats as text it cannot read.
TEX_TOKENS: dict[str, tuple[str, str] | None] = {
    "\\cdot": ("OP", "×"), "\\times": ("OP", "×"), "\\ast": ("OP", "∗"), "\\div": ("OP", "÷"),
    "\\pi": ("WORD", "pi"), "\\%": ("PCT", "%"), "\\$": ("CUR", "$"), "\\approx": ("REL", "≈"),
    "\\neq": ("REL", "≠"), "\\ne": ("REL", "≠"),
    **{f"\\{w}": None for w in ("left", "right", "big", "Big", "bigg", "Bigg", "bigl", "bigr",
                                "Bigl", "Bigr", "displaystyle")},
    **{f"\\{w}": ("NL", "\n") for w in ("(", ")", "[", "]", "\\", "quad", "qquad", "implies",
                                         "Rightarrow", "rightarrow", "Longrightarrow",
                                         "longrightarrow", "to", "iff", "therefore", "because",
                                         "newline", "text", "textrm", "mathrm", "mbox")},
}


class Tok:
    """One token: ``kind`` (NUM, OP, REL, LP, RP, PCT, SUP, ROOT, CUR, WORD, NL, BAD, TEX, P),
    its text and its offsets in the lexed string."""

    __slots__ = ("kind", "text", "start", "end", "low")

    def __init__(self, kind: str, text: str, start: int, end: int) -> None:
        self.kind = kind
        self.text = text
        self.start = start
        self.end = end
        self.low = text.lower() if kind == "WORD" else text

    def __repr__(self) -> str:
        return f"Tok({self.kind}, {self.text!r}, {self.start})"


def lex(text: str, offset: int = 0) -> list[Tok]:
    """All tokens of ``text`` (whitespace dropped). Currency codes become CUR tokens."""
    out = []
    append = out.append
    dropped = None  # where a dropped \left began: the "(" after it starts there
    for m in _TOKEN_RE.finditer(text):
        kind = m.lastgroup
        s = m.group(kind)
        end = m.end() + offset  # the token ends the match; leading spaces are skipped
        start = end - len(s)
        if dropped is not None:
            start, dropped = dropped, None
        if kind == "WORD":
            if s in CURRENCY_CODES:
                kind = "CUR"
        elif kind == "TEX":
            mapped = TEX_TOKENS.get(s, False)
            if mapped is None:
                dropped = start
                continue
            if mapped:
                tok = Tok(mapped[0], mapped[1], start, end)
                tok.low = mapped[1]
                append(tok)
                continue
        append(Tok(kind, s, start, end))
    return out


# ---------------------------------------------------------------------------- numbers
@lru_cache(maxsize=4096)
def literal_value(text: str) -> tuple[Fraction, int]:
    """The exact value of a number as written ("1,234.50", ".2", "1½", "66.666...": the
    digits shown) and its decimals."""
    digits = text.replace(",", "").rstrip(".…")
    extra = VULGAR.get(digits[-1:]) if digits else None
    if extra is not None:
        digits = digits[:-1]
    if len(digits) > MAX_LITERAL_DIGITS:
        raise ExpressionError(f"a number with {len(digits):,} digits is too long "
                              f"(limit {MAX_LITERAL_DIGITS})")
    whole, _, frac = digits.partition(".")
    if frac:
        value = Fraction(int(whole or "0") * 10 ** len(frac) + int(frac), 10 ** len(frac))
    else:
        value = Fraction(int(whole)) if whole else Fraction(0)
    if extra is not None:
        value += extra
    return value, len(frac)


# ---------------------------------------------------------------------------- tree
class Node:
    __slots__ = ("start", "end", "paren")

    def leaves(self) -> list["Num"]:
        raise NotImplementedError


class Num(Node):
    """A number as written: value (after %), its literal value, and how it was formatted."""

    __slots__ = ("value", "literal", "text", "index", "pct", "decimals", "grouped", "cur",
                 "cur_prefix", "cur_space", "ellipsis", "key")

    def __init__(self, tok: Tok, index: int) -> None:
        self.literal, self.decimals = literal_value(tok.text)
        self.key = (self.literal.numerator, self.literal.denominator)  # hashable, cheap
        self.value = self.literal
        self.text = tok.text
        self.start, self.end = tok.start, tok.end
        self.index = index
        self.pct = False
        self.grouped = "," in tok.text
        self.ellipsis = tok.text.endswith(("...", "…"))  # more digits follow, unwritten
        self.cur: str | None = None
        self.cur_prefix = True
        self.cur_space = False
        self.paren = False

    def leaves(self) -> list["Num"]:
        return [self]


class Const(Node):
    __slots__ = ("name",)

    def __init__(self, name: str, start: int, end: int) -> None:
        self.name, self.start, self.end, self.paren = name, start, end, False

    def leaves(self) -> list[Num]:
        return []


class Unary(Node):
    __slots__ = ("op", "arg")  # op: "-" or "√"

    def __init__(self, op: str, arg: Node, start: int) -> None:
        self.op, self.arg, self.start, self.end, self.paren = op, arg, start, arg.end, False

    def leaves(self) -> list[Num]:
        return self.arg.leaves()


class Bin(Node):
    __slots__ = ("op", "left", "right", "form", "_leaves")  # form: "", "of", "off", "price"

    def __init__(self, op: str, left: Node, right: Node, form: str = "") -> None:
        self.op, self.left, self.right, self.form = op, left, right, form
        self.start, self.end = min(left.start, right.start), max(left.end, right.end)
        self.paren = False
        self._leaves: list[Num] | None = None

    def leaves(self) -> list[Num]:
        if self._leaves is None:
            seen: dict[int, Num] = {}
            for leaf in self.left.leaves() + self.right.leaves():
                seen.setdefault(leaf.index, leaf)
            self._leaves = sorted(seen.values(), key=lambda n: n.index)
        return list(self._leaves)


@dataclass(frozen=True)
class Relation:
    """``terms[0] rels[0] terms[1] rels[1] ...``; each rel is "=" or "≈". ``leaves`` are
    the numbers in the order written; ``ops`` the operations used ("+", "-", "*", "/", "^",
    "√", "neg", "off"); ``has_pi`` whether π appears."""

    terms: tuple[Node, ...]
    rels: tuple[str, ...]
    text: str
    leaves: tuple["Num", ...] = ()
    ops: frozenset[str] = frozenset()
    has_pi: bool = False


def bare_leaf(node: Node) -> Num | None:
    if isinstance(node, Unary) and node.op == "-":
        node = node.arg
    return node if isinstance(node, Num) else None


# ---------------------------------------------------------------------------- parser
_MINUS = frozenset("-−–")
_SIGN = _MINUS | {"+"}
_MUL = frozenset("*×·⋅∗")
_DIV = frozenset("/÷")
APPROX_WORDS = frozenset({"about", "approximately", "approx", "roughly", "around", "nearly",
                          "almost", "circa"})
REL_WORDS = frozenset({"is", "equals", "makes", "gives"})
_APPROX_SYMBOLS = frozenset({"≈", "~", "≃", "≅", "=~", "~="})


class _Parser:
    """Recursive descent over the tokens, with an explicit depth bound. Two EOF tokens end
    the list, so looking one token ahead never runs off the end."""

    def __init__(self, text: str) -> None:
        if len(text) > MAX_EXPRESSION_CHARS:
            raise ExpressionError(f"expression too long: {len(text):,} characters "
                                  f"(limit {MAX_EXPRESSION_CHARS:,})")
        self.text = text
        toks = [t for t in lex(text) if t.kind != "NL"]
        if len(toks) > MAX_TOKENS:
            raise ExpressionError(f"expression too long: {len(toks)} tokens "
                                  f"(limit {MAX_TOKENS})")
        bad = next((t for t in toks if t.kind == "BAD"), None)
        if bad is not None:
            raise ExpressionError(f"{bad.text!r} is not a number (a date, time, ratio or version)")
        end = len(text)
        self.toks = toks + [Tok("EOF", "", end, end), Tok("EOF", "", end, end)]
        self.i = 0
        self.depth = 0
        self.leaves: list[Num] = []
        self.ops: set[str] = set()
        self.has_pi = False

    # helpers
    def tok(self, k: int = 0) -> Tok:
        return self.toks[min(self.i + k, len(self.toks) - 1)]

    def fail(self, what: str) -> ExpressionError:
        t = self.toks[self.i]
        where = f"at {t.text!r}" if t.kind != "EOF" else "at the end"
        return ExpressionError(f"{what} {where} in {self.text!r}")

    def enter(self) -> None:
        self.depth += 1
        if self.depth > MAX_DEPTH:
            raise ExpressionError(f"expression nested too deeply (limit {MAX_DEPTH} levels)")

    def word(self, k: int = 0) -> str | None:
        t = self.toks[self.i + k]
        return t.low if t.kind == "WORD" else None

    def starts_operand(self, k: int = 0) -> bool:
        while True:
            t = self.tok(k)
            kind = t.kind
            if kind in ("NUM", "LP", "ROOT", "CUR"):
                return True
            if kind == "OP" and t.text in _SIGN:
                k += 1
                continue
            return kind == "WORD" and t.low in ("pi", "π", "sqrt", "minus")

    # grammar
    def relation(self) -> Relation:
        terms = [self.expr()]
        rels: list[str] = []
        while self.toks[self.i].kind != "EOF":
            rels.append(self.rel())
            terms.append(self.expr())
        if not rels:
            raise ExpressionError(f"no relation (= or ≈) in {self.text!r}")
        return Relation(tuple(terms), tuple(rels), self.text, tuple(self.leaves),
                        frozenset(self.ops), self.has_pi)

    def rel(self) -> str:
        t = self.toks[self.i]
        approx = based = False
        if t.kind == "REL":
            if t.text == "≠":
                raise self.fail("'≠' is not supported")
            based = True
            approx = t.text in _APPROX_SYMBOLS
            self.i += 1
            nxt = self.toks[self.i]
            if not approx and nxt.kind == "REL" and nxt.text == "~":
                approx = True
                self.i += 1
        elif t.kind == "WORD" and t.low in REL_WORDS:
            based = True
            self.i += 1
            if t.low == "is" and self.word() == "equal" and self.word(1) == "to":
                self.i += 2
        if not based:
            raise self.fail("expected '=' or '≈'")
        if self.word() in APPROX_WORDS:
            approx = True
            self.i += 1
            nxt = self.toks[self.i]
            if nxt.kind == "P" and nxt.text == ".":
                self.i += 1  # "approx."
        return "≈" if approx else "="

    def expr(self) -> Node:
        items = [self.term()]
        ops: list[str] = []
        toks = self.toks
        while True:
            t = toks[self.i]
            if t.kind == "OP" and (t.text == "+" or t.text in _MINUS):
                ops.append("+" if t.text == "+" else "-")
            elif t.kind == "WORD" and t.low in ("plus", "minus"):
                ops.append("+" if t.low == "plus" else "-")
            else:
                break
            self.i += 1
            if not self.starts_operand():
                raise self.fail("expected a number after an operator")
            items.append(self.term())
        if not ops:
            return items[0]
        pcts = [_bare_pct(x) for x in items]
        if any(pcts[1:]) and not all(pcts):
            if len(items) == 2 and pcts[1] and isinstance(items[0], Num):
                base = items[0]
                self.ops.update((ops[0], "*"))
                return Bin(ops[0], base, Bin("*", items[1], base, form="of"), form="price")
            raise ExpressionError(f"ambiguous percentage in {self.text!r}: a percentage added to "
                                  "a sum; write it as 'a × b%' or 'b% of a'")
        node = items[0]
        self.ops.update(ops)
        for op, right in zip(ops, items[1:]):
            node = Bin(op, node, right)
        return node

    def term(self) -> Node:
        node = self.unary()
        toks = self.toks
        while True:
            t = toks[self.i]
            kind = t.kind
            op = form = None
            if kind == "OP" and t.text in _MUL:
                op = "*"
            elif kind == "OP" and t.text in _DIV:
                op = "/"
            elif kind == "LP" and t.start == node.end and not isinstance(node, Const):
                op = "*"  # 200(.60): implicit multiplication, the "(" is the next operand
                self.i -= 1
            elif kind == "WORD":
                w = t.low
                if w == "times" or (w == "x" and self.starts_operand(1)):
                    op = "*"
                elif w in ("multiplied", "divided") and self.word(1) == "by":
                    op = "*" if w == "multiplied" else "/"
                    self.i += 1
                elif w == "over" and self.starts_operand(1):
                    op = "/"
                elif w == "of" and (_bare_pct(node) or _is_fraction(node)):
                    op, form = "*", "of"
                elif w == "off" and _bare_pct(node):
                    op, form = "-", "off"
                elif w in ("pi", "π") and t.start == node.end and isinstance(node, Num):
                    op = "*"  # 2π
                    self.i -= 1
            if op is None:
                break
            self.i += 1
            if not self.starts_operand():
                raise self.fail("expected a number after an operator")
            right = self.unary()
            if form == "off":  # b% off a  →  a − b% of a
                self.ops.update(("off", "*"))
                node = Bin("-", right, Bin("*", node, right, form="of"), form="off")
            else:
                self.ops.add(op)
                node = Bin(op, node, right, form=form or "")
        return node

    def unary(self) -> Node:
        t = self.toks[self.i]
        if (t.kind == "OP" and t.text in _SIGN) or (t.kind == "WORD" and t.low == "minus"):
            self.i += 1
            self.enter()
            arg = self.unary()
            self.depth -= 1
            if t.text == "+":
                return arg
            self.ops.add("-")
            return Unary("-", arg, t.start)
        return self.power()

    def power(self) -> Node:
        base = self.postfix()
        t = self.toks[self.i]
        if t.kind == "OP" and t.text in ("^", "**"):
            self.i += 1
            self.enter()
            exp = self.unary()
            self.depth -= 1
            self.ops.add("^")
            return Bin("^", base, exp)
        if t.kind == "SUP" and t.start == base.end:
            self.i += 1
            digits = "".join(SUPERSCRIPTS[c] for c in t.text)
            exp = Num(Tok("NUM", digits, t.start, t.end), len(self.leaves))
            self.leaves.append(exp)
            self.ops.add("^")
            return Bin("^", base, exp)
        return base

    def postfix(self) -> Node:
        node = self.primary()
        t = self.toks[self.i]
        if t.kind == "PCT" or (t.kind == "WORD" and t.low == "percent"):
            if not isinstance(node, Num) or node.pct:
                raise self.fail("'%' must follow a number")
            self.i += 1
            node.pct = True
            node.value = node.literal / 100
            node.end = t.end
        return node

    def primary(self) -> Node:
        t = self.toks[self.i]
        kind = t.kind
        if kind == "NUM":
            leaf = self._number()
            c = self.toks[self.i]
            if c.kind == "CUR" and c.start - leaf.end <= 1:
                self.i += 1
                leaf.cur, leaf.cur_prefix, leaf.cur_space = c.text, False, c.start > leaf.end
                leaf.end = c.end
            return leaf
        if kind == "CUR":
            self.i += 1
            n = self.toks[self.i]
            if n.kind != "NUM":
                raise self.fail(f"expected a number after {t.text!r}")
            leaf = self._number()
            leaf.cur, leaf.cur_prefix, leaf.cur_space = t.text, True, n.start > t.end
            leaf.start = t.start
            return leaf
        if kind == "LP":
            self.i += 1
            self.enter()
            inner = self.expr()
            self.depth -= 1
            close = self.toks[self.i]
            if close.kind != "RP":
                raise self.fail("missing ')'")
            self.i += 1
            if isinstance(inner, Num):
                return inner  # "(30%)": a number keeps its own span
            inner.paren = True
            inner.start, inner.end = t.start, close.end
            return inner
        if kind == "ROOT" or (kind == "WORD" and t.low == "sqrt"):
            self.i += 1
            self.enter()
            arg = self.primary()
            self.depth -= 1
            self.ops.add("√")
            return Unary("√", arg, t.start)
        if kind == "WORD" and t.low in ("pi", "π"):
            self.i += 1
            self.has_pi = True
            return Const("π", t.start, t.end)
        raise self.fail("expected a number")

    def _number(self) -> Num:
        leaf = Num(self.toks[self.i], len(self.leaves))
        self.i += 1
        self.leaves.append(leaf)
        return leaf


def _bare_pct(node: Node) -> bool:
    return isinstance(node, Num) and node.pct


def _is_fraction(node: Node) -> bool:
    return (isinstance(node, Bin) and node.op == "/" and isinstance(node.left, Num)
            and isinstance(node.right, Num))


def parse_relation(text: str) -> Relation:
    """Parse ``expr = expr [= expr ...]`` (or ≈); raises :class:`ExpressionError`."""
    if not isinstance(text, str):
        raise ExpressionError(f"expected text, got {type(text).__name__}")
    p = _Parser(text)
    rel = p.relation()
    _check_currencies(rel.leaves, text)
    return rel


def parse_expression(text: str) -> Node:
    """Parse one expression (no relation); raises :class:`ExpressionError`."""
    if not isinstance(text, str):
        raise ExpressionError(f"expected text, got {type(text).__name__}")
    p = _Parser(text)
    if p.toks[0].kind == "EOF":
        raise ExpressionError("empty expression")
    node = p.expr()
    if p.toks[p.i].kind != "EOF":
        raise p.fail("unexpected text")
    _check_currencies(node.leaves(), text)
    return node


def _check_currencies(leaves: Sequence[Num], text: str) -> None:
    found = {n.cur for n in leaves if n.cur}
    if len(found) > 1:
        raise ExpressionError(f"mixed currencies ({', '.join(sorted(found))}) in {text!r}")
