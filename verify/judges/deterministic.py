"""Deterministic cross-checks between a claim and its evidence.

What a careful fact-checker does first, without any model: find the evidence sentence the
claim talks about (lexical alignment), then compare what can be compared exactly —
numbers, years, dates and units; names; negation; a short list of antonyms; and whether
the evidence itself marks the point as disputed. A value or name the evidence states
differently in the aligned sentence is a contradiction, and that value is the correction.
Passages are only ever read as data, so text inside them ("ignore previous instructions")
cannot change a verdict.

Every threshold is a named constant below; none is fitted per run.
"""
from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field
from typing import Any, Sequence

from ..claims.decompose import choice_options
from ..claims.nlp import (STOPWORDS, Name, Value, has_negation, names, sentences, stem, tokens,
                          value_matches, values)
from .base import Judgement, Passage, as_passages, not_found

#: IDF-free word weights: a value or a name word says more than a common word.
WEIGHT_VALUE = 3.0
WEIGHT_NAME = 2.0
WEIGHT_WORD = 1.0
#: Weighted share of the claim's words the evidence must contain for "supported".
SUPPORT_COVERAGE = 0.80
#: Below this weighted share the claim is unrelated to the evidence ("not found").
RELATED_COVERAGE = 0.50
#: Share of the claim's words the aligned sentence must hold before a negation or antonym
#: mismatch counts as a contradiction (otherwise the sentence is about something else).
CONFLICT_MIN_ALIGNMENT = 0.60
#: Same, before dispute markers in the aligned sentence make the claim "disputed".
DISPUTE_MIN_ALIGNMENT = 0.60
#: A value counts as stated only by a sentence holding this share of the claim's other
#: words (the same number elsewhere in a long text is about something else).
VALUE_CONTEXT_MIN = 0.50
#: Alignment tie-break for a sentence stating a value of the claim's kind (in weight units).
VALUE_KIND_BONUS = 0.5
#: A claim with at most this many predicate words (not names, not values) is supported
#: only when every one of them is in the supporting sentence ("wrote" must be there).
PREDICATE_ALL_MATCH_MAX = 3
#: Shortest word stem that may match by prefix ("America"/"American"); names never do.
FUZZY_MIN_STEM = 5
FUZZY_PREFIX = 6
#: Evidence is split into sentences; at most this many are aligned per claim.
MAX_UNITS = 5000
#: In an either-or question, the winning option must beat the other by this share of the
#: question's predicate words.
CHOICE_MARGIN = 0.15
#: When the evidence describes only one option, it wins only if its sentences hold this
#: share of the question's predicate words.
CHOICE_SINGLE_MIN = 0.5

#: Words that name a kind of thing rather than a particular one: "Pacific Ocean" is about
#: "Pacific", "Amazon River" about "Amazon".
GENERIC_NAME_WORDS = frozenset(stem(w) for w in """
river ocean sea lake mountain mountains mount island islands city town village county state
country province district region university college school institute academy company
corporation group band inc ltd co club team party church museum park street road avenue
airport station bridge tower war battle award awards prize magazine newspaper film series
show album song league cup championship festival empire kingdom republic dynasty family
north south east west northern southern eastern western central new great saint st mr mrs
dr president king queen prince princess sir lord lady general captain chapter section
""".split())

