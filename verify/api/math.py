"""``check_math``: grade a worked math solution — its final answer and each of its steps.

    from verify import check_math
    r = check_math(question="Solve x^2 - 5x + 6 = 0.",
                   answer="Factor: (x-2)(x-3)=0, so the roots are x = 2 and x = 3. \\\\boxed{2, 3}",
                   reference="3, 2")
    r.status        # "verified": the final answer's claim status
    r.final_answer  # text "2, 3", its parsed value, and the rule that found it ("boxed")
    r.steps         # each step's claims (math and arithmetic engines) with their verdicts

The final answer is compared with the reference by :func:`equivalent` (exact → symbolic →
numeric); the steps go through the pipeline's math and arithmetic engines. Without a
reference, ``status`` judges the steps alone.
"""
from __future__ import annotations

import math
import re
import time
from dataclasses import dataclass, replace
from decimal import ROUND_HALF_UP, Decimal, localcontext
from typing import Any, Sequence

import sympy

from verify import __version__
from verify.api import require_timeout
from verify.engines.math.equivalence import DEFAULT_TIMEOUT, Equivalence, equivalent
from verify.normalize import normalize as as_read
from verify.report import SCHEMA_VERSION, Claim, Evidence, Policy, Report, Span, apply_corrections
from verify.engines.math.answers import Extraction, extract_final_answer
from verify.engines.math.latex import MathParseError, normalize, parse_answer
from verify.engines.math.values import ExprValue, MathValue

__all__ = ["check_math", "MathReport", "FinalAnswer", "StepResult", "Equivalence", "Extraction",
           "equivalent", "extract_final_answer"]

#: Engines that check the steps, in pipeline order (math before arithmetic).
STEP_ENGINES: tuple[str, ...] = ("math", "arithmetic")
MAX_ANSWER_CHARS = 200_000
ANSWER_KIND = "math-answer"


@dataclass(frozen=True)
class FinalAnswer:
    """The extracted final answer: its text, where it is, the rule that found it, and its
    parsed form (``value``; ``sympy`` for the SymPy object) or why it could not be parsed."""

    text: str
    rule: str
    span: Span
    value: MathValue | None
    error: str | None = None

    @property
    def sympy(self) -> Any:
        return self.value.to_sympy() if self.value is not None else None

    def to_dict(self) -> dict[str, Any]:
        return {"text": self.text, "rule": self.rule, "span": self.span.to_dict(),
                "parsed": self.value.to_text() if self.value is not None else None,
                "kind": self.value.kind if self.value is not None else None, "error": self.error}


@dataclass(frozen=True)
class StepResult:
    """One step of the solution and the claims found in it."""

    index: int
    text: str
    span: Span
    claims: tuple[Claim, ...]

    @property
    def checked(self) -> bool:
        return bool(self.claims)

    @property
    def status(self) -> str:
        if any(c.status == "refuted" for c in self.claims):
            return "refuted"
        if self.claims and all(c.status == "verified" for c in self.claims):
            return "verified"
        return "unverified"

    def to_dict(self) -> dict[str, Any]:
        return {"index": self.index, "text": self.text, "span": self.span.to_dict(),
                "status": self.status, "checked": self.checked,
                "claims": [c.to_dict() for c in self.claims]}


@dataclass(frozen=True)
class MathReport:
    """The verdict on one solution. ``status`` is the final answer's claim status when a
    reference is given, else the steps' (refuted if any step is, verified if every claim
    is and there is at least one)."""

    status: str
    final_answer: FinalAnswer | None
    reference: str | None
    method: str
    explanation: str
    steps: tuple[StepResult, ...]
    first_error: int | None
    report: Report
    answer_claim: Claim | None = None
    id: str | None = None
    schema_version: int = SCHEMA_VERSION

    @property
    def ok(self) -> bool:
        return self.status == "verified"

    def to_dict(self) -> dict[str, Any]:
        return {
            "schema_version": self.schema_version, "id": self.id, "status": self.status,
            "final_answer": self.final_answer.text if self.final_answer else None,
            "final_answer_detail": self.final_answer.to_dict() if self.final_answer else None,
            "reference": self.reference, "method": self.method, "explanation": self.explanation,
            "first_error": self.first_error,
            "answer_claim": self.answer_claim.to_dict() if self.answer_claim else None,
            "steps": [s.to_dict() for s in self.steps],
            "corrected_text": self.report.corrected_text,
        }

    def __str__(self) -> str:
        fa = f"final answer {self.final_answer.text!r} ({self.final_answer.rule})" if self.final_answer \
            else "no final answer found"
        lines = [f"{self.status.upper()}: {fa}" + (f" vs reference {self.reference!r}" if self.reference else ""),
                 f"  {self.method}: {self.explanation}"]
        for s in self.steps:
            if not s.claims:
                continue
            lines.append(f"  step {s.index}: {s.status}")
            lines += [f"    {c}" for c in s.claims]
        if self.first_error is not None:
            lines.append(f"  first wrong step: {self.first_error}")
        return "\n".join(lines)


