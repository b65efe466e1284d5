r"""Finding explicit arithmetic claims in prose, with exact character spans.

A claim is a *chain* of terms joined by relations: ``847 × 923 = 781681``, ``48/2 = 24``,
``12 times 3 is 36``, ``2 + 3 = 5 = 10/2``, ``22/7 ≈ 3.14``. Each link of a chain (two
neighbouring terms) is judged on its own. The scanner works on the tokens of
:func:`verify.engines.arithmetic.expr.lex` in one left-to-right pass (no backtracking regex), so it
is linear in the text.

What it reads: currency (``$0.2``, ``5 USD``), thousands separators, decimals, ``%``,
digits cut off (``66.666...%``), ``x``/``×``/``*`` as times, word operators (plus, minus,
times, multiplied by, divided by, over), word relations (is, equals, makes, gives) when the
left side is a computation, Markdown bold around numbers, and unit words between a number
and the next operator (``2 wheels * 10ml of oil per wheel = 20ml``, ``$12/game``,
``1200-mile trip``, ``8 friends + 1 (Samuel)``) — those are dropped from the expression. A
fraction written tight after a spaced slash is one number (``28 / 1/5`` is 28 ÷ ⅕). A
remainder stated after a quotient (``63 ÷ 5 = 12 R 3``) is kept with the claim. LaTeX as
models write it: ``\cdot``, ``\times``, ``\div``, ``\pi``, ``\%``, ``\approx``,
``\frac{5}{12}`` of two plain numbers, ``\boxed{18}``, ``\left( \right)``; ``$...$``
delimiters are told from dollars (they pair up and never close right before a number),
and a delimiter, ``\[``, ``\quad`` or ``\implies`` ends a claim like a new line.

Claim-shaped text a stray symbol stops (``4! = 24``, ``2 + 3) = 5``, ``2 + (3 = 5``) is
returned by :func:`scan` as :class:`Unread`, which the engine reports as an ``unverified``
claim; a claim inside brackets (``(2 + 3 = 5)``), closed by ``.)`` or an exclamation mark,
and claims one after another on a line (``1+1=2 1+1=2``) are read.

What it leaves alone, on purpose (a skipped claim shows up as unchecked text in the report,
never as a wrong verdict): symbolic work with variables (``x = 3``, ``2x + 1 = 7``,
``X + 278 = 536``, ``2m + 55``, ``3xy + 5xy``, ``5b - 3(3)``, ``f(1/3)``: the math
engine's job), subscripts and bases (``y_0``, ``502_7``), factorials (``4! · 2``), any
other LaTeX command next to a number (``4\sqrt{2}``, ``\frac43``, ``0.\overline{2}``,
``9,\!000``), a number after "than" as the subject of "is" ("less than 10^8 is ..."),
dates, times, ratios, phone
numbers, version strings, ordinals, list numbering, ranges (``weeks 1-2``), mixed numbers
(``1 and 1/4``), a bare restatement between two plain numbers (``1 dozen = 12``), a chain
that starts with a plain number (``Remaining 10 = 62,300/10``), unit conversions
(``4.5 gallons = 4.5 * 8``, ``4 pounds - 6 ounces``), and a number that continues words it
cannot read (``half of 48 = 24``, ``three times 4``, ``1/3 of Solomon = 22``).
"""
from __future__ import annotations

import re
from dataclasses import replace
from fractions import Fraction

from .chain import Chain, Term, Unread
from .expr import APPROX_WORDS, REL_WORDS, SUPERSCRIPTS, VULGAR
from .tokens import (ABBREVIATIONS, ANCHOR, BINARY_OPS, COMPARATIVES, GLUE, KNOWN_UNITS,
                     MAX_BRIDGE_WORDS, MAX_PAREN_DEPTH, MAX_REMARK_TOKENS, MULTIPLIER_WORDS,
                     NOT_UNITS, OP_CANON, POSITION_WORDS, REL_SYMBOLS, SIGNS,
                     SPACED_UNIT_LETTERS, STOP_WORDS, UNIT_ALIASES, UNIT_LETTERS, lex_lines,
                     without_emphasis)

