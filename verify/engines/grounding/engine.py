"""Grounding: each factual claim checked against evidence by an entailment judge.

Runs when the check has evidence (``evidence=[...]`` passages, or a ``kb`` to search).
Without evidence, under the strict policy, each sentence that states a fact about the world
(``verify.engines.grounding.world``) becomes an ``unverified`` claim ("no evidence given"), so such an
answer is never ``verified`` with that sentence unchecked.
The answer is decomposed into atomic claims (with the ``question`` when there is one); for
each claim, evidence is the given passages plus the knowledge base's hits for the claim;
the judge's label maps onto the claim statuses: supported → verified (citing the
passages), contradicted → refuted (with the contradicting passage, and a correction when
the evidence states the right value), not found / disputed → unverified.

Claims that are equations ("847 × 923 = 781681") are left to the exact engines, and
claim spans are tight (a participial clause's span is the clause), so a factual clause
next to an arithmetic one is still checked.
"""
from __future__ import annotations

import logging
import re
from collections import Counter
from typing import Any, Sequence

from verify.prose.decompose import AtomicClaim, decompose, echoes_question
from .world import world_statements
from verify.prose.nlp import (fills_relation, relation_holds, relation_value_holds, relations,
                          sentences, stem, tokens)
from .judges import Judgement, Passage, call_judge, get_judge
from verify.report import Claim, Evidence, Span
from verify.engines.base import Candidate, Context, EngineError, Retriever

log = logging.getLogger("verity.grounding")

#: Knowledge-base hits retrieved per claim.
KB_TOP_K = 5
#: Longest evidence text accepted in total (characters); more is refused with a clear error.
MAX_EVIDENCE_CHARS = 2_000_000
#: Claims checked per answer (more is refused, not silently cut).
MAX_CLAIMS = 200

#: Payload of a world statement found with no evidence to check it against.
_NO_EVIDENCE = object()

_EQUATION = re.compile(r"\d[\d.,]*\s*(?:[-+×x*/÷^]\s*\d[\d.,]*\s*)+=\s*-?\d|"
                       r"(?:∫|\\int|\bd/dx\b|\bderivative\b|\bintegral\b)")


class GroundingEngine:
    name = "grounding"
    kind = "factual"

    def find(self, text: str, ctx: Context) -> list[Candidate]:
        if not ctx.evidence and ctx.kb is None:
            if ctx.options.get("policy") != "strict" or ctx.options.get("cove"):
                return []  # chain-of-verification checks (and flags) factual claims itself
            return [Candidate(text[s:e], Span(s, e), self.kind, _NO_EVIDENCE)
                    for s, e in world_statements(text, ctx.question)]
        decomposition = decompose(text, ctx.question, llm=ctx.llm,
                                  timeout=ctx.bound(60.0) if ctx.llm is not None else None)
        out = []
        for c in decomposition:
            if _EQUATION.search(text[c.span.start:c.span.end]):
                continue  # an equation is for the exact engines, never for retrieval
            out.append(Candidate(c.text, c.span, self.kind,
                                 (c, decomposition.method, dict(decomposition.detail),
                                  text[c.span.start:c.span.end])))
        if len(out) > MAX_CLAIMS:
            raise EngineError(f"too many claims to ground: {len(out)} (limit {MAX_CLAIMS})")
        return out

    def check(self, candidates: Sequence[Candidate], ctx: Context) -> list[Claim]:
        if candidates and all(c.payload is _NO_EVIDENCE for c in candidates):
            return [Claim.unverified(c.text, c.span, self.kind, "grounding:none",
                                     "no evidence given: a statement about the world is checked "
                                     "only against evidence= passages or a kb=",
                                     answer="not found", gate="no_evidence")
                    for c in candidates]
        total = sum(len(e) for e in ctx.evidence)
        if total > MAX_EVIDENCE_CHARS:
            raise EngineError(f"evidence too long to ground against: {total:,} characters "
                              f"(limit {MAX_EVIDENCE_CHARS:,})")
        judge = get_judge(ctx.options.get("judge"), llm=ctx.llm)
        judge_name = getattr(judge, "name", type(judge).__name__)
        given = [Passage(p, source=f"evidence[{i}]") for i, p in enumerate(ctx.evidence)]
        out: list[Claim] = []
        for cand in candidates:
            atom, method, ddetail, said = cand.payload
            # the kb's manifest is recorded once, in the report's meta (see verify.pipeline)
            base = {"judge": judge_name, "decomposer": method, "models": _models(judge),
                    **({"decomposition": ddetail} if ddetail else {})}
            if ctx.expired():
                out.append(Claim.unverified(cand.text, cand.span, self.kind, f"grounding:{judge_name}",
                                            "not checked: the time limit for the whole check ran out",
                                            answer="not found", **base))
                continue
            short = atom.source == "answer"
            if ctx.question and echoes_question(said if short else atom.text, ctx.question, short=short):
                # what fills the question's slot must be something other than its own words
                out.append(Claim.unverified(cand.text, cand.span, self.kind, f"grounding:{judge_name}",
                                            "The answer only repeats the question's own words.",
                                            answer="not found", gate="answer_echo",
                                            claim=atom.to_dict(), **base))
                continue
            premise = _premise(atom, ctx.question, said)
            try:
                passages = given + _retrieve(ctx.kb, atom.text)
                j = call_judge(judge, atom.text, passages, ctx.question)
                if j.label == "supported" and _support_gap(atom.text, j.passages, premise):
                    j = _rejudge_on_windows(judge, atom.text, passages, premise) or j
            except Exception as exc:  # noqa: BLE001 - a failing judge or kb is never a verdict
                log.warning("grounding failed for %r: %s", atom.text, exc)
                out.append(Claim.unverified(cand.text, cand.span, self.kind, f"grounding:{judge_name}",
                                            f"could not ground this claim: {type(exc).__name__}: {exc}",
                                            answer="not found", **base))
                continue
            out.append(_to_claim(atom, cand, j, judge_name, said, base, premise))
        return out


