"""Split an answer into atomic, self-contained claims, each tied to its words in the original.

Grounding judges one fact at a time: "The Amazon River is the longest river in the world,
flowing through Brazil and emptying into the Pacific Ocean" holds three facts with three
different verdicts. The deterministic decomposer (the default) splits sentences, coordinated
predicates, participial and appositive clauses and list items, and restores the subject so
each claim stands alone ("The Amazon River empties into the Pacific Ocean") while its
``span`` points at the original words ("emptying into the Pacific Ocean"). With a
``question``, a short answer becomes the statement it asserts ("Delhi" to "Which city is
the head office in?" → "the head office is in Delhi").

The LLM-backed decomposer (when an ``llm`` is given) is an untrusted translator: each claim
it proposes must point at a span of the answer and use only words found in the answer or
the question; otherwise the deterministic decomposer's claims are used and the reason is
recorded in every claim's ``detail``.
"""
from __future__ import annotations

import logging
import re
from dataclasses import dataclass, field
from typing import Any, Iterator, Mapping, Sequence

from verify.report import Span, freeze, thaw
from .nlp import NEGATIONS, STOPWORDS, Token, names, sentences, stem, tokens

log = logging.getLogger("verity.decompose")

#: Longest answer the decomposer accepts (characters); longer input is refused, not cut.
MAX_DECOMPOSE_CHARS = 200_000
#: Most claims the LLM decomposer may return before its output is rejected as runaway.
MAX_LLM_CLAIMS = 64
#: Share of an LLM claim's content words that must occur in the answer or question.
LLM_MIN_GROUNDED_WORDS = 1.0
#: Per-call time limit for the LLM decomposer, seconds.
LLM_TIMEOUT_S = 60.0


