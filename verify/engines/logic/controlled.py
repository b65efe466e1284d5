"""Context sentences in controlled English, read into the program's own logical form, to
cross-check an LLM's logic program against the text it translates.

The reader knows a few general English sentence shapes, nothing else (a sentence of any
other shape, or with a word it cannot place, is not read):

- class statements: "Every/Each X is (not) (a) Y", "All Xs are (not) Ys", "Xs are (not) Y",
  "All A, B things/people are (not) Y", "A, B things are Y" → ``∀x (X(x) → [¬]Y(x))``;
- facts: "Name is (not) (a) Y", "The cat is (not) Y", "Name verbs the cat",
  "The cat does not verb Name" → ``[¬]Y(name)``, ``[¬]Verb(name, cat)``;
- conditionals: "If someone/something/Name is X (and Y / and they verb Z ...) then
  they/it/Name is (not) W" → ``∀x (X(x) ∧ … → [¬]W(x))`` (ground when no one-of-many
  subject).

Words are matched to the program's predicates and constants case-, plural- and
stem-insensitively; a predicate word that matches none is a new predicate only when no
program predicate contains it (``Red`` is no new predicate next to ``IsRed``), and a
sentence none of whose predicates is the program's is not read.

:func:`verify.engines.logic.validate.cross_check` then compares both ways: a sentence whose
reading no premise states is added as a premise; a premise that states one sentence's
reading with the wrong polarity, swapped arguments or a rule generalised from one individual
is replaced by the reading. Each change is a repaired
:class:`~verify.engines.logic.validate.Check`, never silent. The word matching
(``_plural_key``, ``_stem``, ``_same``) lives here and is shared with the program reader.
"""
from __future__ import annotations

import re
from typing import Iterable

from . import fol

_TOKEN = re.compile(r"[A-Za-z]+(?:-[A-Za-z]+)*|,")
_ONE_OF_MANY = frozenset({"someone", "something"})
_PRONOUNS = frozenset({"it", "they", "he", "she"})
_COPULA = frozenset({"is", "are"})
_DO = frozenset({"does", "do"})
_CLASS_NOUNS = frozenset({"things", "people"})
# words that never name a predicate or an individual in these shapes
_FUNCTION = frozenset("a an the if then and or not no is are be does do every each all some "
                      "someone something it they he she things people but of to in on at by "
                      "with as that which who".split())
_VAR = fol.Var("x")


class _Unread(Exception):
    """The sentence is not controlled English this reader can place."""


class _Vocabulary:
    """The program's predicates (by arity) and constants, and how words map onto them."""

    def __init__(self, formulas: Iterable[fol.Formula], known_only: bool = False):
        self.known_only = known_only
        self.preds: dict[int, set[str]] = {}
        self.consts: dict[str, str] = {}
        for formula in formulas:
            for kind, name, arity in fol.iter_names(formula):
                if kind == "pred":
                    self.preds.setdefault(arity, set()).add(name)
                elif kind == "term" and arity == 0:
                    self.consts.setdefault(_squash(name), name)
        self.used_program_pred = self.new_pred = False

    def pred(self, word: str, arity: int) -> str:
        key = _stem(word)
        found = {n for n in self.preds.get(arity, ()) if _same(_stem(n), key)}
        if found and len({_plural_key(n) for n in found}) == 1:  # Zumpus, Zumpuses: one
            self.used_program_pred = True
            return min(found)
        low = word.lower()
        if found or arity != 1 or self.known_only or not low.isalpha() or low in self.consts:
            raise _Unread  # a constant's name said as a class: which is meant is unclear
        if any(low[:4] in n.lower() or _plural_key(low) in n.lower()
               for names in self.preds.values() for n in names):
            raise _Unread  # like a program predicate (IsRed, Gentleman): not clearly new
        self.new_pred = True
        return _plural_key(low).capitalize()

    def const(self, words: list[str]) -> fol.Const:
        key = "".join(words)
        return fol.Const(self.consts.get(key) or self.consts.get("the" + key) or "_".join(words))