def _retrieve(kb: Retriever | None, query: str) -> list[Passage]:
    if kb is None:
        return []
    hits = kb.search(query, k=KB_TOP_K)
    return [Passage(h.text, getattr(h.citation, "source", None), h.citation, float(h.score)) for h in hits]


def _models(judge: Any) -> dict[str, str]:
    models = getattr(judge, "models", None)
    return dict(models) if isinstance(models, dict) else {}


def _evidence(passages: Sequence[Passage]) -> tuple[Evidence, ...]:
    return tuple(Evidence(text=p.text, source=p.source, citation=p.citation) for p in passages)


def _to_claim(atom: AtomicClaim, cand: Candidate, j: Judgement, judge_name: str,
              said: str, base: dict[str, Any], premise: tuple[str, str] | None) -> Claim:
    method = f"grounding:{judge_name}"
    detail = {**base, "answer": j.label, "checks": list(j.checks), "score": j.score,
              "claim": atom.to_dict()}
    gap = _support_gap(atom.text, j.passages, premise) if j.label == "supported" else None
    if gap is not None:
        detail["gate"] = gap
        return Claim(cand.text, cand.span, cand.kind, "unverified", method,
                     _sentence(f"Not verified: {gap}"), evidence=_evidence(j.passages),
                     detail={**detail, "answer": "not found"})
    if j.label == "supported" and j.passages:
        return Claim(cand.text, cand.span, cand.kind, "verified", method, _sentence(j.explanation),
                     evidence=_evidence(j.passages), detail=detail)
    if j.label == "contradicted" and j.passages:
        correction, where = _place_correction(atom, cand.span, said, j)
        if correction is not None:
            detail["wrong"] = j.wrong
        return Claim(cand.text, cand.span, cand.kind, "refuted", method, _sentence(j.explanation),
                     correction=correction, correction_span=where, evidence=_evidence(j.passages),
                     detail=detail)
    reason = {"contradicted": "The judge found a contradiction but cited no passage: "}.get(j.label, "")
    return Claim(cand.text, cand.span, cand.kind, "unverified", method,
                 _sentence(reason + j.explanation), evidence=_evidence(j.passages), detail=detail)


#: Consecutive evidence sentences that together must state a supported claim's names and values.
SUPPORT_WINDOW = 2
#: Evidence stretches re-judged when the judge's own citation fails the gate.
MAX_REJUDGE = 3
_PRONOUN_SUBJECT = re.compile(r"^\s*(he|she|it|they|his|her|its|their|this|that|these|those)\b", re.I)
_NUMBER = re.compile(r"(?<![\w.])[-−]?\d[\d,]*(?:\.\d+)?")
_CAPITALISED = re.compile(r"\b[^\W\d_][\w'’-]*", re.U)


def _numbers(text: str) -> Counter:
    return Counter(m.group().replace("−", "-").replace(",", "").rstrip(".") for m in _NUMBER.finditer(text))


def _stating_windows(claim: str, passages: Sequence[Passage], *, group: bool) -> list[Passage]:
    """Stretches of evidence (``SUPPORT_WINDOW`` consecutive sentences) that state every
    number of the claim, sign and count included, and every capitalised word of it.

    With ``group`` the passages of one source are read together (judges cite single
    sentences); a kb passage's section heading counts, since it names the passage's topic.
    """
    need_numbers = _numbers(claim)
    need_words = {_unpossessive(w.lower()) for w in _CAPITALISED.findall(claim) if w[0].isupper()}
    pieces: list[tuple[str, Passage]] = []
    if group:
        by_source: dict[Any, list[Passage]] = {}
        for p in passages:
            by_source.setdefault(p.source, []).append(p)
        pieces = [(" ".join(q.text for q in ps), ps[0]) for ps in by_source.values()]
    else:
        pieces = [(p.text, p) for p in passages]
    out: list[Passage] = []
    for text, p in pieces:
        heading = getattr(p.citation, "section", None)
        heading = heading if isinstance(heading, str) else ""
        spans = sentences(text) or [(0, len(text))]
        for i in range(len(spans)):
            window = text[spans[i][0]:spans[min(i + SUPPORT_WINDOW, len(spans)) - 1][1]]
            have = _numbers(window)
            if any(have[n] < k for n, k in need_numbers.items()):
                continue
            words = {_unpossessive(w) for w in re.findall(r"[\w'’-]+", (window + " " + heading).lower())}
            if all(w in words or any(x.startswith(w[:5]) for x in words if len(w) > 5)
                   for w in need_words):
                out.append(Passage(window, p.source, p.citation, p.score))
    return out


