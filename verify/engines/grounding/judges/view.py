"""The view: one immutable reading of a claim, its question and its evidence.

Every check reads the same view, and every fact two checks share is a cached property here,
computed once on first use and never changed afterwards: which sentence the claim aligns
with, which claim value or name the evidence does not state, which sentence (or sentence and
continuation) states most of the claim, which words it lacks. So no check depends on
another having run first; a check that builds on another's outcome says so by its stage in
the registry (:mod:`.checks`).

The claim's own reading (its words, values and names, :class:`ClaimView`) and its relation
to the question (:class:`QuestionView`) come first; the evidence's side follows.
"""
from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field, fields
from functools import cached_property
from types import MappingProxyType
from typing import Any, Callable, Mapping, Sequence

from verify.prose.decompose import choice_options
from verify.prose.nlp import (DEMONYMS, NAME_JOINERS, STOPWORDS, Name, Token, Value, fills_relation,
                              has_negation, names, relation_holds, relations, sentences, stem, tokens,
                              value_matches, values)
from .base import Judgement, Passage
from .evidence import (CONTINUES, Unit, cite_unit, continuations, joined, known, name_key, only_listed,
                       recased)
from .lexicon import (CHOICE_MARGIN, CHOICE_SINGLE_MIN, CONFLICT_MIN_ALIGNMENT, FUZZY_MIN_STEM, FUZZY_PREFIX,
                      GENERIC_NAME_WORDS, LIGHT_WORDS, LOCAL_CONTEXT_WORDS, NAME_GAP_TOKENS,
                      QUESTION_DERIVED_MIN, SLOT_GAP_WORDS, SLOT_SLACK, SUBJECT_LEAD_IN, SUPPORT_COVERAGE,
                      TEMPORAL_EARLY, TEMPORAL_LATE, VALUE_CONTEXT_MIN, VALUE_KIND_BONUS, WEIGHT_LIGHT,
                      WEIGHT_NAME, WEIGHT_VALUE, WEIGHT_WORD)


# --------------------------------------------------------------------------- the claim and its question

@dataclass(frozen=True)
class ClaimView:
    """What the claim asserts: its words (for an answer put into the question's slot, only
    the answer's), values and names, and whether it negates what it says."""

    text: str
    words: tuple[tuple[str, float, bool], ...]  # (stem, weight, is_name_word) the claim asserts
    values: tuple[Value, ...]
    names: tuple[Name, ...]
    negated: bool
    value_stems: frozenset[str]  # words that spell a value ("twelve")
    capitalised: frozenset[str]  # words written with a capital


@dataclass(frozen=True)
class QuestionView:
    """How a claim relates to the question it answers.

    A claim that restates the question with the answer in the wh-slot ("the head office is
    in Delhi" for "... head office in what city?") is ``derived``: only the answer's words
    are its own, the rest is the question's premise. A claim in its own words (a sentence
    answer) asserts every word it says.
    """

    derived: bool
    answer: tuple[int, int] | None = None   # claim characters that fill the slot
    left: frozenset[str] = frozenset()      # content stems just before the slot
    right: frozenset[str] = frozenset()     # content stems just after the slot
    head: str | None = None                 # "state" in "Which state ...?"
    asks: str | None = None                 # the wh-word: "who", "when", "how many", ...
    stems: frozenset[str] = frozenset()     # every stem of the question


_WH_WORD = re.compile(r"\b(what|which|who|whom|whose|where|when|how\s+(?:many|much|old|long|tall|far|big|large))\b", re.I)
_STRANDED = frozenset("from in on at by for with to of about into".split())
_COPULA_DO = frozenset("is are was were do does did".split())
_AUX_WORDS = frozenset("is are was were be been do does did has have had can could will would "
                       "shall should may might must".split())