def _squash(name: str) -> str:
    return re.sub(r"[\W_]", "", name).lower()


class _Sentence:
    """A recursive-descent reading of one tokenised sentence."""

    def __init__(self, words: list[str], capitals: list[bool], vocab: _Vocabulary):
        self.w, self.cap, self.vocab = words, capitals, vocab

    # -- noun phrases
    def entity(self, i: int, j: int) -> fol.Const:
        """words[i:j] as an individual: a capitalised name or "the" + one or two words."""
        span = self.w[i:j]
        if len(span) == 1 and self.cap[i] and span[0] not in _FUNCTION:
            return self.vocab.const(span)
        if span and span[0] == "the" and 2 <= len(span) <= 3 and not set(span[1:]) & _FUNCTION:
            return self.vocab.const(span[1:])
        raise _Unread

    def subject_end(self, i: int, j: int) -> int:
        """Where the subject starting at ``i`` ends (the next word is the verb)."""
        if self.w[i] in _ONE_OF_MANY | _PRONOUNS or (self.cap[i] and self.w[i] != "the"):
            return i + 1
        if self.w[i] == "the":
            for k in (2, 3):  # "the cat", "the bald eagle": the known constant, else the shorter
                if i + k < j and "".join(self.w[i + 1:i + k]) in self.vocab.consts:
                    return i + k
            return i + 2
        raise _Unread

    # -- clauses
    def clause(self, i: int, j: int, subject: fol.Term | None
               ) -> tuple[fol.Formula, fol.Term]:
        """words[i:j] as one literal, and its subject; ``subject`` fills an elided or
        pronoun subject."""
        if i >= j:
            raise _Unread
        w = self.w
        if w[i] in _COPULA or w[i] in _DO or (w[i] not in _FUNCTION or w[i] == "not") and (
                subject is not None and (i + 1 == j or w[i] == "not")):
            if subject is None:
                raise _Unread
            if w[i] not in _COPULA and w[i] not in _DO:  # "… and not white", "… and kind"
                return self.predicate(i, j, subject), subject
            who, k = subject, i
        else:
            k = self.subject_end(i, j)
            if w[i] in _PRONOUNS:
                if subject is None:
                    raise _Unread
                who = subject
            elif w[i] in _ONE_OF_MANY:
                who = _VAR
            else:
                who = self.entity(i, k)
        if k >= j:
            raise _Unread
        if w[k] in _COPULA:
            return self.predicate(k + 1, j, who), who
        if w[k] in _DO:
            if k + 1 >= j or w[k + 1] != "not":
                raise _Unread
            return fol.Not(self.relation(k + 2, j, who)), who
        return self.relation(k, j, who), who

    def predicate(self, i: int, j: int, who: fol.Term) -> fol.Formula:
        """``(not) (a/an) word`` said of ``who``."""
        positive = True
        if i < j and self.w[i] == "not":
            positive, i = False, i + 1
        if i < j and self.w[i] in ("a", "an"):
            i += 1
        if j - i != 1 or self.w[i] in _FUNCTION:
            raise _Unread
        atom = fol.Pred(self.vocab.pred(self.w[i], 1), (who,))
        return atom if positive else fol.Not(atom)

    def relation(self, i: int, j: int, who: fol.Term) -> fol.Formula:
        """``verb object`` said of ``who``."""
        if j - i < 2 or self.w[i] in _FUNCTION:
            raise _Unread
        return fol.Pred(self.vocab.pred(self.w[i], 2), (who, self.entity(i + 1, j)))

    def conjuncts(self, i: int, j: int, subject: fol.Term | None) -> list[fol.Formula]:
        out: list[fol.Formula] = []
        start = i
        for k in range(i, j + 1):
            if k == j or self.w[k] == "and":
                literal, subject = self.clause(start, k, subject)
                out.append(literal)
                start = k + 1
        return out

    # -- sentences
    def read(self) -> fol.Formula:
        w, n = self.w, len(self.w)
        if not n:
            raise _Unread
        if w[0] == "if":
            if w.count("then") != 1:
                raise _Unread
            t = w.index("then")
            conds = self.conjuncts(1, t, None)
            first = conds[0].arg if isinstance(conds[0], fol.Not) else conds[0]
            subject = first.args[0] if isinstance(first, fol.Pred) else None
            concl = self.conjuncts(t + 1, n, subject)
            body = fol.Implies(_and(conds), _and(concl))
            return fol.Forall("x", body) if _mentions_var(body) else body
        if w[0] in ("every", "each"):
            cop = 2
            if n < 4 or w[cop] != "is" or w[1] in _FUNCTION:
                raise _Unread
            return self.universal([w[1]], cop + 1)
        if "are" in w:
            cop = w.index("are")
            head = [x for x in w[1 if w[0] == "all" else 0:cop] if x != ","]
            if head and head[-1] in _CLASS_NOUNS:
                head = head[:-1]
            elif len(head) != 1:
                raise _Unread
            if not head or set(head) & _FUNCTION:
                raise _Unread
            return self.universal(head, cop + 1)
        return self.clause(0, n, None)[0]

    def universal(self, classes: list[str], k: int) -> fol.Formula:
        conds = [fol.Pred(self.vocab.pred(c, 1), (_VAR,)) for c in classes]
        return fol.Forall("x", fol.Implies(_and(conds), self.predicate(k, len(self.w), _VAR)))


