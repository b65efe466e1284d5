"""The parser's tokens, limits and vocabulary: :func:`tokenize` turns LaTeX or plain-text
math into :class:`Token` s (numbers, letters, words, commands, text, operators), refusing
input past the size limits with a :class:`MathParseError`; the names it knows (functions,
Greek letters, unit words, relations) are shared with :mod:`.parse` and :mod:`.latex`."""
from __future__ import annotations

import math
import re
from dataclasses import dataclass
from fractions import Fraction
from typing import Any, Callable

import sympy
from sympy import Abs, Rational, oo, pi


# ---- limits -----------------------------------------------------------------------------
MAX_INPUT_CHARS = 5_000
MAX_TOKENS = 2_000
MAX_DEPTH = 40  # nested groups (parentheses, braces, fractions, roots...)
MAX_LITERAL_DIGITS = 1_000
MAX_RESULT_DIGITS = 20_000
MAX_EXPONENT = 10_000  # |n| in x^n for a symbolic base
MAX_PM = 3  # at most 3 ± signs (8 expansions)


class MathParseError(ValueError):
    """The text is not math this parser reads, or is too large to read safely."""


# ---- tokens -----------------------------------------------------------------------------
@dataclass(frozen=True)
class Token:
    kind: str  # NUM LETTER WORD CMD TEXT OP END
    text: str
    pos: int
    space: bool = False  # whitespace before this token


#: Commands that only change the look; their braces become a plain group.
_TRANSPARENT = {"mathrm", "mathbf", "mathit", "mathsf", "mathtt", "mathcal", "mathbb",
               "boldsymbol", "bm", "vec", "hat", "bar", "tilde", "widehat", "overrightarrow",
               "displaystyle", "textstyle", "scriptstyle", "operatorname", "mathnormal",
               "underline", "boxed", "fbox", "color", "bf", "rm", "it"}
#: Commands that hold words, not math.
_TEXTUAL = {"text", "textbf", "textit", "textrm", "textnormal", "mbox", "textsf", "texttt",
           "hbox", "emph"}
#: Commands that are only spacing or sizing.
_SKIP = {"left", "right", "big", "Big", "bigg", "Bigg", "bigl", "bigr", "Bigl", "Bigr",
        "biggl", "biggr", "Biggl", "Biggr", "quad", "qquad", "displaystyle", "textstyle",
        "limits", "nolimits", "middle", "label", "nonumber", "notag", "hfill", "space",
        "enspace", "thinspace", "negthinspace", "allowbreak", "mkern", "kern"}
_SPACING_CHARS = {",", "!", ";", ":", " ", ">", "\n"}

_NUM_RE = re.compile(
    r"\d{1,3}(?:,\d{3})+(?![\d])(?:\.\d+)?"     # 1,000 or 12,345.5 (thousands separators)
    r"|\d+\.?\d*(?:[eE][+-]?\d+(?![A-Za-z]))?"  # 12, 1.5, 2., 1.2e5
    r"|\.\d+(?:[eE][+-]?\d+(?![A-Za-z]))?")     # .5
_OPS2 = ("<=", ">=", "!=", "=<", "=>", "**", "->", "==", "≤", "≥")


def _read_group(text: str, i: int) -> tuple[str, int]:
    """The content of the brace group starting at ``text[i] == '{'`` and the index after it."""
    depth = 0
    for j in range(i, len(text)):
        c = text[j]
        if c == "\\":
            continue
        if c == "{" and (j == 0 or text[j - 1] != "\\"):
            depth += 1
        elif c == "}" and (j == 0 or text[j - 1] != "\\"):
            depth -= 1
            if depth == 0:
                return text[i + 1:j], j + 1
    raise MathParseError("unbalanced braces: a '{' is never closed")