def _split_steps(answer: str | Sequence[str]) -> tuple[str, list[tuple[str, Span]]]:
    """The whole text and each step with its span. A list is taken as the steps; a string
    is split at blank lines (or at line breaks when it has no blank line)."""
    if isinstance(answer, str):
        parts = re.split(r"\n\s*\n", answer.strip()) if "\n\n" in answer.strip() else answer.strip().split("\n")
        parts = [p for p in (p.strip() for p in parts) if p]
        text = answer
        out, pos = [], 0
        for p in parts:
            start = text.index(p, pos)
            out.append((p, Span(start, start + len(p))))
            pos = start + len(p)
        return text, out
    steps = list(answer)
    if not all(isinstance(s, str) for s in steps):
        raise TypeError("answer steps must all be str")
    out, pos, chunks = [], 0, []
    for s in steps:
        out.append((s, Span(pos, pos + len(s))))
        chunks.append(s)
        pos += len(s) + 2
    return "\n\n".join(chunks), out


#: A question that asks for a fraction or a simplest form: graders (MATH, ProcessBench) and
#: teachers expect the fraction in lowest terms, so an equal but unreduced one is wrong.
ASKS_LOWEST_TERMS = re.compile(r"\bfraction\b|\bsimplest\b|\bsimplif|\blowest\s+terms\b|\breduced\b", re.I)
_FRACTION = re.compile(r"\\[dt]?frac\s*\{\s*(\d+)\s*\}\s*\{\s*(\d+)\s*\}|(?<![\d.])(\d+)\s*/\s*(\d+)(?![\d.])")


def _fractions(text: str) -> list[tuple[int, int]]:
    return [tuple(int(g) for g in (m.groups()[:2] if m.group(1) else m.groups()[2:])) for m in _FRACTION.finditer(text)]


def _unreduced(answer: str, question: str | None, reference: str = "") -> tuple[int, int, int] | None:
    """Numerator, denominator and common factor of a fraction of whole numbers written in
    the answer but not in lowest terms, when the question asks for a fraction or a
    simplest form. Not a zero numerator (0/5 has no lower terms to reach) nor a fraction
    the reference itself writes unreduced (then the grader's own form is that one)."""
    if not question or not ASKS_LOWEST_TERMS.search(question):
        return None
    written = set(_fractions(reference))
    for num, den in _fractions(answer):
        g = math.gcd(num, den)
        if g > 1 and den and num and (num, den) not in written:
            return num, den, g
    return None


#: A question asking for a percent: there graders' references drop the sign ("40" for 40%).
ASKS_PERCENT = re.compile(r"\bper\s?cent|%")
#: A question asking for a rounded decimal: there a decimal answer is compared with the
#: reference rounded (half away from zero) to the digits the answer shows.
ASKS_DECIMAL = re.compile(r"\bnearest\s+(?:tenth|hundredth|thousandth|ten-thousandth|whole\s+number|integer)"
                          r"|\bround(?:ed|ing)?\b|\bdecimal\b|\bsignificant\s+(?:digits|figures)\b", re.I)
_DECIMAL_ANSWER = re.compile(r"-?(?:\d+)?\.(\d+)|-?\d+")


