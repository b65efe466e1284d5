"""Logic programs as LLMs write them (Logic-LM style), read into FOL formulas.

Two formats, told apart by their section headers (case-insensitive, one per line; text
after the colon counts as the section's first line; ``Answer:``/``Explanation:`` sections
are the model's own opinion and are skipped with a warning):

Rule programs (Logic-LM's Pyke format; ProntoQA, ProofWriter)::

    Predicates:
    Sour($x, bool) ::: Is x sour?
    Facts:
    Tumpus(Max, True) ::: Max is a tumpus.
    Rules:
    Tumpus($x, True) && Cold($x, False) >>> Sour($x, False)
    Query:
    Sour(Max, False) ::: Max is not sour.

  An atom's last argument ``True``/``False`` is its polarity (``P(a, False)`` is ``¬P(a)``);
  an atom without one is positive. ``$x`` is a variable, universally quantified over its
  line (a line in ``Facts:`` with a ``$x`` but no ``>>>`` is not a fact: Pyke rejects it,
  Verity skips it with a note). ``&&``/``>>>`` are ``∧``/``→``; ``not``, ``!``, ``~``, ``¬`` and ``Not(φ)`` /
  ``Not(φ, True)`` negate; ``P(a) = False`` and ``P(a) is False`` are ``¬P(a)``; a final
  ``.`` is punctuation. A constant written with spaces (``bald eagle``) or quotes is one
  name (``bald_eagle``). Constants are case-insensitive (``Lion`` and ``lion`` are one
  constant, written in lower case); a predicate spelled in two cases is one predicate, with
  a warning.

FOL programs (Logic-LM's format for FOLIO)::

    Predicates:
    Man(x) ::: x is a man.
    Premises:
    ∀x (Man(x) → Mortal(x)) ::: All men are mortal.
    Conclusion:
    Mortal(socrates) ::: Socrates is mortal.

  Each line is FOLIO-style FOL (:mod:`verify.engines.logic.fol`). A variable-like name
  (``x``, ``y1``) that no quantifier binds is universally quantified over its line, as in
  Prover9, which Logic-LM runs these programs with; each such closure is reported.

Everything after ``:::`` on a line is a comment (kept: translation validation reads it).
A rule-program line that is a controlled-English sentence ("Alex is a Zumpus"), or that does
not parse while its comment is one, is read as that sentence over the program's own
predicates (:mod:`verify.engines.logic.controlled`), with a note. Anything else is an error
naming the line: nothing is guessed.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from . import fol
from .controlled import _plural_key, _same, _stem, read_sentence

MAX_PROGRAM_CHARS = 200_000
MAX_STATEMENTS = 500

_SECTION = re.compile(r"^\s*(?P<name>predicates?|facts?|rules?|query|queries|question|premises?|"
                      r"conclusions?|answer|explanation)\s*:(?!::)\s*(?P<rest>.*)$", re.I)
_CANON = {"predicate": "predicates", "fact": "facts", "rule": "rules", "queries": "query",
          "question": "query", "premise": "premises", "conclusions": "conclusion"}
_PYKE = {"facts", "rules", "query"}
_FOL = {"premises", "conclusion"}
_SKIPPED = {"answer", "explanation"}
_VARIABLE_LIKE = re.compile(r"[u-z]\d*")


@dataclass(frozen=True)
class Statement:
    """One formula line of a program: the formula, the text as written, its ``:::``
    comment, its 1-based line number and its section."""

    formula: fol.Formula
    text: str
    comment: str
    line: int
    section: str


@dataclass(frozen=True)
class Program:
    """A program read into formulas. ``predicates`` are the declared predicates with their
    comments; ``notes`` say what the reader read in a way worth double-checking."""

    format: str                       # "rules" (Pyke) or "fol"
    premises: tuple[Statement, ...]
    query: Statement
    predicates: tuple[tuple[str, str], ...] = ()
    notes: tuple[str, ...] = ()


class ProgramError(ValueError):
    """A program that cannot be read: what is wrong, and on which line (1-based)."""

    def __init__(self, message: str, line: int | None = None):
        self.message = message
        self.line = line
        super().__init__(f"line {line}: {message}" if line else message)

    def to_dict(self) -> dict[str, Any]:
        return {"message": self.message, "line": self.line}


def read_program(text: str, *, repair: bool = False, question: str | None = None) -> Program:
    """Read a program (see the module docstring). ``repair`` is passed to the FOL parser
    for FOL programs. A program with several query lines is an error, unless ``question``
    is given and exactly one of them names only things its statement names (that one is
    asked, with a note). Raises :class:`ProgramError`."""
    if not isinstance(text, str):
        raise ProgramError(f"a program must be text, got {type(text).__name__}")
    if len(text) > MAX_PROGRAM_CHARS:
        raise ProgramError(f"program too long ({len(text):,} characters; limit "
                           f"{MAX_PROGRAM_CHARS:,})")
    sections: list[tuple[str, list[tuple[int, str]]]] = []
    notes: list[str] = []
    for no, raw in enumerate(text.splitlines(), 1):
        m = _SECTION.match(raw)
        if m:
            name = m.group("name").lower()
            sections.append((_CANON.get(name, name), []))
            raw = m.group("rest")
        if raw.strip():
            if not sections:
                raise ProgramError("text before the first section header (Predicates:, "
                                   "Facts:, Rules:, Query:, Premises:, Conclusion:)", no)
            sections[-1][1].append((no, raw))
    names = {name for name, _ in sections}
    if names & _PYKE and names & _FOL:
        raise ProgramError("both rule sections (Facts/Rules/Query) and FOL sections "
                           "(Premises/Conclusion): use one format")
    if not names & (_PYKE | _FOL):
        raise ProgramError("no Facts/Rules/Query or Premises/Conclusion section")
    kind = "rules" if names & _PYKE else "fol"
    goal = "query" if kind == "rules" else "conclusion"
    reader = _RuleReader() if kind == "rules" else None
    premises: list[Statement] = []
    goals: list[Statement] = []
    predicates: list[tuple[str, str]] = []
    unread: list[tuple[list[Statement], int, ProgramError]] = []
    for name, lines in sections:
        for no, raw in lines:
            body, _, comment = raw.partition(":::")
            body, comment = body.strip(), comment.strip()
            if name in _SKIPPED:
                notes.append(f"line {no}: the program's own {name} is ignored")
                continue
            if not body or body.lower() == "none":
                continue
            if name == "predicates":
                predicates.append((body, comment))
                continue
            if reader is not None and name == "facts" and "$" in body and not _RULE.search(body):
                notes.append(f"line {no}: {body!r} is not a fact (a fact names things; this "
                             "one would say it of everything): skipped")
                continue
            target = goals if name == goal else premises
            if reader is not None:
                try:
                    formula = reader.line(body, no, asked=name == "query")
                except ProgramError as exc:
                    unread.append((target, len(target), exc))
                    formula = fol.BoolConst(True)  # placeholder, read below or raised
            else:
                formula = _fol_line(body, no, repair, notes)
            target.append(Statement(formula, body, comment, no, name))
    if reader is not None:
        notes.extend(reader.notes)
        _read_english(unread, [st.formula for st in premises + goals], notes)
    if not goals:
        raise ProgramError(f"no {goal}: the {'Query' if goal == 'query' else 'Conclusion'}"
                           " section is missing or empty")
    if len(goals) > 1 and question is not None:
        said = statement_of(question)
        fitting = [g for g in goals if not _missing_names(g.formula, _text_words(said), said)]
        if len(fitting) == 1:
            notes.append(f"line {fitting[0].line}: of the {len(goals)} {goal} lines, the one "
                         "whose names all occur in the question is asked")
            goals = fitting
    if len(goals) > 1:
        raise ProgramError(f"{len(goals)} {goal} lines (lines "
                           f"{', '.join(str(g.line) for g in goals)}); a program asks one "
                           "question", goals[1].line)
    if len(premises) > MAX_STATEMENTS:
        raise ProgramError(f"too many premises ({len(premises)}; limit {MAX_STATEMENTS})")
    statements = _merge_plurals(_unswap(premises + goals, notes), notes)
    if kind == "rules":
        statements = _name_facts(statements[:-1], statements[-1], notes) + statements[-1:]
    return Program(kind, tuple(statements[:-1]), statements[-1], tuple(predicates),
                   tuple(notes))


def _read_english(unread: list[tuple[list[Statement], int, ProgramError]],
                  formulas: list[fol.Formula], notes: list[str]) -> None:
    """A rule-program line that is no formula but a sentence in controlled English
    ("Alex is a Zumpus"), or a line that does not parse whose ``:::`` comment is one
    (English mixed into a formula), is read as that sentence (:mod:`verify.engines.logic.controlled`,
    over the program's own vocabulary), with a note; otherwise its error is raised."""
    for target, k, exc in unread:
        st = target[k]
        for what, text in (("line", st.text), ("comment", st.comment)):
            formula = read_sentence(text, formulas) if text and (
                what == "comment" or "(" not in text) else None
            if formula is not None:
                notes.append(f"line {st.line}: {st.text!r} is no formula; its {what} read "
                             f"in controlled English as {fol.to_text(formula)}")
                target[k] = Statement(formula, st.text, st.comment, st.line, st.section)
                break
        else:
            raise exc


def _name_facts(premises: list[Statement], query: Statement, notes: list[str]
                ) -> list[Statement]:
    """In a rule program, a one-place predicate spelled like one of its constants is that
    individual's name ("Stella($x) ::: Is x Stella?"): ``Stella(stella)`` is added, with a
    note, so rules written over it apply to Stella."""
    consts = {name for st in premises + [query]
              for kind, name, arity in fol.iter_names(st.formula)
              if kind == "term" and arity == 0}
    first: dict[str, int] = {}
    for st in premises:
        for kind, name, arity in fol.iter_names(st.formula):
            if kind == "pred" and arity == 1 and name.lower() in consts:
                first.setdefault(name, st.line)
    added = []
    for name, line in first.items():
        fact = fol.Pred(name, (fol.Const(name.lower()),))
        if any(st.formula == fact for st in premises):
            continue
        notes.append(f"line {line}: the predicate {name!r} names the constant "
                     f"{name.lower()}: {fol.to_text(fact)} added")
        added.append(Statement(fact, fol.to_text(fact), "", line, "facts"))
    return premises + added


def _ground_unary(formula: fol.Formula) -> tuple[fol.Pred, bool] | None:
    """``P(c)`` or ``¬P(c)`` with a constant ``c``: (atom, positive), else None."""
    positive = not isinstance(formula, fol.Not)
    atom = formula.arg if isinstance(formula, fol.Not) else formula
    if isinstance(atom, fol.Pred) and len(atom.args) == 1 and isinstance(atom.args[0], fol.Const):
        return atom, positive
    return None


def _unswap(statements: list[Statement], notes: list[str]) -> list[Statement]:
    """A fact written the wrong way round, ``Stella(Yumpus)`` for "Stella is a yumpus",
    is read as ``Yumpus(stella)`` when the roles are certain: the "predicate" is a
    constant elsewhere in the program and a predicate only in such facts, and the
    "constant" is a one-place predicate of the program."""
    facts = {k: f for k, st in enumerate(statements)
             if (f := _ground_unary(st.formula)) is not None}
    consts: set[str] = set()
    unary: dict[str, str] = {}
    preds_outside: set[str] = set()
    for k, st in enumerate(statements):
        for kind, name, arity in fol.iter_names(st.formula):
            if kind == "term" and arity == 0:
                consts.add(name.lower())
            elif kind == "pred":
                if arity == 1:
                    unary.setdefault(_plural_key(name), name)
                if k not in facts:
                    preds_outside.add(_plural_key(name))
    out = list(statements)
    for k, (atom, positive) in facts.items():
        const = atom.args[0].name  # type: ignore[union-attr]
        pred = unary.get(_plural_key(const))
        if (pred is None or atom.name.lower() not in consts
                or _plural_key(atom.name) in preds_outside):
            continue
        fixed: fol.Formula = fol.Pred(pred, (fol.Const(atom.name.lower()),))
        fixed = fixed if positive else fol.Not(fixed)
        st = statements[k]
        notes.append(f"line {st.line}: {fol.to_text(st.formula)} read as "
                     f"{fol.to_text(fixed)} (the name and the class were swapped)")
        out[k] = Statement(fixed, st.text, st.comment, st.line, st.section)
    return out


def _merge_plurals(statements: list[Statement], notes: list[str]) -> list[Statement]:
    """One predicate written in the singular and the plural (``Rompus``/``Rompuses``,
    same arity) is one predicate: the plural spellings are renamed to the most used one,
    with a note. Two such names never mean two different things."""
    uses: dict[tuple[str, int], dict[str, int]] = {}
    for st in statements:
        for kind, name, arity in fol.iter_names(st.formula):
            if kind == "pred":
                spellings = uses.setdefault((_plural_key(name), arity), {})
                spellings[name] = spellings.get(name, 0) + 1
    statements = _negated_names(statements, uses, notes)
    rename: dict[str, str] = {}
    for spellings in uses.values():
        if len(spellings) > 1:
            main = max(spellings, key=lambda n: (spellings[n], -len(n)))
            for other in spellings:
                if other != main:
                    rename[other] = main
                    notes.append(f"predicate {other!r} read as {main!r} (singular and plural "
                                 "of one name)")
    if not rename:
        return statements
    return [Statement(_rename(st.formula, rename), st.text, st.comment, st.line, st.section)
            for st in statements]


_NOT_NAME = re.compile(r"(?:Not|Non|not_|non_)(?=[A-Z_a-z])(?P<rest>\w+)")


def _negated_names(statements: list[Statement], uses: dict[tuple[str, int], dict[str, int]],
                   notes: list[str]) -> list[Statement]:
    """A predicate named ``NotGreen`` next to ``Green`` (same arity) is its negation:
    ``NotGreen(x)`` is read as ``¬Green(x)``, with a note."""
    negate: dict[str, str] = {}
    for (key, arity), spellings in uses.items():
        for name in spellings:
            m = _NOT_NAME.fullmatch(name)
            base = uses.get((_plural_key(m.group("rest")), arity)) if m else None
            if base:
                negate[name] = max(base, key=lambda n: base[n])
                notes.append(f"predicate {name!r} read as ¬{negate[name]} (its negation is "
                             "in its name)")
    if not negate:
        return statements
    return [Statement(_rename(st.formula, negate, negated=True), st.text, st.comment, st.line,
                      st.section) for st in statements]


def _rename(node: fol.Formula, names: dict[str, str], negated: bool = False) -> fol.Formula:
    """``node`` with its predicates renamed; with ``negated``, each renamed atom is
    negated (depth bounded by the parser)."""
    if isinstance(node, fol.Pred):
        if node.name in names:
            atom = fol.Pred(names[node.name], node.args)
            return fol.Not(atom) if negated else atom
        return node
    if isinstance(node, fol.Not):
        inner = _rename(node.arg, names, negated)
        return inner.arg if isinstance(inner, fol.Not) and negated and isinstance(
            node.arg, fol.Pred) and node.arg.name in names else fol.Not(inner)
    if isinstance(node, (fol.And, fol.Or)):
        return type(node)(tuple(_rename(a, names, negated) for a in node.args))
    if isinstance(node, (fol.Implies, fol.Iff, fol.Xor)):
        return type(node)(_rename(node.left, names, negated), _rename(node.right, names, negated))
    if isinstance(node, (fol.Forall, fol.Exists)):
        return type(node)(node.var, _rename(node.body, names, negated))
    return node


# --------------------------------------------------------------------------- FOL lines

_IF = re.compile(r"^if\s+(?=\S.*(?:→|->|=>|⇒|implies))", re.I)


def _fol_line(body: str, no: int, repair: bool, notes: list[str]) -> fol.Formula:
    if _IF.match(body):  # "If A → B": the arrow already says "if"
        notes.append(f"line {no}: the word 'If' before a formula with '→' is dropped")
        body = body[_IF.match(body).end():]  # type: ignore[union-attr]
    try:
        parsed = fol.parse_full(body, repair=repair)
    except fol.FOLSyntaxError as exc:
        raise ProgramError(f"col {exc.col}: {exc.message}: {body!r}", no) from None
    notes.extend(f"line {no}, {r} (repaired)" for r in parsed.repairs)
    notes.extend(f"line {no}, {w}" for w in parsed.warnings)
    return _close_free(parsed.formula, no, notes)


def _close_free(formula: fol.Formula, no: int, notes: list[str]) -> fol.Formula:
    """Quantify the variable-like names no quantifier binds, the way the line reads, with
    a note: in ``A → B``, one that occurs in ``A`` is ∀ over the line and one only in
    ``B`` is ∃ inside ``B`` ("if x is popular, x has some rating y > 9"); in a statement of
    facts (literals joined by ∧) ∃ over the line; anywhere else ∀ over the line (Prover9's
    convention, which Logic-LM runs these programs with)."""
    free = sorted({name for kind, name, arity in fol.iter_names(formula)
                   if kind == "term" and arity == 0 and _VARIABLE_LIKE.fullmatch(name)})
    if not free:
        return formula
    quants: list[fol.Forall] = []
    body = formula
    while isinstance(body, fol.Forall):
        quants.append(body)
        body = body.body
    inner: list[str] = []
    if isinstance(body, fol.Implies):
        condition = {name for _, name, _ in fol.iter_names(body.left)}
        inner = [v for v in free if v not in condition]
        if inner:
            formula = _requantify(quants, fol.Implies(body.left, _quantify(body.right, inner,
                                                                           fol.Exists)))
        outer, cls = [v for v in free if v in condition], fol.Forall
    elif _factual(body):
        outer, cls = free, fol.Exists
    else:
        outer, cls = free, fol.Forall
    said = [f"{', '.join(outer)} read as {'∀' if cls is fol.Forall else '∃'} over the line"
            ] if outer else []
    said += [f"{', '.join(inner)} read as ∃ in the consequence"] if inner else []
    notes.append(f"line {no}: free variable{'s' if len(free) > 1 else ''} "
                 f"{', '.join(free)}: {'; '.join(said)}")
    return _quantify(formula, outer, cls) if outer else formula


def _factual(node: fol.Formula) -> bool:
    """Literals joined by ∧ only (no ∨, →, ↔, ⊕, quantifier)."""
    stack: list[Any] = [node]
    while stack:
        item = stack.pop()
        if isinstance(item, (fol.And, fol.Not)):
            stack.extend(item.args if isinstance(item, fol.And) else (item.arg,))
        elif not isinstance(item, (fol.Pred, fol.Eq, fol.Cmp, fol.BoolConst)):
            return False
    return True


def _quantify(formula: fol.Formula, names: list[str], cls: type) -> fol.Formula:
    """``cls names formula`` (∀ or ∃), the constants ``names`` inside turned into its
    variables."""
    out = _rebind(formula, frozenset(names))
    for name in reversed(names):
        out = cls(name, out)
    return out


def _rebind_term(t: fol.Term, names: frozenset[str]) -> fol.Term:
    if isinstance(t, fol.Const):
        return fol.Var(t.name) if t.name in names else t
    if isinstance(t, fol.Func):
        return fol.Func(t.name, tuple(_rebind_term(a, names) for a in t.args))
    return t


def _rebind(node: fol.Formula, names: frozenset[str]) -> fol.Formula:
    """Depth is bounded by :data:`fol.MAX_DEPTH` (checked by the parser)."""
    if isinstance(node, fol.Pred):
        return fol.Pred(node.name, tuple(_rebind_term(a, names) for a in node.args))
    if isinstance(node, (fol.Eq, fol.Cmp)):
        left, right = _rebind_term(node.left, names), _rebind_term(node.right, names)
        return fol.Eq(left, right) if isinstance(node, fol.Eq) else fol.Cmp(node.op, left, right)
    if isinstance(node, fol.Not):
        return fol.Not(_rebind(node.arg, names))
    if isinstance(node, (fol.And, fol.Or)):
        return type(node)(tuple(_rebind(a, names) for a in node.args))
    if isinstance(node, (fol.Implies, fol.Iff, fol.Xor)):
        return type(node)(_rebind(node.left, names), _rebind(node.right, names))
    if isinstance(node, (fol.Forall, fol.Exists)):
        inner = names - {node.var}
        return type(node)(node.var, _rebind(node.body, inner) if inner else node.body)
    return node


# --------------------------------------------------------------------------- rule lines

_RULE = re.compile(r">>>|→|->|=>")
_ATOM = re.compile(r"(?<![\w$\x00])([^\W\d]\w*)\s*\(([^()]*)\)")
_OPERATORS = ((">>>", " → "), ("&&", " ∧ "), ("||", " ∨ "))
_POLARITY = {"true": True, "false": False}
_SLOT = re.compile(r"\x00(\d+)\x00")
_NOT_WORD = re.compile(r"\b(?:Not|NOT)\b(?!\s*\()")
_IS_BOOL = re.compile(r"(\x00\d+\x00)\s*(?:=|==|is)\s*(True|False)\b")
_ASKED = re.compile(r"\?|\$?\??[A-Za-z]|bool|unknown|uncertain", re.I)
_BARE_BOOL = re.compile(r"(?<![\w$\x00])(True|False)(?![\w(])")


class _RuleReader:
    """Rewrites each rule line into FOL text atom by atom (innermost first), then parses it
    with the FOL parser, so every error is the FOL parser's precise one."""

    def __init__(self) -> None:
        self.preds: dict[str, str] = {}   # lower-case name → first spelling
        self.notes: list[str] = []

    def line(self, body: str, no: int, asked: bool = False) -> fol.Formula:
        """One line as a formula; ``asked``: the query line, where the truth value may be
        left open (``P(a, ?)``, ``P(a, X)``: the atom itself is asked)."""
        slots: list[str] = []
        variables: list[str] = []
        text = _NOT_WORD.sub("¬", body[:-1] if body.endswith(".") else body)
        for token, sym in _OPERATORS:
            text = text.replace(token, sym)
        while True:
            m = _ATOM.search(text)
            if m is None:
                break
            slots.append(self.atom(m.group(1), m.group(2), slots, variables, body, no, asked))
            text = text[:m.start()] + f"\x00{len(slots) - 1}\x00" + text[m.end():]
        text = _IS_BOOL.sub(lambda m: m.group(1) if m.group(2) == "True"
                            else f"¬{m.group(1)}", text)
        text = _BARE_BOOL.sub(lambda m: "⊤" if m.group(1) == "True" else "⊥", text)
        if "$" in text:
            raise ProgramError(f"a '$' variable outside an atom: {body!r}", no)
        while _SLOT.search(text):
            text = _SLOT.sub(lambda m: slots[int(m.group(1))], text)
        if variables:
            text = "".join(f"∀{v} " for v in variables) + f"({text})"
        try:
            formula = fol.parse(text)
        except fol.FOLSyntaxError as exc:
            raise ProgramError(f"{exc.message} (read as {text!r}, from {body!r})", no) from None
        return _close_free(formula, no, self.notes)

    def atom(self, name: str, inside: str, slots: list[str], variables: list[str],
             body: str, no: int, asked: bool) -> str:
        args = [a.strip() for a in inside.split(",")] if inside.strip() else []
        polarity = True
        if args and args[-1].lower() in _POLARITY:
            polarity = _POLARITY[args.pop().lower()]
        elif asked and len(args) > 1 and _ASKED.fullmatch(args[-1]):
            self.notes.append(f"line {no}: the query leaves the truth value of {name}(…) "
                              f"open ({args[-1]!r}): the atom itself is checked")
            args.pop()
        if name.lower() == "not":
            if len(args) != 1 or not _SLOT.fullmatch(args[0]):
                raise ProgramError(f"Not(…) takes one formula (and optionally True/False): "
                                   f"{body!r}", no)
            inner = slots[int(_SLOT.fullmatch(args[0]).group(1))]
            return f"¬({inner})" if polarity else inner
        if not args:
            raise ProgramError(f"{name}({inside}) has no argument besides its truth value: "
                               f"{body!r}", no)
        terms = [self.term(a, k, name, variables, body, no) for k, a in enumerate(args, 1)]
        pred = self.preds.setdefault(name.lower(), name)
        if pred != name:
            self.notes.append(f"line {no}: predicate {name!r} read as {pred!r} "
                              "(same name, other case)")
        text = f"{pred}({', '.join(terms)})"
        return text if polarity else f"¬{text}"

    def term(self, arg: str, k: int, pred: str, variables: list[str], body: str,
             no: int) -> str:
        where = f"argument {k} of {pred}(…)"
        if _SLOT.search(arg):
            raise ProgramError(f"a formula stands in {where}: an argument is a constant or "
                               f"a $variable: {body!r}", no)
        if arg.startswith("$"):
            var = arg[1:]
            if not re.fullmatch(r"[^\W\d]\w*", var):
                raise ProgramError(f"bad variable {arg!r} in {where}: {body!r}", no)
            if var not in variables:
                variables.append(var)
            return var
        if arg.lower() in _POLARITY:
            raise ProgramError(f"True/False in {where}: only the last argument gives the "
                               f"truth value: {body!r}", no)
        words = re.sub(r"^(['\"])(.*)\1$", r"\2", arg).split()
        if any(w.lower() in ("not", "no") for w in words):
            raise ProgramError(f"a negation inside {where}: negate the atom instead "
                               f"(P(a, False)): {body!r}", no)
        name = "_".join(words).lower()
        if not name or not fol.is_name(name):
            raise ProgramError(f"{arg!r} in {where} is not a constant or a $variable: "
                               f"{body!r}", no)
        return name


def statement_of(question: str) -> str:
    """The statement a question asks about: the text after its last '?', when there is
    any ("Is the following statement true or false? Max is sour." → "Max is sour.")."""
    head, _, tail = question.rpartition("?")
    return tail.strip() if head and tail.strip() else question.strip()


def _requantify(quants: list[fol.Forall], body: fol.Formula) -> fol.Formula:
    for q in reversed(quants):
        body = fol.Forall(q.var, body)
    return body


# --------------------------------------------------------------- names against text
_WORD = re.compile(r"[^\W\d_]+(?:'t)?")
_NAME_WORD = re.compile(r"[A-Z]+(?![a-z])|[A-Z]?[a-z]+|[^\W\d_]+")
_STOP = frozenset("a an the is are am be was were of in on at to for by with and or as it its "
                  "has have do does that this x y z".split())


def _name_words(name: str) -> list[str]:
    """Content words of a symbol name: ``WorkingTitle`` → working, title."""
    return [_stem(w) for part in name.split("_") for w in _NAME_WORD.findall(part)
            if w.lower() not in _STOP and len(w) > 1]

def _text_words(text: str) -> list[str]:
    return [_stem(w) for w in _WORD.findall(text)]

def _joined(name: str, text: str) -> bool:
    """Is ``name`` two or three consecutive words of ``text`` run together
    (``baldeagle`` in "the bald eagle")?"""
    key = re.sub(r"[\W_]", "", name).lower()
    words = [w.lower() for w in _WORD.findall(text)]
    return any("".join(words[i:i + k]) in (key, key + "s") or _plural_key("".join(
        words[i:i + k])) == _plural_key(key) for k in (2, 3) for i in range(len(words)))

def _symbols(formula: fol.Formula) -> list[tuple[str, str]]:
    """(kind, name) of the predicates and constants a check should find in the text."""
    seen: dict[tuple[str, str], None] = {}
    for kind, name, arity in fol.iter_names(formula):
        if kind == "var" or name == fol.MEMBER or fol.is_number(name):
            continue
        seen[("predicate" if kind == "pred" else "constant" if arity == 0 else "function",
              name)] = None
    return list(seen)

def _missing_names(formula: fol.Formula, words: list[str], statement: str = ""
                   ) -> list[tuple[str, str]]:
    """The (kind, name) of ``formula`` that occur in no form among ``words`` (the stems of
    ``statement``)."""
    return [(kind, name) for kind, name in _symbols(formula)
            if (parts := _name_words(name)) and not any(_same(p, w) for p in parts for w in words)
            and not (statement and _joined(name, statement))]