def _question_view(claim: str, question: str) -> QuestionView:
    ct, qt = tokens(claim), tokens(question)
    a = [stem(t.text) for t in ct]
    b = [stem(t.text) for t in qt]
    q_content = [i for i, t in enumerate(qt) if t.lower not in STOPWORDS]
    matched_c: set[int] = set()
    matched_q: set[int] = set()
    for blk in difflib.SequenceMatcher(None, a, b, autojunk=False).get_matching_blocks():
        matched_c.update(range(blk.a, blk.a + blk.size))
        matched_q.update(range(blk.b, blk.b + blk.size))
    share = sum(i in matched_q for i in q_content) / len(q_content) if q_content else 0.0
    qstems = frozenset(b)
    q_names = {w for n in names(question) for w in n.words}
    if share < QUESTION_DERIVED_MIN or all(b[i] in q_names for i in q_content):
        # a question that only names its topic ("Who was Abraham Lincoln?") has no slot:
        # the answer asserts everything it says about it
        return QuestionView(False, stems=qstems)
    slot = [i for i, t in enumerate(ct) if i not in matched_c and t.lower not in STOPWORDS]
    if not slot:
        return QuestionView(True, stems=qstems)
    answer = (ct[slot[0]].start, ct[slot[-1]].end)
    wh = list(_WH_WORD.finditer(question))
    if not wh:
        return QuestionView(True, answer, stems=qstems)
    m = wh[0] if not question[:wh[0].start()].strip() else wh[-1]
    qi = next((i for i, t in enumerate(qt) if t.start >= m.end()), len(qt))
    phrase: list[Token] = []
    for t in qt[qi:qi + 4]:
        if t.lower in _AUX_WORDS or t.lower in STOPWORDS or not t.text.isalpha():
            break
        phrase.append(t)
    head = None
    if m.group(1).lower() in ("what", "which"):
        head = next((stem(t.text) for t in reversed(phrase) if t.text.islower()), None)
    left: set[str] = set()
    k = qi - 2  # the word before the wh-word, over gap words only ("directed by who")
    while k >= 0 and qt[k].lower in SLOT_GAP_WORDS and not punct(question, qt[k].end, qt[k + 1].start):
        k -= 1
    if k >= 0 and qt[k].lower not in STOPWORDS and not punct(question, qt[k].end, qt[k + 1].start):
        left.add(b[k])
    right: set[str] = set()
    k = qi + len(phrase)  # the word after the wh-phrase ("what retailer is the second-largest")
    while k < len(qt) and qt[k].lower in SLOT_GAP_WORDS:
        k += 1
    if k < len(qt) and qt[k].lower not in STOPWORDS and not punct(question, qt[k - 1].end, qt[k].start):
        right.add(b[k])
    aux = qt[qi + len(phrase)].lower if qi + len(phrase) < len(qt) else ""
    if aux in _COPULA_DO and qt[-1].lower in _STRANDED and not question[qt[-1].end:].strip(" ?"):
        # "Which city is the band from?": the slot is after the stranded preposition, and the
        # word after the wh-phrase is the subject ("band"), not the slot's neighbour
        right = set()
        if qt[-2].lower not in STOPWORDS and not punct(question, qt[-2].end, qt[-1].start):
            left = {b[-2]}
    asks = " ".join(m.group(1).lower().split())
    return QuestionView(True, answer, frozenset(left), frozenset(right), head, asks=asks, stems=qstems)


def punct(text: str, start: int, end: int) -> bool:
    return bool(re.search(r"[,;:.!?()]", text[start:end]))


