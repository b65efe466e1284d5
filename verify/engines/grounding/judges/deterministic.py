"""Deterministic cross-checks between a claim and its evidence.

What a careful fact-checker does first, without any model: find the evidence sentence the
claim talks about (lexical alignment), then compare what can be compared exactly —
numbers, years, dates and units; names; negation; a short list of antonyms; and whether
the evidence itself marks the point as disputed. A value or name the evidence states
differently in the aligned sentence is a contradiction, and that value is the correction.
A several-word name must be stated as one name, a value in its own clause, a negation only
where it negates the claim's words. For an answer to a question, the answer must be of the
type asked (a time for "when") and stand in the slot the question asks about (not "Neil
Gaiman" for "directed by whom?" when the evidence says "directed by Robert Zemeckis and
written by Neil Gaiman"); an answer in its own words must state what it adds, and an
answer that only repeats the question's words ("Glass Harbor" to "Which city is the band
that released Glass Harbor from?") is never supported. A possessive relation must belong to
the claim's owner in the supporting sentence ("Tom Reed's father" is not stated by "John
Reed's father, Tom Reed, ..."). A supported
claim uses no word the evidence never uses, and the sentence stating it is about its subject
(named there or just before). A claim written all in lower case is recased from the
evidence's own spelling, so its names are still checked as names.
Passages are only ever read as data, so text inside them ("ignore previous instructions")
cannot change a verdict.

Every threshold is a named constant below; none is fitted per run.
"""
from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any, Sequence

from verify.prose.decompose import choice_options, echoes_question
from verify.prose.nlp import (DEMONYMS, NAME_JOINERS, STOPWORDS, Name, Token, Value, fills_relation,
                          has_negation, names, negation_spans, relation_holds, relation_value_holds,
                          relations, sentences, stem, tokens, value_matches, values)
from .base import Judgement, Passage, as_passages, not_found

#: IDF-free word weights: a value or a name word says more than a common word.
WEIGHT_VALUE = 3.0
WEIGHT_NAME = 2.0
WEIGHT_WORD = 1.0
#: Attribution and reporting words ("officials said", "according to"): a summary adds them
#: freely, and they say little about the fact itself.
WEIGHT_LIGHT = 0.25
LIGHT_WORDS = frozenset(stem(w) for w in """
say says said tell tells told report reported reports according add added adds explain explained
reveal revealed reveals announce announced describe described note noted comment commented
insist insisted admit admitted suggest suggested official officials spokesman spokeswoman
spokesperson source sources
""".split())
#: Weighted share of the claim's words the evidence must contain for "supported".
SUPPORT_COVERAGE = 0.80
#: Below this weighted share the claim is unrelated to the evidence ("not found").
RELATED_COVERAGE = 0.50
#: Share of the claim's words the aligned sentence must hold before a negation or antonym
#: mismatch counts as a contradiction (otherwise the sentence is about something else).
CONFLICT_MIN_ALIGNMENT = 0.60
#: A claim restating at least this share of the question's content words is the answer put
#: into the question's slot ("the head office is in Delhi"); only the answer's words are its own.
QUESTION_DERIVED_MIN = 0.6
#: A several-word name counts as stated when its words fall within this many extra tokens
#: of each other in one evidence sentence ("Richard Milhous Nixon" states "Richard Nixon").
NAME_GAP_TOKENS = 2
#: An evidence name fills the question's slot when the question's word next to the slot
#: (or its head noun) is at most this many gap words away ("directed by Robert Zemeckis").
SLOT_REACH = 3
#: Words after "not"/"never" that it negates: a negation counts only when one of them is a
#: word of the other side ("did not surrender" vs "surrendered").
NEGATION_SCOPE = 4
#: Same, before dispute markers in the aligned sentence make the claim "disputed".
DISPUTE_MIN_ALIGNMENT = 0.60
#: A value counts as stated only by a sentence holding this share of the claim's other
#: words (the same number elsewhere in a long text is about something else).
VALUE_CONTEXT_MIN = 0.50
SLOT_CLASH_NAMES = False
#: A value or name "clashes" with the evidence's only where the evidence puts at most this
#: many more words in its place (a substitution, not a stretch of other text).
SLOT_SLACK = 2
#: Sentences before a claim's supporting sentence that may name the subject it describes
#: ("Greece ... . The country is due to repay ...").
SUBJECT_LEAD_IN = 2
#: Claim words on each side of a value or name that say what it is about (its clause).
LOCAL_CONTEXT_WORDS = 4
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
#: Passages whose sentence analysis is kept between claims, and sentences whose values and
#: names are (the claims of one answer, or one kb hit, are judged against the same text).
PASSAGE_CACHE_SIZE = 128
UNIT_CACHE_SIZE = 20_000
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
    r"\b(?:disputed?|dispute|debated?|controvers(?:y|ial)|some (?:measurements|sources|"
    r"scholars|researchers|historians|studies|estimates)|others (?:argue|claim|say)|"
    r"traditionally (?:considered|regarded|held)|it is unclear|uncertain|disagree(?:ment)?|"
    r"depending on (?:how|the))\b", re.I)

