"""The rule judge's checks, as data: one small function per label, and the ordered registry.

Each check reads a :class:`~.view.View` (one immutable reading of the claim, its question and
its evidence) and returns a :class:`Finding` or ``None``. It is keyed by the label it
reports in ``Judgement.checks``. A check never reads another's result; where one builds on
others' outcomes, its stage in :data:`CHECKS` says so (see :data:`STAGES`), and within the
"decide" stage the registry order is the precedence (a wrong value is reported before a
wrong name, a dispute before a negation).

Adding a check: write ``_my_check(view) -> Finding | None`` below (a fact two checks share
goes to the view as a cached property), add ``Check("my_check", _my_check, "what it
catches", stage)`` to :data:`CHECKS` at its place, and give it a test of its own in
``tests/test_judge_checks.py`` (an input where it fires, and that disabling it silences it).
"""
from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any, Callable, Literal, Mapping, Sequence

from verify.prose.decompose import echoes_question
from verify.prose.nlp import (DEMONYMS, STOPWORDS, Name, Token, Value, negation_spans,
                              relation_value_holds, sentences, stem, tokens, value_matches, values)
from .base import Judgement, Label, Passage
from .evidence import Unit, cite_unit, joined, known, name_key
from .lexicon import (ANTONYMS, CONFLICT_MIN_ALIGNMENT, DISPUTE_MIN_ALIGNMENT, GENERIC_NAME_WORDS,
                      IMPLICIT_NEGATIONS, NEGATION_SCOPE, NO_PREFIX, PLACE_WORDS, PREDICATE_ALL_MATCH_MAX, RELATED_COVERAGE,
                      SLOT_GAP_WORDS, SLOT_REACH, SUPPORT_COVERAGE, TIME_WORDS, WEIGHT_WORD,
                      YES_NO_CLOSED_WORLD, YES_NO_Q, HEDGE_WORDS, frame_of, is_disputed)
from .view import ClaimView, QuestionView, View, lead_in, punct, rival_name, slot_of, ties


@dataclass(frozen=True)
class Finding:
    """What one check found.

    With a ``verdict`` (a judgement label) the finding decides the claim; without one it is
    a gap: the claim is not supported (for the reason in ``explanation``, when it has one)
    and checking goes on. ``detail`` is reported on top of the view's; ``checks`` are
    further labels the finding rests on (those of a yes/no answer's rider).
    """

    verdict: Label | None
    score: float = 0.0
    passages: tuple[Passage, ...] = ()
    explanation: str = ""
    correction: str | None = None
    wrong: str | None = None
    detail: Mapping[str, Any] = field(default_factory=dict)
    checks: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        object.__setattr__(self, "detail", MappingProxyType(dict(self.detail)))

    def judgement(self, label: str, detail: Mapping[str, Any], lead: Sequence[str] = ()) -> Judgement:
        """The verdict this finding makes, reported as check ``label`` after ``lead``."""
        if self.verdict is None:
            raise ValueError(f"check {label!r} found a gap, not a verdict")
        return Judgement(self.verdict, self.score, self.passages, self.explanation, (*lead, label, *self.checks),
                         self.correction, self.wrong, detail=dict(detail, **self.detail))


Stage = Literal["decide", "gap", "overturn", "explain"]
#: When a check runs, in this order:
#: - "decide": before lexical support is weighed; the first finding in registry order decides;
#: - "gap": when no decide check found anything; every finding is reported (after "coverage")
#:   and keeps the claim from being supported;
#: - "overturn": only when the claim would be supported (no gap, and one sentence or a sentence
#:   and its continuation holds SUPPORT_COVERAGE of its words); the first finding replaces
#:   the support;
#: - "explain": only when it is not; the first finding replaces the plain "not found".
STAGES: tuple[Stage, ...] = ("decide", "gap", "overturn", "explain")


@dataclass(frozen=True)
class Check:
    """One rule of the judge: the label it reports, the function, what it catches, its stage."""

    label: str
    fn: Callable[[View], Finding | None]
    doc: str
    stage: Stage = "decide"


# --------------------------------------------------------------------------- the question

def _choice_ambiguous(view: View) -> Finding | None:
    c = view.choice
    if c is None or len(c.chosen) < 2:
        return None
    return Finding("not found", 0.0, view.cite, "the answer names more than one of the options instead of choosing.")