def _claim_view(claim: str, question: str | None, qv: QuestionView | None) -> ClaimView:
    """The words, values and names the claim asserts (for a derived claim: its answer's; a
    value the question states is the question's own)."""
    if qv is not None and qv.derived:
        lo, hi = qv.answer or (0, 0)
        inside = lambda s, e: lo <= s and e <= hi  # noqa: E731
    else:
        inside = lambda s, e: True  # noqa: E731
    ns = [n for n in names(claim) if inside(n.start, n.end)]
    name_words = {w for n in ns for w in n.words}
    vals = [v for v in values(claim) if inside(v.start, v.end)]
    val_spans = [(v.start, v.end) for v in vals]
    if question:  # a value the question itself states is its premise, repeated, not asserted
        asked = values(question)
        vals = [v for v in vals if not any(value_matches(v, q) for q in asked)]
    words: list[tuple[str, float, bool]] = []
    seen: set[str] = set()
    for t in tokens(claim):
        w = stem(t.text)
        if t.lower in STOPWORDS or w in seen or not inside(t.start, t.end):
            continue
        seen.add(w)
        # a joiner inside a name ("Der" in "Der Mond") is part of the name, not a predicate word
        is_name = w in name_words or (t.lower in NAME_JOINERS and not t.text.isupper()
                                      and any(n.start <= t.start < n.end for n in ns))
        if any(s <= t.start < e for s, e in val_spans):
            weight = WEIGHT_VALUE
        elif is_name:
            weight = WEIGHT_NAME
        elif w in LIGHT_WORDS:
            weight = WEIGHT_LIGHT
        else:
            weight = WEIGHT_WORD
        words.append((w, weight, is_name))
    q_neg = has_negation(question) if question else False
    value_stems = {stem(t.text) for t in tokens(claim) if any(s <= t.start < e for s, e in val_spans)}
    caps = {stem(t.text) for t in tokens(claim) if t.text[:1].isupper()}
    return ClaimView(claim, tuple(words), tuple(vals), tuple(ns), has_negation(claim) and not q_neg,
                     frozenset(value_stems), frozenset(caps))


# --------------------------------------------------------------------------- claim against evidence

def _align(view: ClaimView, units: Sequence[Unit]) -> tuple[Unit | None, float]:
    """The evidence sentence sharing the most (weighted) claim words, and that share."""
    total = sum(w for _, w, _ in view.words)
    if not total:
        return (units[0], 0.0) if units else (None, 0.0)
    best, best_score = None, -1.0
    for u in units:
        score = sum(w for s, w, _ in view.words if s in u.stems)
        # between equally worded sentences, prefer one that states a value of the kind the
        # claim states (the sentence under a heading, not the heading)
        bonus = VALUE_KIND_BONUS if any(ev.same_kind(v) for v in view.values for ev in u.values) else 0.0
        if score + bonus > best_score:
            best, best_score = u, score + bonus
    return best, min(1.0, max(0.0, best_score) / total)


def _windows(view: ClaimView, units: Sequence[Unit], extra: frozenset[str]) -> list[tuple[float, list[Unit]]]:
    """(weighted share of claim words held, window) for every sentence, and for a sentence
    and the next one when that one continues it ("... in 1809. He wrote ..."), in document
    order."""
    total = sum(w for _, w, _ in view.words) or 1.0
    subject = next((n for n in view.names if name_key(n) and not view.text[:n.start].strip()), None)
    out: list[tuple[float, list[Unit]]] = []
    for i, u in enumerate(units):
        groups = [[u]]
        if i + 1 < len(units) and units[i + 1].passage is u.passage and CONTINUES.match(units[i + 1].text) \
                and not (subject is not None and only_listed(subject, u)):
            groups.append([u, units[i + 1]])
        for g in groups:
            stems = set().union(*(x.stems for x in g)) | extra
            plain = stems - set().union(*(x.titles for x in g))
            pre = {w[:FUZZY_PREFIX] for w in plain if len(w) >= FUZZY_MIN_STEM}
            cov = sum(w for s, w, n in view.words
                      if known(s, stems if n or s in view.capitalised else plain, pre, n)) / total
            out.append((cov, g))
    return out


def _name_aliases(view: ClaimView, units: Sequence[Unit]) -> set[str]:
    """Short forms of given names the evidence spells out ("Pam" for "Pamela Veasey"): a
    claim name word that starts an evidence name word, when the rest of the name matches."""
    out: set[str] = set()
    for n in view.names:
        key = name_key(n)
        if len(key) < 2:
            continue
        for w in key:
            if len(w) < 3 or any(w in u.stems for u in units):
                continue
            rest = set(key) - {w}
            if any(rest <= set(m.words) and any(x.startswith(w) and x != w for x in m.words)
                   for u in units for m in u.names):
                out.add(w)
    return out


