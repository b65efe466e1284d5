r"""What the chain scanner reads: its word lists (units, stop words, operators, relations) and
the token stream of the lines that can hold a claim.

Only lines with a digit and a relation are lexed (with :func:`verify.engines.arithmetic.expr.lex`),
from two words before their first operand; a LaTeX math ``$`` becomes a boundary like a new
line, ``\boxed{18}`` and ``\frac{5}{12}`` of plain numbers are unwrapped, and Markdown bold
is dropped. Separate from :mod:`.scan`, which walks these tokens, so the reading rules there
are not buried under vocabulary and text preparation.
"""
from __future__ import annotations

import re

from .expr import Tok, lex

#: Single letters read as units when they stand apart after a number ("5 m + 3 m"); a
#: letter glued to a number is always a variable (2x, 5A, 2m + 55).
UNIT_LETTERS = frozenset("mgshl")
SPACED_UNIT_LETTERS = UNIT_LETTERS | {"L"}
#: Words that end a clause, so they never sit inside a unit phrase between two numbers.
STOP_WORDS = frozenset("""
or but so then than is are was were be been being am if when while because since as
that which who whom whose where he she it they we you i his her its their our your my me
him them us this these those has have had will would could should may might must do
does did not no yes equals equal makes gives plus minus times over now also only just
about approximately approx roughly around nearly almost how what why let means
""".split())
#: Units whose mix in a sum means a conversion the text leaves implicit.
KNOWN_UNITS = frozenset("""
second minute hour day week month year inch foot yard mile millimeter centimeter meter
kilometer ounce pound gram kilogram ton cup pint quart gallon liter milliliter cent dollar
dozen
""".split())
UNIT_ALIASES = {"feet": "foot", "inches": "inch", "hrs": "hour", "hr": "hour", "mins": "minute",
                "min": "minute", "secs": "second", "lbs": "pound", "lb": "pound", "oz": "ounce",
                "kg": "kilogram", "km": "kilometer", "cm": "centimeter", "mm": "millimeter",
                "ml": "milliliter", "litres": "liter", "litre": "liter", "metres": "meter",
                "metre": "meter", "ft": "foot", "yd": "yard", "yds": "yard"}
#: Unit abbreviations a number may have glued on (5kg, 3pm, 10ml, 2nd is an ordinal); any
#: other two or three letters glued to a number are variables (3xy, 2ab).
ABBREVIATIONS = frozenset("""
ml kg km cm mm mg lb lbs oz hr hrs min mins sec secs ft yd yds mph kph kmh am pm mb gb kb tb
mi pt pts qt gal cal kw kwh ms hz khz mhz ghz sq cu doz pcs pc yr yrs wk wks mo mos kgs gms
gm mls cc dl cl kl mpg rpm fps bpm wpm ppm deg th st nd rd ths bn mil ea ct in hp fl mcg ltr
""".split())
#: Words after which a number is a bound, not the subject of a following "is".
COMPARATIVES = frozenset({"than", "least", "most", "below", "above", "under", "exceeds",
                          "exceed", "exceeding"})
MULTIPLIER_WORDS = frozenset({"half", "twice", "double", "triple", "thrice", "quarter",
                              "third", "thirds", "quarters", "halves", "fifth", "tenth"})
SIGNS = frozenset("-−–+")
#: Punctuation that, glued to a number, makes it part of notation (y_0, 4!, \frac{1}{2}).
GLUE = frozenset("_{}!|&#@")
BINARY_OPS = frozenset(["+", "-", "−", "–", "*", "×", "·", "⋅", "∗", "/", "÷", "^", "**"])
OP_CANON = {"×": "*", "·": "*", "⋅": "*", "∗": "*", "÷": "/", "−": "-", "–": "-", "**": "^"}
REL_SYMBOLS = {"=": "=", "==": "=", "≈": "≈", "~": "≈", "≃": "≈", "≅": "≈", "=~": "≈",
               "~=": "≈"}
NOT_UNITS = frozenset({"x", "off", "percent", "pi", "π", "sqrt", "multiplied", "divided"})
#: Words that place a number rather than name its unit: a sign glued to the number after one
#: makes it a negative number ("the next multiple of 6 after -14 is -12"), not a subtraction
POSITION_WORDS = frozenset({"after", "before", "from", "between", "until", "beyond", "past", "to"})
MAX_BRIDGE_WORDS = 10
MAX_PAREN_DEPTH = 12
MAX_REMARK_TOKENS = 64

ANCHOR = re.compile(r"[=≈~≃≅]|\\approx|\b(?:is|equals|makes|gives)\b")
_OPERAND_CHAR = re.compile(r"[\d(\[$€£¥₹¢√½⅓⅔¼¾⅕⅖⅗⅘⅙⅚⅐⅛⅜⅝⅞⅑⅒π.+\-−–\\]|pi|sqrt|"
                           r"USD|EUR|GBP|JPY|CNY|INR|CAD|AUD|CHF")
_DOLLAR = re.compile(r"(?<!\\)\$\$?")
_MONEY_AFTER = re.compile(r"\s?[.,]?\d")
_DIGIT = re.compile(r"[\d½⅓⅔¼¾⅕⅖⅗⅘⅙⅚⅐⅛⅜⅝⅞⅑⅒π]|\bpi\b")