def _choice_negated(view: View) -> Finding | None:
    c = view.choice
    if c is None or len(c.chosen) != 1 or not view.negated:
        return None
    return Finding("not found", 0.0, view.cite, "the answer rejects an option instead of naming the right one.")


def _choice_undecided(view: View) -> Finding | None:
    c = view.choice
    if c is None or len(c.chosen) != 1 or c.winner is not None:
        return None
    return Finding("not found", 0.0, view.cite, f"the evidence does not settle which of {' or '.join(c.options)} it is.")


def _choice(view: View) -> Finding | None:
    c = view.choice
    if c is None or len(c.chosen) != 1 or c.winner is None or view.question is None:
        return None
    picked = c.chosen[0]
    if c.winner != picked:
        return Finding("contradicted", 0.85, c.passages, f"the evidence picks {c.winner}, not {picked}.",
                       correction=c.winner, wrong=picked, detail=c.detail)
    q_stems = {stem(t.text) for t in tokens(view.question)}
    if any(s not in q_stems for s, _, n in view.words if not n):
        # an answer in its own words that picks the right option asserts the rest of its
        # sentence too ("A has more, because ..."): the later checks judge it like any claim
        return None
    return Finding("supported", 0.9, c.passages, f"the evidence picks {c.winner} among the options.", detail=c.detail)


def _yes_no(view: View) -> Finding | None:
    q, claim, units = view.question, view.text, view.units
    if not q or not YES_NO_Q.match(q) or not _is_yes_no_answer(claim, q):
        return None
    negated = claim.lower().startswith(NO_PREFIX)
    statement = claim[len(NO_PREFIX):].split(";")[0] if negated else claim.split(";")[0]
    conjuncts = _conjuncts(statement)
    evidence = [Passage(u.text, u.passage.source, u.passage.citation) for u in units]
    verdicts = []
    for c in conjuncts:
        j = view.judge_part(c, evidence)
        if j.label == "not found" and YES_NO_CLOSED_WORLD and j.detail.get("window_coverage", 0) >= RELATED_COVERAGE:
            j = Judgement("contradicted", 0.6, j.passages or (Passage(units[0].text, units[0].passage.source,
                                                                       units[0].passage.citation),),
                          f"the evidence about it does not say {c}.", ("closed_world",))
        verdicts.append(j)
    holds = all(j.label == "supported" for j in verdicts)
    fails = any(j.label == "contradicted" for j in verdicts)
    cites = tuple(p for j in verdicts for p in j.passages)
    detail = {"conjuncts": [f"{c}: {j.label}" for c, j in zip(conjuncts, verdicts)]}
    if not (holds or fails):
        return Finding("not found", 0.0, cites, "the evidence neither confirms nor rules out the statement.",
                       detail=detail)
    right = holds != negated
    rider = claim.split(";", 1)[1].strip() if ";" in claim else ""
    if right and rider:
        # "No, only A is P": the reason given after the yes or no is asserted too
        r = view.judge_part(rider, evidence)
        if r.label != "supported":
            at = r.detail.get("wrong_start")
            where = {"wrong_start": claim.index(rider) + at} if isinstance(at, int) else {}
            return Finding(r.label, r.score, r.passages, f"the answer is right, but {r.explanation}", r.correction,
                           r.wrong, dict(detail, rider=rider, **where), r.checks)
    return Finding("supported" if right else "contradicted", 0.8, cites,
                   f"the evidence {'supports' if holds else 'contradicts'} \"{statement.strip()}\", so the answer "
                   f"is {'right' if right else 'wrong'}.", correction=None if right else ("yes" if holds else "no"),
                   detail=detail)


def _empty_claim(view: View) -> Finding | None:
    if view.words or view.values:
        return None
    return Finding("not found", 0.0, (), "the claim adds nothing to the question that evidence could check.")


def _answer_echo(view: View) -> Finding | None:
    qv, question = view.qv, view.question
    if qv is None or question is None:
        return None
    short = qv.derived and qv.answer is not None
    said = view.text[qv.answer[0]:qv.answer[1]] if short and qv.answer else view.text
    if not echoes_question(said, question, short=short):
        return None
    return Finding("not found", 0.0, view.cite, "the answer only repeats the question.")