def _rounded_match(answer: str, reference: str, question: str | None) -> str | None:
    """When the question asks for a rounded decimal and the answer is one: the reference
    rounded to the answer's decimal places, if that is the answer (else None)."""
    if not question or not ASKS_DECIMAL.search(question):
        return None
    shown = normalize(answer)
    m = _DECIMAL_ANSWER.fullmatch(shown)
    if m is None:
        return None
    places = len(m.group(1) or "")
    try:
        ref = parse_answer(reference)
    except MathParseError:
        return None
    if not isinstance(ref, ExprValue) or not ref.expr.is_number or ref.expr.is_real is False:
        return None
    exact = ref.expr / 100 if ref.percent else ref.expr
    try:
        value = Decimal(str(sympy.N(exact, 60)))
    except (TypeError, ValueError, ArithmeticError):
        return None
    with localcontext() as ctx:
        ctx.prec = 80
        rounded = value.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
        return str(rounded) if rounded == Decimal(shown) else None


def _answer_claim(extraction: Extraction | None, text: str, reference: str,
                  timeout: float, question: str | None = None) -> tuple[Claim, Equivalence | None]:
    if extraction is None:
        span = Span(0, len(text))
        return Claim(text=text[:200], span=span, kind=ANSWER_KIND, status="refuted", method="extraction",
                     explanation="the solution states no final answer", detail={"reference": reference},
                     evidence=(Evidence("no \\boxed{}, 'answer is', '####' or final expression found",
                                        source="extraction"),)), None
    span = Span(extraction.start, extraction.end)
    verdict = equivalent(extraction.text, reference, timeout=timeout,
                         percent_points=bool(question and ASKS_PERCENT.search(question)))
    detail = {"reference": reference, "rule": extraction.rule, "decided_by": verdict.method}
    unreduced = _unreduced(extraction.text, question, reference) if verdict.equal is True else None
    if unreduced is not None:
        num, den, g = unreduced
        why = (f"equal in value to the reference {reference.strip()!r}, but not in lowest terms "
               f"(numerator and denominator share the factor {g}), and the question asks for "
               "a fraction in simplest form")
        return Claim(text=extraction.text, span=span, kind=ANSWER_KIND, status="refuted", method="sympy",
                     explanation=why, correction=reference.strip(), correction_span=span,
                     evidence=(Evidence(f"gcd({num}, {den}) = {g}; {verdict.explanation}",
                                        source=f"sympy/{verdict.method}"),),
                     detail=dict(detail, decided_by="lowest-terms")), verdict
    rounded = _rounded_match(extraction.text, reference, question) if verdict.equal is not True else None
    if rounded is not None:
        return Claim(text=extraction.text, span=span, kind=ANSWER_KIND, status="verified", method="sympy",
                     explanation=f"the question asks for a rounded value: the reference {reference.strip()!r} "
                                 f"rounds to {rounded}",
                     evidence=(Evidence(f"{reference.strip()} rounded to the digits shown is {rounded}",
                                        source="sympy/rounded"),),
                     detail=dict(detail, decided_by="rounded")), verdict
    if verdict.equal is True:
        return Claim(text=extraction.text, span=span, kind=ANSWER_KIND, status="verified", method="sympy",
                     explanation=f"equals the reference ({verdict.method}): {verdict.explanation}",
                     evidence=(Evidence(verdict.explanation, source=f"sympy/{verdict.method}"),),
                     detail=detail), verdict
    if verdict.equal is False:
        return Claim(text=extraction.text, span=span, kind=ANSWER_KIND, status="refuted", method="sympy",
                     explanation=f"differs from the reference {reference!r} ({verdict.method}): {verdict.explanation}",
                     correction=reference.strip(), correction_span=span,
                     evidence=(Evidence(verdict.explanation, source=f"sympy/{verdict.method}"),),
                     detail=detail), verdict
    return Claim.unverified(extraction.text, span, ANSWER_KIND, "sympy", verdict.explanation, **detail), verdict


