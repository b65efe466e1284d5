"""What every math decider shares: the claim a verdict becomes, its in-place correction
written the way the text wrote the number, and how an expression is shown in a reason."""
from __future__ import annotations

import re
from typing import Any

import sympy

from verify.engines.base import Candidate
from verify.report import Claim, Evidence, Span
from .equivalence import Equivalence
from .statements import MathClaim
from .values import fmt

KIND = "math"
METHOD = "sympy"
_SUPERSCRIPTS = str.maketrans("0123456789", "⁰¹²³⁴⁵⁶⁷⁸⁹")


def verdict_claim(cand: Candidate, c: MathClaim, verdict: Equivalence, computed: Any,
                  evidence: str) -> Claim:
    """The claim an equivalence verdict makes: verified, refuted (corrected in place with
    ``computed`` when there is one), or unverified with the reason."""
    detail = {"type": c.type, "decided_by": verdict.method}
    if verdict.equal is True:
        return Claim(text=cand.text, span=cand.span, kind=KIND, status="verified", method=METHOD,
                     explanation=f"holds ({verdict.method}): {verdict.explanation}",
                     evidence=(Evidence(evidence, source="sympy"), Evidence(verdict.explanation, source="sympy")),
                     detail=detail)
    if verdict.equal is False:
        correction, span = correction_for(cand, c, computed)
        return Claim(text=cand.text, span=cand.span, kind=KIND, status="refuted", method=METHOD,
                     explanation=f"does not hold ({verdict.method}): {verdict.explanation}",
                     correction=correction, correction_span=span,
                     evidence=(Evidence(verdict.explanation, source="sympy"),), detail=detail)
    return Claim.unverified(cand.text, cand.span, KIND, METHOD, verdict.explanation, **detail)


def correction_for(cand: Candidate, c: MathClaim, computed: Any) -> tuple[str | None, Span | None]:
    """``computed`` written like the right-hand side it replaces, with that side's span."""
    if computed is None or c.rhs_span is None:
        return None, None
    start, end = c.rhs_span
    if not (cand.span.start <= start and end <= cand.span.end):
        return None, None
    original = cand.text[start - cand.span.start:end - cand.span.start]
    return render_like(computed, original), Span(start, end)


_CONSTANTS = {"C", "K", "c_1", "C_1"}


def _terms(expr: Any, render: Any) -> str:
    """Render a sum term by term, with the constant of integration last (x³/3 + C)."""
    if not isinstance(expr, sympy.Add):
        return render(expr)
    terms = list(expr.as_ordered_terms())
    last = [t for t in terms if t.free_symbols and all(s.name in _CONSTANTS for s in t.free_symbols)]
    terms = [t for t in terms if t not in last] + last
    out = render(terms[0])
    for t in terms[1:]:
        piece = render(t)
        out += f" - {piece[1:].lstrip()}" if piece.startswith("-") else f" + {piece}"
    return out


def show(e: Any) -> str:
    return _terms(e, lambda t: fmt(t).replace("**", "^"))


def render_like(expr: Any, original: str) -> str:
    """``expr`` written the way ``original`` was: LaTeX, Unicode superscripts or plain."""
    if "\\" in original or "{" in original:
        return _terms(expr, sympy.latex)
    text = show(expr)
    if re.search(r"[²³¹⁴⁵⁶⁷⁸⁹⁰]", original):
        text = re.sub(r"\^(\d+)", lambda m: m.group(1).translate(_SUPERSCRIPTS), text)
        text = text.replace("*", "")
    elif "*" not in original:
        text = re.sub(r"(\d)\*(?=[A-Za-z(])", r"\1", text)
    return text
