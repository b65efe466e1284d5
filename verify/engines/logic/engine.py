"""The logic engine: explicit first-order problems written in an answer, decided by Z3.

It looks only for this block (case-insensitive headers; bullets and numbering optional;
one formula per line, FOL or SMT-LIB 2)::

    Premises:
    1. ∀x (Man(x) → Mortal(x))
    2. Man(socrates)
    Conclusion: Mortal(socrates)

Every premise and the conclusion must look formal (a connective or quantifier symbol, an
s-expression, or text that parses, like ``Man(a)``); prose under a "Premises:" heading is
left alone,
so ordinary answers produce no logic claims. The claim is "the premises entail the
conclusion": entailed → verified (evidence: the minimal set of premises Z3 needed),
contradicted → refuted with the negated conclusion as correction, anything else →
unverified with the logic answer in ``detail.answer``.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Sequence

from .solve import DEFAULT_TIMEOUT, Decision, InputError, decide
from verify.report import Claim, Evidence, Span
from . import fol, smtlib
from verify.engines.base import Candidate, Context

_HEADER = re.compile(r"^[ \t]*premises?[ \t]*:[ \t]*(?P<rest>.*)$", re.I)
_CONCLUSION = re.compile(r"^[ \t]*(?:conclusion|therefore|hence|goal)[ \t]*:[ \t]*(?P<c>\S.*)$",
                         re.I)
_BULLET = re.compile(r"^[ \t]*(?:[-*•]|\(?\d{1,3}[.)]|\(?[Pp]\d{1,3}[.:)])[ \t]+")
_LOGIC_SYMBOL = re.compile(r"[∀∃¬∧∨→↔⊕⟷⇒⇔≠⊻]|<->|->|=>")
MAX_PREMISES_IN_TEXT = 200


@dataclass(frozen=True)
class _Problem:
    premises: tuple[str, ...]
    conclusion: str
    conclusion_span: Span


def _formal(text: str) -> bool:
    """A logic symbol, an s-expression, or text that parses as a formula (``Man(a)``);
    prose like "Socrates is a man" is none of these."""
    if _LOGIC_SYMBOL.search(text) or smtlib.looks_like_smtlib(text):
        return True
    try:
        fol.parse(text)
    except fol.FOLSyntaxError:
        return False
    return True


def _lines(text: str) -> list[tuple[int, str]]:
    """(offset, line without its newline) for every line of ``text``."""
    out, pos = [], 0
    for line in text.splitlines(keepends=True):
        out.append((pos, line.rstrip("\r\n")))
        pos += len(line)
    return out


def _strip(line: str, offset: int) -> tuple[str, int]:
    """A premise line without its bullet and surrounding blanks, and where it starts."""
    m = _BULLET.match(line)
    start = m.end() if m else 0
    body = line[start:]
    lead = len(body) - len(body.lstrip())
    return body.strip(), offset + start + lead


def find_problems(text: str) -> list[tuple[Span, _Problem]]:
    """Every well-formed "Premises: … Conclusion: …" block of formal lines."""
    lines = _lines(text)
    found: list[tuple[Span, _Problem]] = []
    i = 0
    while i < len(lines):
        offset, line = lines[i]
        head = _HEADER.match(line)
        i += 1
        if not head:
            continue
        premises: list[str] = []
        if head.group("rest").strip():
            premises.append(head.group("rest").strip())
        ok = True
        while i < len(lines) and ok:
            off, ln = lines[i]
            concl = _CONCLUSION.match(ln)
            if concl:
                c_text = concl.group("c").rstrip()
                c_start = off + concl.start("c")
                if premises and all(_formal(p) for p in premises) and _formal(c_text) \
                        and len(premises) <= MAX_PREMISES_IN_TEXT:
                    span = Span(offset, off + len(ln.rstrip()))
                    found.append((span, _Problem(tuple(premises), c_text,
                                                 Span(c_start, c_start + len(c_text)))))
                i += 1
                break
            body, _ = _strip(ln, off)
            if body:
                if not _formal(body):
                    ok = False  # prose: this is not a logic block
                    break
                premises.append(body)
            i += 1
    return found


def _negation(conclusion: str) -> str:
    """The conclusion's negation, as the correction of a contradicted conclusion."""
    if smtlib.looks_like_smtlib(conclusion):
        return f"(not {conclusion.strip()})"
    try:
        f = fol.parse(conclusion)
    except fol.FOLSyntaxError:
        return f"¬({conclusion})"
    return fol.to_text(f.arg if isinstance(f, fol.Not) else fol.Not(f))


def _evidence(result: Decision, premises: Sequence[str]) -> list[Evidence]:
    items = [Evidence(text=result.explanation, source="z3")]
    items += [Evidence(text=premises[i], source=f"premise {i}") for i in result.core]
    return items


class LogicEngine:
    name = "logic"
    kind = "logic"
    method = "z3"

    def find(self, text: str, ctx: Context) -> list[Candidate]:
        return [Candidate(text=text[span.start:span.end], span=span, kind=self.kind, payload=p)
                for span, p in find_problems(text)]

    def check(self, candidates: Sequence[Candidate], ctx: Context) -> list[Claim]:
        return [self._one(c, ctx) for c in candidates]

    def _one(self, cand: Candidate, ctx: Context) -> Claim:
        problem: _Problem = cand.payload
        if ctx.expired():
            return Claim.unverified(cand.text, cand.span, self.kind, self.method,
                                    "not checked: the time limit for the whole check ran out")
        try:
            result = decide(problem.premises, problem.conclusion,
                            timeout=ctx.bound(DEFAULT_TIMEOUT))
        except InputError as exc:
            return Claim.unverified(cand.text, cand.span, self.kind, self.method, str(exc),
                                    answer="error", core=[], countermodel=None,
                                    supporting_model=None, warnings=list(exc.warnings))
        detail = {"answer": result.answer, "core": list(result.core),
                  "countermodel": result.countermodel,
                  "supporting_model": result.supporting_model,
                  "warnings": list(result.warnings)}
        if result.answer == "entailed":
            return Claim(text=cand.text, span=cand.span, kind=self.kind, status="verified",
                         method=self.method, explanation=result.explanation,
                         evidence=tuple(_evidence(result, problem.premises)), detail=detail)
        if result.answer == "contradicted":
            return Claim(text=cand.text, span=cand.span, kind=self.kind, status="refuted",
                         method=self.method, explanation=result.explanation,
                         correction=_negation(problem.conclusion),
                         correction_span=problem.conclusion_span,
                         evidence=tuple(_evidence(result, problem.premises)), detail=detail)
        return Claim(text=cand.text, span=cand.span, kind=self.kind, status="unverified",
                     method=self.method, explanation=result.explanation, detail=detail)


ENGINE = LogicEngine()