#: A remainder stated after a quotient: "12 R 3", "12R3", "12 remainder 3", "12 with a
#: remainder of 3", "12 \quad \text{with a remainder of } 3"; or "12 with 3 left over".
_REMAINDER = re.compile(
    r"[ \t]*(?:(?:,|\(|\\quad|\\qquad|\\text\{|\\[,;])[ \t]*)*"
    r"(?:(?:r\.?|rem\.?|remainder(?:[ \t]+of)?|(?:with|and)[ \t]+(?:a[ \t]+)?remainder"
    r"(?:[ \t]+of)?)[ \t]*(?:\}[ \t]*)?(?P<r>\d+)"
    r"|(?:with|and)[ \t]+(?P<l>\d+)[ \t]+(?:left[ \t]?over|leftover|remaining)\b)(?![\d.,]\d)",
    re.IGNORECASE)


class _Scanner:
    def __init__(self, text: str) -> None:
        self.text = text
        self.wide: dict[int, int] = {}  # a \frac's numerator start → its start; den end → end
        toks = lex_lines(text, self.wide)
        self.t = without_emphasis(toks) if "**" in text else toks
        self.n = len(self.t)
        self.unread: list[Unread] = []

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
        if k == "OP" and tok.text in SIGNS:
            return (i + 1 < self.n and self.gap(i + 1) == 0
                    and self.kind(i + 1) in ("NUM", "CUR", "LP", "ROOT"))
        if k == "WORD":
            return tok.low in ("π", "pi") or (tok.low == "sqrt" and self.kind(i + 1) == "LP")
        return False

    def times_operand(self, i: int) -> bool:
        """After an "x": a number, currency, "(" or "√" makes it "times" (12 x 3, 15x2);
        anything else (11x+15, 2x = 10) makes it a variable."""
        return self.kind(i) in ("NUM", "CUR", "LP", "ROOT") and self.operand_start(i)

    def _glued_letter(self, j: int) -> str:
        """A single letter glued to the number before token j ("x" in 2x, "g" in 200g), or
        "" (none, or "x" used as "times": 15x2)."""
        if j >= self.n or self.t[j].kind != "WORD" or self.gap(j) != 0:
            return ""
        w = self.t[j].text
        if len(w) != 1 or w == "π" or (w in "xX" and self.times_operand(j + 1)):
            return ""
        return w

    def _glued_symbol(self, j: int) -> bool:
        """Does token j make the number before it part of something that is not a plain
        number? Letters glued on that are no unit abbreviation (3xy, 5ab: a product of
        variables), a subscript or base (y_0, 502_7), a factorial (4! · 2, 11!(1 + 12); an
        exclamation mark ending a sentence is not one)."""
        if j >= self.n or self.gap(j) != 0:
            return False
        tok = self.t[j]
        if tok.kind == "WORD":
            return 1 < len(tok.text) <= 3 and tok.low not in ABBREVIATIONS and tok.low != "pi"
        if tok.kind == "TEX":
            return True
        if tok.kind != "P":
            return False
        if tok.text == "_":
            return True
        if tok.text == "!" and j + 1 < self.n:
            nxt = self.t[j + 1]
            if nxt.kind in ("NUM", "CUR") and self.gap(j + 1) > 0:
                return False  # "= 187! 7 + 1 = 8": an exclamation, then a new sentence
            return nxt.kind in ("NUM", "OP", "REL", "LP", "TEX", "CUR", "ROOT") or (
                self.gap(j + 1) == 0 and nxt.kind not in ("NL", "P"))
        return False

    def _unit(self, j: int) -> str | None:
        """The known unit right after an operand ("hours" in "5 hours +"), normalised."""
        if j >= self.n or self.t[j].kind != "WORD" or self.gap(j) > 1:
            return None
        w = self.t[j].low
        w = UNIT_ALIASES.get(w, w[:-1] if w.endswith("s") and w[:-1] in KNOWN_UNITS else w)
        return w if w in KNOWN_UNITS else None

    # -------------------------------------------------------------- operands
    def operand(self, i: int, depth: int, out: list) -> tuple[int, bool, str]:
        """Scan one operand at token i. Returns (index after it, ok, what) where what is
        "num", "pct", "unit:<letter>" (200g), "group" (a parenthesised number), "computed"
        (a power, a parenthesised computation) or "const" (π, a root)."""
        t = self.t
        tok = t[i]
        if tok.kind == "OP" and tok.text in SIGNS:
            out.append(("op", "-" if tok.text != "+" else "+", tok.start, tok.end))
            i += 1
            tok = t[i]
        prefixed = tok.kind == "CUR"
        if prefixed:
            out.append(("cur", tok.text, tok.start, tok.end))
            i += 1
            tok = t[i]
        if tok.kind == "NUM":
            out.append(("num", tok.text, tok.start, tok.end))
            j = i + 1
            what = "num"
            if j < self.n and t[j].kind == "SUP" and t[j].start == t[j - 1].end:
                digits = "".join(SUPERSCRIPTS[c] for c in t[j].text)
                out.append(("sup", digits, t[j].start, t[j].end))
                j += 1
                what = "computed"
            if j < self.n and ((t[j].kind == "PCT" and self.gap(j) <= 1)
                               or (t[j].kind == "WORD" and t[j].low == "percent")):
                out.append(("pct", "%", t[j].start, t[j].end))
                j += 1
                what = "pct"
            elif (j < self.n and t[j].kind == "CUR" and self.gap(j) <= 1 and not prefixed
                  and not (self.kind(j + 1) == "NUM" and self.gap(j + 1) <= 1)):  # "$80$." is $80
                out.append(("curs", t[j].text, t[j].start, t[j].end))
                j += 1
            if self._glued_symbol(j):
                return j + 1, False, what
            letter = self._glued_letter(j)
            if letter:  # 200g: a unit if every number of the term has it; else a variable
                if letter in "Rr" and self.kind(j + 1) == "NUM" and self.gap(j + 1) == 0:
                    return j, True, what  # 12R3: a quotient and its remainder
                if letter not in UNIT_LETTERS:
                    return j + 1, False, what  # 2x, 5A
                return j, True, "unit:" + letter
            return j, True, what
        if tok.kind == "LP":
            if depth >= MAX_PAREN_DEPTH:
                return i + 1, False, "group"
            out.append(("lp", "(", tok.start, tok.end))
            j, ok, inner = self.expression(i + 1, depth + 1, out)
            k = j
            while ok and k < self.n and k - j < MAX_BRIDGE_WORDS and self._unit_word(k, 1):
                k += 1  # "(40 guests + 40 guests)"
            if ok and self.kind(k) == "RP":
                j = k
            if not ok or self.kind(j) != "RP":
                return j, False, "group"
            out.append(("rp", ")", t[j].start, t[j].end))
            if self._glued_letter(j + 1):
                return j + 2, False, "group"  # (1/2)X
            return j + 1, True, "group" if inner == "bare" else "computed"
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
    def bridge(self, j: int, last: str = "num") -> int:
        """Skip unit words after an operand ("tubs of lip gloss", "cups/day", "$12/game",
        "1 (Samuel)") when they lead to an operator or a relation; else return j. After a
        percentage or a fraction, "of" is an operator, never the start of a unit."""
        t = self.t
        k = j
        of_quantity = last in ("pct", "frac") and self.low(j) == "of"
        words = 0
        if (k + 1 < self.n and t[k].kind == "OP" and t[k].text in ("/", "-", "–")
                and self.gap(k) == 0 and self.gap(k + 1) == 0 and self._unit_word(k + 1, 1)):
            k += 1  # $12/game: "per", not division; 1200-mile: a hyphen, not minus
        while k < self.n and words <= MAX_BRIDGE_WORDS:
            tok = t[k]
            if tok.kind == "WORD":
                if not self._unit_word(k, words):
                    break
                words += 1
                k += 1
            elif tok.kind == "OP" and tok.text in ("/", "-") and words and \
                    self.kind(k + 1) == "WORD" and (self.gap(k + 1) == 0 or (
                        tok.text == "/" and len(t[k + 1].text) > 1)):
                k += 2  # cups/day, ml/L, lip-gloss, "cookies / bag"
                words += 1
            elif tok.kind == "SUP" and words and self.gap(k) == 0:
                k += 1  # cm³
            elif tok.kind == "LP" and self.kind(k + 1) == "WORD":
                close = k + 1
                while close < self.n and close - k <= 4 and self._unit_word(close, 1):
                    close += 1
                if self.kind(close) != "RP":
                    break
                words += close - k - 1
                k = close + 1  # "1 (Samuel) + 1 (Cathy)"
            else:
                break
        if words == 0 or words > MAX_BRIDGE_WORDS or k >= self.n:
            return j
        tok = t[k]
        if (tok.kind == "OP" and tok.text in SIGNS and t[k - 1].kind == "WORD" and t[k - 1].low in POSITION_WORDS
                and self.gap(k) > 0 and self.kind(k + 1) == "NUM" and self.gap(k + 1) == 0):
            return j  # "after -14": a signed number placed by the word, not "minus 14"
        if tok.kind == "OP" and tok.text in BINARY_OPS and tok.text not in ("^", "**"):
            return k
        if tok.kind == "WORD" and tok.low in ("plus", "minus", "times", "x", "multiplied",
                                              "divided"):
            return k
        if of_quantity:  # "1/3 of Solomon = 22" is a quantity, "1/4 of an item x 100" a unit
            return j
        if tok.kind == "REL" or (tok.kind == "WORD" and tok.low in REL_WORDS):
            return k
        return j

    def _unit_word(self, k: int, words_before: int) -> bool:
        """Can token k be part of a unit phrase? Not a clause word, not an operator word,
        not a lone letter (W, x: a variable), "and" only inside a phrase (green and pink)."""
        tok = self.t[k]
        if tok.kind != "WORD":
            return False
        w = tok.low
        if w == "times" and not self.operand_start(k + 1):
            return True  # "225 times = 301": a count, not an operator
        if w in STOP_WORDS or w in NOT_UNITS:
            return False
        if len(tok.text) == 1 and tok.text not in SPACED_UNIT_LETTERS and w != "a":
            return False
        return w != "and" or words_before > 0

    def binop(self, k: int, bridged: bool, last: str, prev_end: int) -> tuple[int, str] | None:
        """The operator at token k: (index of the next operand, canonical symbol)."""
        if k >= self.n:
            return None
        tok = self.t[k]
        if tok.kind == "OP":
            if tok.text in BINARY_OPS:
                return k + 1, OP_CANON.get(tok.text, tok.text)
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
        if w in ("π", "pi") and tok.start - prev_end <= 1 and last == "num":
            return k, "*"  # 2π, 4 \pi
        return None

    def expression(self, i: int, depth: int, out: list) -> tuple[int, bool, str]:
        """Scan operand (op operand)*. Returns (index after the last operand, ok, shape)
        with shape "bare" (a plain number), "fraction" (a/b of two plain numbers) or
        "computation"."""
        j, ok, what = self.operand(i, depth, out)
        shape = "computation" if what in ("const", "computed") else "bare"
        if not ok:
            return j, False, shape
        glued = {what if what.startswith("unit:") else ""}
        if what.startswith("unit:"):
            what = "num"
        ops = 0
        last = what
        units = {self._unit(j)}
        additive = False
        prev = ""  # the operator before the current operand
        while True:
            k = self.bridge(j, last)
            if k != j and (self.kind(k) == "REL" or self.low(k) in REL_WORDS):
                break
            found = self.binop(k, k != j, last, self.t[j - 1].end)
            if found is None:
                break
            nxt, sym = found
            if nxt == k and prev == "/":
                return nxt, False, "computation"  # 6/2(1+2): (6/2)·3 or 6/(2·3)? ambiguous
            if not self.operand_start(nxt):
                if self.low(k) in ("times", "x") or (self.low(k) == "of" and ops == 0
                                                     and last == "pct"):
                    break  # "= 9 times her ratio", "= 60 percent of students": words
                if (sym == "/" and self.kind(k) == "OP" and self.kind(nxt) == "WORD"
                        and len(self.t[nxt].text) > 1):
                    break  # "$19/hr", "9 mile / minute": a unit, not a division
                if (sym == "-" and self.kind(k) == "OP" and self.gap(k) == 0
                        and self.gap(nxt) == 0 and self.kind(nxt) == "WORD"):
                    break  # "19-liter mixture": a hyphen
                return nxt, False, "computation"
            if (sym == "-" and ops == 0 and self.kind(k) == "OP" and self.gap(k) == 0
                    and self.gap(nxt) == 0 and self.kind(i - 1) == "WORD"
                    and self.kind(nxt + 1) != "OP"
                    and self.kind(k - 1) == "NUM" and self.kind(nxt) == "NUM"
                    and self.t[k - 1].text.isdigit() and self.t[nxt].text.isdigit()
                    and int(self.t[k - 1].text) < int(self.t[nxt].text)):
                return nxt, False, "computation"  # "weeks 1-2", "pages 10-20": a range
            out.append(("op", sym, self.t[k].start, self.t[k].end))
            prev = sym
            j, ok, what = self.operand(nxt, depth, out)
            if not ok:
                return j, False, "computation"
            glued.add(what if what.startswith("unit:") else "")
            if what.startswith("unit:"):
                what = "num"
            ops += 1
            additive = additive or sym in ("+", "-")
            if additive and len(glued) > 1:
                return j, False, "computation"  # 2m + 55: m is a variable; 5m + 3m is fine
            units.add(self._unit(j))
            if additive and len(units - {None}) > 1:
                return j, False, "computation"  # "4 pounds - 6 ounces": needs a conversion
            tight = self.t[k].text == "/" and self.gap(k) == 0 and self.gap(k + 1) == 0
            shape = "fraction" if (ops == 1 and sym == "/" and tight and last == "num"
                                   and what == "num" and shape == "bare") else "computation"
            last = "frac" if shape == "fraction" else what
        return j, True, shape

    def relation(self, k: int, left: str, words: bool = True) -> tuple[int, str] | None:
        """The relation at token k: (index of the right side, "=" or "≈"). A word relation
        needs a computation on its left ("12 times 3 is 36", not "the total is 36"); after
        a bare fraction only an approximation ("10/3 is about 3.3", not "4/7 is $24")."""
        if k >= self.n:
            return None
        tok = self.t[k]
        if tok.kind == "REL":
            sym = REL_SYMBOLS.get(tok.text)
            if sym is None:
                return None
            k += 1
        elif words and tok.kind == "WORD" and tok.low in REL_WORDS and (
                left == "computation" or (left == "fraction" and (
                    self.low(k + 1) in APPROX_WORDS or self.value_form(
                        k + 3 if tok.low == "is" and self.low(k + 1) == "equal" else k + 1)))):
            sym = "="
            k += 1
            if tok.low == "is" and self.low(k) == "equal" and self.low(k + 1) == "to":
                k += 2
        else:
            return None
        if self.kind(k) == "REL" and self.t[k].text == "~" and sym == "=":
            sym, k = "≈", k + 1
        if self.low(k) in APPROX_WORDS:
            sym, k = "≈", k + 1
            if self.kind(k) == "P" and self.t[k].text == "." and self.low(k - 1) == "approx":
                k += 1
        return k, sym

    def value_form(self, k: int) -> bool:
        """Is token k a number written as a value of its own: a fraction ("3/13") or a
        percentage ("25%")? After "2/13 equals", that makes a claim about the fraction
        ("4/7 is $24" is about a share of something)."""
        if self.kind(k) == "OP" and self.t[k].text in SIGNS and self.gap(k + 1) == 0:
            k += 1
        if self.kind(k) != "NUM":
            return False
        if self.kind(k + 1) == "PCT" or self.low(k + 1) == "percent" or \
                self.t[k].text.startswith(("0.", ".")):
            return True
        return (self.kind(k + 1) == "OP" and self.t[k + 1].text == "/" and self.gap(k + 1) == 0
                and self.kind(k + 2) == "NUM" and self.gap(k + 2) == 0)

    # -------------------------------------------------------------- context
    def left_poisoned(self, i: int) -> bool:
        """Does the operand at i continue something that is not plain arithmetic?"""
        if i == 0:
            return False
        p = self.t[i - 1]
        g = self.gap(i)
        if p.kind == "OP":  # "- 2 + 2 = 4" as a bullet is fine; "4! · 2^4", "\alpha + \pi" not
            before = self.kind(i - 2)
            return not (before in ("", "NL") or (before == "P" and self.t[i - 2].text not in GLUE))
        if p.kind in ("NUM", "BAD", "PCT", "SUP") and g <= 1:
            return not (g == 1 and self.new_claim(i))
        if p.kind == "RP" and g == 0:
            return True
        if p.kind == "TEX":
            return True  # \frac 12, \sqrt 2, \alpha 3
        if p.kind == "P":
            return g == 0 and p.text in GLUE  # y_0, 11!(1 + 12), \frac{1}{2}(2)
        if p.kind == "WORD":
            w = p.low
            if g == 0:
                return True  # v2, H2O, B12: an identifier
            if self.t[i].kind == "LP" and g <= 1 and len(p.text) == 1 and p.text not in "aAI":
                return True  # f (1/3), x \left(2\right): a function or a product
            if self.t[i].kind == "OP" and (
                    (len(p.text) == 1 and p.text not in "aAI")
                    or (self.kind(i - 2) == "NUM" and p.start == self.t[i - 2].end)):
                return True  # "5b -3(3)", "x -3": the sign continues an algebraic expression
            if w in ("plus", "minus", "times", "over") or w in MULTIPLIER_WORDS:
                return True
            if w == "by" and self.low(i - 2) in ("divided", "multiplied"):
                return True
            if (w == "and" and self.kind(i - 2) == "NUM" and self.t[i - 2].text.isdigit()
                    and self.kind(i + 1) == "OP" and self.t[i + 1].text == "/"):
                return True  # "1 and 1/4": a mixed number
            if w == "x" and self.kind(i - 2) in ("NUM", "RP", "PCT", "BAD"):
                return True
            if w in ("of", "off") and (self.kind(i - 2) == "PCT" or self.low(i - 2) in MULTIPLIER_WORDS):
                return True
        return False

    def right_poisoned(self, j: int) -> bool:
        """Is the term followed by something that makes it part of another number ("= 3
        3/4", "= 3 ½", "= 10:30")? A number that starts a unit phrase is fine ("= 5
        200-kilobyte videos", "= 400 6 megabyte pictures")."""
        if j >= self.n or self.gap(j) > 1:
            return False
        q = self.t[j]
        if q.kind in ("BAD", "SUP", "TEX", "ROOT"):
            return True  # "= 4 \sqrt{2}", "= 7√2"
        if q.kind == "WORD":  # "= 4 \pi", "= 32 r^5": a coefficient, not the result
            return q.low in ("pi", "π") or self.variable(j)
        if q.kind == "LP":  # "= 2 (x + 1)", "= 3 (4 + 5)": the result goes on
            return self.kind(j + 1) in ("NUM", "LP", "ROOT", "OP") or self.variable(j + 1)
        if q.kind == "P":
            if self.gap(j) or j + 1 >= self.n:
                return False
            if q.text in ".," and self.gap(j + 1) == 0 and self.kind(j + 1) in ("TEX", "NUM", "SUP"):
                return True  # 0.\overline{2}, 9,\!000 (not "= 7.)": a sentence's end)
            return q.text in GLUE and q.text != "!"  # 4! is read above
        if q.kind != "NUM":
            return False
        if q.text[-1] in VULGAR or not q.text[0].isdigit():
            return True
        if len(q.text.split(".")[0]) == 3 and q.text[:3].isdigit():
            return True  # "2 500 kg": a thousands group, not a new number
        nxt = self.t[j + 1] if j + 1 < self.n else None
        if nxt is not None and nxt.kind == "OP" and nxt.text != "/" and self.new_claim(j):
            return False  # "1+1=2 1+1=2": the next number starts the next claim
        return nxt is None or nxt.kind != "WORD" and not (
            nxt.kind == "OP" and nxt.text in "-–" and self.kind(j + 2) == "WORD")

    def dimension(self, items: list, j: int, k: int) -> str:
        """The noun after "a x b" written with the letter x between two whole numbers
        ("2 x 4 lumber", "8 x 10 photo"), or "". Such a term is a size, not a product,
        unless the result counts the same noun ("3 x 4 bottles = 12 bottles")."""
        if k == j or self.kind(j) != "WORD" or len(items) != 3:
            return ""
        (k1, a, _, a_end), (k2, _, s, e), (k3, b, b_start, _) = items
        if (k1, k2, k3) != ("num", "op", "num") or self.text[s:e] not in ("x", "X") or \
                self.text[a_end:s].strip() or self.text[e:b_start].strip():
            return ""  # "8 beads x 6 friends": counts of things multiplied, not a size
        if self._unit(j) is not None:
            return ""  # "12 x 3 dozen", "6 x 8 ounces": a count of a unit, multiplied
        return self.t[j].low if a.isdigit() and b.isdigit() else ""

    def variable(self, k: int) -> bool:
        """Is token k a lone letter standing for an unknown (r, n, y), not an article, "I",
        a remainder (12 R 3) or a unit letter (5 m, 3 h)? A unit letter with a power or a subscript is a
        variable too (r^5, m_1)."""
        tok = self.t[k] if 0 <= k < self.n else None
        if tok is None or tok.kind != "WORD" or len(tok.text) != 1 or not tok.text.isalpha():
            return False
        if tok.text in "aAI" or (tok.text in "Rr" and self.kind(k + 1) == "NUM"):
            return False  # "12 R 3": a remainder
        nxt = self.t[k + 1] if k + 1 < self.n else None
        glued = nxt is not None and self.gap(k + 1) == 0
        powered = glued and (nxt.kind == "SUP" or (nxt.kind in ("OP", "P") and nxt.text in ("^", "_")))
        if glued and not powered and nxt.text not in ".,;:!?)":
            return False  # "35 M&Ms": part of a name
        return powered or tok.text not in SPACED_UNIT_LETTERS

    def new_claim(self, k: int) -> bool:
        """Does the number at token k start a claim of its own right after the result of
        another ("= 2 1 + 1 = 2")? Only a number followed by an operator and a relation
        later on its line, and not a group of three digits ("= 2 500 kg")."""
        tok = self.t[k]
        return (self.kind(k - 1) == "NUM" and self.kind(k - 2) == "REL"
                and tok.text.isdigit() and len(tok.text) != 3
                and self.kind(k + 1) == "OP" and self.t[k + 1].text != "/")

    # -------------------------------------------------------------- chains
    def scan(self) -> list[Chain]:
        chains: list[Chain] = []
        # a chain needs a relation later on its line: skip numbers with none after them
        rel_ahead = [False] * (self.n + 1)
        for k in range(self.n - 1, -1, -1):
            tok = self.t[k]
            rel_ahead[k] = tok.kind == "REL" or (tok.kind != "NL" and (
                rel_ahead[k + 1] or (tok.kind == "WORD" and tok.low in REL_WORDS)))
        i = 0
        while i < self.n:
            if not rel_ahead[i] or not self.operand_start(i) or self.opens_remark(i):
                i += 1
                continue
            j = self.chain(i, chains)
            i = max(j, i + 1)
        return chains

    def note_unread(self, i: int, j: int, ok: bool) -> None:
        """Record the term at tokens i..j when a relation touches it but a stray symbol
        stops the reading: a "!" glued to a number ("4! = 24"), a ")" that closes nothing
        ("2 + 3) = 5"), a "(" a relation interrupts ("2 + (3 = 5"), a product glued to a
        division ("6/2(1+2) = 9": (6/2)·3 or 6/(2·3))."""
        cause = ""
        if not ok and j - 1 > i and self.t[j - 1].text == "!" and self.kind(j - 1) == "P":
            cause = 'a "!" after a number'
        elif not ok and self.kind(j) == "REL" and any(self.kind(k) == "LP" for k in range(i, j)):
            cause = 'a "(" that is not closed'
        elif ok and self.kind(j) == "RP" and self.kind(j + 1) == "REL":
            cause = 'a ")" that closes nothing'
        elif not ok and j > i and self.t[j - 1].end == self.t[j].start and (
                self.kind(j) == "LP" or self.low(j) in ("pi", "π")) and any(
                self.t[m].text in ("/", "÷") for m in range(i, j)):
            cause = "a product after a division written without × (6/2(1+2) reads two ways)"
        if not cause:
            return
        k = j
        while k < self.n and k - j < MAX_REMARK_TOKENS and self.kind(k) != "NL" and not (
                self.kind(k) == "P" and self.t[k].text in ".;?" and self.gap(k + 1) > 0):
            k += 1
        rels = [m for m in range(i, k) if self.kind(m) == "REL"]
        if rels and any(self.kind(m) == "NUM" for m in range(rels[0], k)):
            self.unread.append(Unread(self.t[i].start, self.t[k - 1].end, cause))

    def opens_remark(self, i: int) -> bool:
        """Is token i a bracket around a whole claim ("(2 + 3 = 5)", "[4 × 2 = 8]"), not a
        group of one? Yes when a relation comes before it closes (looked at for a bounded
        number of tokens, so the scan stays linear)."""
        if self.kind(i) != "LP":
            return False
        depth = 0
        for k in range(i, min(self.n, i + MAX_REMARK_TOKENS)):
            kind = self.kind(k)
            if kind == "LP":
                depth += 1
            elif kind == "RP":
                depth -= 1
                if depth == 0:
                    return False
            elif kind == "NL":
                return False
            elif depth == 1 and (kind == "REL" or self.low(k) in REL_WORDS):
                return True
        return False

    def chain(self, i: int, chains: list[Chain]) -> int:
        terms: list[tuple[Term, bool, bool]] = []  # (term, usable, cut after it)
        rels: list[str] = []
        out: list = []
        poisoned = self.left_poisoned(i)
        # "less than 10^8 is 10^8 - 1": the subject of "is" is not the number after "than"
        words = self.low(i - 1) not in COMPARATIVES
        j, ok, shape = self.expression(i, 0, out)
        dimension = ""  # the noun after "a x b" ("2 x 4 lumber"), when the last term ended so
        while True:
            self.note_unread(i, j, ok)
            usable = ok and not poisoned and not self.right_poisoned(j)
            k = self.bridge(j, "frac" if shape == "fraction" else "num") if ok else j
            # "16 quarters = 16 * $0.25", "1/2 a cup = 4 ounces": a quantity with its unit
            # before "=" starts a unit conversion, not arithmetic
            cut = shape != "computation" and k != j and not any(
                item[0] in ("cur", "curs") for item in out)
            end = self.t[j - 1].end if j > i else self.t[i].end
            unit = self.t[j].low if (shape == "bare" and j < self.n and self.gap(j) <= 1
                                     and self.t[j].kind == "WORD") else ""
            term = Term(self.wide.get(self.t[i].start, self.t[i].start), self.wide.get(end, end),
                        shape == "bare", tuple(out), unit, shape == "fraction")
            if dimension and not _same_noun(dimension, unit):
                terms[-1] = (terms[-1][0], False, terms[-1][2])  # "2 x 4 lumber = 12 boards"
            terms.append((term, usable, cut))
            if not ok:
                break
            dimension = self.dimension(out, j, k)
            r = self.relation(k, shape, words)
            words = True
            if r is None:
                if shape == "bare" and usable and len(terms) > 1:
                    m = _REMAINDER.match(self.text, end)
                    said = m is not None and m.group("r") is not None
                    if m is not None and (said or any(item[:2] == ("op", "/")
                                                      for item in terms[-2][0].items)):
                        terms[-1] = (replace(term, remainder=m.span("r" if said else "l"),
                                             remainder_said=said), usable, cut)
                break
            nxt, sym = r
            if not self.operand_start(nxt):
                j = nxt
                break
            rels.append(sym)
            i = nxt
            out = []
            poisoned = False
            j, ok, shape = self.expression(i, 0, out)
        self._emit(terms, rels, chains)
        return j

    def _emit(self, terms: list[tuple[Term, bool, bool]], rels: list[str], chains: list[Chain]) -> None:
        """Split at unusable terms, after a unit conversion, and between two plain numbers;
        a chain starts with a computation ("Remaining 10 = 62,300/10" is a label, not a
        claim that 10 equals 6230). Two different plain numbers set equal ("2 + 2 = 4 = 5")
        are no link this reads, but a reader sees a claim there: it is recorded unread."""
        run: list[Term] = []
        run_rels: list[str] = []

        def flush() -> None:
            while run and run[0].bare:
                run.pop(0)
                if run_rels:
                    run_rels.pop(0)
            if len(run) >= 2:
                chains.append(Chain(run[0].start, run[-1].end, tuple(run), tuple(run_rels)))
            run.clear()
            run_rels.clear()

        cut_before = False
        for k, (term, usable, cut) in enumerate(terms):
            if not usable:
                flush()
                cut_before = False
                continue
            if run and (cut_before or (run[-1].bare and term.bare)):
                if not cut_before and rels[k - 1] == "=" and not (run[-1].unit and term.unit) \
                        and None is not _plain(run[-1]) != _plain(term) is not None:
                    start = run[-1].end + len(self.text[run[-1].end:term.start]) \
                        - len(self.text[run[-1].end:term.start].lstrip())
                    self.unread.append(Unread(start, term.end, "two different numbers set equal"))
                flush()
            elif run:
                run_rels.append(rels[k - 1])
            run.append(term)
            cut_before = cut
        flush()


