"""Evidence as the checks read it: sentences with their stems, values and names.

A passage is split into sentences once (cached: every claim of an answer is judged against
the same text); a sentence and the next one that goes on with a pronoun form one window.
A claim written all in lower case is recased from the evidence's own spelling.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Sequence

from verify.prose.nlp import STOPWORDS, Name, Token, Value, names, sentences, stem, tokens, values
from .base import Passage
from .lexicon import (FUZZY_MIN_STEM, FUZZY_PREFIX, GENERIC_NAME_WORDS, MAX_UNITS, PASSAGE_CACHE_SIZE,
                      UNIT_CACHE_SIZE)


@dataclass(frozen=True, eq=False)
class Unit:
    """One evidence sentence (or a sentence and its continuation) with everything the checks
    compare; compared by identity, as the sentence at its place in the evidence."""

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


def known(word: str, stems: set[str] | frozenset[str], prefixes: set[str] | frozenset[str],
          is_name: bool) -> bool:
    """Is ``word`` among ``stems``, or (not in a name) a long word sharing a prefix with one
    ("America"/"American")?"""
    if word in stems:
        return True
    return (not is_name and len(word) >= FUZZY_MIN_STEM and word[:FUZZY_PREFIX] in prefixes)


def name_key(n: Name) -> list[str]:
    """The words that make a name this name (not "river" in "Amazon River")."""
    return [w for w in n.words if w not in GENERIC_NAME_WORDS and w not in STOPWORDS]


def cite_unit(u: Unit) -> tuple[Passage, ...]:
    """The sentence as the passage a verdict cites."""
    return (Passage(u.text, u.passage.source, u.passage.citation, u.passage.score),)


_LIST_GAP = re.compile(r"\s*(?:,\s*(?:and\s+|or\s+)?|(?:and|or|&)\s+)(?:the\s+)?", re.I)


def only_listed(subject: Name, unit: Unit) -> bool:
    """Does ``unit`` name the claim's subject only as one item of a list of names ("sent
    students: Georgia, Elmhurst College, St. Olaf College", "named after Otto Stern and Max
    Volmer")? Then a pronoun in the next sentence may stand for any of them."""
    key = set(name_key(subject))
    ns = list(unit.names)
    hits = [k for k, m in enumerate(ns) if key <= set(m.words)]
    if not hits:
        return False

    def listed(k: int) -> bool:
        prev = k > 0 and _LIST_GAP.fullmatch(unit.text[ns[k - 1].end:ns[k].start]) is not None
        nxt = k + 1 < len(ns) and _LIST_GAP.fullmatch(unit.text[ns[k].end:ns[k + 1].start]) is not None
        return prev or nxt
    return all(listed(k) for k in hits)


CONTINUES = re.compile(r"^(?:(?:in|on|at|by|after|before|during|from|since|until)\s+[^,.]{1,40},\s*)?"
                        r"(?:he|she|it|they|his|her|its|their|this|these|there|the\s+\w+\s+also"
                        r"|the\s+(?:\d+-year-old|actor|actress|star|singer|player|striker|midfielder|"
                        r"defender|goalkeeper|manager|coach|man|woman|boy|girl|child|teenager|couple|"
                        r"pair|mother|father|victim|suspect|company|club|team|group|monkey|animal))\b", re.I)



def continuations(units: Sequence[Unit]) -> list[Unit]:
    """A sentence joined with the next when that one goes on with a pronoun
    ("The Amazon flows through Peru. It empties into the Atlantic Ocean.")."""
    out = []
    for a, b in zip(units, units[1:]):
        if b.passage is a.passage and CONTINUES.match(b.text):
            out.append(joined([a, b]))
    return out


def joined(window: Sequence[Unit]) -> Unit:
    """One unit for a sentence and its continuation."""
    if len(window) == 1:
        return window[0]
    a, b = window[0], window[-1]
    return Unit(a.passage, a.start, b.end, a.passage.text[a.start:b.end], a.stems | b.stems,
                tuple(a.seq) + tuple(b.seq), a.titles | b.titles)

