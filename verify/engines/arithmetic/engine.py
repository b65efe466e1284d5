"""The arithmetic engine: explicit computations in prose, proved or refuted exactly.

Method ``exact-rational``: every value is a :class:`fractions.Fraction` computed by the safe
evaluator of :mod:`verify.engines.arithmetic.evaluate` — no floats, no SymPy, no ``eval``. (π and
non-square roots are 50-digit rational approximations flagged inexact, and are judged only
at a precision the text states.)

Path of a claim: :mod:`verify.engines.arithmetic.scan` finds chains (``48/2 = 24``,
``2 + 3 = 5 = 10/2``) → the translator (rule-based by default, any
:class:`~verify.engines.arithmetic.translate.Translator` can be plugged in) turns each chain into the
arithmetic grammar → :func:`~verify.engines.arithmetic.translate.validate` re-parses it and checks its
operands against the text → the values are computed exactly → each link is judged.

How a link is judged: see :mod:`verify.engines.arithmetic.judge`.

A refuted claim carries ``correction`` (formatted like the original: currency, decimals,
thousands separators, %) and ``correction_span`` (just the wrong number). When a later step
reuses a wrong result, the corrected value is substituted there, that step is refuted with
the propagated correction (``detail.propagated_from``), and a stated final answer
(``#### 73``, "The answer is 73", or the last number after the last step) that restates a
corrected result is corrected too, so ``corrected_text`` reads right end to end.
"""
from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Sequence

from .answers import FinalAnswer, find_final_answers
from .chain import Chain, Unread
from .scan import scan
from verify.report import Claim, Evidence, Span
from .expr import ExpressionError, parse_expression
from .evaluate import evaluate
from .judge import Judge
from .state import Doc, State
from .translate import Checked, Translation, TranslationError, Translator, validate
from .rules import RuleTranslator
from verify.engines.base import Candidate, Context

log = logging.getLogger("verity.arithmetic")

KIND = "arithmetic"
METHOD = "exact-rational"


# ------------------------------------------------------------------------ payloads
@dataclass(frozen=True)
class _LinkRef:
    doc: Doc
    chain: Chain
    link: int  # 1-based: terms[link-1] rel terms[link]


@dataclass(frozen=True)
class _UnreadRef:
    unread: Unread


@dataclass(frozen=True)
class _FinalRef:
    doc: Doc
    final: FinalAnswer


# ------------------------------------------------------------------------ helpers
#: The text does not assert the relation it writes: a negation right before it ("not",
#: "it is false that"), a question mark or a verdict right after it ("?", "(wrong)", "is false").
_DENIED_BEFORE = re.compile(r"(?:\bnot|\b(?:false|untrue|wrong|incorrect)\s+that|\bnever|\bwhether)"
                            r"\s*[:,]?\s*$", re.I)
_DENIED_AFTER = re.compile(r"\s*(?:\?|\(\s*(?:wrong|false|incorrect|not\s+true)\s*\)|"
                           r"(?:is|was)\s+(?:wrong|false|incorrect|not\s+(?:true|right|correct))\b|"
                           r"isn't\s+(?:true|right|correct)\b)", re.I)


def _as_asserted(claim: Claim, text: str) -> Claim:
    """A decided link the text denies or asks about ("It is false that 2 + 2 = 5", "2 + 2 =
    5?") is neither verified nor refuted, and never corrected: its verdict would judge a
    statement the text does not make."""
    if claim.status == "unverified":
        return claim
    s, e = claim.span.start, claim.span.end
    if not (_DENIED_BEFORE.search(text[max(0, s - 40):s]) or _DENIED_AFTER.match(text, e)):
        return claim
    return Claim.unverified(claim.text, claim.span, KIND, METHOD,
                            "not asserted: the text denies or questions this relation, so its "
                            f"truth is not the text's claim ({claim.explanation})")


