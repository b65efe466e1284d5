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
from dataclasses import replace
from typing import Any, Sequence

from verify.prose.decompose import AtomicClaim, choice_options, decompose, echoes_question
from .world import world_statements
from verify.prose.nlp import (STOPWORDS, Name, Value, fills_relation, names, relation_holds,
                              relation_value_holds, relations, sentences, stem, tokens, values)
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
                j = aligned_correction(judge, atom.text, j, ctx.question)
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
    detail.update({k: j.detail[k] for k in ("p_supported", "p_contradicted") if k in j.detail})
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
_PRONOUN_SUBJECT = re.compile(r"^\s*(he|she|it|they|his|her|its|their|this|that|these|those)\b"
                              r"(?!\s+is\s+(?:not\s+)?true\s+that\b)", re.I)
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
    numbers together (:func:`_stating_windows`; for a short answer put into the question, the
    answer's own names and numbers: the question's are what was asked, not asserted) and
    ties each possessive relation of it to the same owner ("Tom Reed's father" is not stated by "John Reed's father, Tom Reed"),
    except the relations wholly in the ``premise`` (the question a short answer was put
    into) that the answer does not fill; one it fills must be stated with the answer as
    its value ("Tom Reed's father, John Reed"; not "Tom Reed, the father of John Reed").
    """
    if _PRONOUN_SUBJECT.match(claim):
        return "the claim's subject is a pronoun the answer does not resolve"
    # a short answer that stands in the claim asserts only itself: the question's own names
    # are what was asked ("Yes" stands nowhere: the whole claim is what it asserts)
    at = _answer_at(claim, premise[1]) if premise else None
    windows = _stating_windows(premise[1] if at is not None else claim, passages, group=True)
    if not windows:
        return ("no cited passage states the answer's names and numbers" if at is not None else
                "no cited passage states all of the claim's names and numbers together")
    asked = {stem(t.text) for t in tokens(premise[0])} if premise else set()
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


#: Content words looked at on each side of a slot, within its clause, to align it.
SLOT_CONTEXT = 3
#: Characters that glue a number into a larger expression ("1/6", "3:2", "10^3", "2-3").
_GLUE = "/:^×*+=-−–.,"


def aligned_correction(judge: Any, claim: str, j: Judgement, question: str | None = None) -> Judgement:
    """The one gate every correction passes: a contradiction that rests on one wrong value
    or name (``j.wrong``, ``j.correction``) stands with its correction only when the evidence
    states that value in the same slot, and the corrected claim is supported when re-judged.

    - **Same type**: the claim's value and the evidence's are whole values of one kind with
      one unit ("twenty years" is not "570 BCE"; the 6 of "1/6" is part of a fraction, the
      six of "the six nations" part of the name "Six Nations": neither is a value); a name
      is one in the evidence, not a capital that only starts its sentence ("Brought up in").
    - **Same slot**: the evidence's value shares a content word of the claim's clause next
      to the slot and does not run on into a word the claim lacks ("the Marxist
      playwright" does not fill "the Nazis"); a member of a list ("add 4 and 6") is what the
      claim is about, not its value, unless the list is a copula's predicate. The two
      options of an either-or question share its slot.
    - **Confirmed**: the claim with only that value replaced is supported by the same
      evidence, through the soundness gate.

    Without type or slot the contradiction rested on values that do not align: the claim is
    ``not found`` (unsure). Aligned but not confirmed: refuted without a correction.
    """
    if j.label != "contradicted" or not j.wrong or j.correction is None:
        return j
    at = _wrong_at(claim, j)
    why = None if at is None or _rival_options(question, j.wrong, j.correction) else \
        _misaligned(claim, (at, at + len(j.wrong)), j.correction, j.passages)
    if at is None or why is not None:
        return Judgement("not found", 0.0, j.passages,
                         f"the evidence's {j.correction} does not stand where the claim has {j.wrong}"
                         f"{': ' + why if why else ''}; the claim is neither supported nor contradicted.",
                         (*j.checks, "correction_unaligned"), detail=dict(j.detail))
    corrected = claim[:at] + j.correction + claim[at + len(j.wrong):]
    r = call_judge(judge, corrected, list(j.passages), question)
    if r.label == "supported" and _support_gap(corrected, r.passages) is None:
        return j
    return replace(j, correction=None, checks=(*j.checks, "correction_unconfirmed"),
                   detail={**j.detail, "unconfirmed_correction": corrected})


def _rival_options(question: str | None, wrong: str, correction: str) -> bool:
    """Are both the options of an either-or question (which puts them in one slot)?"""
    opts = choice_options(question) if question else None
    said = {o.lower() for o in opts[1]} if opts else set()
    return wrong.lower() in said and correction.lower() in said


def _wrong_at(claim: str, j: Judgement) -> int | None:
    """Where the wrong words stand in the claim (the judge's offset when it gives one)."""
    at = j.detail.get("wrong_start")
    if isinstance(at, int) and claim[at:at + len(j.wrong or "")].lower() == (j.wrong or "").lower():
        return at
    hits = [m.start() for m in re.finditer(re.escape(j.wrong or ""), claim, re.I)]
    return hits[0] if len(hits) == 1 else None


def _misaligned(claim: str, slot: tuple[int, int], correction: str, passages: Sequence[Passage]) -> str | None:
    """Why the evidence's ``correction`` does not fill the claim's ``slot`` (the wrong words;
    None when some occurrence of it in ``passages`` does)."""
    at, end = slot
    cv = next((v for v in values(claim) if v.start <= at < v.end), None)
    wanted = values(correction)
    why = "the evidence does not state it as a value of the same kind"
    if cv is not None:
        if _glued(claim, cv.start, cv.end):
            return f"{cv.surface} is part of an expression, not a value of its own"
        if _listed(claim, cv.start, cv.end):
            return f"{cv.surface} is one of a list the claim is about"
        if _in_name(claim, cv, passages):
            return f"{cv.surface} is part of a name the evidence uses"
        if not wanted:
            return why
        for p in passages:
            for ev in values(p.text):
                if ev.value[0] != wanted[0].value[0]:  # a date's first part is its year
                    continue
                if not (ev.same_kind(cv) and ev.unit == cv.unit) or _glued(p.text, ev.start, ev.end):
                    continue
                why = "the evidence states it in another relation"
                if _same_slot(claim, cv.start, _value_end(cv), p.text, ev.start, _value_end(ev), counted=True):
                    return None
        return why
    why = "the evidence does not name it"
    for p in passages:
        starts = {a for a, _ in sentences(p.text)}
        for n in names(p.text):
            if n.text != correction or not _is_name(n, p.text, starts):
                continue
            why = "the evidence names it in another relation"
            if _same_slot(claim, at, end, p.text, n.start, n.end):
                return None
    return why


def _value_end(v: Value) -> int:
    return v.unit_span[1] if v.unit_span and v.unit_span[0] >= v.end else v.end


def _glued(text: str, start: int, end: int) -> bool:
    """Is text[start:end] a piece of a larger expression ("6" in "1/6", "3" in "3:2")?"""
    before, after = text[start - 1:start], text[end:end + 1]
    follows = text[end + 1:end + 2]
    return (bool(before) and (before.isalnum() or before in _GLUE)) or \
        (bool(after) and (after.isalnum() or (after in _GLUE and follows[:1].isdigit())))


def _listed(text: str, start: int, end: int) -> bool:
    """Is the value at text[start:end] one of a list of values ("add 1/4 and 1/6", "2, 3 or
    5") that is not the predicate of a copula ("the factors are 2, 3 and 5" lists the values)?"""
    sep = r"(?:,\s*(?:and\s+|or\s+)?|\s+(?:and|or)\s+)"
    item = r"[-−]?\d[\d/.]*"
    before = re.search(rf"(?:{item}{sep})+$", text[:start])
    after = re.match(rf"[\d/.]*(?:{sep}{item})+", text[end:])
    if not (before or after):
        return False
    head = text[:before.start() if before else start]
    return not re.search(r"\b(?:is|are|was|were|be|been|equals?|equal\s+to)\s*$", head, re.I)


def _in_name(claim: str, v: Value, passages: Sequence[Passage]) -> bool:
    """Is the claim's value, with the word next to it, a name in the evidence ("the six
    nations" where the evidence writes "Six Nations")?"""
    toks = tokens(claim)
    i = next((k for k, t in enumerate(toks) if t.start >= v.start), None)
    if i is None:
        return False
    pairs = {" ".join(t.lower for t in toks[a:a + 2]) for a in (i - 1, i) if a >= 0 and a + 2 <= len(toks)}
    return any(any(pair in n.text.lower() for pair in pairs) for p in passages for n in names(p.text))


def _is_name(n: Name, text: str, starts: set[int]) -> bool:
    """A capitalised word that only starts its sentence is a name only when it is capitalised
    elsewhere too ("Brought up in ..." is not a name)."""
    if n.start not in starts or len(tokens(n.text)) > 1:
        return True
    return any(m.text == n.text and m.start not in starts for m in names(text))


def _context(text: str, start: int, end: int) -> tuple[set[str], set[str], str | None]:
    """Content-word stems within the clause left and right of text[start:end], and the word
    right after it when it is a content word (the slot's filler running on)."""
    toks = tokens(text)
    left = [t for t in toks if t.end <= start]
    right = [t for t in toks if t.start >= end]

    def side(ts: list, prev: int, rev: bool) -> set[str]:
        out: set[str] = set()
        for t in (reversed(ts) if rev else ts):
            gap = text[t.end:prev] if rev else text[prev:t.start]
            if re.search(r"[,;:.!?()]", gap):
                break
            prev = t.start if rev else t.end
            if t.lower not in STOPWORDS:
                out.add(stem(t.text))
                if len(out) >= SLOT_CONTEXT:
                    break
        return out

    run_on = right[0] if right and not re.search(r"[,;:.!?()]", text[end:right[0].start]) else None
    nxt = stem(run_on.text) if run_on is not None and run_on.lower not in STOPWORDS else None
    return side(left, start, True), side(right, end, False), nxt


def _same_slot(claim: str, cs: int, ce: int, ev: str, es: int, ee: int, *, counted: bool = False) -> bool:
    """Does the evidence's slot ev[es:ee] share a clause word around claim[cs:ce] (on either
    side: "X wrote Y" and "Y was written by X" fill one slot), without the evidence running on
    into a word the claim does not have there; a ``counted`` value (a number) also must not run
    on into a noun the evidence's value lacks?"""
    cl, cr, c_next = _context(claim, cs, ce)
    el, er, e_next = _context(ev, es, ee)
    if e_next is not None and e_next != c_next and e_next not in cr:
        return False
    if counted and c_next is not None and c_next != e_next and c_next not in er:
        return False  # "six nations" is not filled by "is now 10": a value counts what it counts
    return bool((cl | cr) & (el | er))


def _sentence(s: str) -> str:
    s = " ".join(s.split())
    return (s[:1].upper() + s[1:]) if s else s


ENGINE = GroundingEngine()