def check_math(question: str | None = None, answer: str | Sequence[str] = "", reference: str | None = None,
               *, timeout: float = 30.0, steps: bool = True, id: str | None = None) -> MathReport:
    """Grade ``answer`` (a worked solution: text, or a list of steps) against ``reference``.

    ``timeout`` bounds the whole check in seconds (each SymPy call is bounded as well);
    ``steps=False`` grades only the final answer.
    """
    started = time.monotonic()
    if question is not None and not isinstance(question, str):
        raise TypeError(f"question must be str, got {type(question).__name__}")
    if reference is not None and not isinstance(reference, str):
        raise TypeError(f"reference must be str, got {type(reference).__name__}")
    if not isinstance(answer, (str, list, tuple)):
        raise TypeError(f"answer must be str or a list of steps, got {type(answer).__name__}")
    text, step_parts = _split_steps(answer)
    if not text.strip():
        raise ValueError("the answer is empty")
    if len(text) > MAX_ANSWER_CHARS:
        raise ValueError(f"answer too long: {len(text):,} characters (limit {MAX_ANSWER_CHARS:,})")
    require_timeout(timeout)

    # the final answer as a reader sees it ("1\u200b0" is 10, "１０" is 10), spans in ``text``
    shown = as_read(text)
    extraction = extract_final_answer(shown.text)
    if extraction is not None and shown.changed:
        extraction = replace(extraction, start=shown.offset(extraction.start),
                             end=shown.offset(extraction.end, end=True))
    if reference is not None:
        reference = as_read(reference).text
    final = None
    if extraction is not None:
        try:
            value, error = parse_answer(extraction.text), None
        except MathParseError as exc:
            value, error = None, str(exc)
        final = FinalAnswer(extraction.text, extraction.rule, Span(extraction.start, extraction.end), value, error)

    answer_claim = None
    verdict = None
    if reference is not None:
        answer_claim, verdict = _answer_claim(extraction, text, reference,
                                              timeout=min(DEFAULT_TIMEOUT * 2, timeout), question=question)

    step_claims: list[Claim] = []
    stages: list[str] = []
    errors: list[str] = []
    if steps:
        from verify.pipeline import check  # the pipeline imports engines; keep this module light

        left = max(0.05, timeout - (time.monotonic() - started))
        rep = check(text, question=question, engines=STEP_ENGINES, timeout=left, policy="permissive")
        step_claims = list(rep.claims)
        stages = list(rep.stages)
        errors = list(rep.meta.get("errors", ()))

    results = []
    for i, (step_text, span) in enumerate(step_parts):
        inside = tuple(c for c in step_claims if span.start <= c.span.start < span.end + 2)
        results.append(StepResult(i, step_text, span, inside))
    first_error = next((s.index for s in results if s.status == "refuted"), None)

    if answer_claim is not None:
        status, method, explanation = answer_claim.status, (verdict.method if verdict else "extraction"), \
            answer_claim.explanation
    else:
        status, method, explanation = _steps_status(results)

    claims = sorted(step_claims + ([answer_claim] if answer_claim else []), key=lambda c: (c.span.start, c.span.end))
    report_status, reason = Policy.of("strict").decide(claims)
    report = Report(status=report_status, text=text, corrected_text=apply_corrections(text, claims),
                    claims=tuple(claims), stages=tuple(stages), reason=reason,
                    meta={"verity_version": __version__, "elapsed_ms": round((time.monotonic() - started) * 1000, 3),
                          "models": {}, "kb_manifest": None, "errors": errors})
    return MathReport(status=status, final_answer=final, reference=reference, method=method,
                      explanation=explanation, steps=tuple(results), first_error=first_error,
                      report=report, answer_claim=answer_claim, id=id)


def _steps_status(results: list[StepResult]) -> tuple[str, str, str]:
    claims = [c for s in results for c in s.claims]
    refuted = next((s for s in results if s.status == "refuted"), None)
    if refuted is not None:
        bad = next(c for c in refuted.claims if c.status == "refuted")
        return "refuted", "steps", f"step {refuted.index} is wrong: {bad.text!r}: {bad.explanation}"
    if not claims:
        return "unverified", "steps", "no reference given and no checkable claim in the steps"
    if all(c.status == "verified" for c in claims):
        return "verified", "steps", f"no reference given; all {len(claims)} checked claim(s) in the steps hold"
    n = sum(c.status == "unverified" for c in claims)
    return "unverified", "steps", f"no reference given; {n} claim(s) in the steps could not be decided"