#: "Contested" is a dispute ("the date is contested", "a contested claim") except when what
#: is contested is a competition ("43 events were contested", "she contested the seat", "a
#: closely contested race"). Only these nouns make that reading; an ambiguous one ("the
#: election was contested": a legal challenge?) stays a dispute, so a real dispute is never lost.
CONTEST_NOUNS = frozenset("""
event events seat seats race races match matches game games medal medals ward wards
constituency constituencies tournament tournaments final finals round rounds heat heats bout
bouts championship championships competition competitions discipline disciplines sport sports
cup league
""".split())
_CONTESTED = re.compile(r"\bcontested\b", re.I)
_OBJECT_ENDS = frozenset("of in on at for from by with between against to during after before".split())
_ADVERB = re.compile(r"[a-z]+ly|also|then|not|still|each|all|both", re.I)


def is_disputed(text: str) -> bool:
    """Does ``text`` present something as disputed? "Contested" counts unless it is a
    competition that is contested (see CONTEST_NOUNS)."""
    if DISPUTE_MARKERS.search(text):
        return True
    toks = tokens(text)
    for m in _CONTESTED.finditer(text):
        k = next((i for i, t in enumerate(toks) if t.start <= m.start() < t.end), None)
        if k is None or toks[k].lower != "contested" or not _contest_sense(text, toks, k):
            return True  # "re-contested" and other spellings keep the dispute reading
    return False


def _contest_sense(text: str, toks: Sequence[Token], k: int) -> bool:
    """Is toks[k] ("contested") the competing sense: its passive subject, active object or the
    noun it describes is a competition?"""
    def gap(i: int, j: int) -> str:  # the characters between two tokens
        return text[toks[i].end:toks[j].start]

    # attributive: "a closely contested race"
    if k + 1 < len(toks) and not gap(k, k + 1).strip() and toks[k + 1].lower in CONTEST_NOUNS:
        return True
    # passive: "43 events were (also) contested", "the seat, which was contested by ..."
    i = k - 1
    while i >= 0 and _ADVERB.fullmatch(toks[i].text) and not gap(i, i + 1).strip():
        i -= 1
    if i >= 0 and toks[i].lower in ("is", "are", "was", "were", "be", "been", "being"):
        i -= 1
        while i >= 0 and toks[i].lower in ("will", "has", "have", "had", "to", "which", "that"):
            i -= 1
        if i >= 0 and not gap(i, i + 1).strip(" ,"):
            return toks[i].lower in CONTEST_NOUNS
        return False
    # active: "she contested the 2010 Dale seat" (the object's head noun, before any preposition)
    head = None
    for j in range(k + 1, min(len(toks), k + 7)):
        if gap(j - 1, j).strip() or toks[j].lower in _OBJECT_ENDS:
            break
        head = toks[j].lower
    return head in CONTEST_NOUNS



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
    stems: frozenset[str] = frozenset()
    seq: Sequence[str] = ()
    titles: frozenset[str] = frozenset()  # words only inside quoted titles

    @property
    def values(self) -> Sequence[Value]:
        return _values_of(self.text)

    @property
    def names(self) -> Sequence[Name]:
        return _names_of(self.text)


@lru_cache(maxsize=UNIT_CACHE_SIZE)
def _values_of(text: str) -> tuple[Value, ...]:
    return tuple(values(text))


@lru_cache(maxsize=UNIT_CACHE_SIZE)
def _names_of(text: str) -> tuple[Name, ...]:
    return tuple(names(text))


def split_units(passages: Sequence[Passage]) -> list[Unit]:
    out: list[Unit] = []
    for p in passages:
        for s, e, seq, stems, titles in _analysed(p.text):
            out.append(Unit(p, s, e, p.text[s:e], stems, seq, titles))
            if len(out) >= MAX_UNITS:
                return out
    return out


@lru_cache(maxsize=PASSAGE_CACHE_SIZE)
def _analysed(text: str) -> tuple[tuple[int, int, tuple[str, ...], frozenset[str], frozenset[str]], ...]:
    """Sentences of a passage with their stems, computed once: every claim of an answer is
    judged against the same evidence."""
    out = []
    for s, e in sentences(text):
        sent = text[s:e]
        toks = tokens(sent)
        seq = tuple(stem(t.text) for t in toks)
        out.append((s, e, seq, frozenset(seq), frozenset(_title_words(sent, toks, seq))))
        if len(out) >= MAX_UNITS:
            break
    return tuple(out)