ANTONYMS: dict[str, str] = {}
for _a, _b in [("first", "last"), ("largest", "smallest"), ("longest", "shortest"),
               ("highest", "lowest"), ("greatest", "least"), ("biggest", "smallest"),
               ("most", "least"), ("more", "less"), ("more", "fewer"), ("increase", "decrease"),
               ("before", "after"), ("earlier", "later"), ("earliest", "latest"),
               ("older", "younger"), ("oldest", "youngest"), ("north", "south"),
               ("east", "west"), ("northern", "southern"), ("eastern", "western"),
               ("win", "lose"), ("won", "lost"), ("victory", "defeat"), ("above", "below"),
               ("maximum", "minimum"), ("rise", "fall"), ("gain", "loss"),
               ("positive", "negative"), ("odd", "even"), ("prime", "composite"),
               ("numerator", "denominator"), ("sum", "product"), ("add", "subtract"),
               ("multiply", "divide"), ("true", "false"), ("open", "close"),
               ("larger", "smaller"), ("greater", "less"), ("higher", "lower"),
               ("inside", "outside"), ("left", "right"), ("born", "died"), ("start", "end"),
               ("begin", "end"), ("always", "never"), ("all", "none"), ("legal", "illegal"),
               ("male", "female"), ("husband", "wife"), ("father", "mother"), ("son", "daughter")]:
    ANTONYMS.setdefault(stem(_a), stem(_b))
    ANTONYMS.setdefault(stem(_b), stem(_a))

DISPUTE_MARKERS = re.compile(
    r"\b(?:disputed?|dispute|debated?|contested|controvers(?:y|ial)|some (?:measurements|sources|"
    r"scholars|researchers|historians|studies|estimates)|others (?:argue|claim|say)|"
    r"traditionally (?:considered|regarded|held)|it is unclear|uncertain|disagree(?:ment)?|"
    r"depending on (?:how|the))\b", re.I)

_TEMPORAL_EARLY = re.compile(r"\b(first|earlier|earliest|older|oldest|before|sooner|previously)\b", re.I)
_TEMPORAL_LATE = re.compile(r"\b(younger|youngest|later|latest|newer|newest|more recent|most recent|last)\b", re.I)


# --------------------------------------------------------------------------- evidence units

@dataclass
class Unit:
    """One evidence sentence with everything the checks compare."""

    passage: Passage
    start: int
    end: int
    text: str
    stems: set[str] = field(default_factory=set)
    seq: list[str] = field(default_factory=list)
    _values: list[Value] | None = None
    _names: list[Name] | None = None

    @property
    def values(self) -> list[Value]:
        if self._values is None:
            self._values = values(self.text)
        return self._values

    @property
    def names(self) -> list[Name]:
        if self._names is None:
            self._names = names(self.text)
        return self._names


def split_units(passages: Sequence[Passage]) -> list[Unit]:
    out: list[Unit] = []
    for p in passages:
        for s, e in sentences(p.text):
            text = p.text[s:e]
            seq = [stem(t.text) for t in tokens(text)]
            out.append(Unit(p, s, e, text, set(seq), seq))
            if len(out) >= MAX_UNITS:
                return out
    return out


def _known(word: str, stems: set[str], prefixes: set[str], is_name: bool) -> bool:
    if word in stems:
        return True
    return (not is_name and len(word) >= FUZZY_MIN_STEM and word[:FUZZY_PREFIX] in prefixes)


# --------------------------------------------------------------------------- the judge

@dataclass
class ClaimView:
    text: str
    words: list[tuple[str, float, bool]]  # (stem, weight, is_name_word), question words removed
    values: list[Value]
    names: list[Name]
    negated: bool
    value_stems: set[str] = field(default_factory=set)  # words that spell a value ("twelve")


def _claim_view(claim: str, question: str | None) -> ClaimView:
    q_stems = {stem(t.text) for t in tokens(question)} if question else set()
    q_values = values(question) if question else []
    ns = [n for n in names(claim) if not set(n.words) <= q_stems]
    name_words = {w for n in ns for w in n.words}
    vals = [v for v in values(claim) if not any(value_matches(v, qv) and value_matches(qv, v) for qv in q_values)]
    val_spans = [(v.start, v.end) for v in vals]
    words: list[tuple[str, float, bool]] = []
    seen: set[str] = set()
    for t in tokens(claim):
        w = stem(t.text)
        if t.lower in STOPWORDS or w in seen or w in q_stems:
            continue
        seen.add(w)
        if any(s <= t.start < e for s, e in val_spans):
            weight = WEIGHT_VALUE
        elif w in name_words:
            weight = WEIGHT_NAME
        else:
            weight = WEIGHT_WORD
        words.append((w, weight, w in name_words))
    q_neg = has_negation(question) if question else False
    value_stems = {stem(t.text) for t in tokens(claim) if any(s <= t.start < e for s, e in val_spans)}
    return ClaimView(claim, words, vals, ns, has_negation(claim) and not q_neg, value_stems)


