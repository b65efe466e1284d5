"""Translation validation: does an LLM's logic program say what the text it translates
says? ``check_query`` and ``check_premises`` compare the program's names and polarity with
the question and the context; ``check_query_reading`` and ``cross_check`` compare it with the
controlled-English reading of the text (:mod:`verify.engines.logic.controlled`): a sentence
whose reading no premise states is added, a premise that states one with a slip is replaced,
each change a repaired :class:`Check`, never silent.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from . import fol
from .controlled import _Vocabulary, _read, _same, _stem, read_sentence
from .program import (_STOP, _WORD, Program, Statement, _missing_names, _name_words,
                      _requantify, _symbols, _text_words, statement_of)


@dataclass(frozen=True)
class Check:
    """One cross-check of the program against the source text. ``ok`` False with
    ``repaired`` False is a mismatch that makes the verdict unverified."""

    check: str                 # "query_names", "query_polarity" or "premise_source"
    ok: bool
    message: str
    repaired: bool = False
    line: int | None = None

    def to_dict(self) -> dict[str, Any]:
        return {"check": self.check, "ok": self.ok, "repaired": self.repaired,
                "line": self.line, "message": self.message}


_NOT = re.compile(r"\bnot\b|n't\b", re.I)
_OTHER_NEGATION = re.compile(r"\b(?:no|never|none|nobody|nothing|neither|nor|cannot|without)\b",
                             re.I)
_NEGATIVE_PREFIXES = ("un", "non", "in", "im", "ir", "il", "dis")
_SENTENCE = re.compile(r"(?<=[.!?])\s+")


def _literal(formula: fol.Formula) -> tuple[list[fol.Forall], fol.Pred, bool] | None:
    """``∀… [¬]P(…)`` as (quantifiers, atom, positive), else None."""
    quants: list[fol.Forall] = []
    while isinstance(formula, fol.Forall):
        quants.append(formula)
        formula = formula.body
    if isinstance(formula, fol.Pred):
        return quants, formula, True
    if isinstance(formula, fol.Not) and isinstance(formula.arg, fol.Pred):
        return quants, formula.arg, False
    return None


def check_query(query: Statement, question: str) -> tuple[fol.Formula, list[Check]]:
    """Cross-check the query with the question: its names occur in the statement, and its
    polarity matches the statement's "not". A polarity mismatch is repaired (and says so)
    when it is unambiguous: the query is one literal, the statement has at most one
    "not" and no other negation word, and the predicate's own word stands in the
    statement (after the "not" when adding one, without a negative prefix when dropping
    one)."""
    statement = statement_of(question)
    words = _text_words(statement)
    checks: list[Check] = []
    for kind, name in _missing_names(query.formula, words, statement):
        checks.append(Check("query_names", False, f"the query's {kind} {name!r} does not "
                            f"occur in the question {statement!r} in any form",
                            line=query.line))
    if not any(c.check == "query_names" for c in checks):
        checks.append(Check("query_names", True, "every predicate and constant of the query "
                            "occurs in the question", line=query.line))
    lit = _literal(query.formula)
    nots = len(_NOT.findall(statement))
    if lit is None or _OTHER_NEGATION.search(statement) or nots > 1:
        return query.formula, checks
    quants, atom, positive = lit
    parts = _name_words(atom.name)
    if any(p in ("not", "non", "no") for p in parts) or positive == (nots == 0):
        checks.append(Check("query_polarity", True, "the query's polarity matches the "
                            "question", line=query.line))
        return query.formula, checks
    shown = fol.to_text(query.formula)
    if positive:  # the statement says "not P", the query P
        after = [_stem(w) for w in _WORD.findall(_NOT.split(statement, 1)[1])]
        after = [w for w in after if w not in _STOP and w != "very"][:2]
        fixable = any(_same(p, w) for p in parts for w in after)
        fixed = _requantify(quants, fol.Not(atom))
    else:  # the statement has no negation, the query is ¬P
        lower = [w.lower() for w in _WORD.findall(statement)]
        fixable = any(p == w for p in parts for w in words) and not any(
            w == pre + p or w.startswith(pre + p) for p in parts for w in lower
            for pre in _NEGATIVE_PREFIXES)
        fixed = _requantify(quants, atom)
    said = "says 'not'" if nots else "has no negation"
    if not fixable:
        checks.append(Check("query_polarity", False, f"the question {statement!r} {said} but "
                            f"the query is {shown}; which one is meant is not clear",
                            line=query.line))
        return query.formula, checks
    checks.append(Check("query_polarity", False, f"the question {statement!r} {said} but the "
                        f"query was {shown}: checked {fol.to_text(fixed)} instead",
                        repaired=True, line=query.line))
    return fixed, checks


def check_premises(premises: tuple[Statement, ...], context: str) -> list[Check]:
    """Each premise must map to a sentence (or two adjacent sentences) of the context:
    more than half of the content words of its predicate and constant names occur there."""
    sentences = [s for s in _SENTENCE.split(context.strip()) if s]
    spans = [_text_words(s) for s in sentences]
    spans += [a + b for a, b in zip(spans, spans[1:])]
    checks: list[Check] = []
    for premise in premises:
        parts = sorted({p for _, name in _symbols(premise.formula) for p in _name_words(name)})
        if not parts:
            continue
        need = len(parts) // 2 + 1
        if not any(sum(any(_same(p, w) for w in span) for p in parts) >= need
                   for span in spans):
            checks.append(Check("premise_source", False, f"premise {premise.text!r} maps to no "
                                "sentence of the context (too few of its names occur in "
                                "any one)", line=premise.line))
    if not checks:
        checks.append(Check("premise_source", True, "every premise maps to a sentence of the "
                            "context"))
    return checks


@dataclass(frozen=True)
class Reading:
    """One context sentence read as a formula; ``index`` is 1-based; ``new``: it names a
    predicate the program does not have (such a reading replaces only a premise whose
    comment is the sentence, or whose conclusion is a slip, see :func:`_slip`)."""

    index: int
    sentence: str
    formula: fol.Formula
    new: bool = False


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