def without_emphasis(toks: list) -> list:
    """Drop Markdown bold ("= **781,681**."): a "**" glued to a word or number on one side
    only (punctuation does not count) is formatting, not a power; "2**10" keeps its. A
    single "*" is left alone: "3 *12" is a multiplication."""
    out = []
    last = len(toks) - 1
    for k, tok in enumerate(toks):
        if tok.kind == "OP" and tok.text == "**":
            glued_before = k > 0 and toks[k - 1].end == tok.start and toks[k - 1].kind != "P"
            glued_after = k < last and toks[k + 1].start == tok.end and toks[k + 1].kind != "P"
            if glued_before != glued_after:
                continue
        out.append(tok)
    return out


def math_delimiters(text: str) -> frozenset[int]:
    """Offsets of the ``$`` signs that open or close LaTeX math (``$3 + 4 = 7$``) rather
    than mark dollars. Read as math only when every ``$`` of the text pairs up and no
    pair closes right before a number, as a second amount of money would ("$5 and $6",
    "$10/hr × 4 = $40" stay money); ``$$`` pairs with ``$$``."""
    if "$" not in text:
        return frozenset()
    marks = list(_DOLLAR.finditer(text))
    if len(marks) % 2:
        return frozenset()
    out: set[int] = set()
    for a, b in zip(marks[::2], marks[1::2]):
        if a.group() != b.group() or _MONEY_AFTER.match(text, b.end()):
            return frozenset()
        out.update(range(a.start(), a.end()))
        out.update(range(b.start(), b.end()))
    return frozenset(out)


#: What a \boxed{} may hold to be read as its number: 18, -3, $30, 25%.
_BOXED = (["NUM", "PCT"], ["OP", "NUM"], ["CUR", "NUM"], ["NUM"])


def _brace(toks: list, k: int, text: str) -> bool:
    return k < len(toks) and toks[k].kind == "P" and toks[k].text == text


def _latex_groups(toks: list, wide: dict[int, int]) -> list:
    """Unwrap the LaTeX that holds plain numbers: ``\\boxed{18}`` is 18 and
    ``\\frac{5}{12}`` is the fraction 5/12 (a tight "/" between the two numbers; ``wide``
    maps the numerator's start and the denominator's end to the command's). A ``\\frac`` that a division or power touches (``12 \\div \\frac{3}{4}``,
    ``\\frac{1}{2}^2``), that follows a number (the mixed number ``2\\frac{1}{2}``) or has
    anything glued after it (``\\frac{1}{2}x``) stays unread."""
    out: list = []
    k, n = 0, len(toks)
    while k < n:
        tok = toks[k]
        if tok.kind == "TEX" and tok.text == "\\boxed" and _brace(toks, k + 1, "{"):
            inner = [t.kind for t in toks[k + 2:k + 5]]
            size = next((len(shape) for shape in _BOXED if inner[:len(shape)] == shape), 0)
            if size and _brace(toks, k + 2 + size, "}"):
                out.extend(toks[k + 2:k + 2 + size])
                k += 3 + size
                continue
        if (tok.kind == "TEX" and tok.text in ("\\frac", "\\dfrac", "\\tfrac") and k + 6 < n
                and _brace(toks, k + 1, "{") and _brace(toks, k + 3, "}")
                and _brace(toks, k + 4, "{") and _brace(toks, k + 6, "}")
                and toks[k + 2].kind == "NUM" and toks[k + 5].kind == "NUM"):
            prev = out[-1] if out else None
            nxt = toks[k + 7] if k + 7 < n else None
            touched = prev is not None and (
                (prev.kind in ("NUM", "RP", "PCT", "SUP") and tok.start - prev.end <= 1)
                or (prev.kind == "WORD" and tok.start == prev.end)
                or (prev.kind == "OP" and prev.text in ("/", "÷", "^", "**")))
            touched = touched or nxt is not None and (
                (nxt.start == toks[k + 6].end and nxt.kind not in ("P", "NL", "REL"))
                or nxt.kind == "SUP" or (nxt.kind == "OP" and nxt.text in ("^", "**")))
            if not touched:
                num, den = toks[k + 2], toks[k + 5]
                out.extend((num, Tok("OP", "/", num.end, den.start), den))
                wide[num.start] = tok.start  # the claim spans the whole \frac{..}{..}
                wide[den.end] = toks[k + 6].end
                k += 7
                continue
        out.append(tok)
        k += 1
    return out


def _line_start(line: str) -> int:
    """Where tokens of ``line`` start to matter: two words before the first thing that can
    begin an operand (a chain's left context is at most two tokens; no token spans a
    space), so leading prose is not tokenized."""
    m = _OPERAND_CHAR.search(line)
    if m is None:
        return 0
    k = m.start()
    for _ in range(3):  # the chunk holding the operand, then two before it
        k = max(line.rfind(" ", 0, k), line.rfind("\t", 0, k))
        if k <= 0:
            return 0
        k = len(line[:k].rstrip(" \t"))
    return k


def lex_lines(text: str, wide: dict[int, int]) -> list:
    """Tokens of the lines that can hold a claim (a digit and a relation): a chain never
    crosses a line, so prose lines are not tokenized at all. A LaTeX math delimiter ``$``
    is a boundary like a new line, not a currency."""
    toks: list = []
    start = 0
    delimiters = math_delimiters(text)
    for line in text.split("\n"):
        end = start + len(line)
        if _DIGIT.search(line) and ANCHOR.search(line):
            cut = _line_start(line)
            line_toks = lex(line[cut:], start + cut) if cut else lex(line, start)
            if delimiters:
                line_toks = [Tok("NL", "$", t.start, t.end)
                             if t.kind == "CUR" and t.start in delimiters else t
                             for t in line_toks]
            if "\\" in line:
                line_toks = _latex_groups(line_toks, wide)
            toks.extend(line_toks)
            toks.append(Tok("NL", "\n", end, end + 1))
        start = end + 1
    return toks