class DeterministicJudge:
    """Cross-checks of values, names, negation and antonyms after lexical alignment."""

    name = "deterministic"

    def judge(self, claim: str, passages: Sequence[Passage | str], *,
              question: str | None = None) -> Judgement:
        return self.analyse(claim, as_passages(passages), question)

    def analyse(self, claim: str, passages: Sequence[Passage], question: str | None = None) -> Judgement:
        if not isinstance(claim, str) or not claim.strip():
            raise ValueError("the claim to judge is empty")
        units = split_units(passages)
        if not units:
            return not_found("no evidence was given or retrieved for this claim.", checks=["no_evidence"])
        view = _claim_view(claim, question)
        all_stems = set().union(*(u.stems for u in units))
        prefixes = {w[:FUZZY_PREFIX] for w in all_stems if len(w) >= FUZZY_MIN_STEM}
        q_stems: set[str] = set()
        if question:
            q_stems = {stem(t.text) for t in tokens(question)}
            all_stems |= q_stems
            prefixes |= {w[:FUZZY_PREFIX] for w in q_stems if len(w) >= FUZZY_MIN_STEM}

        total = sum(w for _, w, _ in view.words) or 1.0
        coverage = sum(w for s, w, n in view.words if _known(s, all_stems, prefixes, n)) / total
        focus, align = _align(view, units)
        windows = units + _continuations(units)
        checks: list[str] = []
        detail: dict[str, Any] = {"coverage": round(coverage, 3), "alignment": round(align, 3)}
        cite = (focus.passage.__class__(focus.text, focus.passage.source, focus.passage.citation,
                                        focus.passage.score),) if focus else ()
        if question:
            # either-or questions: is the chosen option the one the evidence picks?
            verdict = _choice_check(view, question, units, cite, detail)
            if verdict is not None:
                return verdict
            if _YES_NO_Q.match(question) and _is_yes_no_answer(claim, question):
                return self._yes_no(claim, question, units, detail)
        if not view.words and not view.values:
            # nothing beyond the question's own words: the answer adds no checkable content
            return not_found("the claim adds nothing to the question that evidence could check.",
                             checks=["empty_claim"], **detail)

        # 1. numbers, years, dates, units
        for v in view.values:
            stating = [w for w in windows if any(value_matches(v, ev) for ev in w.values)]
            if any(_context_alignment(view, w, v) >= VALUE_CONTEXT_MIN for w in stating) or (
                    stating and not _has_context(view, v)):
                continue
            where, ctx_align = _best_context(view, windows, v)
            rival = _rival_value(v, view, where) if where and ctx_align >= CONFLICT_MIN_ALIGNMENT else None
            if rival is not None:
                checks.append("value_mismatch")
                return Judgement("contradicted", 0.95, _cite(where),
                                 f"the evidence gives {rival.surface}, not {v.surface}.", checks,
                                 correction=_format_like(v, rival), wrong=v.surface, detail=detail)
            checks.append("value_unsupported")
            return not_found(f"the evidence does not state {v.surface}.", checks=checks,
                             passages=cite, score=coverage, **detail)

        # every value is stated by the evidence: the words spelling them count as found
        q_stems = q_stems | view.value_stems

        # 2. names
        for n in view.names:
            key = [w for w in n.words if w not in GENERIC_NAME_WORDS and w not in STOPWORDS]
            if not key or all(w in all_stems for w in key):
                continue
            where, ctx_align = _best_context(view, windows, n)
            rival_name = _rival_name(n, view, where) if where and ctx_align >= CONFLICT_MIN_ALIGNMENT else None
            if rival_name is not None:
                checks.append("name_mismatch")
                return Judgement("contradicted", 0.85, _cite(where),
                                 f"the evidence names {rival_name}, not {n.text}.", checks,
                                 correction=rival_name, wrong=n.text, detail=detail)
            checks.append("name_unsupported")
            return not_found(f"the evidence does not mention {n.text}.", checks=checks,
                             passages=cite, score=coverage, **detail)

        if focus is not None:
            region = _aligned_region(view, focus)
            # 4. dispute markers in the aligned sentence
            if align >= DISPUTE_MIN_ALIGNMENT and DISPUTE_MARKERS.search(focus.text):
                checks.append("disputed")
                return Judgement("disputed", 0.5, cite,
                                 "the evidence presents this point as disputed.", checks, detail=detail)
            # 5. negation
            if align >= CONFLICT_MIN_ALIGNMENT and view.negated != has_negation(region):
                checks.append("negation")
                said = "denies" if has_negation(region) else "asserts"
                return Judgement("contradicted", 0.8, cite,
                                 f"the evidence {said} what the claim "
                                 f"{'denies' if view.negated else 'asserts'}.", checks, detail=detail)
            # 6. antonyms
            if align >= CONFLICT_MIN_ALIGNMENT:
                region_stems = {stem(t.text) for t in tokens(region)}
                for s, _, _ in view.words:
                    anti = ANTONYMS.get(s)
                    if anti and anti in region_stems and s not in focus.stems:
                        checks.append("antonym")
                        word = next((t.text for t in tokens(region) if stem(t.text) == anti), anti)
                        return Judgement("contradicted", 0.75, cite,
                                         f"the evidence says {word!r} where the claim says "
                                         f"{next((t.text for t in tokens(claim) if stem(t.text) == s), s)!r}.",
                                         checks, detail=detail)

        # 7. lexical support, within one sentence (or a sentence and its continuation):
        # words scattered over unrelated sentences do not make a claim
        checks.append("coverage")
        window_cov, window = _window_coverage(view, units, prefixes, q_stems)
        detail["window_coverage"] = round(window_cov, 3)
        wstems = set().union(*(u.stems for u in window)) | q_stems if window else q_stems
        wpre = {w[:FUZZY_PREFIX] for w in wstems if len(w) >= FUZZY_MIN_STEM}
        missing = [s for s, _, n in view.words if not _known(s, wstems, wpre, n)]
        detail["unmatched_words"] = missing
        predicate = [s for s, w, n in view.words if not n and w == WEIGHT_WORD]
        loose = len(predicate) <= PREDICATE_ALL_MATCH_MAX and any(
            s in missing for s in predicate)
        if loose:
            checks.append("predicate_missing")
        if window and window_cov >= SUPPORT_COVERAGE and not loose:
            cites = tuple(Passage(u.text, u.passage.source, u.passage.citation, u.passage.score)
                          for u in window)
            return Judgement("supported", round(window_cov, 3), cites,
                             "the evidence states the claim's values, names and words.", checks,
                             detail=detail)
        swap = _subject_swap(view, units, q_stems)
        if swap is not None:
            wrong, right, where = swap
            checks.append("name_swap")
            cites = (Passage(where.text, where.passage.source, where.passage.citation, where.passage.score),)
            return Judgement("contradicted", 0.7, cites,
                             f"the evidence says this of {right}, not of {wrong}.", checks,
                             correction=right, wrong=wrong, detail=detail)
        why = ("the evidence is about something else." if coverage < RELATED_COVERAGE else
               f"no passage states it together: {', '.join(missing[:6])} "
               f"{'is' if len(missing) == 1 else 'are'} missing.")
        return not_found(why, checks=checks, passages=cite, score=round(window_cov, 3), **detail)


    def _yes_no(self, claim: str, question: str, units: Sequence[Unit], detail: dict[str, Any]) -> Judgement:
        """"yes"/"no" to "Are A and B both P?": judge "A is P" and "B is P" on their own
        (closed world over the given evidence: an entity whose own sentences lack P is not P)."""
        negated = claim.lower().startswith(NO_PREFIX)
        statement = claim[len(NO_PREFIX):].split(";")[0] if negated else claim.split(";")[0]
        conjuncts = _conjuncts(statement)
        verdicts = []
        for c in conjuncts:
            j = self.analyse(c, [Passage(u.text, u.passage.source, u.passage.citation) for u in units])
            if j.label == "not found" and YES_NO_CLOSED_WORLD and j.detail.get("window_coverage", 0) >= RELATED_COVERAGE:
                j = Judgement("contradicted", 0.6, j.passages or (Passage(units[0].text, units[0].passage.source,
                                                                           units[0].passage.citation),),
                              f"the evidence about it does not say {c}.", ("closed_world",))
            verdicts.append(j)
        holds = all(j.label == "supported" for j in verdicts)
        fails = any(j.label == "contradicted" for j in verdicts)
        cites = tuple(p for j in verdicts for p in j.passages)
        detail = dict(detail, conjuncts=[f"{c}: {j.label}" for c, j in zip(conjuncts, verdicts)])
        if holds or fails:
            right = holds != negated
            label = "supported" if right else "contradicted"
            return Judgement(label, 0.8, cites, f"the evidence {'supports' if holds else 'contradicts'} "
                             f"\"{statement.strip()}\", so the answer is {'right' if right else 'wrong'}.",
                             ("yes_no",), correction=None if right else ("yes" if holds else "no"),
                             detail=detail)
        return not_found("the evidence neither confirms nor rules out the statement.",
                         checks=["yes_no"], passages=cites, **detail)