def _answer_type(view: View) -> Finding | None:
    why = _answer_type_mismatch(view, view.qv)
    return None if why is None else Finding("not found", view.coverage, view.cite, why)


# --------------------------------------------------------------------------- values and names

def _values_disagree(view: View) -> Finding | None:
    spans = [(v.start, v.unit_span[1] if v.unit_span else v.end) for v in values(view.text)]
    # the same relation about the same subject: every other content word of the claim
    rest = {stem(t.text) for t in tokens(view.text)
            if t.lower not in STOPWORDS and not any(a <= t.start < b for a, b in spans)}
    for v in view.values:
        said: list[tuple[Unit, Value]] = []
        others = [o for o in view.values if o is not v]
        for cov, g in view.scored:
            u = joined(g)
            if cov < CONFLICT_MIN_ALIGNMENT or not rest <= u.stems or any(w is u for w, _ in said):
                continue
            if not all(any(value_matches(o, ev) for ev in u.values) for o in others):
                continue  # and the claim's other values ("in 2020" is not "in 2010")
            same = [ev for ev in u.values if ev.same_kind(v) and ev.unit == v.unit]
            rival = next((ev for ev in same if value_matches(v, ev)), None) or \
                next((ev for ev in same if _beside(u.text, ev) & _beside(view.text, v)), None)
            if rival is not None:
                said.append((u, rival))
        for (a, x), (b, y) in ((p, q) for i, p in enumerate(said) for q in said[i + 1:]):
            if a.passage is not b.passage and not (value_matches(x, y) or value_matches(y, x)):
                return Finding("disputed", 0.5, cite_unit(a) + cite_unit(b),
                               f"the evidence disagrees: \"{a.text.strip()}\" gives {x.surface}, and "
                               f"\"{b.text.strip()}\" gives {y.surface}.", detail={"disagree": (x.surface, y.surface)})
    return None


def _sign_after_change(view: View) -> Finding | None:
    u = view.unstated_value
    if u is None or u[1] is None or u[2] is None:
        return None
    v, where, rival = u
    if not (rival.value[0] == -v.value[0] != 0 and (
            _after_change_word(view.text, v.start) or _after_change_word(where.text, rival.start))):
        return None
    return Finding("not found", view.coverage, cite_unit(where),
                   f"the evidence gives {rival.surface} where the claim gives {v.surface} after a word of "
                   f"change; which sign is meant is unclear.")


def _value_mismatch(view: View) -> Finding | None:
    u = view.unstated_value
    if u is None or u[1] is None or u[2] is None:
        return None
    v, where, rival = u
    return Finding("contradicted", 0.95, cite_unit(where), f"the evidence gives {rival.surface}, not {v.surface}.",
                   correction=_format_like(v, rival), wrong=v.surface, detail={"wrong_start": v.start})


def _value_unsupported(view: View) -> Finding | None:
    u = view.unstated_value
    if u is None:
        return None
    return Finding("not found", view.coverage, view.cite, f"the evidence does not state {u[0].surface}.")


def _name_mismatch(view: View) -> Finding | None:
    u = view.unstated_name
    if u is None or u[1] is None or u[2] is None:
        return None
    n, where, rival = u
    return Finding("contradicted", 0.85, cite_unit(where), f"the evidence names {rival}, not {n.text}.",
                   correction=rival, wrong=n.text, detail={"wrong_start": n.start})


def _name_unsupported(view: View) -> Finding | None:
    u = view.unstated_name
    if u is None:
        return None
    return Finding("not found", view.coverage, view.cite, f"the evidence does not mention {u[0].text}.")


def _slot_rival_check(view: View) -> Finding | None:
    slot = _slot_rival(view, view.qv, view.units)
    if slot is None:
        return None
    rival, where = slot
    return Finding("not found", view.coverage, cite_unit(where), f"the evidence gives {rival} for what the question asks.")


# --------------------------------------------------------------------------- the aligned sentence

def _disputed(view: View) -> Finding | None:
    if view.focus is None or view.align < DISPUTE_MIN_ALIGNMENT or not is_disputed(view.focus.text):
        return None
    return Finding("disputed", 0.5, view.cite, "the evidence presents this point as disputed.")