@lru_cache(maxsize=4096)
def _validate_rules(translation: Translation, claim: str, terms: int) -> Checked:
    """:func:`validate` of the rules' own translation (str and int fields only, so always
    hashable), cached: it is pure, its result is never changed, and one computation recurs
    (a re-checked correction, several answers to one question). A refusal raises each time."""
    return validate(translation, claim, terms=terms)


class ArithmeticEngine:
    """Finds explicit arithmetic in prose and decides it with exact rationals."""

    name = "arithmetic"
    kind = KIND
    method = METHOD

    def __init__(self, translator: Translator | None = None) -> None:
        self.translator: Translator = translator if translator is not None else RuleTranslator()
        self._rules_only = translator is None

    def _translator_for(self, ctx: Context) -> Translator:
        """The rules, with the check's model reading what they cannot when one is given
        (``verify.engines.arithmetic.llm``: its proposals are validated like any translation)."""
        if not self._rules_only or ctx.llm is None:
            return self.translator
        from .llm import FallbackTranslator, LLMTranslator
        return FallbackTranslator(self.translator, LLMTranslator(ctx.llm))

    # -------------------------------------------------------------- find
    def find(self, text: str, ctx: Context) -> list[Candidate]:
        chains, unread = scan(text)
        out = [Candidate(text[u.start:u.end], Span(u.start, u.end), KIND, _UnreadRef(u))
               for u in unread]
        if not chains:
            return out
        doc = Doc(text)
        for chain in chains:
            for i in range(1, len(chain.terms)):
                s, e = chain.link_span(i)
                out.append(Candidate(text[s:e], Span(s, e), KIND, _LinkRef(doc, chain, i)))
        for f in find_final_answers(text, chains):
            out.append(Candidate(f.text, Span(f.start, f.end), KIND, _FinalRef(doc, f)))
        return out

    # -------------------------------------------------------------- check
    def check(self, candidates: Sequence[Candidate], ctx: Context) -> list[Claim]:
        state = State(ctx.question or "")
        verdicts: dict[int, Claim] = {}
        order = sorted(range(len(candidates)), key=lambda k: candidates[k].span.start)
        by_chain: dict[int, list[int]] = {}
        for k in order:
            ref = candidates[k].payload
            if isinstance(ref, _LinkRef):
                by_chain.setdefault(id(ref.chain), []).append(k)
        done_chains: set[int] = set()
        translator = self._translator_for(ctx)
        for k in order:
            cand = candidates[k]
            ref = cand.payload
            if isinstance(ref, _FinalRef):
                verdicts[k] = self._final(cand, ref, state)
                continue
            if isinstance(ref, _UnreadRef):
                verdicts[k] = Claim.unverified(
                    cand.text, cand.span, KIND, METHOD,
                    f"could not read this arithmetic ({ref.unread.cause})", unread=True)
                continue
            if not isinstance(ref, _LinkRef):
                verdicts[k] = Claim.unverified(cand.text, cand.span, KIND, METHOD,
                                               "not an arithmetic candidate of this engine")
                continue
            if id(ref.chain) in done_chains:
                continue
            done_chains.add(id(ref.chain))
            members = by_chain[id(ref.chain)]
            if ctx.expired():
                for j in members:
                    verdicts[j] = Claim.unverified(
                        candidates[j].text, candidates[j].span, KIND, METHOD,
                        "not checked: the time limit for the whole check ran out")
                continue
            links = {candidates[j].payload.link: j for j in members}
            for link, claim in self._chain(translator, ref.doc, ref.chain, links, candidates,
                                           state).items():
                verdicts[links[link]] = _as_asserted(claim, ref.doc.text)
        return [verdicts[k] for k in range(len(candidates))]

    # -------------------------------------------------------------- one chain
    def _chain(self, translator: Translator, doc: Doc, chain: Chain, links: dict[int, int],
               candidates: Sequence[Candidate], state: State) -> dict[int, Claim]:
        base = chain.start
        text = doc.text[chain.start:chain.end]

        def fail(reason: str) -> dict[int, Claim]:
            return {i: Claim.unverified(candidates[j].text, candidates[j].span, KIND, METHOD,
                                        reason) for i, j in links.items()}

        try:
            if type(translator) is RuleTranslator:
                # the finder already read this chain: same output as translate(text),
                # without reading it twice; still validated like any translation
                expression, operands, spans = chain.canonical()
                translation = Translation(expression, operands, spans, RuleTranslator.name)
                checked = _validate_rules(translation, text, len(chain.terms))
            else:
                translation = translator.translate(text)
                checked = validate(translation, text, terms=len(chain.terms))
        except (TranslationError, ExpressionError) as exc:
            return fail(f"could not read the arithmetic: {exc}")
        except Exception as exc:  # noqa: BLE001 - a translator crash is never a verdict
            log.debug("translator %s failed on %r", getattr(translator, "name", "?"), text,
                        exc_info=True)
            return fail(f"the translator failed: {type(exc).__name__}: {exc}")
        try:
            verdicts = Judge(doc, chain, checked, text, base, state).run()
        except ExpressionError as exc:
            return fail(f"could not compute it: {exc}")
        out: dict[int, Claim] = {}
        for i, j in links.items():
            v = verdicts[i]
            cand = candidates[j]
            span = Span(*v.span) if v.span else cand.span
            claim_text = doc.text[span.start:span.end]
            correction = correction_span = None
            if v.status == "refuted" and v.edits:
                edits = sorted(v.edits)
                cs, ce = edits[0][0], edits[-1][1]
                pieces, pos = [], cs
                for s, e, rep in edits:
                    pieces.append(doc.text[pos:s])
                    pieces.append(rep)
                    pos = e
                pieces.append(doc.text[pos:ce])
                correction, correction_span = "".join(pieces), Span(cs, ce)
            detail = dict(v.detail, expression=translation.expression,
                          translator=getattr(translator, "name", type(translator).__name__))
            out[i] = Claim(text=claim_text, span=span, kind=KIND, status=v.status, method=METHOD,
                           explanation=v.explanation, correction=correction,
                           evidence=(Evidence(v.evidence),) if v.evidence else (),
                           detail=detail, correction_span=correction_span)
        return out

    # -------------------------------------------------------------- final answers
    def _final(self, cand: Candidate, ref: _FinalRef, state: State) -> Claim:
        f = ref.final
        try:
            leaf_node = parse_expression(f.text.replace("−", "-"))
        except ExpressionError as exc:
            return Claim.unverified(cand.text, cand.span, KIND, METHOD,
                                    f"could not read the final answer: {exc}")
        value, _ = evaluate(leaf_node)
        match = state.latest(value, f.start)
        if match is None:
            return Claim.unverified(cand.text, cand.span, KIND, METHOD,
                                    "no checked step states this final answer")
        if match.status == "verified":
            return Claim(text=cand.text, span=cand.span, kind=KIND, status="verified",
                         method=METHOD, evidence=(Evidence(match.evidence),),
                         explanation=f"The final answer {f.text} is the result of "
                                     f"{match.evidence}.",
                         detail={"final_answer": True, "restates": match.claim_text})
        if match.status == "refuted":
            # The answer agrees with the wrong result, so the text cannot tell whether that
            # step's result or its operands hold the typo: a right answer reached through a
            # slip ("$220 - $210 = $20 ... A: 20") must never be "corrected" into a wrong one.
            return Claim.unverified(
                cand.text, cand.span, KIND, METHOD,
                f"The final answer {f.text} restates the result of \"{match.claim_text}\", "
                "which does not hold as written; whether the answer is right cannot be told "
                "from the text.", final_answer=True,
                propagated_from={"text": match.claim_text, "start": match.start, "end": match.end})
        return Claim.unverified(cand.text, cand.span, KIND, METHOD,
                                "the step this final answer restates could not be verified",
                                final_answer=True)


ENGINE = ArithmeticEngine()