def _unpossessive(word: str) -> str:
    """"reed's" → "reed": a name is stated whether or not it is a possessive; which owner a
    possessive relation belongs to is checked on its own (:func:`_support_gap`)."""
    return re.sub(r"['’]s?$", "", word)


def _premise(atom: AtomicClaim, question: str | None, said: str) -> tuple[str, str] | None:
    """(question, answer), for a claim made by putting a short answer into the question: the
    relations made only of the question's words are its premise, not the answer's assertion,
    unless the answer is what fills them ("Who was Tom Reed's father?")."""
    return (question, said) if atom.source == "answer" and question else None


def _answer_at(claim: str, answer: str) -> tuple[int, int] | None:
    """Where the short answer stands in the claim made from it (its last occurrence)."""
    a = " ".join(answer.split()).strip(" .,;:!?")
    at = claim.lower().rfind(a.lower()) if a else -1
    return (at, at + len(a)) if at >= 0 else None


def _support_gap(claim: str, passages: Sequence[Passage],
                 premise: tuple[str, str] | None = None) -> str | None:
    """Why a judge's "supported" must not become ``verified``, or None.

    A last, judge-independent soundness gate: whatever the judge weighed, a verified claim
    needs a subject the answer resolved and cited evidence that states all its names and
    numbers together (:func:`_stating_windows`) and ties each possessive relation of it to
    the same owner ("Tom Reed's father" is not stated by "John Reed's father, Tom Reed"),
    except the relations wholly in the ``premise`` (the question a short answer was put
    into) that the answer does not fill; one it fills must be stated with the answer as
    its value ("Tom Reed's father, John Reed"; not "Tom Reed, the father of John Reed").
    """
    if _PRONOUN_SUBJECT.match(claim):
        return "the claim's subject is a pronoun the answer does not resolve"
    windows = _stating_windows(claim, passages, group=True)
    if not windows:
        return "no cited passage states all of the claim's names and numbers together"
    asked = {stem(t.text) for t in tokens(premise[0])} if premise else set()
    at = _answer_at(claim, premise[1]) if premise else None
    rels, filled = [], []
    for r in relations(claim):
        if at is not None and fills_relation(r, claim, *at):
            filled.append(r)
        elif at is None or not {stem(t.text) for t in tokens(claim[r.start:r.end])} <= asked:
            rels.append(r)
    if rels and not any(all(relation_holds(r, w.text) for r in rels) for w in windows):
        return "no cited passage ties the claim's possessive relation to the same owner"
    if filled and premise and not any(all(relation_value_holds(r, premise[1], w.text) for r in filled)
                                      for w in windows):
        return "no cited passage states the answer as the relation the question asks for"
    return None


def _rejudge_on_windows(judge: Any, claim: str, passages: Sequence[Passage],
                        premise: tuple[str, str] | None = None) -> Judgement | None:
    """When the judge's cited support fails the gate, judge the claim again on each stretch
    of the retrieved evidence that does state its names and numbers; the first one it
    supports (and that passes the gate) stands."""
    for window in _stating_windows(claim, passages, group=False)[:MAX_REJUDGE]:
        j = call_judge(judge, claim, [window], None)
        if j.label == "supported" and _support_gap(claim, j.passages, premise) is None:
            return j
    return None


def _place_correction(atom: AtomicClaim, span: Span, said: str, j: Judgement
                      ) -> tuple[str | None, Span | None]:
    """The correction and where it goes: over the wrong words when they occur in the
    claim's original words, or over the pronoun that stood for a wrong subject. Without
    such a place there is no correction (replacing a whole clause by a value would garble it)."""
    if j.correction is None or not j.wrong:
        return None, None
    hits = list(re.finditer(re.escape(j.wrong), said, re.I))
    if len(hits) > 1:
        # "the absolute value of -7 is -7": the judge says which occurrence is wrong
        at = j.detail.get("wrong_start")
        k = len(re.findall(re.escape(j.wrong), atom.text[:at], re.I)) if isinstance(at, int) else len(hits)
        hits = hits[k:k + 1]
    if len(hits) == 1:
        m = hits[0]
        return j.correction, Span(span.start + m.start(), span.start + m.end())
    pronoun = atom.detail.get("resolved")
    if isinstance(pronoun, str) and atom.subject and j.wrong.lower() in atom.subject.lower() \
            and said.startswith(pronoun):
        return j.correction, Span(span.start, span.start + len(pronoun))
    return None, None


def _sentence(s: str) -> str:
    s = " ".join(s.split())
    return (s[:1].upper() + s[1:]) if s else s


ENGINE = GroundingEngine()
