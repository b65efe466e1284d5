"""LaTeX / plain math answer text → a parsed :data:`MathValue`, safely.

``parse_answer`` is the entry point for final answers: it removes what surrounds the math
(``$…$``, ``\\boxed{}``, Markdown ``**73**``, trailing punctuation, thousands separators
such as ``1{,}000`` or ``3,\\!110``), recognises word answers (``\\text{Friday}``, ``(C)``),
and hands the rest to the recursive-descent parser in :mod:`.mathparse` (never to ``eval``).
``parse_expression`` parses one expression for the step checker.
"""
from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

import sympy

from .parse import parse_math, to_value
from .tokens import FUNCS, MAX_INPUT_CHARS, MULTI_ARG, MathParseError, UNIT_WORDS
from .values import ExprValue, MathValue, TextValue

__all__ = ["MathParseError", "normalize", "parse_answer", "parse_expression", "strip_wrappers"]

_DELIMS = re.compile(r"\\\(|\\\)|\\\[|\\\]|(?<!\\)\$\$?")
_BOLD = re.compile(r"(?<![\w)\]}])\*\*|\*\*(?![\w(\[{\\])")
_THOUSANDS = re.compile(r"(?<=\d)\s*(?:\{,\}|,\s*\\!|\\!\s*,|\\,|,\\,)\s*(?:\\!)?\s*(?=\d{3}(?!\d))")
_BOXED = re.compile(r"\\(?:boxed|fbox)\s*\{")
_ANSWER_WORDS = {"odd", "even", "neither", "none", "yes", "no", "true", "false", "all", "both"}
_MATH_WORDS = set(FUNCS) | set(MULTI_ARG) | {"sqrt", "log", "pi", "infty", "infinity", "inf",
                                               "oo", "and", "or", "dx"}


def strip_wrappers(text: str) -> str:
    """``\\boxed{X}`` / ``\\fbox{X}`` → ``X`` (nested braces respected)."""
    out = text
    for _ in range(5):
        m = _BOXED.search(out)
        if not m:
            break
        depth, j = 1, m.end()
        while j < len(out) and depth:
            if out[j] == "{" and out[j - 1] != "\\":
                depth += 1
            elif out[j] == "}" and out[j - 1] != "\\":
                depth -= 1
            j += 1
        if depth:
            break
        out = out[:m.start()] + out[m.end():j - 1] + out[j:]
    return out


def normalize(text: str) -> str:
    """Remove what surrounds the math in an answer, keeping the math itself unchanged."""
    s = text.strip()
    s = _DELIMS.sub(" ", s)
    s = _BOLD.sub("", s)
    s = strip_wrappers(s)
    s = _THOUSANDS.sub("", s)
    s = _BASE_NUMERAL.sub(_base_value, s)
    s = re.sub(r"\\(?:text|mathrm)\s*\{\s*e\s*\}", " e ", s)  # \\text{e}: Euler's number
    s = s.replace("\\textdegree", "^\\circ").replace("\\degree", "^\\circ")
    s = re.sub(r"\\(?:displaystyle|textstyle)\b", " ", s)
    s = s.strip()
    s = re.sub(r"(?:\\[,;:!]|\\quad|\\qquad|\s)+$", "", s)
    while s and s[-1] in ".,;:" and not s.endswith("\\,"):
        s = s[:-1].rstrip()
    return s


#: A numeral with a base subscript, ``52_8``, ``1011_{2}``, ``\\text{A3}_{16}``: it compares by its
#: value, so ``52_8`` equals ``42`` (the reference may write either form).
_BASE_NUMERAL = re.compile(r"(?<![\w\\^_{.])(?:\\(?:text|mathrm)\{([0-9A-Z]+)\}|([0-9][0-9A-Z]*))_\{?([1-9]\d?)\}?(?![\d}]|\^)"
                           r"|(?<![\w\\^_{.])(?:\\(?:text|mathrm)\{([0-9A-Z]+)\}|([0-9][0-9A-Z]*))_\{([1-9]\d?)\}")