def _framed(view: View) -> Finding | None:
    framed: list[tuple[float, Unit, str]] = []
    plain: list[Unit] = []
    stems = {w for w, _, _ in view.words}
    for cov, g in view.scored:
        u = joined(g)
        span = _restated(u.text, stems) if cov >= CONFLICT_MIN_ALIGNMENT else None
        if span is None:
            continue
        how = frame_of(u.text, *span)
        if how is None:
            if cov >= SUPPORT_COVERAGE:
                plain.append(u)
        else:
            framed.append((cov, u, how))
    if not framed:
        return None
    cov, u, how = max(framed, key=lambda x: x[0])
    if how == "reported" and HEDGE_WORDS.search(view.text):
        return None  # "the suspect allegedly ...": the claim keeps the passage's hedge
    if how == "reported":
        return None if plain else Finding("not found", cov, cite_unit(u),
                                          f"the evidence only reports or hedges it: \"{u.text.strip()}\".")
    if plain:
        return Finding("disputed", 0.5, cite_unit(u) + cite_unit(plain[0]),
                       f"the evidence disagrees: \"{u.text.strip()}\" denies what \"{plain[0].text.strip()}\" states.")
    return Finding("contradicted", 0.8, cite_unit(u), f"the evidence states it only to deny it: \"{u.text.strip()}\".")


def _negation(view: View) -> Finding | None:
    focus, region = view.focus, view.aligned_region
    if focus is None or region is None or view.align < CONFLICT_MIN_ALIGNMENT:
        return None
    region_negated = _negates(focus.text, *region, {w for w, _, _ in view.words})
    claim_negated = view.negated and _negates(view.text, 0, len(view.text), focus.stems)
    if claim_negated == region_negated:
        return None
    if claim_negated and not _scope_stated(view.text, focus.text[region[0]:region[1]], focus.stems):
        return None  # "you cannot divide by zero" is not denied by "division by zero is undefined"
    said = "denies" if region_negated else "asserts"
    return Finding("contradicted", 0.8, view.cite,
                   f"the evidence {said} what the claim {'denies' if claim_negated else 'asserts'}.")


def _antonym(view: View) -> Finding | None:
    focus, span = view.focus, view.aligned_region
    if focus is None or span is None or view.align < CONFLICT_MIN_ALIGNMENT:
        return None
    region = focus.text[span[0]:span[1]]
    region_stems = {stem(t.text) for t in tokens(region)}
    for s, _, _ in view.words:
        anti = ANTONYMS.get(s)
        if anti and anti in region_stems and s not in focus.stems:
            word = next((t.text for t in tokens(region) if stem(t.text) == anti), anti)
            own = next((t.text for t in tokens(view.text) if stem(t.text) == s), s)
            return Finding("contradicted", 0.75, view.cite, f"the evidence says {word!r} where the claim says {own!r}.")
    return None


# --------------------------------------------------------------------------- lexical support

def _relation_value_elsewhere(view: View) -> Finding | None:
    filled, qv = view.filled_relations, view.qv
    if not filled or qv is None or qv.answer is None:
        return None
    answer = view.text[qv.answer[0]:qv.answer[1]]
    if any(all(relation_value_holds(r, answer, joined(g).text) for r in filled) for _, g in view.scored if g):
        return None
    return Finding(None, explanation=f"no passage states {answer} as \"{view.text[filled[0].start:filled[0].end]}\".")


def _relation_elsewhere(view: View) -> Finding | None:
    if not view.relations_untied:
        return None
    untied = [r for r in view.asserted_relations if not ties([r], view.support_window)]
    return Finding(None, explanation=f"the evidence does not say \"{view.text[untied[0].start:untied[0].end]}\": "
                                     f"it ties that relation to someone else or to no one." if untied else "")


def _answer_words_missing(view: View) -> Finding | None:
    qv = view.qv
    if qv is None or qv.derived:
        return None
    new = [(s, w) for s, w, _ in view.words if s not in qv.stems]
    new_total = sum(w for _, w in new)
    if not new_total or sum(w for s, w in new if s not in view.missing) / new_total >= SUPPORT_COVERAGE:
        return None
    return Finding(None)