def _name_stated(key: Sequence[str], units: Sequence[Unit], aliases: frozenset[str]) -> bool:
    """Does the evidence name this (a several-word name as one name, not its words
    scattered: "Rainbow Estate" is not "Rainbow Terrace ... Lullwater Estate")?"""
    need = set(key) - aliases
    if not need:
        return True
    if len(key) == 1:
        return any(key[0] in u.stems for u in units)
    for u in units:
        if not need <= u.stems:
            continue
        if any(need <= set(m.words) for m in u.names):
            return True
        pos = [i for i, w in enumerate(u.seq) if w in need]
        for i in pos:
            if need <= set(u.seq[i:i + len(key) + NAME_GAP_TOKENS]):
                return True
    return False


def lead_in(window: Sequence[Unit], units: Sequence[Unit]) -> set[str]:
    """Stems of ``window`` and of the SUBJECT_LEAD_IN sentences before it in its passage:
    where a description ("the country", "the teen") may have been named."""
    first = window[0]
    i = next(k for k, u in enumerate(units) if u is first)
    lead = [u for u in units[max(0, i - SUBJECT_LEAD_IN):i] if u.passage is first.passage]
    return set().union(*(u.stems for u in list(window) + lead))


def _has_context(view: ClaimView, item: Value) -> bool:
    own = {stem(t.text) for t in tokens(item.surface)}
    return any(s not in own for s, _, _ in view.words)


def _best_context(view: ClaimView, windows: Sequence[Unit], item: Value | Name) -> tuple[Unit | None, float]:
    """The sentence (or continued pair) most about the claim apart from ``item`` itself."""
    best, score = None, -1.0
    near = _local_context(view, item, premise=True)
    for w in windows:
        if isinstance(item, Value) and not any(ev.same_kind(item) for ev in w.values):
            continue  # only a sentence stating a value of this kind can state a different one
        a = _context_alignment(near, w)
        if a > score + 1e-9:
            best, score = w, a
    return best, max(score, 0.0)


def _context_alignment(near: Sequence[tuple[str, float]], unit: Unit) -> float:
    """Weighted share of the claim's words around a value or name (``near``, see
    :func:`_local_context`) found in ``unit``: a value or name is only "wrong" in a sentence
    that is about the same thing, and only its own clause says what that is."""
    total = sum(w for _, w in near)
    if not total:
        return 0.0
    return sum(w for s, w in near if s in unit.stems) / total


def _local_context(view: ClaimView, item: Value | Name, premise: bool = False) -> list[tuple[str, float]]:
    """The claim's words up to LOCAL_CONTEXT_WORDS each side of ``item`` (not its own).

    With ``premise``, an answer put into the question's slot also counts the question's
    words around it: it asserts only the answer, but they still say what a value is about
    ("World War II ended in 1946"), which is what finding the evidence's rival value needs.
    """
    own = {stem(t.text) for t in tokens(item.surface if isinstance(item, Value) else item.text)}
    weight = {s: w for s, w, _ in view.words if s not in own}
    if premise:
        for t in tokens(view.text):
            w = stem(t.text)
            if t.lower not in STOPWORDS and w not in own:
                weight.setdefault(w, WEIGHT_WORD)
    toks = [t for t in tokens(view.text) if stem(t.text) in weight]
    before = [stem(t.text) for t in toks if t.end <= item.start][-LOCAL_CONTEXT_WORDS:]
    after = [stem(t.text) for t in toks if t.start >= item.end][:LOCAL_CONTEXT_WORDS]
    near = dict.fromkeys(before + after)
    return [(s, weight[s]) for s in near]


def _aligned_region(view: ClaimView, unit: Unit) -> tuple[int, int]:
    """Where in the evidence sentence its claim words are (first to last, plus a margin)."""
    claim_stems = {s for s, _, _ in view.words}
    toks = tokens(unit.text)
    # a capitalised negation right after a lower-case word starts a run-in caption or title
    # ("... forced her back into therapy Not a bad egg: ..."): the region stays on one side
    cuts = [0] + [i for i in range(1, len(toks)) if _run_in_negation(unit.text, toks, i)] + [len(toks)]
    best: list[int] = []
    for a, b in zip(cuts, cuts[1:]):
        hits = [i for i in range(a, b) if stem(toks[i].text) in claim_stems]
        if len(hits) > len(best):
            best, seg = hits, (a, b)
    if not best:
        return 0, len(unit.text)
    lo = max(seg[0], best[0] - 3)
    hi = min(seg[1] - 1, best[-1] + 3)
    return toks[lo].start, toks[hi].end