def recased(claim: str, passages: Sequence[Passage]) -> str:
    """A claim written all in lower case ("chris lane was shot"), with the words the evidence
    only ever writes capitalised mid-sentence given their capital back, so that its names
    are checked as names."""
    if any(c.isupper() for c in claim):
        return claim
    caps: set[str] = set()
    for p in passages:
        caps |= _capitalised_words(p.text)
    if not caps:
        return claim
    out = list(claim)
    for t in tokens(claim):
        if t.lower in caps:
            out[t.start] = t.text[0].upper()
    return "".join(out)


@lru_cache(maxsize=PASSAGE_CACHE_SIZE)
def _capitalised_words(text: str) -> frozenset[str]:
    """Lower-cased words that ``text`` writes capitalised inside sentences and never in lower case."""
    starts = {s for s, _ in sentences(text)}
    upper: set[str] = set()
    lower: set[str] = set()
    toks = tokens(text)
    for i, t in enumerate(toks):
        if not t.text[0].isalpha():
            continue
        if t.text[0].isupper():
            nxt = toks[i + 1] if i + 1 < len(toks) else None
            # a sentence's first word counts when a name goes on after it ("Chris Lane, 22, ...")
            name_start = nxt is not None and nxt.text[0].isupper() and text[t.end:nxt.start] == " "
            if t.start not in starts or name_start or (len(t.text) > 1 and t.text.isupper()):
                upper.add(t.lower)
        else:
            lower.add(t.lower)
    return frozenset(upper - lower - STOPWORDS)


_QUOTED = re.compile(r'"[^"\n]{1,120}"|“[^”\n]{1,120}”')


def _title_words(text: str, toks: Sequence[Token], seq: Sequence[str]) -> set[str]:
    """Capitalised words met only inside quotes: the title "Band of Brothers" does not say
    anything about brothers."""
    spans = [m.span() for m in _QUOTED.finditer(text)]
    if not spans:
        return set()
    inside = {i for i, t in enumerate(toks) if any(a < t.start < b for a, b in spans)}
    outside = {w for i, w in enumerate(seq) if i not in inside}
    return {seq[i] for i in inside if toks[i].text[:1].isupper()} - outside


def _known(word: str, stems: set[str], prefixes: set[str], is_name: bool) -> bool:
    if word in stems:
        return True
    return (not is_name and len(word) >= FUZZY_MIN_STEM and word[:FUZZY_PREFIX] in prefixes)


# --------------------------------------------------------------------------- the judge

@dataclass
class ClaimView:
    text: str
    words: list[tuple[str, float, bool]]  # (stem, weight, is_name_word) the claim asserts
    values: list[Value]
    names: list[Name]
    negated: bool
    value_stems: set[str] = field(default_factory=set)  # words that spell a value ("twelve")
    capitalised: set[str] = field(default_factory=set)  # words written with a capital


@dataclass
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
#: Words that may stand between a slot's context word and the name filling it ("directed
#: by X", "X is the second-largest", "the state of X"); a comma or "and" ends a slot.
SLOT_GAP_WORDS = frozenset("by of in on at to for from with as the a an is are was were be been "
                           "has have had its his her their".split())


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
    while k >= 0 and qt[k].lower in SLOT_GAP_WORDS and not _punct(question, qt[k].end, qt[k + 1].start):
        k -= 1
    if k >= 0 and qt[k].lower not in STOPWORDS and not _punct(question, qt[k].end, qt[k + 1].start):
        left.add(b[k])
    right: set[str] = set()
    k = qi + len(phrase)  # the word after the wh-phrase ("what retailer is the second-largest")
    while k < len(qt) and qt[k].lower in SLOT_GAP_WORDS:
        k += 1
    if k < len(qt) and qt[k].lower not in STOPWORDS and not _punct(question, qt[k - 1].end, qt[k].start):
        right.add(b[k])
    aux = qt[qi + len(phrase)].lower if qi + len(phrase) < len(qt) else ""
    if aux in _COPULA_DO and qt[-1].lower in _STRANDED and not question[qt[-1].end:].strip(" ?"):
        # "Which city is the band from?": the slot is after the stranded preposition, and the
        # word after the wh-phrase is the subject ("band"), not the slot's neighbour
        right = set()
        if qt[-2].lower not in STOPWORDS and not _punct(question, qt[-2].end, qt[-1].start):
            left = {b[-2]}
    asks = " ".join(m.group(1).lower().split())
    return QuestionView(True, answer, frozenset(left), frozenset(right), head, asks=asks, stems=qstems)


def _punct(text: str, start: int, end: int) -> bool:
    return bool(re.search(r"[,;:.!?()]", text[start:end]))