def _predicate_missing(view: View) -> Finding | None:
    predicate = [s for s, w, n in view.words if not n and w == WEIGHT_WORD]
    if len(predicate) <= PREDICATE_ALL_MATCH_MAX and any(s in view.missing for s in predicate):
        return Finding(None)
    return None


def _subject_elsewhere(view: View) -> Finding | None:
    window = view.support_window
    subject = next((n for n in view.names if name_key(n) and not view.text[:n.start].strip()), None)
    if window and subject is not None and not set(name_key(subject)) & (lead_in(window, view.units) | view.found):
        return Finding(None)
    return None


def _novel_word(view: View) -> Finding | None:
    if any(s not in view.found and not known(s, view.all_stems, view.prefixes, n) for s, _, n in view.words):
        return Finding(None)
    return None


def _slot_mismatch(view: View) -> Finding | None:
    if view.qv is not None and view.qv.derived:
        return None  # a restated question is not worded like the evidence
    # a sentence holding all its values without a clash supports the claim; else one that
    # puts other values or names in their place contradicts it (best-covered first: the
    # sentence it was copied from usually settles it)
    clash = None
    for u in [joined(g) for cov, g in sorted(view.scored, key=lambda x: -x[0]) if cov >= SUPPORT_COVERAGE]:
        c = _slot_clash(view, u)
        if c is None and all(any(value_matches(v, ev) for ev in u.values) for v in view.values):
            clash = None
            break
        clash = clash or c
    if clash is None:
        return None
    wrong, right, correction, at = clash
    return Finding("contradicted", 0.85, view.support_cites, f"the evidence says {right} where the claim says {wrong}.",
                   correction=correction, wrong=wrong, detail={"wrong_start": at})


def _name_swap(view: View) -> Finding | None:
    swap = _subject_swap(view, view.units, view.q_stems)
    if swap is None:
        return None
    wrong, right, where = swap
    return Finding("contradicted", 0.7, cite_unit(where), f"the evidence says this of {right}, not of {wrong}.",
                   correction=right, wrong=wrong)


#: The registry, in order. Without a finding from any check the claim is supported when its
#: best window holds SUPPORT_COVERAGE of its words (reported as "coverage"), else not found.
CHECKS: tuple[Check, ...] = (
    Check("choice_ambiguous", _choice_ambiguous, "an either-or answer names more than one option"),
    Check("choice_negated", _choice_negated, "an either-or answer rejects an option instead of naming one"),
    Check("choice_undecided", _choice_undecided, "the evidence does not settle an either-or question"),
    Check("choice", _choice, "the evidence picks an option of an either-or question: the answer's or another"),
    Check("yes_no", _yes_no, "a yes/no answer: each conjunct of the statement judged on its own"),
    Check("empty_claim", _empty_claim, "the claim adds nothing to the question that evidence could check"),
    Check("answer_echo", _answer_echo, "the answer only repeats the question's words"),
    Check("answer_type", _answer_type, "the answer is not of the type asked (a time for \"when\")"),
    Check("values_disagree", _values_disagree,
          "passages that hold the claim's words give different values where it gives its own"),
    Check("sign_after_change", _sign_after_change, "a value's sign differs after a word of change (unclear)"),
    Check("value_mismatch", _value_mismatch, "the evidence gives another value where the claim gives its own"),
    Check("value_unsupported", _value_unsupported, "the evidence does not state a value of the claim"),
    Check("name_mismatch", _name_mismatch, "the evidence names another where the claim names its own"),
    Check("name_unsupported", _name_unsupported, "the evidence does not state a name of the claim as one name"),
    Check("slot_rival", _slot_rival_check, "the answer's own sentence puts another name in the question's slot"),
    Check("disputed", _disputed, "the aligned sentence presents the point as disputed"),
    Check("framed", _framed, "the evidence restates the claim only inside a denial (\"'X' is false\") or a report"),
    Check("negation", _negation, "the aligned sentence negates what the claim asserts, or the reverse"),
    Check("antonym", _antonym, "the aligned sentence says the opposite word (\"lowest\" for \"highest\")"),
    Check("relation_value_elsewhere", _relation_value_elsewhere,
          "no sentence states the answer as the value of the relation asked about", "gap"),
    Check("relation_elsewhere", _relation_elsewhere,
          "no covering sentence ties a possessive relation to the claim's owner", "gap"),
    Check("answer_words_missing", _answer_words_missing,
          "an answer in its own words: what it adds to the question is not stated", "gap"),
    Check("predicate_missing", _predicate_missing, "a short claim's verb or predicate word is not stated", "gap"),
    Check("subject_elsewhere", _subject_elsewhere,
          "the sentence stating the claim is not about its subject (nor are the ones before)", "gap"),
    Check("novel_word", _novel_word, "the claim uses a word the evidence never uses", "gap"),
    Check("slot_mismatch", _slot_mismatch,
          "the supporting sentence puts another value or name where the claim puts its own", "overturn"),
    Check("name_swap", _name_swap, "a sentence holding the claim's other words says it of someone else", "explain"),
)