# --------------------------------------------------------------------------- helpers

NO_PREFIX = "it is not true that "
#: For yes/no questions, an entity whose own sentences are found but lack the predicate
#: counts as not having it (the evidence is taken to describe each entity fully).
YES_NO_CLOSED_WORLD = True
_YES_NO_Q = re.compile(r"^\s*(is|are|was|were|do|does|did|has|have|had|can|could|will|would|should)\b", re.I)


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


_CONTINUES = re.compile(r"^(?:he|she|it|they|his|her|its|their|this|these|there|the\s+\w+\s+also)\b", re.I)


def _window_coverage(view: ClaimView, units: Sequence[Unit], prefixes: set[str],
                     q_stems: set[str]) -> tuple[float, list[Unit]]:
    """Best weighted share of claim words held by one sentence, or by a sentence and the
    next one when that one continues it with a pronoun ("... in 1809. He wrote ...")."""
    total = sum(w for _, w, _ in view.words) or 1.0
    best, best_units = -1.0, []
    for i, u in enumerate(units):
        groups = [[u]]
        if i + 1 < len(units) and units[i + 1].passage is u.passage and _CONTINUES.match(units[i + 1].text):
            groups.append([u, units[i + 1]])
        for g in groups:
            stems = set().union(*(x.stems for x in g)) | q_stems
            pre = {w[:FUZZY_PREFIX] for w in stems if len(w) >= FUZZY_MIN_STEM}
            cov = sum(w for s, w, n in view.words if _known(s, stems, pre, n)) / total
            if cov > best + 1e-9:
                best, best_units = cov, g
    return max(best, 0.0), best_units


