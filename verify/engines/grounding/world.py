"""Statements about the world: sentences that assert a fact no exact engine can decide.

Under the strict policy a report must not read ``verified`` while one of its sentences states
something about the world ("Paris is the capital of Germany.") that nothing checked. Without
evidence or a knowledge base such a sentence becomes an ``unverified`` claim ("no evidence
given"). A worked solution's narrative ("She sells the rest at the market.", "Natalia sold 48
clips in April.") is not such a statement: it restates the problem, and its arithmetic is
checked on its own.

The test is structural, on what the sentence asserts unconditionally:

- it is declarative (no question, no imperative, no condition or supposition before it);
- it names something: a proper name that is not the sentence's first word, a month, or a
  weekday, and that the question (when given) does not already name; or a proper-name subject
  with an encyclopedic verb (born, founded, wrote...) and a year;
- it relates that name by a copula, an encyclopedic verb, a year, or "the X of" — and it
  carries no quantity but a year after a preposition or a month ("climbed in 1953"): a
  number marks a word problem's data, whose arithmetic the exact engines check.

It errs towards not flagging: a missed world statement is reported in ``unchecked`` (and in
the coverage figure) either way.
"""
from __future__ import annotations

import re
from functools import lru_cache

from verify.prose.nlp import Name, names, sentence_units, stem, tokens

#: Verbs that state encyclopedic facts about a named thing (past and passive forms).
_FACT_VERBS = frozenset("""
born died founded established invented discovered wrote written painted built designed
located situated won elected appointed married created composed directed published named
released premiered crowned assassinated declared signed ruled reigned conquered colonized
colonised launched landed climbed orbits orbit borders capital headquartered ended began
started fought defeated discovered invaded
""".split())

_COPULA = frozenset("is are was were".split())
_YEAR = re.compile(r"\b(?:in|on|since|by|until|from|of|during|around|circa|c\.|"
                   r"january|february|march|april|may|june|july|august|september|october|"
                   r"november|december)\s+(?:\d{1,2},?\s+)?(1[0-9]{3}|20[0-9]{2})\b(?![.,]?\d|\s*[-+×x*/÷=%])",
                   re.I)
_NUMBER = re.compile(r"\d")
_FOUR_DIGITS = re.compile(r"\d{4}")  # no year without them: _YEAR cannot match, so skip it
_CONDITIONAL = re.compile(
    r"^\s*(?:if|suppose|supposing|assume|assuming|let|imagine|when|whenever|unless|maybe|"
    r"perhaps|probably|possibly|i think|i believe|we|you|to|please|note|recall|consider|since|"
    r"because|as|so|then|first|next|finally|second|third|fourth|fifth|lastly|thus|hence|"
    r"therefore|moreover|furthermore|however|similarly|likewise|given|using|where|here|now|"
    r"letting|determine|calculate|compute|find|final answer)\b",
    re.I)
_PRONOUN_SUBJECT = re.compile(r"^\s*(?:he|she|they|it|we|you|i|this|that|these|those|there)\b", re.I)
_OF_RELATION = re.compile(r"\bthe\s+[a-z]+(?:\s+[a-z]+)?\s+of\s+[A-Z]")
#: Typeset mathematics ($…$, \(…\), \[…\]): its capitals are symbols, not names.
_MATH_REGION = re.compile(r"\$\$.*?\$\$|\$[^$]*\$|\\\(.*?\\\)|\\\[.*?\\\]", re.S)
#: Words that mark a text as mathematics, where short capitals ("AB", "PQR") are labels.
_MATH_CONTEXT = re.compile(r"\$|\\[(\[]|\b(?:triangles?|points?|segments?|lines?|angles?|sides?|"
                           r"vert(?:ex|ices)|midpoint|circles?|squares?|polygons?|"
                           r"quadrilaterals?|rectangles?|perimeter)\b", re.I)