# --------------------------------------------------------------------------- helpers

def _is_yes_no_answer(claim: str, question: str) -> bool:
    q = {stem(t.text) for t in tokens(question)} | {"it", "true", "that", "not", "be"}
    return claim.lower().startswith(NO_PREFIX) or all(stem(t.text) in q for t in tokens(claim.split(";")[0]))


def _conjuncts(statement: str) -> list[str]:
    """"both A and B are P" → ["A are P", "B are P"] (the subject split at "and")."""
    m = re.match(r"\s*(?:both\s+)?(.+?)\s+(?:and|&)\s+(.+?)\s+((?:are|were|is|was|have|had|do|did)\b.*)$",
                 statement, re.I)
    if not m:
        return [statement]
    pred = re.sub(r"^(are|were|is|was)\s+both\s+", r"\1 ", m.group(3), flags=re.I)
    pred = re.sub(r"\bboth\s+", "", pred)
    return [f"{m.group(1)} {pred}", f"{m.group(2)} {pred}"]


def _answer_type_mismatch(view: ClaimView, qv: QuestionView | None) -> str | None:
    """Why a short answer cannot be what the question asks for (None when it can)."""
    if qv is None or not qv.derived or qv.answer is None or qv.asks is None:
        return None
    said = view.text[qv.answer[0]:qv.answer[1]]
    stems = {stem(t.text) for t in tokens(said)}
    if qv.asks.startswith("how ") and not values(said):
        return f"the question asks {qv.asks}, and the answer gives no number."
    if qv.asks == "when" and not values(said) and not stems & TIME_WORDS:
        return "the question asks when, and the answer gives no time."
    if qv.asks in ("who", "whom") and any(set(name_key(n)) and stems & PLACE_WORDS for n in view.names):
        return "the question asks who, and the answer names a place."
    return None


def _slot_rival(view: ClaimView, qv: QuestionView | None, units: Sequence[Unit]) -> tuple[str, Unit] | None:
    """For an answer put into the question's slot: another name that the answer's own
    evidence sentence puts in that slot ("... directed by Robert Zemeckis and written by
    Neil Gaiman" for "directed by Neil Gaiman"), when the answer stands in no such slot."""
    if qv is None or not qv.derived or qv.answer is None or not (qv.left or qv.right or qv.head):
        return None
    answer = [set(name_key(n)) for n in view.names
              if name_key(n) and not set(name_key(n)) <= qv.stems and n.text.lower() not in DEMONYMS]
    if not answer:
        return None
    rival: tuple[str, Unit] | None = None
    for u in units:
        if not any(k <= u.stems for k in answer):
            continue
        toks = tokens(u.text)
        for m in u.names:
            key = set(name_key(m))
            if not key or key <= qv.stems or m.text.lower() in DEMONYMS:
                continue
            if not _fills_slot(u.text, toks, m, qv):
                continue
            if any(k <= key or key <= k for k in answer):
                return None  # the answer itself stands in the slot
            rival = rival or (m.text, u)
    return rival