def _and(items: list[fol.Formula]) -> fol.Formula:
    return items[0] if len(items) == 1 else fol.And(tuple(items))


def _mentions_var(node: fol.Formula) -> bool:
    return any(kind == "var" for kind, _, _ in fol.iter_names(node))


def read_sentence(sentence: str, formulas: Iterable[fol.Formula], *,
                  known_only: bool = False) -> fol.Formula | None:
    """``sentence`` as a formula over the vocabulary of ``formulas``, or None when it is
    not controlled English this reader can place unambiguously. ``known_only``: every
    predicate must be one of theirs (no new predicate)."""
    return _read(sentence, _Vocabulary(formulas, known_only))


def _read(sentence: str, vocab: _Vocabulary) -> fol.Formula | None:
    text = sentence.strip().removesuffix(".")  # a program line may have no full stop
    if not text or re.search(r"[^\w\s,'-]", text):
        return None
    tokens = _TOKEN.findall(text)
    words = [t.lower() for t in tokens if t != ","]
    capitals = [t[0].isupper() and k > 0 for k, t in enumerate(t for t in tokens if t != ",")]
    if words and words[0] not in _FUNCTION:
        capitals[0] = True  # the first word is capitalised anyway: a name if no keyword
    if "," in tokens and not ("are" in words and words[0] != "if"):
        return None  # commas only in "Red, cold things are round"
    vocab.used_program_pred = vocab.new_pred = False
    try:
        formula = _Sentence(words, capitals, vocab).read()
    except _Unread:
        return None
    return formula if vocab.used_program_pred else None


def _plural_key(name: str) -> str:
    """``Rompuses``, ``rompus`` → ``rompus``; ``Berries`` → ``berry``."""
    w = name.lower()
    if w.endswith("ies") and len(w) > 4:
        return w[:-3] + "y"
    if w.endswith(("ses", "xes", "zes", "ches", "shes")) and len(w) > 4:
        return w[:-2]
    if w.endswith("s") and not w.endswith(("ss", "us", "is")) and len(w) > 3:
        return w[:-1]
    return w


def _stem(word: str) -> str:
    """A crude stem, enough to match ``likes``/``like``, ``Jompuses``/``jompus``."""
    w = word.lower().replace("’", "'")
    if w.endswith(("ed", "ing")) and len(w) > 5:
        return w[:-2] if w.endswith("ed") else w[:-3]
    return _plural_key(w)


def _same(a: str, b: str) -> bool:
    """Two stems of one word (``jompu``/``jompus``, ``perform``/``performs``)."""
    return a == b or (min(len(a), len(b)) >= 4 and (a.startswith(b) or b.startswith(a)))