def tokenize(text: str) -> list[Token]:
    """Split normalised math text into tokens (see :class:`Token`)."""
    if len(text) > MAX_INPUT_CHARS:
        raise MathParseError(f"expression too long ({len(text):,} characters, limit {MAX_INPUT_CHARS:,})")
    out: list[Token] = []
    i, n, space = 0, len(text), False
    while i < n:
        c = text[i]
        if c.isspace() or c == "~":
            space, i = True, i + 1
            continue
        if c == "\\":
            m = re.match(r"\\([A-Za-z]+)", text[i:])
            if not m:
                nxt = text[i + 1:i + 2]
                if nxt in _SPACING_CHARS or nxt == "":
                    space, i = True, i + 2
                    continue
                out.append(Token("CMD", nxt, i, space))
                space, i = False, i + 2
                continue
            name, j = m.group(1), i + len(m.group(0))
            if name in _SKIP:
                if name in ("left", "right") and text[j:j + 1] == ".":
                    j += 1  # \left. / \right. : an invisible delimiter
                i = j
                continue
            if name in _TEXTUAL or name in ("operatorname", "color"):
                k = j
                while k < n and text[k].isspace():
                    k += 1
                if k < n and text[k] == "{":
                    content, k = _read_group(text, k)
                    if name == "color":
                        i = k
                        continue
                    if name == "operatorname":
                        out.append(Token("WORD", content.strip().rstrip("*"), i, space))
                    else:
                        _text_token(content, i, space, out)
                    space, i = False, k
                    continue
            if name in _TRANSPARENT:
                i = j
                continue
            out.append(Token("CMD", name, i, space))
            space, i = False, j
            continue
        if c in "0123456789" or (c == "." and i + 1 < n and text[i + 1] in "0123456789"):
            m = _NUM_RE.match(text, i)
            assert m is not None
            lit = m.group(0)
            if len(lit) > MAX_LITERAL_DIGITS:
                raise MathParseError(f"number too long ({len(lit):,} digits, limit {MAX_LITERAL_DIGITS:,})")
            out.append(Token("NUM", lit, i, space))
            space, i = False, m.end()
            continue
        if c.isalpha() and c.isascii():
            m = re.match(r"[A-Za-z]+", text[i:])
            assert m is not None
            word = m.group(0)
            if len(word) == 1 or (len(word) <= 3 and not _known_word(word)):
                # "xy" in math is x·y: one letter token each, so xy^2 = x·y²
                for k, ch in enumerate(word):
                    out.append(Token("LETTER", ch, i + k, space if k == 0 else False))
            else:
                out.append(Token("WORD", word, i, space))
            space, i = False, i + len(word)
            continue
        two = text[i:i + 2]
        if two == "..":
            raise MathParseError("an ellipsis (…) is not a value")
        if two in _OPS2:
            out.append(Token("OP", {"=<": "<=", "=>": "=>", "==": "=", "≤": "<=", "≥": ">="}.get(two, two), i, space))
            space, i = False, i + 2
            continue
        if c in "+-*/^_=<>!()[]{},|';:&.%$?":
            out.append(Token("OP", c, i, space))
            space, i = False, i + 1
            continue
        single = {"≤": "<=", "≥": ">=", "≠": "!=", "±": "pm", "∓": "mp", "×": "times",
                  "÷": "div", "·": "cdot", "⋅": "cdot", "π": "pi", "∞": "infty", "√": "sqrt",
                  "°": "circ", "∪": "cup", "∩": "cap", "∫": "int", "→": "to", "≈": "approx",
                  "∈": "in", "−": "-", "–": "-", "∅": "emptyset", "θ": "theta", "α": "alpha",
                  "β": "beta", "∑": "sum", "⇒": "implies", "⟹": "implies", "∴": "therefore"}
        if c in single:
            v = single[c]
            out.append(Token("OP" if v in ("<=", ">=", "!=", "-") else "CMD", v, i, space))
            space, i = False, i + 1
            continue
        if c in "²³¹⁰⁴⁵⁶⁷⁸⁹":
            out.append(Token("OP", "^", i, space))
            out.append(Token("NUM", "0123456789"["⁰¹²³⁴⁵⁶⁷⁸⁹".index(c)], i, False))
            space, i = False, i + 1
            continue
        raise MathParseError(f"unexpected character {c!r} at position {i}")
    if len(out) > MAX_TOKENS:
        raise MathParseError(f"expression too long ({len(out):,} tokens, limit {MAX_TOKENS:,})")
    out.append(Token("END", "", n, space))
    return out


def _text_token(content: str, pos: int, space: bool, out: list[Token]) -> None:
    """``\\text{13}`` is the number 13; ``\\text{ cm}`` a unit; ``\\text{or}`` a separator."""
    stripped = content.strip()
    if not stripped:
        return
    if re.fullmatch(r"[-+]?\s*(\d{1,3}(,\d{3})+|\d+\.?\d*|\.\d+)", stripped):
        out.extend(t for t in tokenize(stripped)[:-1])
        return
    out.append(Token("TEXT", stripped, pos, space))