def _claim_view(claim: str, question: str | None, qv: QuestionView | None) -> ClaimView:
    """The words, values and names the claim asserts (for a derived claim: its answer's)."""
    if qv is not None and qv.derived:
        lo, hi = qv.answer or (0, 0)
        inside = lambda s, e: lo <= s and e <= hi  # noqa: E731
    else:
        inside = lambda s, e: True  # noqa: E731
    ns = [n for n in names(claim) if inside(n.start, n.end)]
    name_words = {w for n in ns for w in n.words}
    vals = [v for v in values(claim) if inside(v.start, v.end)]
    val_spans = [(v.start, v.end) for v in vals]
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
    return ClaimView(claim, words, vals, ns, has_negation(claim) and not q_neg, value_stems, caps)


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
        claim = recased(claim, passages)
        qv = _question_view(claim, question) if question else None
        view = _claim_view(claim, question, qv)
        aliases = _name_aliases(view, units)
        all_stems = set().union(*(u.stems for u in units)) | aliases
        prefixes = {w[:FUZZY_PREFIX] for w in all_stems if len(w) >= FUZZY_MIN_STEM}
        q_stems = set(qv.stems) if qv is not None and qv.derived else set()

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
            derived = qv is not None and qv.derived
            verdict = _choice_check(view, question, windows, cite, detail, qv.answer if derived else None)
            q_stems_all = {stem(t.text) for t in tokens(question)}
            own_words = any(s not in q_stems_all for s, _, n in view.words if not n)
            if verdict is not None and (verdict.label != "supported" or not own_words):
                return verdict
            # an answer in its own words that picks the right option asserts the rest of its
            # sentence too ("A has more, because ..."): that is judged like any claim below
            if _YES_NO_Q.match(question) and _is_yes_no_answer(claim, question):
                return self._yes_no(claim, question, units, detail)
        if not view.words and not view.values:
            # nothing beyond the question's own words: the answer adds no checkable content
            return not_found("the claim adds nothing to the question that evidence could check.",
                             checks=["empty_claim"], **detail)
        if qv is not None and question is not None:
            # what fills the question's slot must be something other than the question's words
            short = qv.derived and qv.answer is not None
            said = claim[qv.answer[0]:qv.answer[1]] if short else claim
            if echoes_question(said, question, short=short):
                return not_found("the answer only repeats the question.", checks=["answer_echo"],
                                 passages=cite, **detail)

        # 0. does the answer have the type the question asks for (a time for "when", a
        # number for "how many", not a place for "who")?
        mistyped = _answer_type_mismatch(view, qv)
        if mistyped is not None:
            checks.append("answer_type")
            return not_found(mistyped, checks=checks, passages=cite, score=coverage, **detail)

        # 1. numbers, years, dates, units
        for v in view.values:
            stating = [w for w in windows if any(value_matches(v, ev) for ev in w.values)]
            near = _local_context(view, v)
            if any(_context_alignment(near, w) >= VALUE_CONTEXT_MIN for w in stating) or (
                    stating and not _has_context(view, v)):
                continue
            where, ctx_align = _best_context(view, windows, v)
            rival = _rival_value(v, view, where) if where and ctx_align >= CONFLICT_MIN_ALIGNMENT else None
            if rival is not None and rival.value[0] == -v.value[0] != 0 and (
                    _after_change_word(view.text, v.start) or _after_change_word(where.text, rival.start)):
                # "dropped by -7" against "dropped by 7": the same drop, or a double negative;
                # a sign after a change word is no clash to correct (unlike "-7 degrees" vs "7")
                checks.append("sign_after_change")
                return not_found(f"the evidence gives {rival.surface} where the claim gives "
                                 f"{v.surface} after a word of change; which sign is meant is unclear.",
                                 checks=checks, passages=_cite(where), score=coverage, **detail)
            if rival is not None:
                checks.append("value_mismatch")
                return Judgement("contradicted", 0.95, _cite(where),
                                 f"the evidence gives {rival.surface}, not {v.surface}.", checks,
                                 correction=_format_like(v, rival), wrong=v.surface,
                                 detail=dict(detail, wrong_start=v.start))
            checks.append("value_unsupported")
            return not_found(f"the evidence does not state {v.surface}.", checks=checks,
                             passages=cite, score=coverage, **detail)

        # every value is stated by the evidence: the words spelling them count as found
        found = view.value_stems | aliases

        # 2. names
        for n in view.names:
            key = [w for w in n.words if w not in GENERIC_NAME_WORDS and w not in STOPWORDS]
            if not key or _name_stated(key, units, aliases):
                continue
            where, ctx_align = _best_context(view, windows, n)
            rival_name = _rival_name(n, view, where) if where and ctx_align >= CONFLICT_MIN_ALIGNMENT else None
            if rival_name is not None:
                checks.append("name_mismatch")
                return Judgement("contradicted", 0.85, _cite(where),
                                 f"the evidence names {rival_name}, not {n.text}.", checks,
                                 correction=rival_name, wrong=n.text, detail=dict(detail, wrong_start=n.start))
            checks.append("name_unsupported")
            return not_found(f"the evidence does not mention {n.text}.", checks=checks,
                             passages=cite, score=coverage, **detail)

        # 3. the answer's slot: does its own evidence sentence give the slot to another name?
        slot = _slot_rival(view, qv, units)
        if slot is not None:
            rival_text, where = slot
            checks.append("slot_rival")
            return not_found(f"the evidence gives {rival_text} for what the question asks.",
                             checks=checks, passages=_cite(where), score=coverage, **detail)

        if focus is not None:
            r0, r1 = _aligned_region(view, focus)
            region = focus.text[r0:r1]
            claim_stems = {w for w, _, _ in view.words}
            region_negated = _negates(focus.text, r0, r1, claim_stems)
            claim_negated = view.negated and _negates(claim, 0, len(claim), focus.stems)
            # 4. dispute markers in the aligned sentence
            if align >= DISPUTE_MIN_ALIGNMENT and is_disputed(focus.text):
                checks.append("disputed")
                return Judgement("disputed", 0.5, cite,
                                 "the evidence presents this point as disputed.", checks, detail=detail)
            # 5. negation
            if align >= CONFLICT_MIN_ALIGNMENT and claim_negated != region_negated:
                checks.append("negation")
                said = "denies" if region_negated else "asserts"
                return Judgement("contradicted", 0.8, cite,
                                 f"the evidence {said} what the claim "
                                 f"{'denies' if claim_negated else 'asserts'}.", checks, detail=detail)
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
        scored = _windows(view, units, found)
        window_cov, window = max(scored, key=lambda x: x[0]) if scored else (0.0, [])
        # an answer put into the question's slot asserts only the relations it takes part in
        # (the rest are the question's premise, like its other words)
        claim_rels = relations(claim)
        rels = [r for r in claim_rels if qv is None or not qv.derived or qv.answer is None
                or (r.start < qv.answer[1] and qv.answer[0] < r.end)]
        # ... unless the answer is what fills the relation ("Who was Tom Reed's father?"):
        # then the evidence must state it as the relation's value, the right way round
        filled = [r for r in claim_rels if qv is not None and qv.derived and qv.answer is not None
                  and fills_relation(r, claim, *qv.answer)]
        if filled and not any(all(relation_value_holds(r, claim[slice(*qv.answer)], _joined(g).text)
                                  for r in filled) for _, g in scored if g):
            checks.append("relation_value_elsewhere")
        if rels and window and not _ties(rels, window):
            # "Tom Reed's father" must be Tom Reed's father in the evidence, not John Reed's
            tied = [(c, g) for c, g in scored if c >= SUPPORT_COVERAGE and _ties(rels, g)]
            if tied:
                window_cov, window = max(tied, key=lambda x: x[0])
            else:
                checks.append("relation_elsewhere")
        detail["window_coverage"] = round(window_cov, 3)
        wstems = set().union(*(u.stems for u in window)) | found if window else found
        wplain = wstems - set().union(*(u.titles for u in window)) if window else wstems
        wpre = {w[:FUZZY_PREFIX] for w in wplain if len(w) >= FUZZY_MIN_STEM}
        missing = [s for s, _, n in view.words
                   if not _known(s, wstems if n or s in view.capitalised else wplain, wpre, n)]
        detail["unmatched_words"] = missing
        if qv is not None and not qv.derived:
            # an answer in its own words: what it adds to the question must be stated too
            new = [(s, w) for s, w, _ in view.words if s not in qv.stems]
            new_total = sum(w for _, w in new)
            if new_total and sum(w for s, w in new if s not in missing) / new_total < SUPPORT_COVERAGE:
                checks.append("answer_words_missing")
        predicate = [s for s, w, n in view.words if not n and w == WEIGHT_WORD]
        loose = len(predicate) <= PREDICATE_ALL_MATCH_MAX and any(
            s in missing for s in predicate)
        if loose:
            checks.append("predicate_missing")
        subject = next((n for n in view.names if _name_key(n) and not claim[:n.start].strip()), None)
        if window and subject is not None and not set(_name_key(subject)) & (_lead_in(window, units) | found):
            # the sentence stating the claim's words is not about its subject: they are said
            # of someone else ("The teen was riding ..." for "Chris Lane was riding ...")
            checks.append("subject_elsewhere")
        novel = [s for s, _, n in view.words if s not in found and not _known(s, all_stems, prefixes, n)]
        if novel:
            # a word the evidence never uses is something it does not say, whatever the rest
            checks.append("novel_word")
        if window and window_cov >= SUPPORT_COVERAGE and not loose and not novel \
                and "answer_words_missing" not in checks and "subject_elsewhere" not in checks \
                and "relation_elsewhere" not in checks and "relation_value_elsewhere" not in checks:
            cites = tuple(Passage(u.text, u.passage.source, u.passage.citation, u.passage.score)
                          for u in window)
            # 8. the sentence that states the claim must not put another value or name where
            # the claim puts its own ("... 10 feet, and 12 feet" for "... 10 feet, and 10 feet")
            clash = None
            if qv is None or not qv.derived:  # a restated question is not worded like the evidence
                # a sentence holding all its values without a clash supports it; else one
                # that puts other values or names in their place contradicts it
                # (best-covered first: the sentence it was copied from usually settles it)
                stating = [_joined(g) for c, g in sorted(scored, key=lambda x: -x[0]) if c >= SUPPORT_COVERAGE]
                for u in stating:
                    c = _slot_clash(view, u)
                    if c is None and all(any(value_matches(v, ev) for ev in u.values) for v in view.values):
                        clash = None
                        break
                    clash = clash or c
            if clash is not None:
                wrong, right, correction, at = clash
                checks.append("slot_mismatch")
                return Judgement("contradicted", 0.85, cites, f"the evidence says {right} where the claim "
                                 f"says {wrong}.", checks, correction=correction, wrong=wrong,
                                 detail=dict(detail, wrong_start=at))
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
        untied = [r for r in rels if window and not _ties([r], window)]
        why = ("the evidence is about something else." if coverage < RELATED_COVERAGE else
               f"no passage states {claim[slice(*qv.answer)]} as \"{claim[filled[0].start:filled[0].end]}\"."
               if "relation_value_elsewhere" in checks and qv is not None and qv.answer is not None else
               f"the evidence does not say \"{claim[untied[0].start:untied[0].end]}\": it ties that "
               f"relation to someone else or to no one." if "relation_elsewhere" in checks and untied else
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
            rider = claim.split(";", 1)[1].strip() if ";" in claim else ""
            if right and rider:
                # "No, only A is P": the reason given after the yes or no is asserted too
                r = self.analyse(rider, [Passage(u.text, u.passage.source, u.passage.citation) for u in units])
                if r.label != "supported":
                    at = r.detail.get("wrong_start")
                    where = {"wrong_start": claim.index(rider) + at} if isinstance(at, int) else {}
                    return Judgement(r.label, r.score, r.passages, f"the answer is right, but {r.explanation}",
                                     ("yes_no", *r.checks), correction=r.correction, wrong=r.wrong,
                                     detail=dict(detail, rider=rider, **where))
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


_CONTINUES = re.compile(r"^(?:(?:in|on|at|by|after|before|during|from|since|until)\s+[^,.]{1,40},\s*)?"
                        r"(?:he|she|it|they|his|her|its|their|this|these|there|the\s+\w+\s+also"
                        r"|the\s+(?:\d+-year-old|actor|actress|star|singer|player|striker|midfielder|"
                        r"defender|goalkeeper|manager|coach|man|woman|boy|girl|child|teenager|couple|"
                        r"pair|mother|father|victim|suspect|company|club|team|group|monkey|animal))\b", re.I)


def _windows(view: ClaimView, units: Sequence[Unit], extra: set[str]) -> list[tuple[float, list[Unit]]]:
    """(weighted share of claim words held, window) for every sentence, and for a sentence
    and the next one when that one continues it ("... in 1809. He wrote ..."), in document
    order."""
    total = sum(w for _, w, _ in view.words) or 1.0
    subject = next((n for n in view.names if _name_key(n) and not view.text[:n.start].strip()), None)
    out: list[tuple[float, list[Unit]]] = []
    for i, u in enumerate(units):
        groups = [[u]]
        if i + 1 < len(units) and units[i + 1].passage is u.passage and _CONTINUES.match(units[i + 1].text) \
                and not (subject is not None and _only_listed(subject, u)):
            groups.append([u, units[i + 1]])
        for g in groups:
            stems = set().union(*(x.stems for x in g)) | extra
            plain = stems - set().union(*(x.titles for x in g))
            pre = {w[:FUZZY_PREFIX] for w in plain if len(w) >= FUZZY_MIN_STEM}
            cov = sum(w for s, w, n in view.words
                      if _known(s, stems if n or s in view.capitalised else plain, pre, n)) / total
            out.append((cov, g))
    return out


#: Words that make a name a place, which cannot answer "who".
PLACE_WORDS = frozenset(stem(w) for w in """gym stadium arena park street road avenue river lake
mountain island county airport station bridge hotel building tower square harbour harbor
""".split())
#: Words that can answer "when" without a number.
TIME_WORDS = frozenset(stem(w) for w in """century centuries decade decades era age period season
spring summer autumn fall winter morning afternoon evening night today yesterday tomorrow week
month year during before after war reign dynasty""".split())


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
    if qv.asks in ("who", "whom") and any(set(_name_key(n)) and stems & PLACE_WORDS for n in view.names):
        return "the question asks who, and the answer names a place."
    return None


def _name_key(n: Name) -> list[str]:
    return [w for w in n.words if w not in GENERIC_NAME_WORDS and w not in STOPWORDS]


def _name_aliases(view: ClaimView, units: Sequence[Unit]) -> set[str]:
    """Short forms of given names the evidence spells out ("Pam" for "Pamela Veasey"): a
    claim name word that starts an evidence name word, when the rest of the name matches."""
    out: set[str] = set()
    for n in view.names:
        key = _name_key(n)
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


def _name_stated(key: Sequence[str], units: Sequence[Unit], aliases: set[str]) -> bool:
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


def _slot_rival(view: ClaimView, qv: QuestionView | None, units: Sequence[Unit]) -> tuple[str, Unit] | None:
    """For an answer put into the question's slot: another name that the answer's own
    evidence sentence puts in that slot ("... directed by Robert Zemeckis and written by
    Neil Gaiman" for "directed by Neil Gaiman"), when the answer stands in no such slot."""
    if qv is None or not qv.derived or qv.answer is None or not (qv.left or qv.right or qv.head):
        return None
    answer = [set(_name_key(n)) for n in view.names
              if _name_key(n) and not set(_name_key(n)) <= qv.stems and n.text.lower() not in DEMONYMS]
    if not answer:
        return None
    rival: tuple[str, Unit] | None = None
    for u in units:
        if not any(k <= u.stems for k in answer):
            continue
        toks = tokens(u.text)
        for m in u.names:
            key = set(_name_key(m))
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
    while k >= 0 and reach < SLOT_REACH and not _punct(text, toks[k].end, toks[k + 1].start):
        w = stem(toks[k].text)
        if w in qv.left or w == qv.head:
            return True
        if toks[k].lower not in SLOT_GAP_WORDS:
            break
        k, reach = k - 1, reach + 1
    k, reach = j + 1, 0
    while k < len(toks) and reach < SLOT_REACH and not _punct(text, toks[k - 1].end, toks[k].start):
        w = stem(toks[k].text)
        if w in qv.right or w == qv.head:
            return True
        if toks[k].lower not in SLOT_GAP_WORDS:
            break
        k, reach = k + 1, reach + 1
    return False


def _lead_in(window: Sequence[Unit], units: Sequence[Unit]) -> set[str]:
    """Stems of ``window`` and of the SUBJECT_LEAD_IN sentences before it in its passage:
    where a description ("the country", "the teen") may have been named."""
    first = window[0]
    i = next(k for k, u in enumerate(units) if u is first)
    lead = [u for u in units[max(0, i - SUBJECT_LEAD_IN):i] if u.passage is first.passage]
    return set().union(*(u.stems for u in list(window) + lead))


def _has_context(view: ClaimView, item: Value) -> bool:
    own = {stem(t.text) for t in tokens(item.surface)}
    return any(s not in own for s, _, _ in view.words)


def _cite(u: Unit) -> tuple[Passage, ...]:
    return (Passage(u.text, u.passage.source, u.passage.citation, u.passage.score),)


_LIST_GAP = re.compile(r"\s*(?:,\s*(?:and\s+|or\s+)?|(?:and|or|&)\s+)(?:the\s+)?", re.I)


def _only_listed(subject: Name, unit: Unit) -> bool:
    """Does ``unit`` name the claim's subject only as one item of a list of names ("sent
    students: Georgia, Elmhurst College, St. Olaf College", "named after Otto Stern and Max
    Volmer")? Then a pronoun in the next sentence may stand for any of them."""
    key = set(_name_key(subject))
    ns = list(unit.names)
    hits = [k for k, m in enumerate(ns) if key <= set(m.words)]
    if not hits:
        return False

    def listed(k: int) -> bool:
        prev = k > 0 and _LIST_GAP.fullmatch(unit.text[ns[k - 1].end:ns[k].start]) is not None
        nxt = k + 1 < len(ns) and _LIST_GAP.fullmatch(unit.text[ns[k].end:ns[k + 1].start]) is not None
        return prev or nxt
    return all(listed(k) for k in hits)


def _continuations(units: Sequence[Unit]) -> list[Unit]:
    """A sentence joined with the next when that one goes on with a pronoun
    ("The Amazon flows through Peru. It empties into the Atlantic Ocean.")."""
    out = []
    for a, b in zip(units, units[1:]):
        if b.passage is a.passage and _CONTINUES.match(b.text):
            text = a.passage.text[a.start:b.end]
            out.append(Unit(a.passage, a.start, b.end, text, a.stems | b.stems, tuple(a.seq) + tuple(b.seq),
                            a.titles | b.titles))
    return out


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


def _slot(claim: str, start: int, end: int, unit: Unit, tight: bool = False) -> tuple[int, int] | None:
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


def _rival_name(n: Name, view: ClaimView, focus: Unit, tight: bool = False) -> str | None:
    claim_stems = {s for s, _, _ in view.words} | {w for m in view.names for w in m.words}
    starts = {a for a, _ in sentences(focus.text)} if tight else set()
    others = [m for m in focus.names if not set(w for w in m.words if w not in GENERIC_NAME_WORDS) <= claim_stems
              and m.text.lower() not in DEMONYMS and not (m.start in starts and len(tokens(m.text)) == 1)]
    if not others:
        return None
    slot = _slot(view.text, n.start, n.end, focus, tight)
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


def _ties(rels: Sequence[Any], window: Sequence[Unit]) -> bool:
    """Does the window tie every possessive relation of the claim to the same owner?"""
    text = _joined(window).text
    return all(relation_holds(r, text) for r in rels)


def _joined(window: Sequence[Unit]) -> Unit:
    """One unit for a sentence and its continuation."""
    if len(window) == 1:
        return window[0]
    a, b = window[0], window[-1]
    return Unit(a.passage, a.start, b.end, a.passage.text[a.start:b.end], a.stems | b.stems,
                tuple(a.seq) + tuple(b.seq), a.titles | b.titles)


def _slot_clash(view: ClaimView, unit: Unit) -> tuple[str, str, str, int] | None:
    """(claim's words, evidence's words, correction, where in the claim) when the aligned
    slot of one of the claim's values or names in ``unit`` holds a different value or name."""
    for v in view.values:
        slot = _slot(view.text, v.start, v.end, unit, tight=True)
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
        rival = _rival_name(n, view, unit, tight=True)
        if rival is not None and not set(_name_key(n)) & {stem(t.text) for t in tokens(rival)}:
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


def _option_units(option: str, units: Sequence[Unit]) -> list[Unit]:
    key = [w for w in (stem(t.text) for t in tokens(option)) if w not in STOPWORDS and w not in GENERIC_NAME_WORDS]
    if not key:
        return []
    need = max(1, len(key) - 1) if len(key) > 2 else len(key)
    return [u for u in units if sum(w in u.stems for w in key) >= need]


def _choice_check(view: ClaimView, question: str, units: Sequence[Unit], cite: tuple[Passage, ...],
                  detail: dict[str, Any], answer: tuple[int, int] | None) -> Judgement | None:
    """For "Which came first, A or B?": the option the claim picks must be the one the
    evidence supports (earliest/latest date for temporal comparisons, else the option whose
    sentences carry the question's predicate)."""
    parsed = choice_options(question)
    if not parsed:
        return None
    head, options = parsed
    said = view.text[answer[0]:answer[1]] if answer else view.text
    chosen = [o for o in options if _mentions(said, o)]
    if len(chosen) != 1:
        return None if not chosen else not_found(
            "the answer names more than one of the options instead of choosing.",
            checks=["choice_ambiguous"], passages=cite, **detail)
    if view.negated:
        return not_found("the answer rejects an option instead of naming the right one.",
                         checks=["choice_negated"], passages=cite, **detail)
    undecided = not_found(f"the evidence does not settle which of {' or '.join(options)} it is.",
                          checks=["choice_undecided"], passages=cite, **detail)
    per_option = {o: _option_units(o, units) for o in options}
    if not any(per_option.values()):
        return undecided
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
            return undecided
        share = {o: max((sum(p in u.stems for p in pred) / len(pred) for u in us), default=0.0)
                 for o, us in per_option.items()}
        if not all(per_option.values()) and max(share.values()) < CHOICE_SINGLE_MIN:
            return undecided  # only one option is described, and not with the question's words
        ranked = sorted(options, key=lambda o: share[o], reverse=True)
        if share[ranked[0]] - share[ranked[1]] >= CHOICE_MARGIN:
            winner = ranked[0]
        detail = dict(detail, choice_support={o: round(s, 3) for o, s in share.items()})
    if winner is None:
        return undecided
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
    if key and sum(w in have for w in key) >= max(1, len(key) - 1 if len(key) > 2 else len(key)):
        return True
    # a capitalised word before the option may have been read into it ("Massachusetts Boston
    # College"): the option's own last words (two or more) are enough
    toks = tokens(option)
    rest = [stem(t.text) for t in toks[1:] if t.lower not in STOPWORDS]
    return len(toks) >= 3 and len(rest) >= 2 and all(w in have for w in rest)