def _plain(term: Term) -> Fraction | None:
    """The value a plain number states ("30%" is 0.3), or None when it is not that simple."""
    items = [(kind, text) for kind, text, _, _ in term.items if kind not in ("cur", "curs")]
    if not items or items[0][0] != "num" or any(kind != "pct" for kind, _ in items[1:]) \
            or len(items) > 2:
        return None
    try:
        value = Fraction(items[0][1].replace(",", ""))
    except (ValueError, ZeroDivisionError):
        return None
    return value / 100 if len(items) == 2 else value


def _same_noun(a: str, b: str) -> bool:
    """Are two nouns the same, up to a plural ending (bottle, bottles; box, boxes)?"""
    return a == b or a in (b + "s", b + "es") or b in (a + "s", a + "es")


def find_chains(text: str) -> list[Chain]:
    """Every arithmetic chain in ``text``, in order."""
    return scan(text)[0]


def scan(text: str) -> tuple[list[Chain], list[Unread]]:
    """Every arithmetic chain in ``text``, in order, and the claim-shaped text that could
    not be read (not overlapping any chain)."""
    if not ANCHOR.search(text):
        return [], []
    scanner = _Scanner(text)
    chains = scanner.scan()
    unread: list[Unread] = []
    k = 0  # both lists are in text order: one merge pass keeps this linear
    for u in sorted(scanner.unread, key=lambda u: u.start):
        while k < len(chains) and chains[k].end <= u.start:
            k += 1
        if (k < len(chains) and chains[k].start < u.end) or (unread and unread[-1].end > u.start):
            continue
        unread.append(u)
    return chains, unread