def _fills_slot(text: str, toks: Sequence[Token], m: Name, qv: QuestionView) -> bool:
    """Does name ``m`` stand next to the slot's context word (over gap words only)?"""
    i = next(i for i, t in enumerate(toks) if t.start >= m.start)
    j = max(i for i, t in enumerate(toks) if t.end <= m.end)
    k, reach = i - 1, 0
    while k >= 0 and reach < SLOT_REACH and not punct(text, toks[k].end, toks[k + 1].start):
        w = stem(toks[k].text)
        if w in qv.left or w == qv.head:
            return True
        if toks[k].lower not in SLOT_GAP_WORDS:
            break
        k, reach = k - 1, reach + 1
    k, reach = j + 1, 0
    while k < len(toks) and reach < SLOT_REACH and not punct(text, toks[k - 1].end, toks[k].start):
        w = stem(toks[k].text)
        if w in qv.right or w == qv.head:
            return True
        if toks[k].lower not in SLOT_GAP_WORDS:
            break
        k, reach = k + 1, reach + 1
    return False


def _beside(text: str, v: Value) -> set[tuple[str, str]]:
    """The words right before and right after value ``v`` in ``text``, each with its side."""
    toks = tokens(text)
    before = [t for t in toks if t.end <= v.start][-1:]
    after = [t for t in toks if t.start >= (v.unit_span[1] if v.unit_span else v.end)][:1]
    return {("<", stem(t.text)) for t in before} | {(">", stem(t.text)) for t in after}


def _restated(text: str, stems: set[str]) -> tuple[int, int] | None:
    """The shortest stretch of ``text`` holding every claim word it holds (the claim as the
    passage restates it), or None when it holds none."""
    toks = [t for t in tokens(text) if stem(t.text) in stems]
    want = {stem(t.text) for t in toks}
    best: tuple[int, int] | None = None
    for i in range(len(toks)):
        seen: set[str] = set()
        for t in toks[i:]:
            seen.add(stem(t.text))
            if seen == want:
                if best is None or t.end - toks[i].start < best[1] - best[0]:
                    best = (toks[i].start, t.end)
                break
    return best


def _negates(text: str, lo: int, hi: int, targets: set[str]) -> bool:
    """Is there a negation in text[lo:hi] whose scope (the next NEGATION_SCOPE words) holds
    one of ``targets``? "... hasn't disciplined Sterling or Ibe. Ibe was present" does not
    deny that Ibe was present."""
    toks = tokens(text)
    for a, b in negation_spans(text):
        if not lo <= a < hi:
            continue
        after = [t for t in toks if t.start >= b][:NEGATION_SCOPE]
        if any(t.lower not in STOPWORDS and stem(t.text) in targets for t in after):
            return True
    return False


def _scope_stated(claim: str, region: str, targets: set[str]) -> bool:
    """Does ``region`` assert, as a phrase and un-negated, what the claim's negation denies?
    Its content words must stand in the claim's order within a few words of each other
    ("does not change the result" is not denied by "change the order ..., the result is the
    same"), and the region must hold no word that denies without a "not"."""
    rtoks = tokens(region)
    if any(t.lower in IMPLICIT_NEGATIONS for t in rtoks):
        return False
    have = [stem(t.text) for t in rtoks]
    toks = tokens(claim)
    for _, end in negation_spans(claim):
        scope = [stem(t.text) for t in toks if t.start >= end][:NEGATION_SCOPE]
        words = [w for w in scope if w not in STOPWORDS]
        if words and any(w in targets for w in words):
            return _in_order(words, have)
    return False


def _in_order(words: Sequence[str], have: Sequence[str], reach: int = 3) -> bool:
    """Do ``words`` occur in ``have`` in order, each within ``reach`` words of the one before?"""
    for start in (i for i, w in enumerate(have) if w == words[0]):
        at = start
        for w in words[1:]:
            at = next((j for j in range(at + 1, min(at + 1 + reach, len(have))) if have[j] == w), -1)
            if at < 0:
                break
        else:
            return True
    return False


def _same_slot(claim: str, v: Value, unit: Unit) -> tuple[int, int] | None:
    """Where ``unit.text`` has the claim's value token in a run of words it shares with
    the claim (word tokens drop signs, so "-7" and "7" align there)."""
    ct, ut = tokens(claim), tokens(unit.text)
    ci = [i for i, t in enumerate(ct) if t.start < v.end and t.end > v.start]
    if len(ci) != 1:
        return None
    a = [stem(t.text) for t in ct]
    b = [stem(t.text) for t in ut]
    for blk in difflib.SequenceMatcher(None, a, b, autojunk=False).get_matching_blocks():
        if blk.size >= 2 and blk.a <= ci[0] < blk.a + blk.size:
            t = ut[blk.b + ci[0] - blk.a]
            return t.start, t.end
    return None


