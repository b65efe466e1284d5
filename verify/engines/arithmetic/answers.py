r"""Stated final answers (``#### 72``, "The answer is 72", ``\boxed{72}``, or the last number
after the last computation) that restate a result some found chain states.

Separate from the chain scanner: this reads the text after the chains with its own
patterns, and the engine judges what it finds against the propagated results.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from fractions import Fraction

from .chain import Chain
from .expr import ExpressionError, literal_value


@dataclass(frozen=True)
class FinalAnswer:
    """A stated final answer (``#### 72``, ``The answer is 72``, or the last number after
    the last computation) whose value some computation in the text produced."""

    start: int
    end: int
    text: str


_FINAL_RE = re.compile(
    r"(?im)(?:^[ \t]*#{2,}[ \t]*|(?P<box>\\boxed\{\s*)|\b(?:final answer|the answer|answer)\b"
    r"(?:[ \t]+is)?[ \t]*[:=]?[ \t]*\**[ \t]*)"
    r"(?P<num>[-−]?[$€£¥]?[ \t]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?%?)")
_BOX_CLOSE = re.compile(r"\s*\}")
_NUM_RE = re.compile(r"(?:\d{1,3}(?:,\d{3})+(?![\d,]\d)|\d+)(?:\.\d+)?")
#: What, right after a number, makes it part of something larger: "4\sqrt{2}", "4 \pi",
#: "2x", "3/4", "5^2", "y_0", "4!" before more math.
_CONTINUED = re.compile(r"[A-Za-z0-9_^/(\[{√π]|!(?=\S)|[ \t]?(?:π|√|pi\b|\\(?!(?:quad|qquad|"
                        r"text|textrm|mathrm|mbox|implies|Rightarrow)(?![A-Za-z]))[A-Za-z]+)")


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
                num = next(item[1] for item in term.items if item[0] == "num")
                try:
                    value = literal_value(num)[0]
                except ExpressionError:
                    continue  # unreadable: its own claim says so; no answer restates it
                results.add(-value if term.items[0][:2] == ("op", "-") else value)
    last_end = chains[-1].link_span(len(chains[-1].terms) - 1)[1]  # after "12 R 3" too
    out: list[FinalAnswer] = []
    for m in _FINAL_RE.finditer(text, last_end):
        s, e = m.span("num")
        if m.group("box") is not None and not _BOX_CLOSE.match(text, e):
            continue  # \boxed{4\sqrt{2}} is not 4
        if _CONTINUED.match(text, e):
            continue
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
        if (before not in "./-:{^_\\" and not after.isalnum() and after not in ("%", ":", "/")
                and not _CONTINUED.match(text, e)):
            if _number_value(m.group()) in results:
                out.append(FinalAnswer(s, e, m.group()))
    return out