#: Nouns of mathematics: a name on one of them ("Binomial Theorem", "Legendre symbol") is a
#: mathematical term, not a thing in the world.
_MATH_NOUNS = frozenset("""
theorem theorems lemma formula formulas formulae law laws rule inequality identity identities
symbol cycle cycles sequence sequences number numbers series method algorithm conjecture
principle polynomial polynomials equation equations distribution function functions graph
graphs matrix matrices transform criterion test integral integrals coefficient coefficients
constant property triangle triangles theory mean means path paths circuit circuits
""".split())


def world_statements(text: str, question: str | None = None) -> list[tuple[int, int]]:
    """(start, end) of each sentence of ``text`` that states a fact about the world."""
    units = [(s, e) for s, e in sentence_units(text) if _may_state_fact(text[s:e])]
    if not units:  # a worked solution: every sentence holds its data (no scan for math words)
        return []
    asked = frozenset(stem(t.text) for t in tokens(question)) if question else frozenset()
    in_math = bool(_MATH_CONTEXT.search(text))
    return [(s, e) for s, e in units if _states_fact(text[s:e], asked, in_math)]


def _may_state_fact(sentence: str) -> bool:
    """The tests of :func:`_states_world_fact` that read the sentence alone: a declarative
    sentence with no condition before it and no quantity but a year."""
    body = sentence.strip()
    if not body or body.endswith("?") or _CONDITIONAL.match(body):
        return False
    return not (_NUMBER.search(body) and (not _FOUR_DIGITS.search(body)
                                          or _NUMBER.search(_YEAR.sub("", body))))


def _states_fact(sentence: str, asked: frozenset[str], in_math: bool) -> bool:
    """:func:`_states_world_fact`, cached for sentences of ordinary length (a re-checked
    correction repeats most sentences of the text; a long one is not kept in memory)."""
    if len(sentence) <= _CACHED_CHARS:
        return _states_world_fact_cached(sentence, asked, in_math)
    return _states_world_fact(sentence, asked, in_math)


_CACHED_CHARS = 600


def _mathematical(name: Name, prose: str, in_math: bool) -> bool:
    """Whether ``name`` is a symbol or a term of mathematics rather than a thing in the world:
    a single capital ("P"), a short run of capitals in a mathematical text ("triangle ABC"),
    or a name on a mathematical noun ("Pythagorean Theorem", "Hamiltonian cycle")."""
    toks = tokens(name.text)
    if len(toks) == 1 and len(toks[0].text) == 1:
        return True
    if in_math and all(t.text.isupper() and len(t.text) <= 4 for t in toks):
        return True
    after = tokens(prose[name.end:name.end + 40])
    return (any(t.lower in _MATH_NOUNS for t in toks)
            or bool(after) and after[0].lower in _MATH_NOUNS and after[0].start <= 1)


def _states_world_fact(sentence: str, asked: frozenset[str], in_math: bool = False) -> bool:
    if not _may_state_fact(sentence):
        return False  # "Jane is 5 years older": a word problem's quantity, not a record
    body = sentence.strip()
    words = [t.lower for t in tokens(body)]
    fact_verb = any(w in _FACT_VERBS for w in words)
    year = bool(_YEAR.search(body))
    prose = _MATH_REGION.sub(lambda m: " " * len(m.group()), body)
    found = [n for n in names(prose, frozenset({0}))
             if not set(n.words) <= asked and not _mathematical(n, prose, in_math)]
    named = [n for n in found if n.start > 0]
    subject_named = [n for n in found if n.start == 0]
    if _PRONOUN_SUBJECT.match(body):
        named = [n for n in named if fact_verb or year]
        subject_named = []
    relates = (fact_verb or year or bool(_OF_RELATION.search(body))
               or any(w in _COPULA for w in words))
    if named and relates:
        return True
    return bool(subject_named) and fact_verb and year


_states_world_fact_cached = lru_cache(maxsize=4096)(_states_world_fact)