def _has_context(view: ClaimView, item: Value) -> bool:
    own = {stem(t.text) for t in tokens(item.surface)}
    return any(s not in own for s, _, _ in view.words)


def _cite(u: Unit) -> tuple[Passage, ...]:
    return (Passage(u.text, u.passage.source, u.passage.citation, u.passage.score),)


def _continuations(units: Sequence[Unit]) -> list[Unit]:
    """A sentence joined with the next when that one goes on with a pronoun
    ("The Amazon flows through Peru. It empties into the Atlantic Ocean.")."""
    out = []
    for a, b in zip(units, units[1:]):
        if b.passage is a.passage and _CONTINUES.match(b.text):
            text = a.passage.text[a.start:b.end]
            out.append(Unit(a.passage, a.start, b.end, text, a.stems | b.stems, a.seq + b.seq))
    return out


def _best_context(view: ClaimView, windows: Sequence[Unit], item: Value | Name) -> tuple[Unit | None, float]:
    """The sentence (or continued pair) most about the claim apart from ``item`` itself."""
    best, score = None, -1.0
    for w in windows:
        if isinstance(item, Value) and not any(ev.same_kind(item) for ev in w.values):
            continue  # only a sentence stating a value of this kind can state a different one
        a = _context_alignment(view, w, item)
        if a > score + 1e-9:
            best, score = w, a
    return best, max(score, 0.0)


