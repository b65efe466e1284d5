"""The rule judge's thresholds and word lists.

Every threshold the deterministic checks use is a named constant here; none is fitted per
run. The word lists say what a word means to a check (a light reporting word, a generic name
word, an antonym, a dispute marker), so that the checks themselves hold no vocabulary.
"""
from __future__ import annotations

import re
from typing import Sequence

from verify.prose.nlp import Token, stem, tokens

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
#: Words that deny without a "not": evidence holding one may be saying the claim's negation
#: in its own words ("without changing the sum", "division by zero is undefined").
IMPLICIT_NEGATIONS = frozenset({"without", "undefined", "impossible", "unable", "lack", "lacks",
                                "fail", "fails", "neither", "nor", "none", "nothing"})
#: Same, before dispute markers in the aligned sentence make the claim "disputed".
DISPUTE_MIN_ALIGNMENT = 0.60
#: A value counts as stated only by a sentence holding this share of the claim's other
#: words (the same number elsewhere in a long text is about something else).
VALUE_CONTEXT_MIN = 0.50
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


_STATEMENT = r"(?:statement|claim|idea|notion|belief|assertion|report|rumou?r|story|suggestion|myth|view)"
#: A frame before a restated claim that denies it ("it is not true that X", "contrary to
#: claims that X", "the myth that X").
DENIAL_BEFORE = re.compile(
    r"\b(?:(?:it\s+is|it's|it\s+was|that\s+is)\s+(?:simply\s+|also\s+)?(?:not\s+(?:true|the\s+case|correct)|"
    r"false|untrue|incorrect|wrong|a\s+(?:myth|misconception|fallacy)|a\s+common\s+misconception)"
    r"(?:\s+to\s+(?:say|claim|think|believe))?\s+that|"
    rf"contrary\s+to\s+(?:\w+\s+){{0,3}}?{_STATEMENT}s?\s+that|"
    rf"(?:debunked|disproved|disproven|refuted|denied|dismissed|rejected)\s+(?:the\s+|any\s+)?{_STATEMENT}s?\s+that|"
    r"(?:no|little)\s+evidence\s+(?:\w+\s+){0,2}?that|"
    r"the\s+(?:myth|misconception|false\s+claim|hoax|fallacy|urban\s+legend)\s+that)(?:\s+(?:the|a|an))?\s*$", re.I)
#: A predicate after a restated (often quoted) claim that denies it ("'X' is false").
DENIAL_AFTER = re.compile(
    r"^[\s.,;:!?'\"‘’“”)]*(?:(?:is|was|are|were|has\s+been|have\s+been)\s+(?:simply\s+|actually\s+|entirely\s+|"
    r"completely\s+|demonstrably\s+|in\s+fact\s+|now\s+)?(?:false|untrue|not\s+true|incorrect|wrong|baseless|"
    r"debunked|disproved|disproven|refuted|a\s+(?:myth|misconception|hoax|falsehood|lie|fabrication|fallacy)|"
    r"a\s+(?:common|popular|widespread)\s+(?:myth|misconception))\b)", re.I)
#: A frame that reports a restated claim as doubtful ("critics said that X", "he claimed that
#: X", "the rumour that X"): the passage does not assert it. A neutral attribution ("police
#: said that X") is how news states facts, and is not such a frame.
REPORT_BEFORE = re.compile(
    r"\b(?:(?:critics|opponents|sceptics|skeptics|detractors|conspiracy\s+theorists|rumou?rs?)\s+(?:\w+\s+){0,2}?"
    r"(?:said|say|says|claim|claims|claimed|allege|alleges|alleged|suggest|suggested|suggests|assert|asserted|"
    r"insist|insisted|believe|believed)|(?:\w+\s+)(?:falsely\s+|wrongly\s+)?(?:claim|claims|claimed|allege|alleges|"
    r"alleged|insist|insists|insisted)|it\s+(?:is|was|has\s+been)\s+(?:often\s+|widely\s+|sometimes\s+)?"
    r"(?:rumou?red|alleged|claimed)|"
    r"(?:the|a)\s+(?:claim|rumou?r|allegation|myth|story|suggestion)s?)\s+that(?:\s+(?:the|a|an))?\s*$", re.I)
HEDGE_WORDS = re.compile(r"\b(?:allegedly|supposedly|purportedly|reportedly|rumou?red(?:ly)?)\b", re.I)


def frame_of(text: str, lo: int, hi: int) -> str | None:
    """How ``text`` frames what it restates in text[lo:hi]: "denied" (an explicit denial
    before or after it: "it is not true that X", "'X' is false"), "reported" (reported as
    doubtful or hedged: "critics said that X", "X, allegedly"), or None (asserted). A claim
    that carries the hedge itself ("the suspect allegedly ...") is judged by the caller."""
    head, tail = text[:lo], text[hi:]
    if DENIAL_BEFORE.search(head[-160:]) or DENIAL_AFTER.match(tail):
        return "denied"
    if REPORT_BEFORE.search(head[-120:]) or HEDGE_WORDS.search(text[max(0, lo - 40):hi + 40]):
        return "reported"
    return None


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


TEMPORAL_EARLY = re.compile(r"\b(first|earlier|earliest|older|oldest|before|sooner|previously)\b", re.I)
TEMPORAL_LATE = re.compile(r"\b(younger|youngest|later|latest|newer|newest|more recent|most recent|last)\b", re.I)
#: Words that may stand between a slot's context word and the name filling it ("directed
#: by X", "X is the second-largest", "the state of X"); a comma or "and" ends a slot.
SLOT_GAP_WORDS = frozenset("by of in on at to for from with as the a an is are was were be been "
                           "has have had its his her their".split())
#: Words that make a name a place, which cannot answer "who".
PLACE_WORDS = frozenset(stem(w) for w in """gym stadium arena park street road avenue river lake
mountain island county airport station bridge hotel building tower square harbour harbor
""".split())
#: Words that can answer "when" without a number.
TIME_WORDS = frozenset(stem(w) for w in """century centuries decade decades era age period season
spring summer autumn fall winter morning afternoon evening night today yesterday tomorrow week
month year during before after war reign dynasty""".split())


NO_PREFIX = "it is not true that "
#: For yes/no questions, an entity whose own sentences are found but lack the predicate
#: counts as not having it (the evidence is taken to describe each entity fully).
YES_NO_CLOSED_WORLD = True
YES_NO_Q = re.compile(r"^\s*(is|are|was|were|do|does|did|has|have|had|can|could|will|would|should)\b", re.I)