def _run_in_negation(text: str, toks: Sequence[Token], i: int) -> bool:
    t, prev = toks[i], toks[i - 1]
    return (t.text[:1].isupper() and t.text[1:].islower() and has_negation(t.text)
            and prev.text.isalpha() and prev.text.islower() and prev.lower not in STOPWORDS
            and not text[prev.end:t.start].strip())


def slot_of(claim: str, start: int, end: int, unit: Unit, tight: bool = False) -> tuple[int, int] | None:
    """The character range of ``unit.text`` aligned with claim[start:end] (difflib); with
    ``tight``, only a like-for-like substitution counts (not a stretch of other words)."""
    ct, ut = tokens(claim), tokens(unit.text)
    a = [stem(t.text) for t in ct]
    b = [stem(t.text) for t in ut]
    ci = [i for i, t in enumerate(ct) if t.start < end and t.end > start]
    if not ci:
        return None
    i1, i2 = ci[0], ci[-1] + 1
    hit: tuple[int, int] | None = None
    for tag, a1, a2, b1, b2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if tag == "replace" and a1 < i2 and i1 < a2 and not (tight and b2 - b1 > a2 - a1 + SLOT_SLACK):
            lo, hi = ut[b1].start, ut[b2 - 1].end
            hit = (lo, hi) if hit is None else (min(hit[0], lo), max(hit[1], hi))
    return hit


def _rival_value(v: Value, view: ClaimView, focus: Unit) -> Value | None:
    """The evidence's value standing where the claim's wrong value stands."""
    same = [ev for ev in focus.values if ev.same_kind(v)
            and (v.unit is None or ev.unit is None or ev.unit[0] == v.unit[0])]
    if not same:
        return None
    slot = slot_of(view.text, v.start, v.end, focus)
    if slot:
        inside = [ev for ev in same if ev.start < slot[1] and ev.end > slot[0]]
        if inside:
            return inside[0]
    if len(same) == 1:
        return same[0]
    return None


def rival_name(n: Name, view: ClaimView, focus: Unit, tight: bool = False) -> str | None:
    claim_stems = {s for s, _, _ in view.words} | {w for m in view.names for w in m.words}
    starts = {a for a, _ in sentences(focus.text)} if tight else set()
    others = [m for m in focus.names if not set(w for w in m.words if w not in GENERIC_NAME_WORDS) <= claim_stems
              and m.text.lower() not in DEMONYMS and not (m.start in starts and len(tokens(m.text)) == 1)]
    if not others:
        return None
    slot = slot_of(view.text, n.start, n.end, focus, tight)
    if slot:
        inside = [m for m in others if m.start < slot[1] and m.end > slot[0]]
        if inside:
            return inside[0].text
    return None


def ties(rels: Sequence[Any], window: Sequence[Unit]) -> bool:
    """Does the window tie every possessive relation of the claim to the same owner?"""
    text = joined(window).text
    return all(relation_holds(r, text) for r in rels)


def _option_units(option: str, units: Sequence[Unit]) -> list[Unit]:
    key = [w for w in (stem(t.text) for t in tokens(option)) if w not in STOPWORDS and w not in GENERIC_NAME_WORDS]
    if not key:
        return []
    need = max(1, len(key) - 1) if len(key) > 2 else len(key)
    return [u for u in units if sum(w in u.stems for w in key) >= need]


def _mentions(text: str, option: str) -> bool:
    key = [stem(t.text) for t in tokens(option) if t.lower not in STOPWORDS and stem(t.text) not in GENERIC_NAME_WORDS]
    have = {stem(t.text) for t in tokens(text)}
    if key and sum(w in have for w in key) >= max(1, len(key) - 1 if len(key) > 2 else len(key)):
        return True
    # a capitalised word before the option may have been read into it ("Massachusetts Boston
    # College"): the option's own last words (two or more) are enough
    toks = tokens(option)
    rest = [stem(t.text) for t in toks[1:] if t.lower not in STOPWORDS]
    return len(toks) >= 3 and len(rest) >= 2 and all(w in have for w in rest)