def _context_alignment(view: ClaimView, unit: Unit, item: Value | Name) -> float:
    """Weighted share of the claim's other words (all but ``item``'s) found in ``unit``:
    a value or name is only "wrong" in a sentence that is about the same thing."""
    own = {stem(t.text) for t in tokens(item.surface if isinstance(item, Value) else item.text)}
    rest = [(s, w) for s, w, _ in view.words if s not in own]
    total = sum(w for _, w in rest)
    if not total:
        return 0.0
    return sum(w for s, w in rest if s in unit.stems) / total


def _aligned_region(view: ClaimView, unit: Unit) -> str:
    """The stretch of the evidence sentence between its first and last claim word."""
    claim_stems = {s for s, _, _ in view.words}
    toks = tokens(unit.text)
    hits = [i for i, t in enumerate(toks) if stem(t.text) in claim_stems]
    if not hits:
        return unit.text
    lo = max(0, hits[0] - 3)
    hi = min(len(toks) - 1, hits[-1] + 3)
    return unit.text[toks[lo].start:toks[hi].end]


def _slot(claim: str, start: int, end: int, unit: Unit) -> tuple[int, int] | None:
    """The character range of ``unit.text`` aligned with claim[start:end] (difflib)."""
    ct, ut = tokens(claim), tokens(unit.text)
    a = [stem(t.text) for t in ct]
    b = [stem(t.text) for t in ut]
    ci = [i for i, t in enumerate(ct) if t.start < end and t.end > start]
    if not ci:
        return None
    i1, i2 = ci[0], ci[-1] + 1
    hit: tuple[int, int] | None = None
    for tag, a1, a2, b1, b2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if tag == "replace" and a1 < i2 and i1 < a2:
            lo, hi = ut[b1].start, ut[b2 - 1].end
            hit = (lo, hi) if hit is None else (min(hit[0], lo), max(hit[1], hi))
    return hit


def _rival_value(v: Value, view: ClaimView, focus: Unit) -> Value | None:
    """The evidence's value standing where the claim's wrong value stands."""
    same = [ev for ev in focus.values if ev.same_kind(v)
            and (v.unit is None or ev.unit is None or ev.unit[0] == v.unit[0])]
    if not same:
        return None
    slot = _slot(view.text, v.start, v.end, focus)
    if slot:
        inside = [ev for ev in same if ev.start < slot[1] and ev.end > slot[0]]
        if inside:
            return inside[0]
    if len(same) == 1:
        return same[0]
    return None


def _rival_name(n: Name, view: ClaimView, focus: Unit) -> str | None:
    claim_stems = {s for s, _, _ in view.words} | {w for m in view.names for w in m.words}
    others = [m for m in focus.names if not set(w for w in m.words if w not in GENERIC_NAME_WORDS) <= claim_stems]
    if not others:
        return None
    slot = _slot(view.text, n.start, n.end, focus)
    if slot:
        inside = [m for m in others if m.start < slot[1] and m.end > slot[0]]
        if inside:
            return inside[0].text
    return None


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