@dataclass(frozen=True)
class AtomicClaim:
    """One checkable statement: ``text`` stands alone, ``span`` is where it was said."""

    text: str
    span: Span
    subject: str | None = None
    source: str = "sentence"  # sentence | clause | participle | appositive | answer | llm
    detail: Mapping[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        object.__setattr__(self, "detail", freeze(dict(self.detail)))

    def to_dict(self) -> dict[str, Any]:
        return {"text": self.text, "span": self.span.to_dict(), "subject": self.subject,
                "source": self.source, "detail": thaw(self.detail)}


@dataclass(frozen=True)
class Decomposition:
    """The claims of one answer and how they were found (list-like)."""

    claims: tuple[AtomicClaim, ...]
    method: str  # "deterministic" | "llm"
    detail: Mapping[str, Any] = field(default_factory=dict)

    def __iter__(self) -> Iterator[AtomicClaim]:
        return iter(self.claims)

    def __len__(self) -> int:
        return len(self.claims)

    def __getitem__(self, i: int) -> AtomicClaim:
        return self.claims[i]

    def to_dict(self) -> dict[str, Any]:
        return {"method": self.method, "claims": [c.to_dict() for c in self.claims],
                "detail": thaw(self.detail)}


def decompose(text: str, question: str | None = None, *, llm: Any = None,
              timeout: float | None = None) -> Decomposition:
    """The atomic claims of ``text`` (deterministic; LLM-backed when ``llm`` is given)."""
    if not isinstance(text, str):
        raise TypeError(f"decompose() needs the answer as str, got {type(text).__name__}")
    if len(text) > MAX_DECOMPOSE_CHARS:
        raise ValueError(f"answer too long to decompose: {len(text):,} characters "
                         f"(limit {MAX_DECOMPOSE_CHARS:,})")
    if question is not None and not isinstance(question, str):
        raise TypeError(f"question must be str, got {type(question).__name__}")
    if llm is not None:
        try:
            claims = _llm_claims(text, question, llm, timeout)
            return Decomposition(tuple(claims), "llm", {"llm": getattr(llm, "name", type(llm).__name__)})
        except Exception as exc:  # noqa: BLE001 - any LLM failure falls back, recorded
            reason = f"LLM decomposition rejected: {type(exc).__name__}: {exc}"
            log.info("%s; using the deterministic decomposer", reason)
            det = deterministic_claims(text, question)
            info = {"fallback": reason, "llm": getattr(llm, "name", type(llm).__name__)}
            return Decomposition(tuple(c.__class__(c.text, c.span, c.subject, c.source,
                                                   dict(c.detail, **info)) for c in det),
                                 "deterministic", info)
    return Decomposition(tuple(deterministic_claims(text, question)), "deterministic", {})


# =========================================================================== deterministic

AUX = frozenset("""is are was were be been has have had will would can could shall should
may might must do does did isn't aren't wasn't weren't hasn't haven't hadn't won't wouldn't
can't couldn't doesn't don't didn't""".split())
PRONOUNS = frozenset("he she it they this these".split())
PREPOSITIONS = frozenset("""in on at to for from by with into onto of about after before
during through across over under near between among against toward towards upon""".split())
_COMMON_VERBS = frozenset("""flow flows flowed empty empties emptied lie lies lay run runs ran
stand stands stood contain contains contained include includes included border borders
bordered cover covers covered reach reaches reached hold holds held become becomes became
remain remains remained make makes made take takes took give gives gave win wins won lead
leads led write writes wrote found founds founded serve serves served play plays played live
lives lived die dies died marry marries married join joins joined form forms formed feature
features featured star stars starred equal equals equaled mean means meant end ends ended
begin begins began start starts started cross crosses crossed sit sits sat rise rises rose
produce produces produced own owns owned belong belongs belonged consist consists consisted
""".split())


def _is_verb(tok: Token, prev: Token | None) -> bool:
    low = tok.lower
    if low in AUX or low in _COMMON_VERBS:
        return True
    if prev is None or not tok.text.islower() or low in STOPWORDS:
        return False
    return low.endswith("ed") and len(low) > 4


def _subject_end(toks: Sequence[Token]) -> int | None:
    """Index of the first verb after a noun phrase (None when no clear subject)."""
    for i, t in enumerate(toks[:12]):
        if i == 0:
            continue
        if t.lower in PREPOSITIONS and i == 1:
            return None  # "In 1889, ..." starts with an adverbial, not a subject
        if _is_verb(t, toks[i - 1]):
            return i
    return None


def _third_person(word: str) -> str:
    """'flowing' → 'flows', 'emptying' → 'empties', 'making' → 'makes'."""
    low = word.lower()
    if not low.endswith("ing") or len(low) < 5:
        return word
    base = low[:-3]
    if len(base) >= 3 and base[-1] == base[-2] and base[-1] not in "lsz":
        base = base[:-1]  # running → run
    elif re.search(r"[^aeiou][aeiou][bcdfgkmnpstvz]$", base) and len(base) <= 4 or base.endswith(("us", "dg", "iz", "at", "ak")):
        base += "e"  # making → make, using → use
    if base.endswith("y") and len(base) > 1 and base[-2] not in "aeiou":
        return base[:-1] + "ies"
    if base.endswith(("s", "x", "z", "ch", "sh", "o")):
        return base + "es"
    return base + "s"


def _clean(s: str) -> str:
    return re.sub(r"\s+", " ", s).strip(" ,;:-").rstrip(".!?").strip()


def _strip_span(text: str, s: int, e: int) -> tuple[int, int]:
    while s < e and text[s] in " ,;:-\n\t":
        s += 1
    while e > s and text[e - 1] in " ,;:.!?\n\t":
        e -= 1
    return s, e


def deterministic_claims(text: str, question: str | None = None) -> list[AtomicClaim]:
    """Rule-based decomposition (see the module docstring)."""
    sents = sentences(text)
    if question and question.strip() and len(sents) <= 1 and _is_fragment(text):
        s, e = _strip_span(text, 0, len(text))
        if e > s:
            return [AtomicClaim(question_claim(question, text[s:e]), Span(s, e), None, "answer",
                                {"question": question})]
    out: list[AtomicClaim] = []
    last_subject: str | None = None
    for s, e in sents:
        claims, subj = _sentence_claims(text, s, e, last_subject)
        out.extend(claims)
        last_subject = subj or last_subject
    return out


def _is_fragment(answer: str) -> bool:
    """A short answer without its own verb ("Delhi", "President Richard Nixon", "yes")."""
    toks = tokens(answer)
    if not toks:
        return False
    if toks[0].lower in ("yes", "no"):
        return True
    return len(toks) <= 12 and not any(_is_verb(t, toks[i - 1] if i else None) for i, t in enumerate(toks))


def _sentence_claims(text: str, s: int, e: int, last_subject: str | None
                     ) -> tuple[list[AtomicClaim], str | None]:
    s, e = _strip_span(text, s, e)
    sent = text[s:e]
    toks = tokens(sent)
    if not toks:
        return [], None
    subj_text: str | None = None
    resolved_from: str | None = None
    vi = _subject_end(toks)
    first = toks[0]
    if first.lower in PRONOUNS and last_subject and (vi == 1 or vi is None):
        subj_text, resolved_from = last_subject, first.text
    elif vi is not None:
        subj_text = sent[:toks[vi].start].strip(" ,")
        # appositive: "Abraham Lincoln, the 16th president, was born in Kentucky"
        m = re.match(r"([^,]+),\s+((?:the|a|an)\s+[^,]+),\s+$", sent[:toks[vi].start])
        if m:
            subj_text = m.group(1).strip()
    if not subj_text:
        return [AtomicClaim(_clean(sent), Span(s, e), None, "sentence")], None

    # Cut the sentence into a main clause and the predicates that share its subject.
    pieces = _split_predicates(sent, toks, vi if vi is not None else 1)
    claims: list[AtomicClaim] = []
    app = re.match(r"([^,]+),\s+((?:the|a|an)\s+[^,]+),\s+", sent)
    if app and vi is not None and app.end() <= toks[vi].start:
        a0, a1 = _strip_span(text, s + app.start(2), s + app.end(2))
        verb = "was" if toks[vi].lower in ("was", "were", "had", "did") or toks[vi].lower.endswith("ed") else "is"
        claims.append(AtomicClaim(f"{subj_text} {verb} {_clean(app.group(2))}", Span(a0, a1),
                                  subj_text, "appositive"))
    for k, (p0, p1, kind) in enumerate(pieces):
        a0, a1 = _strip_span(text, s + p0, s + p1)
        if a1 <= a0:
            continue
        words = text[a0:a1]
        if k == 0:
            if resolved_from:
                body = words[len(resolved_from):] if words.startswith(resolved_from) else words
                claim_text = _clean(f"{subj_text} {body}")
            elif app and vi is not None and app.end() <= toks[vi].start:
                claim_text = _clean(f"{subj_text} {sent[toks[vi].start:p1]}")
                a0, a1 = _strip_span(text, s + toks[vi].start, s + p1)
                a0 = s + app.start(1) if not claims else a0
                if claims:  # the subject's words belong to the appositive claim's sentence
                    a0 = s + toks[vi].start
            else:
                claim_text = _clean(words)
            claims.append(AtomicClaim(claim_text, Span(a0, a1), subj_text,
                                      "sentence" if len(pieces) == 1 else "clause",
                                      {"resolved": resolved_from} if resolved_from else {}))
            continue
        if kind == "participle":
            pred = re.sub(r"^(\w+)", lambda m: _third_person(m.group(1)), _clean(words), count=1)
        else:
            pred = _clean(words)
        claims.append(AtomicClaim(_clean(f"{subj_text} {pred}"), Span(a0, a1), subj_text, kind))
    return claims, subj_text if not resolved_from else last_subject


_EQUATION = re.compile(r"\d\s*[-+×x*/÷^]\s*\d.*=|=\s*\d")


def _split_predicates(sent: str, toks: Sequence[Token], vi: int) -> list[tuple[int, int, str]]:
    """(start, end, kind) pieces of one sentence: the main clause first, then each
    coordinated or participial predicate that shares the main subject."""
    cuts: list[tuple[int, str]] = []  # (char offset where a new predicate starts, kind)
    depth = 0
    for i in range(vi + 1, len(toks)):
        t, prev = toks[i], toks[i - 1]
        between = sent[prev.end:t.start]
        depth += between.count("(") - between.count(")")
        if depth > 0:
            continue
        nxt = toks[i + 1] if i + 1 < len(toks) else None
        plain_and = prev.lower == "and" and i >= 2 and "," not in sent[toks[i - 2].end:prev.start]
        if plain_and and (t.lower in AUX or (t.text.islower() and t.lower.endswith(("ed", "ing"))
                                              and len(t.lower) > 4)):
            # "... and was born in Kentucky", "flowing ... and emptying ...": a coordinated
            # predicate (an -ing one only continues a participial clause already opened)
            kind = "participle" if t.lower.endswith("ing") and t.lower not in AUX else "clause"
            if kind == "clause" or any(k == "participle" for _, k in cuts):
                cuts.append((prev.start, kind))
            continue
        if "," in between or ";" in between:
            if t.text.islower() and t.lower.endswith("ing") and len(t.lower) > 4 and t.lower not in ("during", "including"):
                cuts.append((t.start, "participle"))
            elif t.lower == "and" and nxt is not None and (nxt.lower in AUX or nxt.lower in _COMMON_VERBS
                                                            or (nxt.text.islower() and nxt.lower.endswith("ed"))):
                cuts.append((t.start, "clause"))
    pieces: list[tuple[int, int, str]] = []
    start, kind = 0, "sentence"
    for off, k in cuts:
        pieces.append((start, off, kind))
        start, kind = off, k
    pieces.append((start, len(sent), kind))
    out = []
    for p0, p1, k in pieces:
        seg = sent[p0:p1]
        lead = re.match(r"[\s,;]*(?:and\s+)?", seg)
        p0 += lead.end() if lead else 0
        out.append((p0, p1, k))
    return out


# =========================================================================== question + answer

_WH = re.compile(r"\b(what|which|who|whom|whose|where|when|how\s+(?:many|much|old|long|tall|far|big|large))\b", re.I)
_YESNO = re.compile(r"^\s*(is|are|was|were|do|does|did|has|have|had|can|could|will|would|should)\b", re.I)


def question_claim(question: str, answer: str) -> str:
    """The statement a short ``answer`` makes in reply to ``question``."""
    q = re.sub(r"\s+", " ", question).strip().rstrip("?").strip()
    a = _clean(answer)
    first = a.split(" ", 1)[0].lower().strip(",.!") if a else ""
    yn = _YESNO.match(q)
    choice = choice_options(q) if yn else None
    if choice and first not in ("yes", "no"):  # "Is A or B the largest ...?" → "A is the largest ..."
        return _clean(f"{a} {choice[0].split(' ', 1)[1]}")
    if yn and first in ("yes", "no"):
        stmt = _declarative_yes_no(q)
        rest = _clean(a[len(first):])
        stmt = stmt if first == "yes" else f"it is not true that {stmt}"
        return f"{stmt}; {rest}" if rest else stmt
    whs = list(_WH.finditer(q))
    if not whs:
        return f"{q}: {a}"
    # the wh-word that asks: the opening one, else the last ("..., who Groening named after who")
    m = whs[0] if whs[0].start() == 0 else whs[-1]
    choice = choice_options(q)
    if choice and m.start() == 0:
        q = choice[0]  # "Which came first, A or B" → "Which came first"
    elif choice and m.start() > 0 and q[m.start():] == choice[0]:
        # "In between A and B which one is in Tennessee" → "which one is in Tennessee"
        q = choice[0]
        m = _WH.match(q) or m
    wh = m.group(1).lower()
    # the wh-phrase: the wh-word plus the noun words that follow it ("what city", "which band")
    after = q[m.end():]
    nm = re.match(r"((?:\s+(?!(?:is|are|was|were|did|does|do|has|have|had|can|could|will|would|should)\b)"
                  r"[\w'’-]+){0,3}?)"
                  r"(?=\s+(?:is|are|was|were|did|does|do|has|have|had|can|could|will|would|should)\b|\s*$)",
                  after) \
        if wh in ("what", "which") else None
    if m.start() > 0 and not re.match(r"^(?:in|on|at|for|from|by|with|of|to)\s*$", q[:m.start()].strip(), re.I):
        # "... has a head office in what city" → "... has a head office in Delhi"
        noun = re.match(r"(?:\s+[a-z][\w'’-]*){0,2}?(?=\s*$|\s+(?:is|are|was|were|did|does|do|has|have|had)\b|[,])", after)
        end = m.end() + (noun.end() if noun and wh in ("what", "which", "whose") else 0)
        return _clean(q[:m.start()] + a + q[end:])
    lead = q[:m.start()].strip()
    rest = after.strip()
    if wh in ("what", "which") and nm is not None:
        rest = after[len(nm.group(1)):].strip() if nm.group(1) else rest
    dated = wh in ("what", "which") and nm is not None and bool(
        re.search(r"\b(year|date|century|decade)\b", nm.group(1) or ""))
    hm = re.match(r"((?:[\w'’-]+\s+){1,3}?)(" + "|".join(_INVERTING) + r")\s+(.*)$", rest, re.I) \
        if wh.startswith("how") else None
    if hm:  # "How many albums did the band release" → "the band released 12 albums"
        noun = hm.group(1).strip()
        own = {stem(t.text) for t in tokens(a)}
        thing = a if {stem(t.text) for t in tokens(noun)} <= own else f"{a} {noun}"
        inv = _inverted(hm.group(2).lower(), hm.group(3), wh, lead, thing, dated)
        if inv is not None:
            return inv
    am = re.match(r"(is|are|was|were|did|does|do|has|have|had|can|could|will|would|should)\s+(.*)$",
                  rest, re.I)
    if am and am.group(1).lower() in _INVERTING:
        # "In which county did X open a bakery" → "X opened a bakery in A"
        inv = _inverted(am.group(1).lower(), am.group(2), wh, lead, a, dated)
        if inv is not None:
            return inv
    prep = f"{lead.lower()} " if lead else ""
    owner = re.search(r"['’]s\s+(.+)$", nm.group(1)) if wh in ("what", "which") and nm is not None else None
    if owner and am and not lead:
        # "Which president's father was a farmer" → "A's father was a farmer"
        mark = "'" if a.endswith("s") else "'s"
        return _clean(f"{a}{mark} {owner.group(1).strip()} {am.group(1)} {am.group(2)}")
    if not am:  # "Who wrote X" → "A wrote X"
        return _clean(f"{a} {rest}")
    aux, body = am.group(1).lower(), am.group(2)
    if aux in ("do", "does", "did"):  # a garbled question: its words, then the answer
        return _clean(f"{body} {prep or {'when': 'in ', 'where': 'in '}.get(wh, '')}{a}")
    words = body.split()
    if words and words[-1].lower() in PREPOSITIONS:  # "the head office in" → "the head office is in A"
        return _clean(f"{' '.join(words[:-1])} {aux} {words[-1]} {a}")
    # a participle is a lower-case word ("Who is the father of Tom Reed" ends in a name, not a verb)
    if words and words[0].islower() and (words[0].endswith("ed") or words[0] in _PARTICIPLES):
        return _clean(f"{a} {aux} {body}")  # "Which magazine was started first" → "A was started first"
    if words and words[-1].islower() and (words[-1].endswith(("ed", "en")) or words[-1] in ("born", "built", "made", "won", "held", "written")):
        tail = {"when": "in ", "where": "in "}.get(wh, "by " if wh in ("who", "whom") else "")
        if dated:
            tail = "in "
        return _clean(f"{' '.join(words[:-1])} {aux} {words[-1]} {prep or tail}{a}")
    if wh in ("who", "what", "which"):
        np_body = bool(re.match(r"(?:the|a|an|his|her|their|its|this|that)\b", body, re.I)) or (
            len(words) > 1 and words[0][:1].isupper())
        return _clean(f"{body} {aux} {a}" if np_body else f"{a} {aux} {body}")
    # "Where is the bakery" → "the bakery is in A"
    return _clean(f"{body} {aux} {prep or ('in ' if wh in ('where', 'when') else '')}{a}")


_OFFERS_OPTIONS = re.compile(r"\b(?:or|either|between)\b", re.I)


_ANSWER_HEAD = re.compile(r"[,;(]|\s(?:and|or)\s", re.I)


def echoes_question(answer: str, question: str, *, short: bool = False) -> bool:
    """Does ``answer`` only repeat the question's own words ("Glass Harbor" to "Which city is
    the band that released Glass Harbor from?")? Such an answer fills the question's slot
    with nothing of its own, so no evidence can verify it. A ``short`` answer (the words that
    fill the slot) echoes too when its head does ("Glass Harbor, Oregon"; a trailing qualifier
    may repeat the question: "Portland, Oregon" to "Which city in Oregon ...?"). Yes/no
    questions (a restated proposition answers them) and questions that offer options (the
    answer picks one of their words) are never echoed.
    """
    if _YESNO.match(question) or choice_options(question) or _OFFERS_OPTIONS.search(question):
        return False
    asked = {stem(t.text) for t in tokens(question)}

    def echo(text: str) -> bool:
        own = {stem(t.text) for t in tokens(text) if t.lower not in STOPWORDS}
        return bool(own) and own <= asked
    return echo(answer) or (short and echo(_ANSWER_HEAD.split(answer, 1)[0]))


def choice_options(question: str) -> tuple[str, list[str]] | None:
    """("Which band formed first", ["Hole", "The Wolfhounds"]) for an either-or question."""
    q = re.sub(r"\s+", " ", question).strip().rstrip("?").strip()
    yn = _YESNO.match(q)
    if yn:  # "Is A or B the largest hospital in Washington" → ("the largest hospital ...", [A, B])
        ns = names(q[yn.end():])
        for a, b in zip(ns, ns[1:]):
            gap = q[yn.end():][a.end:b.start]
            if re.fullmatch(r"\s*,?\s+or\s+(?:the\s+)?", gap):
                rest = q[yn.end():][b.end:].strip(" ,")
                return f"which {yn.group(1).lower()} {rest}", [a.text, b.text]
    i = q.rfind(" or ")
    if i < 0:
        return _which_one(q)
    second = q[i + 4:].strip(" ,")
    ns = [n for n in names(q) if n.end <= i]
    if not ns or not second or len(second.split()) > 8:
        return None
    first = ns[-1]
    if q[first.end:i].strip(" ,\"'"):
        # "Which band formed first, Hole, the band that ..., or The Wolfhounds"
        after_comma = [n for n in ns if "," in q[:n.start] and q[:n.start].rstrip().endswith(",")]
        if not after_comma:
            return None
        first = after_comma[0]
    start = first.start
    while start > 0 and q[start - 1] in " \"'":
        start -= 1
    if q[max(0, start - 4):start].lower() == "the ":
        start -= 4
    head = re.sub(r"(?:,|\s+between)\s*$", "", q[:start].rstrip()).rstrip(" ,:")
    opts = [q[start:first.end].strip(" \"'"), second.strip(" \"'")]
    # "Hole, the rock band that ..., or The Wolfhounds": the first option is the name after the head
    return head, opts
def _which_one(q: str) -> tuple[str, list[str]] | None:
    """("which one is owned by Time Inc", ["El Nuevo Cojo", "Golf Magazine"]) for "A and B
    are both magazines, but which one is owned by Time Inc"."""
    m = re.search(r"\b(?:which|who)\s+(?:one\b|of\s+(?:the\s+two|them|these|the\s+two\s+\w+)\b)", q, re.I)
    if not m:
        return None
    ns = [n for n in names(q[:m.start()])]
    for a, b in zip(ns, ns[1:]):
        if re.fullmatch(r"\s*(?:,\s*)?and\s+(?:the\s+)?", q[a.end:b.start], re.I):
            return q[m.start():].strip(), [a.text, b.text]
    return None


_PARTICIPLES = frozenset("born built made won held written founded known located named released "
                         "formed started begun given taken chosen seen drawn".split())
_PAST_IRREGULAR = {"write": "wrote", "begin": "began", "become": "became", "build": "built",
                   "make": "made", "win": "won", "take": "took", "give": "gave", "lead": "led",
                   "find": "found", "hold": "held", "run": "ran", "sell": "sold", "buy": "bought",
                   "go": "went", "come": "came", "see": "saw", "have": "had", "do": "did",
                   "grow": "grew", "fall": "fell", "leave": "left", "lose": "lost", "meet": "met",
                   "pay": "paid", "say": "said", "tell": "told", "bring": "brought", "teach": "taught",
                   "fight": "fought", "sing": "sang", "speak": "spoke", "choose": "chose",
                   "draw": "drew", "fly": "flew", "know": "knew", "rise": "rose", "stand": "stood",
                   "throw": "threw", "get": "got", "put": "put", "set": "set", "cut": "cut"}


_DOUBLING = frozenset("stop plan drop ship ban rob grab star occur admit commit refer prefer permit "
                      "submit regret control compel".split())


def _past(verb: str) -> str:
    low = verb.lower()
    if low in _PAST_IRREGULAR:
        return _PAST_IRREGULAR[low]
    if low.endswith("e"):
        return verb + "d"
    if low in _DOUBLING:
        return verb + verb[-1] + "ed"  # stop → stopped, occur → occurred
    if re.search(r"[^aeiou]y$", low):
        return verb[:-1] + "ied"
    return verb + "ed"


#: Auxiliaries that put the subject after them in a question ("did X open", "has X won").
_INVERTING = ("do", "does", "did", "has", "have", "had", "can", "could", "will", "would", "should")
_DETERMINERS = frozenset("the a an his her its their this that these those my our your some every "
                         "each any".split())
#: Adjectives that keep a following noun-or-verb word a noun ("the new lead singer").
_PRENOMINAL = frozenset("new old first last former current original main lead head young second "
                        "third final early late".split())
_PARTICLES = frozenset("up out off down away back over".split())
#: Auxiliaries that are never the main verb of an inverted question's clause ("be" and "have" can be).
_FINITE_AUX = AUX - {"be", "been", "have", "has", "had", "do"}
#: Base forms the question rewriter may inflect ("did ... open" → "opened"); a verb it does
#: not know keeps its auxiliary ("did ... perform"), which is grammatical either way.
_BASE_VERBS = frozenset(_PAST_IRREGULAR) | frozenset("""
be open close start found establish create design release record publish produce direct compose
perform play live work die move marry join attend graduate study receive visit debut retire serve
sign invent discover develop launch defeat score host own manage coach represent compete finish
end rule reign invade attack capture destroy kill murder elect appoint name call vote use enter
return travel arrive settle stay reach cross flow empty border cover contain include replace
succeed precede follow adapt translate star appear feature portray voice act train earn award
pass fail collapse sink crash explode occur happen stop change rename merge acquire form split
disband reunite tour last cost weigh measure score introduce describe believe claim announce
report injure rescue save help want need like love hate locate situate base share originate
belong emigrate immigrate premiere air broadcast contain border lie rank inspire influence
""".split())
_PAST_PARTICIPLES = _PARTICIPLES | frozenset(_PAST_IRREGULAR.values()) | frozenset(
    "been done gone seen grown fallen risen thrown known flown drawn chosen spoken sung begun "
    "taken given written".split())


def _starts_noun_phrase(word: str) -> bool:
    return word.lower() in _DETERMINERS or word[:1].isupper() or word[:1].isdigit()


def _main_verb(words: Sequence[str], participle: bool) -> tuple[int, bool] | None:
    """(index, known) of the verb after the subject in ``words`` ("Maria Lind's brother open a
    bakery" → 3); ``known`` says the word is a verb the rewriter can inflect."""
    def lower_word(w: str) -> bool:
        return w.isalpha() and w.islower()

    for i in range(1, len(words)):
        w, prev = words[i], words[i - 1].lower()
        nxt = words[i + 1] if i + 1 < len(words) else ""
        if not lower_word(w) or prev in _DETERMINERS or prev in PREPOSITIONS \
                or prev.endswith(("'s", "’s", "'", "’")):
            continue  # a word after "the", "of" or "Lind's" belongs to the subject
        if prev in _PRENOMINAL and w != "be" and lower_word(nxt) and nxt not in _DETERMINERS \
                and nxt not in PREPOSITIONS:
            continue  # "the new lead singer": a noun before the subject's head noun
        if participle:
            if w in _PAST_PARTICIPLES or (w.endswith(("ed", "en")) and len(w) > 3):
                return i, True
            continue
        if w in _BASE_VERBS:
            if lower_word(words[i - 1]) and nxt in _BASE_VERBS:
                continue  # "the world tour end": "tour" is the subject's noun
            return i, True
    if participle:
        return None
    for i in range(1, len(words)):  # the first word after a name ("did Ann Cole emigrate")
        w, prev = words[i], words[i - 1]
        if lower_word(w) and w not in STOPWORDS and w not in PREPOSITIONS and prev[:1].isupper() \
                and not prev.endswith(("'s", "’s", "'", "’")):
            return i, False
    last = words[-1] if words else ""
    if len(words) > 1 and lower_word(last) and last not in STOPWORDS and last not in PREPOSITIONS:
        return len(words) - 1, False
    return None


def _third_singular(verb: str) -> str:
    low = verb.lower()
    if low in ("be", "have", "do", "go"):
        return {"be": "is", "have": "has", "do": "does", "go": "goes"}[low]
    if re.search(r"[^aeiou]y$", low):
        return verb[:-1] + "ies"
    if low.endswith(("s", "x", "z", "ch", "sh", "o")):
        return verb + "es"
    return verb + "s"


def _inverted(aux: str, body: str, wh: str, lead: str, answer: str, dated: bool) -> str | None:
    """The statement of a question whose subject follows its auxiliary ("[In which county] did
    Maria Lind's brother open a bakery" + "Dale County" → "Maria Lind's brother opened a bakery
    in Dale County"); None when the auxiliary starts no subject (then the wh-word is the
    subject: "Who has won the most titles") or no verb is found."""
    words = body.split()
    perfect = aux in ("has", "have", "had")
    if not words:
        return None
    if aux not in ("do", "does", "did") and not _starts_noun_phrase(words[0]) and not (
            re.fullmatch(r"[a-z]+[^s]s", words[0]) and words[0] not in _BASE_VERBS):
        return None  # the verb follows the auxiliary ("Who has won"): the wh-word is the subject
    if any(w.lower().strip(",;") in _FINITE_AUX for w in words):
        return None  # a second finite verb ("does the stores ... are located"): garbled, kept as is
    found = _main_verb(words, participle=perfect)
    if found is None:
        return None
    v, known = found
    subject, verb = words[:v], words[v]
    plural = any(w.lower() == "and" for w in subject)  # "does A and B have" asks about both
    if aux in ("do", "does", "did"):
        if not known:  # keep the auxiliary, unless the question already inflected the verb
            phrase = verb if verb.endswith("ed") else f"{aux} {verb}"
        elif aux == "did":
            phrase = _past(verb)
        elif aux == "does" and not plural:
            phrase = _third_singular(verb)
        else:
            phrase = verb
    else:
        phrase = f"{aux} {verb}"
    k = v + 1
    while k < len(words) and words[k].lower() in _PARTICLES:
        k += 1
    if k + 1 < len(words) and words[k] == "to" and words[k + 1].isalpha() and words[k + 1].islower():
        k += 2  # "have to limit": the object follows the infinitive
    head, tail = words[v + 1:k], words[k:]
    if lead:  # "For which team does X play" → "X plays for A"
        out = [*subject, phrase, *head, *tail, lead.lower(), answer]
    elif tail and tail[-1].lower() in PREPOSITIONS:  # "Who did Ann work with" → "Ann worked with A"
        out = [*subject, phrase, *head, *tail, answer]
    elif wh in ("when", "where") or dated:
        out = [*subject, phrase, *head, *tail, "in", answer]
    elif not tail or tail[0].lower() in PREPOSITIONS or tail[0][:1].isdigit():
        # the answer is the object: "What did Ada write in 1990" → "Ada wrote A in 1990"
        out = [*subject, phrase, *head, answer, *tail]
    else:  # a second object or a complement follows: "What did Ada name her dog" → "... her dog A"
        out = [*subject, phrase, *head, *tail, answer]
    return _clean(" ".join(out))


def _declarative_yes_no(q: str) -> str:
    """"Are Jane and First for Women both magazines" → "Jane and First for Women are both magazines"."""
    m = _YESNO.match(q)
    assert m
    aux, body = m.group(1), q[m.end():].strip()
    ns = names(body)
    cut = None
    if ns and re.fullmatch(r"\s*(?:both\s+)?(?:the\s+)?", body[:ns[0].start], re.I):
        last = ns[0]
        for n in ns[1:]:
            if re.fullmatch(r"\s*(?:and|or|,)\s*(?:the\s+)?", body[last.end:n.start], re.I):
                last = n
            else:
                break
        cut = last.end
    if cut is None:
        return f"{body} ({aux.lower()})"
    if aux.lower() in ("do", "does", "did"):
        return f"{body[:cut]}{body[cut:]}"
    return f"{body[:cut]} {aux.lower()}{body[cut:]}"


# =========================================================================== LLM-backed

DECOMPOSE_SCHEMA: dict[str, Any] = {
    "type": "object",
    "properties": {
        "claims": {
            "type": "array",
            "maxItems": MAX_LLM_CLAIMS,
            "items": {
                "type": "object",
                "properties": {
                    "claim": {"type": "string", "minLength": 1, "maxLength": 500},
                    "quote": {"type": "string", "minLength": 1, "maxLength": 2000},
                },
                "required": ["claim", "quote"],
            },
        }
    },
    "required": ["claims"],
}

_SYSTEM = ("You split an answer into atomic factual claims. Each claim is one short, "
           "self-contained sentence (replace pronouns by the names they stand for) that uses only "
           "words from the answer or the question. For each claim give `quote`: the exact words of "
           "the answer it comes from, copied verbatim. Reply with JSON only: "
           '{"claims": [{"claim": "...", "quote": "..."}]}.')


def _llm_claims(text: str, question: str | None, llm: Any, timeout: float | None) -> list[AtomicClaim]:
    from verify.llm.structured import complete_json  # lazy: keeps the deterministic path light

    user = (f"Question (context only): {question}\n" if question else "") + f"Answer:\n<<<\n{text}\n>>>"
    data = complete_json(llm, [{"role": "system", "content": _SYSTEM}, {"role": "user", "content": user}],
                         DECOMPOSE_SCHEMA, timeout=timeout or LLM_TIMEOUT_S)
    items = data.get("claims") if isinstance(data, Mapping) else None
    if not isinstance(items, list) or not items:
        raise ValueError("the model returned no claims")
    if len(items) > MAX_LLM_CLAIMS:
        raise ValueError(f"the model returned {len(items)} claims (limit {MAX_LLM_CLAIMS})")
    allowed = {stem(t.text) for t in tokens(text + " " + (question or ""))}
    out: list[AtomicClaim] = []
    for item in items:
        claim, quote = str(item["claim"]).strip(), str(item["quote"]).strip()
        span = _find_quote(text, quote)
        if span is None:
            raise ValueError(f"claim quote not found in the answer: {quote[:80]!r}")
        words = [stem(t.text) for t in tokens(claim) if t.lower not in STOPWORDS]
        novel = [w for w in words if w not in allowed and w not in NEGATIONS]
        if words and (1 - len(novel) / len(words)) < LLM_MIN_GROUNDED_WORDS:
            raise ValueError(f"claim uses words not in the answer or question: {', '.join(novel[:5])}")
        out.append(AtomicClaim(claim, span, None, "llm", {"decomposer": "llm"}))
    return out


def _find_quote(text: str, quote: str) -> Span | None:
    """Where ``quote`` occurs in ``text`` (exact, then whitespace/case-insensitive)."""
    q = quote.strip().strip('"').rstrip(".")
    if not q:
        return None
    i = text.find(q)
    if i >= 0:
        return Span(i, i + len(q))
    pattern = r"\s+".join(re.escape(w) for w in q.split())
    m = re.search(pattern, text, re.I)
    return Span(m.start(), m.end()) if m else None