# ---- vocabulary -------------------------------------------------------------------------
FUNCS: dict[str, Callable[..., Any]] = {
    "sin": sympy.sin, "cos": sympy.cos, "tan": sympy.tan, "cot": sympy.cot, "sec": sympy.sec,
    "csc": sympy.csc, "arcsin": sympy.asin, "arccos": sympy.acos, "arctan": sympy.atan,
    "asin": sympy.asin, "acos": sympy.acos, "atan": sympy.atan, "arccot": sympy.acot,
    "sinh": sympy.sinh, "cosh": sympy.cosh, "tanh": sympy.tanh, "ln": sympy.log,
    "exp": sympy.exp, "abs": Abs, "floor": sympy.floor, "ceil": sympy.ceiling,
    "sgn": sympy.sign, "sign": sympy.sign,
}
TRIG = {"sin", "cos", "tan", "cot", "sec", "csc"}
INVERSE = {"sin": sympy.asin, "cos": sympy.acos, "tan": sympy.atan, "cot": sympy.acot,
           "sec": sympy.asec, "csc": sympy.acsc}
MULTI_ARG = {"gcd": sympy.gcd, "lcm": sympy.lcm, "max": sympy.Max, "min": sympy.Min}
GREEK = {"alpha", "beta", "gamma", "delta", "epsilon", "varepsilon", "zeta", "eta", "theta",
         "vartheta", "iota", "kappa", "lambda", "mu", "nu", "xi", "rho", "sigma", "tau",
         "upsilon", "phi", "varphi", "chi", "psi", "omega", "Gamma", "Delta", "Theta",
         "Lambda", "Xi", "Sigma", "Phi", "Psi", "Omega"}
UNIT_WORDS = {
    "cm", "mm", "km", "inch", "inches", "ft", "feet", "foot", "yd", "yard", "yards",
    "mi", "mile", "miles", "meter", "meters", "metre", "metres", "centimeters", "units", "unit",
    "sq", "square", "cubic", "degrees", "degree", "deg", "dollars", "dollar", "cents", "cent",
    "hours", "hour", "hr", "hrs", "minutes", "minute", "mins", "seconds", "second", "days",
    "day", "weeks", "week", "years", "year", "months", "month", "mph", "kg", "lb", "lbs",
    "pounds", "pound", "ounces", "ounce", "oz", "liters", "litres", "liter", "ml", "gallons",
    "gallon", "percent", "radians", "rad", "cubes", "sqft", "approximately", "about", "total",
}
SEPARATOR_WORDS = {"and", "or"}
CONSTANT_WORDS = {"pi": pi, "infty": oo, "infinity": oo, "inf": oo, "oo": oo}
RELOPS = {"=": "=", "<": "<", ">": ">", "<=": "<=", ">=": ">=", "!=": "!=", "ne": "!=",
          "neq": "!=", "le": "<=", "leq": "<=", "leqslant": "<=", "ge": ">=", "geq": ">=",
          "geqslant": ">=", "lt": "<", "gt": ">", "approx": "approx", "in": "in",
          "equiv": "=", "cong": "="}
MATRIX_ENVS = {"pmatrix", "bmatrix", "Bmatrix", "matrix", "vmatrix", "smallmatrix", "array"}


def _known_word(word: str) -> bool:
    w = word.lower()
    return (w in FUNCS or w in MULTI_ARG or w in CONSTANT_WORDS or w in UNIT_WORDS or
            w in SEPARATOR_WORDS or w in ("sqrt", "log", "lim", "mod") or
            (len(w) == 2 and w[0] == "d"))


def digit_count(x: Any) -> float:
    """log10 of the size of a rational number's numerator/denominator (0 for others)."""
    if isinstance(x, sympy.Rational):
        p, q = abs(int(x.p)), abs(int(x.q))
        return max(math.log10(p) if p > 1 else 0.0, math.log10(q) if q > 1 else 0.0)
    return 0.0


def literal_rational(lit: str) -> sympy.Rational:
    lit = lit.replace(",", "")
    try:
        return Rational(Fraction(lit))
    except (ValueError, ZeroDivisionError) as exc:  # pragma: no cover - regex guarantees form
        raise MathParseError(f"cannot read the number {lit!r}") from exc