def _format_like(wrong: Value, right: Value) -> str:
    """The evidence's value written the way the claim wrote its own ("1946" → "1945")."""
    if wrong.kind == "year" and right.kind == "date":
        return str(right.value[0])
    if wrong.kind == "number" and right.kind == "number" and right.unit and wrong.unit is None:
        n = right.value[0]
        return f"{int(n):,}" if n == int(n) and "," in wrong.surface else (str(int(n)) if n == int(n) else str(n))
    return right.surface


def _option_units(option: str, units: Sequence[Unit]) -> list[Unit]:
    key = [w for w in (stem(t.text) for t in tokens(option)) if w not in STOPWORDS and w not in GENERIC_NAME_WORDS]
    if not key:
        return []
    need = max(1, len(key) - 1) if len(key) > 2 else len(key)
    return [u for u in units if sum(w in u.stems for w in key) >= need]


def _choice_check(view: ClaimView, question: str, units: Sequence[Unit], cite: tuple[Passage, ...],
                  detail: dict[str, Any]) -> Judgement | None:
    """For "Which came first, A or B?": the option the claim picks must be the one the
    evidence supports (earliest/latest date for temporal comparisons, else the option whose
    sentences carry the question's predicate)."""
    parsed = choice_options(question)
    if not parsed:
        return None
    head, options = parsed
    chosen = [o for o in options if _mentions(view.text, o)]
    if len(chosen) != 1:
        return None if not chosen else not_found(
            "the answer names more than one of the options instead of choosing.",
            checks=["choice_ambiguous"], passages=cite, **detail)
    if view.negated:
        return not_found("the answer rejects an option instead of naming the right one.",
                         checks=["choice_negated"], passages=cite, **detail)
    per_option = {o: _option_units(o, units) for o in options}
    if not any(per_option.values()):
        return None
    winner = None
    early, late = _TEMPORAL_EARLY.search(head), _TEMPORAL_LATE.search(head)
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
            detail = dict(detail, choice_dates={o: list(d) for o, d in dates.items()})
    if winner is None:
        opt_stems = {stem(t.text) for o in options for t in tokens(o)}
        pred = [stem(t.text) for t in tokens(head) if t.lower not in STOPWORDS
                and stem(t.text) not in opt_stems and t.lower not in ("which", "who", "what")]
        pred = [p for p in dict.fromkeys(pred) if p not in GENERIC_NAME_WORDS or len(pred) <= 2]
        if not pred:
            return None
        share = {o: max((sum(p in u.stems for p in pred) / len(pred) for u in us), default=0.0)
                 for o, us in per_option.items()}
        if not all(per_option.values()) and max(share.values()) < CHOICE_SINGLE_MIN:
            return None  # only one option is described, and not with the question's words
        ranked = sorted(options, key=lambda o: share[o], reverse=True)
        if share[ranked[0]] - share[ranked[1]] >= CHOICE_MARGIN:
            winner = ranked[0]
        detail = dict(detail, choice_support={o: round(s, 3) for o, s in share.items()})
    if winner is None:
        return None
    cite_units = (per_option[winner][:1] + per_option[chosen[0]][:1]) or list(units[:1])
    cites = tuple(Passage(u.text, u.passage.source, u.passage.citation, u.passage.score) for u in cite_units)
    if winner == chosen[0]:
        return Judgement("supported", 0.9, cites, f"the evidence picks {winner} among the options.",
                         ["choice"], detail=detail)
    return Judgement("contradicted", 0.85, cites, f"the evidence picks {winner}, not {chosen[0]}.",
                     ["choice"], correction=winner, wrong=chosen[0], detail=detail)


def _mentions(text: str, option: str) -> bool:
    key = [stem(t.text) for t in tokens(option) if t.lower not in STOPWORDS and stem(t.text) not in GENERIC_NAME_WORDS]
    have = {stem(t.text) for t in tokens(text)}
    return bool(key) and sum(w in have for w in key) >= max(1, len(key) - 1 if len(key) > 2 else len(key))