@dataclass(frozen=True)
class ChoiceReading:
    """An either-or question ("Which came first, A or B?") read against the evidence: the
    options the answer names and, when it names exactly one, the option the evidence picks
    (the earliest or latest date for a temporal question, else the option whose sentences
    carry the question's predicate)."""

    options: tuple[str, ...]
    chosen: tuple[str, ...]
    winner: str | None = None                          # None: the evidence does not settle it
    passages: tuple[Passage, ...] = ()                 # the sentences that picked the winner
    detail: Mapping[str, Any] = field(default_factory=dict)  # how: choice_dates or choice_support


def _read_choice(view: ClaimView, question: str, units: Sequence[Unit],
                 answer: tuple[int, int] | None) -> ChoiceReading | None:
    parsed = choice_options(question)
    if not parsed:
        return None
    head, options = parsed
    said = view.text[answer[0]:answer[1]] if answer else view.text
    chosen = tuple(o for o in options if _mentions(said, o))
    undecided = ChoiceReading(tuple(options), chosen)
    if len(chosen) != 1:
        return undecided
    per_option = {o: _option_units(o, units) for o in options}
    if not any(per_option.values()):
        return undecided
    winner = None
    detail: dict[str, Any] = {}
    early, late = TEMPORAL_EARLY.search(head), TEMPORAL_LATE.search(head)
    if early or late:
        dates = {}
        for o, us in per_option.items():
            ds = [v for u in us for v in u.values if v.kind in ("year", "date") and v.value[0]]
            if ds:
                y = ds[0]
                dates[o] = (int(y.value[0]), *(y.value[1:] if y.kind == "date" else (0, 0)))
        if len(dates) == 2 and len(set(dates.values())) == 2:
            pick = min if early else max
            winner = pick(dates, key=lambda o: dates[o])
            detail["choice_dates"] = {o: list(d) for o, d in dates.items()}
    if winner is None:
        opt_stems = {stem(t.text) for o in options for t in tokens(o)}
        pred = [stem(t.text) for t in tokens(head) if t.lower not in STOPWORDS
                and stem(t.text) not in opt_stems and t.lower not in ("which", "who", "what")]
        pred = [p for p in dict.fromkeys(pred) if p not in GENERIC_NAME_WORDS or len(pred) <= 2]
        if not pred:
            return undecided
        share = {o: max((sum(p in u.stems for p in pred) / len(pred) for u in us), default=0.0)
                 for o, us in per_option.items()}
        if not all(per_option.values()) and max(share.values()) < CHOICE_SINGLE_MIN:
            return undecided  # only one option is described, and not with the question's words
        ranked = sorted(options, key=lambda o: share[o], reverse=True)
        if share[ranked[0]] - share[ranked[1]] >= CHOICE_MARGIN:
            winner = ranked[0]
        detail["choice_support"] = {o: round(s, 3) for o, s in share.items()}
    if winner is None:
        return undecided
    cite_units = (per_option[winner][:1] + per_option[chosen[0]][:1]) or list(units[:1])
    cites = tuple(Passage(u.text, u.passage.source, u.passage.citation, u.passage.score) for u in cite_units)
    return ChoiceReading(tuple(options), chosen, winner, cites, MappingProxyType(detail))


# --------------------------------------------------------------------------- the view

