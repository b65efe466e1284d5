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

:func:`cross_check` then compares both ways: a sentence whose reading no premise states is
added as a premise; a premise that states one sentence's reading with the wrong polarity,
swapped arguments or a rule generalised from one individual is replaced by the reading.
Each change is a repaired :class:`~verify.engines.logic.program.Check`, never silent.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Iterable

from . import fol
from .program import _SENTENCE, Check, Program, Statement, _plural_key, _same, _stem

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


@dataclass(frozen=True)
class Reading:
    """One context sentence read as a formula; ``index`` is 1-based; ``new``: it names a
    predicate the program does not have (such a reading replaces only a premise whose
    comment is the sentence, or whose conclusion is a slip, see :func:`_slip`)."""

    index: int
    sentence: str
    formula: fol.Formula
    new: bool = False


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


def check_query_reading(program: Program, query: fol.Formula, statement: str
                        ) -> tuple[fol.Formula, list[Check]]:
    """The question's statement read over the program's predicates (all of them known)
    and constants; a query that says something else (polarity, predicate, arguments) is
    replaced by that reading, reported as repaired."""
    formulas = [st.formula for st in program.premises] + [query]
    reading = read_sentence(statement, formulas, known_only=True)
    if reading is None or _key(query) is None or _key(reading) == _key(query):
        return query, []
    return reading, [Check("query_reading", False, f"the query {fol.to_text(query)} does "
                           f"not say what the question's statement {statement!r} says: "
                           f"checked its reading {fol.to_text(reading)} instead",
                           repaired=True, line=program.query.line)]


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


def read_context(context: str, program: Program) -> list[Reading]:
    """Every sentence of ``context`` that reads in controlled English, with its reading."""
    vocab = _Vocabulary(st.formula for st in program.premises + (program.query,))
    out = []
    for k, sentence in enumerate((s for s in _SENTENCE.split(context.strip()) if s), 1):
        formula = _read(sentence, vocab)
        if formula is not None:
            out.append(Reading(k, sentence.strip(), formula, vocab.new_pred))
    return out


_Literal = tuple[str, tuple[str, ...], bool]
_Key = tuple[frozenset[_Literal], frozenset[_Literal]]


def _key(formula: fol.Formula) -> _Key | None:
    """A rule or fact as (conditions, conclusions), literals as (predicate, arguments,
    positive) with bound variables written ``?0``, ``?1`` in quantifier order; None for
    anything else."""
    bound: dict[str, str] = {}
    while isinstance(formula, fol.Forall):
        bound.setdefault(formula.var, f"?{len(bound)}")
        formula = formula.body
    left, right = ((formula.left, formula.right) if isinstance(formula, fol.Implies)
                   else (None, formula))
    sides = []
    for side in (left, right):
        items = () if side is None else side.args if isinstance(side, fol.And) else (side,)
        lits = []
        for item in items:
            positive = not isinstance(item, fol.Not)
            atom = item.arg if isinstance(item, fol.Not) else item
            if not isinstance(atom, fol.Pred) or not all(
                    isinstance(a, (fol.Var, fol.Const)) for a in atom.args):
                return None
            lits.append((atom.name.lower(), tuple(
                bound.get(a.name, "?") if isinstance(a, fol.Var) else a.name
                for a in atom.args), positive))
        sides.append(frozenset(lits))
    return sides[0], sides[1]


def _words(text: str) -> str:
    return " ".join(re.findall(r"[a-z]+", text.lower()))


def _pairing(level: int, key: _Key, reading: Reading, premise: Statement, pkey: _Key) -> bool:
    """Does ``premise`` translate ``reading``'s sentence, with a slip? By level: 0, its
    comment is the sentence; 1, the same atoms with other polarities, argument orders or
    sides of the arrow; 2, a rule over everything where the sentence names individuals;
    3, the same conditions and conclusion polarity, another conclusion predicate."""
    if level == 0:
        return bool(premise.comment) and _words(premise.comment) == _words(reading.sentence)
    if level == 1:
        return _atoms(key, False) == _atoms(pkey, False)
    if level == 2:
        return bool(key[0]) and _atoms(key, True) == _atoms(pkey, True)
    return (bool(key[0]) and key[0] == pkey[0] and len(key[1]) == len(pkey[1]) == 1
            and [(l[1], l[2]) for l in key[1]] == [(l[1], l[2]) for l in pkey[1]])