def _base_value(m: re.Match) -> str:
    """The decimal value of a base-subscript numeral; the text unchanged when a digit is
    not a digit of that base (then it is no numeral: ``12_1``, ``19_8``)."""
    digits = m.group(1) or m.group(2) or m.group(4) or m.group(5)
    base = int(m.group(3) or m.group(6))
    if not 2 <= base <= 36:
        return m.group(0)
    try:
        return str(int(digits, base))
    except ValueError:
        return m.group(0)


#: ``f(x) = x + 22``, ``(f(n), g(n)) = (n, 1)``: a letter applied to one variable or number
#: and then given a value is a function being defined, not a product.
_DEFINED_FUNCTION = re.compile(r"(?<![A-Za-z\\])([a-zA-Z])\(\s*[a-z0-9]\s*\)(?=\s*[=,)])")


_TEXT_CMD = re.compile(r"\\(?:text|textbf|textit|textrm|textnormal|mbox|mathrm|mathbf|mathit|emph)\s*\{([^{}]*)\}")


def _as_text_answer(s: str) -> TextValue | None:
    """A word answer: ``\\text{Friday}``, ``Sunday``, ``(C)``, ``BCEF``, ``neither``."""
    plain = _TEXT_CMD.sub(r" \1 ", s).strip()
    plain = re.sub(r"^\((.*)\)$", r"\1", plain).strip()
    if not plain or not re.fullmatch(r"[A-Za-z][A-Za-z\s,.'&-]*", plain):
        return None
    words = re.findall(r"[A-Za-z]+", plain)
    low = [w.lower() for w in words]
    if any(w in _MATH_WORDS for w in low):
        return None
    if len(words) == 1 and (plain.isupper() or low[0] in _ANSWER_WORDS):
        return TextValue(plain)
    if any(len(w) >= 4 and w not in UNIT_WORDS for w in low) or \
            (len(words) == 1 and len(words[0]) >= 4):
        return TextValue(" ".join(plain.split()))
    if s.lstrip().startswith("\\text") and len(words) == 1:
        return TextValue(plain)
    return None


@lru_cache(maxsize=4096)
def parse_answer(text: str) -> MathValue:
    """Parse a final answer (LaTeX or plain) into a :data:`MathValue`.

    Raises :class:`MathParseError` with the reason when the text is not readable math or
    exceeds the size limits (long input, huge numbers, deep nesting).
    """
    if not isinstance(text, str):
        raise TypeError(f"an answer must be str, got {type(text).__name__}")
    if len(text) > MAX_INPUT_CHARS:
        raise MathParseError(f"answer too long ({len(text):,} characters, limit {MAX_INPUT_CHARS:,})")
    s = normalize(text)
    if not s:
        raise MathParseError("empty answer")
    word = _as_text_answer(s)
    if word is not None:
        return word
    letters = frozenset(_DEFINED_FUNCTION.findall(s)) if "=" in s else frozenset()
    raw, parser = parse_math(s, function_letters=letters)
    value = to_value(raw, parser)
    if isinstance(value, ExprValue) and not isinstance(value.expr, sympy.Expr):
        raise MathParseError("not an expression")
    return value


def parse_expression(text: str, *, functions: frozenset[str] = frozenset(),
                     function_letters: frozenset[str] = frozenset(), imaginary_i: bool = True) -> Any:
    """Parse one expression or relation of a worked step (no answer normalisation beyond
    delimiters); returns the raw parse (a SymPy expression or a structural value)."""
    s = _DELIMS.sub(" ", text).strip()
    s = _THOUSANDS.sub("", s)
    if not s:
        raise MathParseError("empty expression")
    raw, parser = parse_math(s, functions=functions, function_letters=function_letters,
                             imaginary_i=imaginary_i)
    if parser.pm:
        raise MathParseError("± in a step is not a single claim")
    return raw