#: Words of change before an amount: its sign may restate the direction ("dropped by -7").
_CHANGE_BEFORE = re.compile(
    r"\b(?:drop|drops|dropped|dropping|fall|falls|fell|fallen|falling|rise|rises|rose|risen|rising|"
    r"increase|increases|increased|increasing|decrease|decreases|decreased|decreasing|decline|"
    r"declines|declined|declining|grow|grows|grew|grown|growing|climb|climbs|climbed|gain|gains|"
    r"gained|lose|loses|lost|loss|shrink|shrinks|shrank|shrunk|slip|slips|slipped|plunge|plunges|"
    r"plunged|jump|jumps|jumped|surge|surges|surged|sink|sinks|sank|change|changes|changed|cut|cuts|"
    r"reduce|reduces|reduced|reduction|raise|raises|raised|go(?:es)?\s+(?:up|down)|went\s+(?:up|down)|"
    r"(?:is|was|are|were)\s+(?:up|down))"
    r"(?:\s+(?:by|of|to))?(?:\s+(?:about|around|nearly|almost|roughly|some|over|under|only|just))?\s*$",
    re.I)


def _after_change_word(text: str, start: int) -> bool:
    """Does the amount at ``start`` follow a word of change ("fell by", "a drop of")?"""
    return bool(_CHANGE_BEFORE.search(text[max(0, start - 60):start]))


def _subject_swap(view: ClaimView, units: Sequence[Unit], q_stems: set[str]
                  ) -> tuple[str, str, Unit] | None:
    """("Abraham Lincoln", "Thomas Jefferson", sentence) when a sentence holding every other
    word of the claim names one other person or thing instead of the claim's name."""
    name_words = {w for n in view.names for w in n.words}
    for u in units:
        stems = u.stems | q_stems
        absent = [n for n in view.names
                  if not any(w in stems for w in n.words if w not in GENERIC_NAME_WORDS)]
        if len(absent) != 1:
            continue
        rest = [s for s, _, _ in view.words if s not in absent[0].words]
        if len(rest) < 2 or not all(s in stems for s in rest):
            continue
        others = [m for m in u.names
                  if not set(m.words) & name_words and not set(m.words) <= q_stems
                  and any(w not in GENERIC_NAME_WORDS for w in m.words)]
        if len(others) == 1:
            return absent[0].text, others[0].text, u
    return None


def _slot_clash(view: ClaimView, unit: Unit) -> tuple[str, str, str, int] | None:
    """(claim's words, evidence's words, correction, where in the claim) when the aligned
    slot of one of the claim's values or names in ``unit`` holds a different value or name."""
    for v in view.values:
        slot = slot_of(view.text, v.start, v.end, unit, tight=True)
        if slot is None:
            slot = _same_slot(view.text, v, unit)  # the same digits: a sign may still differ
        if slot is None:
            continue
        inside = [ev for ev in unit.values if ev.start < slot[1] and ev.end > slot[0] and ev.same_kind(v)
                  and (v.unit is None or ev.unit is None or ev.unit[0] == v.unit[0])]
        if inside and not any(value_matches(v, ev) or value_matches(ev, v) for ev in inside):
            return v.surface, inside[0].surface, _format_like(v, inside[0]), v.start
    starts = {a for a, _ in sentences(view.text)}
    for n in view.names:
        if n.start in starts and len(tokens(n.text)) == 1:
            continue  # "Items include ...": a capital that only starts the sentence
        rival = rival_name(n, view, unit, tight=True)
        if rival is not None and not set(name_key(n)) & {stem(t.text) for t in tokens(rival)}:
            return n.text, rival, rival, n.start
    return None


def _format_like(wrong: Value, right: Value) -> str:
    """The evidence's value written the way the claim wrote its own ("1946" → "1945")."""
    if wrong.kind == "year" and right.kind == "date":
        return str(right.value[0])
    if wrong.kind == "number" and right.kind == "number" and right.unit and wrong.unit is None:
        n = right.value[0]
        return f"{int(n):,}" if n == int(n) and "," in wrong.surface else (str(int(n)) if n == int(n) else str(n))
    return right.surface