def _atoms(key: _Key, general: bool) -> frozenset[tuple[str, tuple[str, ...]]]:
    """The atoms of a rule or fact, whatever their polarity, argument order or side of
    the arrow; ``general`` also forgets which individuals."""
    return frozenset((l[0], tuple("?" for _ in l[1]) if general else tuple(sorted(l[1])))
                     for l in key[0] | key[1])


def cross_check(program: Program, context: str) -> tuple[tuple[Statement, ...], list[Check]]:
    """The program's premises with the context's controlled-English sentences checked
    against them (see the module docstring), and a repaired check per change. A premise
    that states no sentence's reading is paired with an unstated reading at the first
    level of :func:`_pairing` where the pairing is one-to-one, and replaced by it; a
    reading left unpaired is added."""
    premises = list(program.premises)
    keys = [_key(p.formula) for p in premises]
    readings = [(r, k) for r in read_context(context, program) if (k := _key(r.formula))]
    said = {k for _, k in readings}
    said_words = {_stem(w) for w in re.findall(r"[A-Za-z]+", context)}
    free = {i for i, k in enumerate(keys) if k is not None and k not in said}
    open_ = [(r, k) for r, k in readings if k not in keys]
    checks: list[Check] = []
    for level in range(4):
        pairs = {n: [i for i in free if _pairing(level, k, r, premises[i], keys[i])
                     and (not r.new or level == 0 or level == 3 and _slip(keys[i], said_words))]
                 for n, (r, k) in enumerate(open_)}
        taken: dict[int, int] = {}
        for found in pairs.values():
            for i in found:
                taken[i] = taken.get(i, 0) + 1
        done = set()
        for n, found in pairs.items():
            if len(found) != 1 or taken[found[0]] != 1:
                continue
            reading, key = open_[n]
            i, old = found[0], premises[found[0]]
            premises[i] = Statement(reading.formula, old.text, reading.sentence, old.line,
                                    old.section)
            keys[i] = key
            free.discard(i)
            done.add(n)
            checks.append(Check(
                "premise_reading", False, f"premise {old.text!r} contradicts context "
                f"sentence {reading.index}: {reading.sentence} (replaced by its reading "
                f"{fol.to_text(reading.formula)})", repaired=True, line=old.line))
        open_ = [item for n, item in enumerate(open_) if n not in done]
    added = []
    for reading, key in open_:
        if key in keys:  # a sentence said twice
            continue
        shown = fol.to_text(reading.formula)
        added.append(Statement(reading.formula, shown, reading.sentence, 0, "context"))
        keys.append(key)
        checks.append(Check(
            "premise_reading", False, f"added premise from context sentence "
            f"{reading.index}: {reading.sentence} (no premise states it; read as {shown})",
            repaired=True))
    flipped = {_flip(k): r for r, k in readings}
    dropped = set()
    for i in sorted(free):
        reading = flipped.get(keys[i])
        if reading is not None:  # the sentence itself is stated, read or added above
            dropped.add(i)
            checks.append(Check(
                "premise_reading", False, f"premise {premises[i].text!r} says the opposite "
                f"of context sentence {reading.index}: {reading.sentence} (dropped; the "
                "sentence's reading stays)", repaired=True, line=premises[i].line))
    kept = [p for i, p in enumerate(premises) if i not in dropped]
    return tuple(kept + added), checks


def _slip(key: _Key, said_words: set[str]) -> bool:
    """A premise's conclusion predicate is a word the context says (elsewhere): writing
    it here is a slip, not a synonym of the sentence's own (new) word."""
    return all(_stem(l[0]) in said_words for l in key[1])


def _flip(key: _Key) -> _Key:
    """The key with its conclusions negated."""
    return key[0], frozenset((l[0], l[1], not l[2]) for l in key[1])
