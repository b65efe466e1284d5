"""The math engine: symbolic claims in worked solutions, decided with SymPy under time limits.

Claims (found by :mod:`verify.engines.math.find_steps`): derivatives, integrals (checked by
differentiating the claimed antiderivative), limits, sums; values of functions defined
earlier (``f(2) = 7`` given ``f(x) = x^2 + 3``); algebraic identities written as rewriting;
equation and inequality steps (the next one must keep the solutions; a stated root must
satisfy the equation); steps in several unknowns after an explicit ``\\implies``; numeric
links written in LaTeX (``\\frac``, ``\\sqrt``, ``\\binom``…), which the arithmetic engine,
reading plain numbers only, leaves alone; facts about whole numbers stated in words (GCD,
remainders, primes, divisibility, bases, rounding, extremes, numbers from the question's
list or digits); a named term of the expression asked about, the argument of a complex
number, ones-digit formulas. Plain-number arithmetic stays the arithmetic engine's (it runs
after this one).

SymPy is imported on first use: a text with no sign of math (``2 + 2 = 4``) is passed over
by a regular expression, so ``verity check`` stays fast.
"""
from __future__ import annotations

import re
from typing import Any, Sequence

from verify.limits import DEFAULT_CALL_SECONDS
from verify.report import Claim
from verify.engines.base import Candidate, Context

KIND = "math"
METHOD = "sympy"

#: a letter next to an operator, a LaTeX command or a calculus word: worth parsing. Two
#: patterns tried in turn (either matching is the test): the symbols are cheap to scan for;
#: the words start only at a word boundary before one of their first letters (the look-ahead
#: lets the scan skip every other position quickly).
_MAYBE_MATH_SYMBOL = re.compile(
    r"\\[A-Za-z]|[A-Za-z]\s*[\^=(+\-*/<>≤≥]|[\^=+\-*/)<>≤≥]\s*[A-Za-z]|\d[A-Za-z]|[²³∫√π]", re.I)
_MAYBE_MATH_WORD = re.compile(
    r"\b(?=[iadlpgrcmbst])(?:(?:integral|derivative|antiderivative|limit|primitive|gcd|lcm|gcf|"
    r"greatest\s+common|least\s+common|remainder|prime|composite|divisible|multiples?\s+of|coprime|"
    r"common\s+(?:factor|divisor)s?|base[\s-]*\d|round\w*\s+to|"
    r"(?:smallest|least|largest|greatest|biggest)\s+(?:positive\s+)?(?:power|multiple|perfect|prime))\b"
    r"|given\s+digits\b|there\s+(?:are|is)\s+\d+[^.()]{0,80}\(\s*-?\d)", re.I)


_QUESTION_MATH = re.compile(r"\$|\\[(\[]")

#: What every finder of :func:`~verify.engines.math.find_steps.find_claims` but the LaTeX and the
#: plain-run ones needs when no question is given: a LaTeX command (environments, the
#: argument claims), ``÷`` (a division with remainder), an approximation ("= approximately"
#: becomes ``≈`` in plain runs), or a word of a calculus or number-fact pattern (each listed in
#: its ``Needs``; "there are N ... (" for a counted list; "digit" for the ones-digit claims).
_NEEDED_MARKS = "\\÷≈"
_NEEDED_WORDS = ("gcd", "gcf", "lcm", "greatest", "least", "remainder", "divided", "prime",
                 "composite", "divisible", "multiple", "common", "base", "round", "smallest",
                 "largest", "biggest", "integral", "derivative", "primitive", "limit",
                 "approximately", "digit")
_COUNTED_LIST = re.compile(r"there\s+(?:are|is)\s+\d[^.()]*\(", re.I)
#: Letters a case-blind pattern matches to an ASCII letter that ``str.lower`` does not map
#: to it (İ ı ſ): with one of them, the words are not looked for, the finder runs.
_CASE_FOLDS = "\u0130\u0131\u017f"
#: An order sign: an implication between ``$…$`` inequalities needs one.
_ORDER_SIGNS = "<>≤≥"
#: A formula's chain needs a relation inside it (``$…$`` holding only ``5 + `` between two
#: amounts of money is none), unless the words between two formulas say the second rewrites
#: the first ("simplifies to", "combine like terms", "rewrite as").
_RELATION_SIGNS = "=<>≠≤≥≈"
_REWRITE_WORDS = ("simplif", "terms", "writ")


def _may_hold_claims(text: str) -> bool:
    """A necessary condition for ``find_claims(text)`` (no question) to find anything,
    cheaper than the finder. Outside the marks and words above, its claims come from
    ``$…$`` formulas (a segment with a relation that the finder does not take for prose
    between two amounts of money, a rewriting, or an implication between inequalities) and
    from plain-text relation chains (``2x + 1 = 7``) outside the formulas, which need a
    plain run holding a relation and a letter (the finder's own runs, tested as it tests
    them)."""
    if any(c in text for c in _NEEDED_MARKS) or any(c in text for c in _CASE_FOLDS):
        return True
    low = text.lower()
    if any(w in low for w in _NEEDED_WORDS) or ("there" in low and _COUNTED_LIST.search(text)):
        return True
    from .statements import PLAIN_RUN, in_dollars, plain_runs
    from .answers import math_segments
    formulas = []  # (no "\\" here: a formula needs a "$")
    if "$" in text:
        formulas = [(s, e) for s, e in math_segments(text) if not in_dollars(text, s, e)]
        if (any(c in text for c in _ORDER_SIGNS) or any(w in low for w in _REWRITE_WORDS)
                or any(c in text[s:e] for s, e in formulas for c in _RELATION_SIGNS)):
            return True
    if formulas:  # the runs of the text with the formulas masked, as the finder reads them
        return next(plain_runs(text, formulas), None) is not None
    return any(_RELATION.search(run) and _LETTER.search(run) for run in PLAIN_RUN.findall(text))


_RELATION = re.compile(r"[=<>≤≥≈]")
_LETTER = re.compile(r"[A-Za-z]")


class MathEngine:
    """The pipeline's ``math`` engine (kind ``math``, method ``sympy``)."""

    name = "math"
    kind = KIND
    method = METHOD

    def __init__(self, per_claim_seconds: float = DEFAULT_CALL_SECONDS) -> None:
        self.per_claim_seconds = per_claim_seconds
        self._impl: Any = None

    def _checker(self) -> Any:
        if self._impl is None:
            from .decide import MathChecker
            self._impl = MathChecker(self.per_claim_seconds)
        return self._impl

    def find(self, text: str, ctx: Context) -> list[Candidate]:
        # a question with math in it may ask for a value the answer's plain numbers must match
        if not (_MAYBE_MATH_SYMBOL.search(text) or _MAYBE_MATH_WORD.search(text)) and not (
                ctx.question and _QUESTION_MATH.search(ctx.question)):
            return []
        if not ctx.question and not _may_hold_claims(text):
            return []
        return self._checker().find(text, ctx)

    def check(self, candidates: Sequence[Candidate], ctx: Context) -> list[Claim]:
        return self._checker().check(candidates, ctx)


ENGINE = MathEngine()