@dataclass(frozen=True)
class View(ClaimView):
    """The claim's reading (its :class:`ClaimView` fields), its question and its evidence
    sentences, with every fact the checks share as a cached property (see the module
    docstring). ``judge_part`` is the judge that built the view, for the parts of an answer
    judged on their own (the conjuncts of a yes/no answer)."""

    question: str | None
    qv: QuestionView | None
    units: tuple[Unit, ...]
    judge_part: Callable[[str, Sequence[Passage]], Judgement]

    @classmethod
    def read(cls, claim: str, passages: Sequence[Passage], question: str | None, units: Sequence[Unit],
             judge_part: Callable[[str, Sequence[Passage]], Judgement]) -> View:
        """The view of ``claim`` against ``units`` (the sentences of ``passages``); a claim
        written all in lower case is recased from the evidence's spelling."""
        claim = recased(claim, passages)
        qv = _question_view(claim, question) if question else None
        cv = _claim_view(claim, question, qv)
        return cls(**{f.name: getattr(cv, f.name) for f in fields(ClaimView)},
                   question=question, qv=qv, units=tuple(units), judge_part=judge_part)

    # ---- the claim against all the evidence

    @cached_property
    def aliases(self) -> frozenset[str]:
        """Short forms of given names the evidence spells out ("Pam" for "Pamela Veasey")."""
        return frozenset(_name_aliases(self, self.units))

    @cached_property
    def all_stems(self) -> frozenset[str]:
        """Every word stem of the evidence, and the claim's name aliases."""
        return frozenset(set().union(*(u.stems for u in self.units)) | self.aliases)

    @cached_property
    def prefixes(self) -> frozenset[str]:
        """Prefixes of the evidence's long words, for matching "America" with "American"."""
        return frozenset(w[:FUZZY_PREFIX] for w in self.all_stems if len(w) >= FUZZY_MIN_STEM)

    @cached_property
    def q_stems(self) -> frozenset[str]:
        """The question's stems when the claim restates it (its premise), else none."""
        return self.qv.stems if self.qv is not None and self.qv.derived else frozenset()

    @cached_property
    def coverage(self) -> float:
        """Weighted share of the claim's words found anywhere in the evidence."""
        total = sum(w for _, w, _ in self.words) or 1.0
        return sum(w for s, w, n in self.words if known(s, self.all_stems, self.prefixes, n)) / total

    @cached_property
    def _alignment(self) -> tuple[Unit | None, float]:
        return _align(self, self.units)

    @property
    def focus(self) -> Unit | None:
        """The evidence sentence sharing the most (weighted) claim words."""
        return self._alignment[0]

    @property
    def align(self) -> float:
        """The share of the claim's words the focus sentence holds."""
        return self._alignment[1]

    @cached_property
    def cite(self) -> tuple[Passage, ...]:
        """The focus sentence as the passage a verdict cites."""
        return cite_unit(self.focus) if self.focus is not None else ()

    @cached_property
    def detail(self) -> Mapping[str, Any]:
        """What every verdict reports: coverage and alignment."""
        return MappingProxyType({"coverage": round(self.coverage, 3), "alignment": round(self.align, 3)})

    @cached_property
    def windows(self) -> tuple[Unit, ...]:
        """Every sentence, then every sentence joined with the next that continues it."""
        return self.units + tuple(continuations(self.units))

    @cached_property
    def aligned_region(self) -> tuple[int, int] | None:
        """Where in the focus sentence the claim's words are (first to last, plus a margin)."""
        return _aligned_region(self, self.focus) if self.focus is not None else None

    @cached_property
    def choice(self) -> ChoiceReading | None:
        """The reading of an either-or question (None for any other claim)."""
        if not self.question:
            return None
        derived = self.qv is not None and self.qv.derived
        return _read_choice(self, self.question, self.windows, self.qv.answer if derived else None)

    @cached_property
    def unstated_value(self) -> tuple[Value, Unit | None, Value | None] | None:
        """The first claim value no sentence about the same thing states; with the sentence
        most about it and the value that sentence puts in its place (None when none)."""
        for v in self.values:
            stating = [w for w in self.windows if any(value_matches(v, ev) for ev in w.values)]
            near = _local_context(self, v)
            if any(_context_alignment(near, w) >= VALUE_CONTEXT_MIN for w in stating) or (
                    stating and not _has_context(self, v)):
                continue
            where, ctx_align = _best_context(self, self.windows, v)
            rival = _rival_value(v, self, where) if where and ctx_align >= CONFLICT_MIN_ALIGNMENT else None
            return v, where, rival
        return None

    @cached_property
    def unstated_name(self) -> tuple[Name, Unit | None, str | None] | None:
        """The first claim name the evidence does not state as one name; with the sentence
        most about it and the name that sentence puts in its place (None when none)."""
        for n in self.names:
            key = [w for w in n.words if w not in GENERIC_NAME_WORDS and w not in STOPWORDS]
            if not key or _name_stated(key, self.units, self.aliases):
                continue
            where, ctx_align = _best_context(self, self.windows, n)
            rival = rival_name(n, self, where) if where and ctx_align >= CONFLICT_MIN_ALIGNMENT else None
            return n, where, rival
        return None

    # ---- the window that states the claim (lexical support)

    @cached_property
    def found(self) -> frozenset[str]:
        """Claim words counted as found whatever the sentence: those spelling its values
        (each is checked as a value) and its name aliases."""
        return self.value_stems | self.aliases

    @cached_property
    def scored(self) -> tuple[tuple[float, tuple[Unit, ...]], ...]:
        """(weighted share of the claim's words held, window) for every sentence and every
        sentence with its continuation, in document order."""
        return tuple((c, tuple(g)) for c, g in _windows(self, self.units, self.found))

    @cached_property
    def _claim_relations(self) -> tuple[Any, ...]:
        return tuple(relations(self.text))

    @cached_property
    def asserted_relations(self) -> tuple[Any, ...]:
        """The possessive relations the claim asserts: for an answer put into the question's
        slot, only those it takes part in (the rest are the question's premise)."""
        qv = self.qv
        return tuple(r for r in self._claim_relations if qv is None or not qv.derived or qv.answer is None
                     or (r.start < qv.answer[1] and qv.answer[0] < r.end))

    @cached_property
    def filled_relations(self) -> tuple[Any, ...]:
        """The relations whose value the answer is ("Who was Tom Reed's father?")."""
        qv = self.qv
        return tuple(r for r in self._claim_relations if qv is not None and qv.derived and qv.answer is not None
                     and fills_relation(r, self.text, *qv.answer))

    @cached_property
    def _support(self) -> tuple[float, tuple[Unit, ...], bool]:
        scored = self.scored
        cov, window = max(scored, key=lambda x: x[0]) if scored else (0.0, ())
        rels = self.asserted_relations
        if rels and window and not ties(rels, window):
            # "Tom Reed's father" must be Tom Reed's father in the evidence, not John Reed's
            tied = [(c, g) for c, g in scored if c >= SUPPORT_COVERAGE and ties(rels, g)]
            if not tied:
                return cov, window, True
            cov, window = max(tied, key=lambda x: x[0])
        return cov, window, False

    @property
    def support_window(self) -> tuple[Unit, ...]:
        """The best-covered window, among those tying the claim's relations to the same
        owner when any window covering the claim does (empty without evidence sentences)."""
        return self._support[1]

    @property
    def support_coverage(self) -> float:
        """The weighted share of the claim's words that the support window holds."""
        return self._support[0]

    @property
    def relations_untied(self) -> bool:
        """Does no covering window tie the claim's relations to their owner?"""
        return self._support[2]

    @cached_property
    def support_cites(self) -> tuple[Passage, ...]:
        """The support window's sentences as the passages a verdict cites."""
        return tuple(Passage(u.text, u.passage.source, u.passage.citation, u.passage.score)
                     for u in self.support_window)

    @cached_property
    def missing(self) -> tuple[str, ...]:
        """The claim's words the support window lacks (a capitalised word or a name must not
        be met only inside a quoted title)."""
        window, found = self.support_window, self.found
        wstems = set().union(*(u.stems for u in window)) | found if window else found
        wplain = wstems - set().union(*(u.titles for u in window)) if window else wstems
        wpre = {w[:FUZZY_PREFIX] for w in wplain if len(w) >= FUZZY_MIN_STEM}
        return tuple(s for s, _, n in self.words
                     if not known(s, wstems if n or s in self.capitalised else wplain, wpre, n))

    @cached_property
    def support_detail(self) -> Mapping[str, Any]:
        """What a verdict from lexical support reports: :attr:`detail`, the support window's
        coverage and the words it lacks."""
        return MappingProxyType(dict(self.detail, window_coverage=round(self.support_coverage, 3),
                                     unmatched_words=self.missing))
