"""First-order logic in the FOLIO notation: a safe parser, a typed AST with a JSON form,
and the translation to Z3.

Untrusted text (an LLM's translation, a user's file) never reaches ``eval``: a tokenizer
and a recursive-descent parser build the AST, and every limit (length, nesting, depth) is
checked before anything recursive runs, so hostile input gets a clear error, never a
``RecursionError`` or a hang.

Notation (Unicode and ASCII spellings are interchangeable)::

    ∀ forall all      ∃ exists some     ¬ ~ ! not
    ∧ & && ^ and      ∨ | || or         ⊕ ⊻ xor
    → -> => ⇒ ⟶ ⟹ implies               ↔ <-> <=> ⇔ ⟷ ⟺ iff
    = ==              ≠ !=              ⊤ true        ⊥ false

Precedence, tightest first: ¬, ∧, ∨, ⊕, →, ↔. ``→`` groups to the right; ``∧``/``∨``
chains are one n-ary node; ``⊕`` and ``↔`` group to the left (both are associative, so
grouping never changes the meaning). Mixing ``∧`` and ``∨`` without parentheses is
accepted with a warning (annotators often mean ``A ∧ (B ∨ C)`` by ``A ∧ B ∨ C``).

Quantifier scope: a quantifier followed by a parenthesised formula scopes over exactly that
formula (``∃z (P(z)) → Q`` is ``(∃z P(z)) → Q``); otherwise its scope extends as far right
as possible (``∀x P(x) → Q(x)`` is ``∀x (P(x) → Q(x))``, as in NLTK). Both readings are
what FOLIO's annotators write. ``∀x, y φ`` is ``∀x ∀y φ``; a ``.`` or ``:`` may follow the
variables.

Names are Unicode letters, digits and ``_``, with ``'``, ``’``, ``+`` and combining marks
inside, and ``-``/``.`` between two name characters (``Świątek``, ``Companies’Stocks``,
``c++``, ``mr.smith``, ``l-2021``). The lower-case keywords above are reserved. A name in
argument position is a variable when an enclosing quantifier binds it, otherwise a
constant; ``f(t, ...)`` in argument position is a function term; a bare name in formula
position is a proposition (a 0-ary predicate). Whitespace may separate a predicate from
its ``(``.

JSON form (what an LLM translator should emit; :func:`from_json` rejects anything else)::

    term    := {"var": "x"} | {"const": "socrates"} | {"fn": "motherOf", "args": [term, ...]}
    formula := {"pred": "Man", "args": [term, ...]}        (args may be omitted: arity 0)
             | {"eq": [term, term]}       | {"bool": true}
             | {"not": formula}
             | {"and": [formula, formula, ...]} | {"or": [formula, formula, ...]}
             | {"implies": [formula, formula]}  | {"iff": [...]} | {"xor": [...]}
             | {"forall": "x", "body": formula} | {"exists": "x", "body": formula}

Z3: one uninterpreted sort ``Entity``; constants are ``Entity`` constants, predicates are
functions to ``Bool``, function symbols are functions to ``Entity``. A symbol used with two
arities in one problem is an error (:class:`ArityError`) rather than two silently unrelated
symbols: in a translation it is almost always a mistake, and splitting it would hide it.
Predicates, terms and propositions live in separate namespaces.
"""
from __future__ import annotations

import json
import re
import unicodedata
from dataclasses import dataclass
from typing import Any, Iterable, Iterator, Mapping, Union

MAX_FORMULA_CHARS = 20_000
MAX_NESTING = 100   # parentheses, quantifiers and operator operands open at once
MAX_DEPTH = 200     # depth of the AST (bounds every recursive walk)
MAX_NODES = 20_000  # AST nodes in one formula


# --------------------------------------------------------------------------- AST

@dataclass(frozen=True)
class Var:
    name: str

    def __str__(self) -> str:
        return self.name


@dataclass(frozen=True)
class Const:
    name: str

    def __str__(self) -> str:
        return self.name


@dataclass(frozen=True)
class Func:
    name: str
    args: tuple["Term", ...]

    def __str__(self) -> str:
        return f"{self.name}({', '.join(map(str, self.args))})"


Term = Union[Var, Const, Func]


class _Formula:
    """Shared behaviour of formula nodes: printing and JSON."""

    __slots__ = ()

    def __str__(self) -> str:
        return to_text(self)  # type: ignore[arg-type]

    def to_json(self) -> dict[str, Any]:
        return to_json(self)  # type: ignore[arg-type]


@dataclass(frozen=True)
class Pred(_Formula):
    name: str
    args: tuple[Term, ...] = ()


@dataclass(frozen=True)
class Eq(_Formula):
    left: Term
    right: Term


@dataclass(frozen=True)
class Cmp(_Formula):
    """An arithmetic comparison of two numeric terms (``y > 9``); ``op`` is one of
    ``<``, ``<=``, ``>``, ``>=``. Its terms get a numeric Z3 sort (see :func:`numeric_slots`)."""

    op: str
    left: Term
    right: Term


@dataclass(frozen=True)
class BoolConst(_Formula):
    value: bool


@dataclass(frozen=True)
class Not(_Formula):
    arg: "Formula"


@dataclass(frozen=True)
class And(_Formula):
    args: tuple["Formula", ...]


@dataclass(frozen=True)
class Or(_Formula):
    args: tuple["Formula", ...]


@dataclass(frozen=True)
class Implies(_Formula):
    left: "Formula"
    right: "Formula"


@dataclass(frozen=True)
class Iff(_Formula):
    left: "Formula"
    right: "Formula"


@dataclass(frozen=True)
class Xor(_Formula):
    left: "Formula"
    right: "Formula"


@dataclass(frozen=True)
class Forall(_Formula):
    var: str
    body: "Formula"


@dataclass(frozen=True)
class Exists(_Formula):
    var: str
    body: "Formula"


Formula = Union[Pred, Eq, Cmp, BoolConst, Not, And, Or, Implies, Iff, Xor, Forall, Exists]
FORMULA_TYPES = (Pred, Eq, Cmp, BoolConst, Not, And, Or, Implies, Iff, Xor, Forall, Exists)
COMPARISONS = ("<", "<=", ">", ">=")
MEMBER = "MemberOf"  # the predicate that ``x ∈ S`` reads as (``x ∉ S`` is its negation)


def _children(node: Any) -> tuple[Any, ...]:
    if isinstance(node, (And, Or)):
        return node.args
    if isinstance(node, (Implies, Iff, Xor)):
        return (node.left, node.right)
    if isinstance(node, Not):
        return (node.arg,)
    if isinstance(node, (Forall, Exists)):
        return (node.body,)
    if isinstance(node, (Pred, Func)):
        return node.args
    if isinstance(node, (Eq, Cmp)):
        return (node.left, node.right)
    return ()


def depth(node: Any) -> int:
    """Depth of a formula or term, computed without recursion (safe on any input)."""
    best, stack = 0, [(node, 1)]
    while stack:
        item, d = stack.pop()
        best = max(best, d)
        stack.extend((c, d + 1) for c in _children(item))
    return best


def size(node: Any) -> int:
    """Number of nodes, computed without recursion."""
    count, stack = 0, [node]
    while stack:
        count += 1
        stack.extend(_children(stack.pop()))
    return count


def _check_bounds(node: Any) -> None:
    if size(node) > MAX_NODES:
        raise ValueError(f"formula too large: more than {MAX_NODES:,} nodes")
    if depth(node) > MAX_DEPTH:
        raise ValueError(f"formula nested too deeply: depth over {MAX_DEPTH}")


# --------------------------------------------------------------------------- errors

class FOLSyntaxError(ValueError):
    """A parse error with its position; ``str()`` shows the line with a caret under it."""

    def __init__(self, message: str, text: str, pos: int):
        self.message = message
        self.text = text
        self.pos = max(0, min(pos, len(text)))
        before = text[:self.pos]
        self.line = before.count("\n") + 1
        self.col = self.pos - (before.rfind("\n") + 1) + 1
        super().__init__(self.render())

    def render(self) -> str:
        start = self.text.rfind("\n", 0, self.pos) + 1
        end = self.text.find("\n", self.pos)
        line = self.text[start:end if end >= 0 else len(self.text)]
        col = self.col - 1
        lo = max(0, col - 60)  # show a window of a long line around the error
        shown = ("…" if lo else "") + line[lo:lo + 120] + ("…" if lo + 120 < len(line) else "")
        caret = " " * (col - lo + (1 if lo else 0)) + "^"
        return f"line {self.line}, col {self.col}: {self.message}\n  {shown}\n  {caret}"

    def to_dict(self) -> dict[str, Any]:
        return {"message": self.message, "line": self.line, "col": self.col, "offset": self.pos}


class FOLJSONError(ValueError):
    """A malformed JSON formula; ``path`` (like ``$.and[1].args[0]``) says where."""

    def __init__(self, path: str, message: str):
        self.path = path
        self.message = message
        super().__init__(f"{path}: {message}")


class ArityError(ValueError):
    """One symbol used with two different numbers of arguments in the same problem."""


# --------------------------------------------------------------------------- tokens

@dataclass(frozen=True)
class Token:
    kind: str   # "(", ")", ",", ".", "=", "!=", "name", "eof", or an operator keyword
    text: str
    pos: int


KEYWORDS = {
    "forall": "forall", "all": "forall", "exists": "exists", "some": "exists",
    "not": "not", "and": "and", "or": "or", "implies": "implies", "iff": "iff",
    "xor": "xor", "true": "true", "false": "false",
}

# Longest spelling first, so "<->" wins over "<" and "->".
_SYMBOLS: tuple[tuple[str, str], ...] = tuple(sorted({
    "<->": "iff", "<=>": "iff", "->": "implies", "=>": "implies", "!=": "!=", "==": "=",
    "&&": "and", "||": "or",
    "∀": "forall", "∃": "exists", "¬": "not", "~": "not", "!": "not",
    "∧": "and", "&": "and", "^": "and", "∨": "or", "|": "or",
    "→": "implies", "⟶": "implies", "⇒": "implies", "⟹": "implies",
    "↔": "iff", "⟷": "iff", "⇔": "iff", "⟺": "iff",
    "⊕": "xor", "⊻": "xor", "≠": "!=", "=": "=", "⊤": "true", "⊥": "false",
    "(": "(", ")": ")", ",": ",", ".": ".", ":": ".",
    "<": "<", ">": ">", "<=": "<=", ">=": ">=", "≤": "<=", "≥": ">=",
    "∈": "in", "∉": "notin", "...": "...", "…": "...",
    "[": "[", "]": "]", "{": "{", "}": "}",
}.items(), key=lambda kv: -len(kv[0])))

_DESCRIBE = {"eof": "end of input", "name": "a name"}


def _name_start(ch: str) -> bool:
    return ch.isalnum() or ch == "_"


def _name_char(ch: str) -> bool:
    return ch.isalnum() or ch in "_'’+" or unicodedata.category(ch).startswith("M")


def tokenize(text: str) -> list[Token]:
    """Split ``text`` into tokens. Names read right after a quantifier stop at ``.``
    (so ``∀x.P(x)`` works while ``mr.smith`` stays one name)."""
    tokens: list[Token] = []
    i, n = 0, len(text)
    var_mode = False  # reading the variables of a quantifier
    while i < n:
        ch = text[i]
        if ch.isspace():
            i += 1
            continue
        if _name_start(ch):
            j = i + 1
            while j < n:
                c = text[j]
                if _name_char(c):
                    j += 1
                elif c in "-." and j + 1 < n and _name_start(text[j + 1]) and not (
                        var_mode and c == "."):
                    j += 2
                else:
                    break
            word = unicodedata.normalize("NFC", text[i:j])
            kind = KEYWORDS.get(word, "name")
            tokens.append(Token(kind, word, i))
            if kind in ("forall", "exists"):
                var_mode = True
            elif var_mode:
                k = j
                while k < n and text[k].isspace():
                    k += 1
                var_mode = k < n and text[k] == ","
            i = j
            continue
        if ch in "\"'":
            tokens.append(_quoted(text, i))
            i = text.index(ch, i + 1) + 1
            var_mode = False
            continue
        for sym, kind in _SYMBOLS:
            if text.startswith(sym, i):
                tokens.append(Token(kind, sym, i))
                if kind in ("forall", "exists"):
                    var_mode = True
                elif kind != ",":
                    var_mode = False
                i += len(sym)
                break
        else:
            name = unicodedata.name(ch, "")
            what = f"{ch!r}" + (f" ({name})" if name else "")
            raise FOLSyntaxError(f"unexpected character {what}", text, i)
    tokens.append(Token("eof", "", n))
    return tokens


def _quoted(text: str, i: int) -> Token:
    """A quoted constant (``"The Secret Society"``) as the name ``The_Secret_Society``:
    the characters that cannot occur in a name become ``_``."""
    quote = text[i]
    end = text.find(quote, i + 1)
    newline = text.find("\n", i + 1)
    if end < 0 or 0 <= newline < end:
        raise FOLSyntaxError(f"unclosed quote {quote}", text, i)
    name = "_".join("".join(c if _name_char(c) else " " for c in text[i + 1:end]).split())
    if not name:
        raise FOLSyntaxError("empty quoted name", text, i)
    return Token("name", unicodedata.normalize("NFC", name), i)


def is_name(text: str) -> bool:
    """True when ``text`` reads back as exactly one (non-keyword) name."""
    if not isinstance(text, str) or not text or len(text) > 200:
        return False
    try:
        toks = tokenize(text)
    except FOLSyntaxError:
        return False
    return len(toks) == 2 and toks[0].kind == "name" and toks[0].text == text


# --------------------------------------------------------------------------- parser

_BINARY_PREC = {"iff": 1, "implies": 2, "xor": 3, "or": 4, "and": 5}


def _describe(tok: Token) -> str:
    if tok.kind in _DESCRIBE:
        return _DESCRIBE[tok.kind] if tok.kind == "eof" else f"name {tok.text!r}"
    return repr(tok.text)


_FORMULA_START = ("name", "(", "not", "forall", "exists", "true", "false")


class _Parser:
    def __init__(self, text: str, tokens: list[Token], repair: bool = False):
        self.text = text
        self.tokens = tokens
        self.i = 0
        self.bound: list[str] = []
        self.nesting = 0
        self.repair = repair
        self.repairs: list[Repair] = []
        self.warnings: list[Repair] = []
        self.built: Formula | None = None  # node the last formula() built with a connective

    # -- helpers
    @property
    def peek(self) -> Token:
        return self.tokens[self.i]

    def advance(self) -> Token:
        tok = self.tokens[self.i]
        if tok.kind != "eof":
            self.i += 1
        return tok

    def error(self, message: str, tok: Token | None = None) -> FOLSyntaxError:
        tok = tok or self.peek
        return FOLSyntaxError(message, self.text, tok.pos)

    def where(self, pos: int) -> str:
        line = self.text.count("\n", 0, pos) + 1
        col = pos - (self.text.rfind("\n", 0, pos) + 1) + 1
        return f"line {line}, col {col}" if "\n" in self.text else f"col {col}"

    def enter(self) -> None:
        self.nesting += 1
        if self.nesting > MAX_NESTING:
            raise self.error(f"formula nested too deeply (more than {MAX_NESTING} levels)")

    # -- grammar
    def parse(self) -> Formula:
        if self.peek.kind == "eof":
            raise self.error("empty formula")
        node = self.formula(1)
        tok = self.peek
        if tok.kind == ")":
            raise self.error("unmatched ')'")
        if tok.kind != "eof":
            if tok.kind in ("name", "(", "not", "forall", "exists", "true", "false"):
                raise self.error(f"expected a connective (∧ ∨ → ↔ ⊕) before {_describe(tok)}")
            raise self.error(f"unexpected {_describe(tok)}")
        return node

    def peek_op(self) -> str:
        """The connective ahead. In repair mode a ',' between formulas, or two formulas
        side by side, read as '∧' (the annotators' shorthand)."""
        kind = self.peek.kind
        if self.repair and (kind == "," or kind in _FORMULA_START):
            return "and"
        return kind

    def take_op(self) -> None:
        tok = self.peek
        if tok.kind in _BINARY_PREC:
            self.advance()
        elif tok.kind == ",":
            self.repairs.append(Repair(tok.pos, "read ',' between formulas as '∧'"))
            self.advance()
        else:
            self.repairs.append(Repair(tok.pos, "missing connective: read as '∧'"))

    def formula(self, min_prec: int) -> Formula:
        """Precedence climbing over the binary connectives."""
        self.enter()
        left = self.unary()
        built = False
        while True:
            op = self.peek_op()
            prec = _BINARY_PREC.get(op)
            if prec is None or prec < min_prec:
                break
            op_tok = self.peek
            self.take_op()
            if op in ("and", "or"):
                if op == "or" and built and isinstance(left, And):
                    self.mixed(op_tok)
                args = [left, self.operand(op, prec + 1, op_tok)]
                while self.peek_op() == op:
                    op_tok = self.peek
                    self.take_op()
                    args.append(self.operand(op, prec + 1, op_tok))
                left = (And if op == "and" else Or)(tuple(args))
            elif op == "implies":
                left = Implies(left, self.operand(op, prec, op_tok))
            else:
                right = self.operand(op, prec + 1, op_tok)
                left = Iff(left, right) if op == "iff" else Xor(left, right)
            built = True
        self.nesting -= 1
        self.built = left if built else None
        return left

    def operand(self, op: str, min_prec: int, op_tok: Token) -> Formula:
        self.no_ellipsis()
        if self.peek.kind in ("eof", ")") or self.peek.kind in _BINARY_PREC:
            raise self.error(f"expected a formula after '{op_tok.text}', "
                             f"found {_describe(self.peek)}")
        node = self.formula(min_prec)
        if op == "or" and self.built is node and isinstance(node, And):
            self.mixed(op_tok)
        return node

    def no_ellipsis(self) -> None:
        """``A ∧ ... ∧ B`` leaves formulas out; nothing can say which, so it is an error."""
        if self.peek.kind == "...":
            raise self.error(f"an ellipsis {self.peek.text!r} stands for formulas left out; "
                             "they cannot be guessed: write every one of them")

    def mixed(self, tok: Token) -> None:
        self.warnings.append(Repair(tok.pos, "'∧' and '∨' mixed without parentheses: "
                                             "read with ∧ binding tighter, (A ∧ B) ∨ C"))

    def unary(self) -> Formula:
        nots = 0
        while self.peek.kind == "not":
            self.advance()
            nots += 1
        node = self.quantified() if self.peek.kind in ("forall", "exists") else self.primary()
        for _ in range(nots):
            node = Not(node)
        return node

    def quantified(self) -> Formula:
        quant = self.advance()
        names: list[Token] = []
        while True:
            tok = self.peek
            if tok.kind != "name":
                raise self.error(f"expected a variable after '{quant.text}', found {_describe(tok)}")
            names.append(self.advance())
            if self.peek.kind != ",":
                break
            self.advance()
        if self.peek.kind == ".":
            self.advance()
        if self.peek.kind in ("eof", ")") or self.peek.kind in _BINARY_PREC:
            raise self.error(f"expected the body of '{quant.text}{names[-1].text}', "
                             f"found {_describe(self.peek)}")
        self.bound.extend(t.text for t in names)
        # "∀x (φ)" scopes over the parenthesised φ only; "∀x φ ..." as far right as possible
        body = self.primary() if self.peek.kind == "(" else self.formula(1)
        del self.bound[len(self.bound) - len(names):]
        cls = Forall if quant.kind == "forall" else Exists
        for tok in reversed(names):
            body = cls(tok.text, body)
        return body

    def primary(self) -> Formula:
        self.no_ellipsis()
        tok = self.peek
        if tok.kind == "(":
            self.advance()
            inner = self.formula(1)
            if self.peek.kind != ")":
                raise self.error(f"expected ')' to close the '(' at {self.where(tok.pos)}, "
                                 f"found {_describe(self.peek)}")
            self.advance()
            return inner
        if tok.kind in ("true", "false"):
            self.advance()
            return BoolConst(tok.kind == "true")
        if tok.kind == "name":
            return self.atom()
        if tok.kind == "eof":
            raise self.error("unexpected end of input: expected a formula")
        raise self.error(f"expected a formula, found {_describe(tok)}")

    def atom(self) -> Formula:
        name = self.advance()
        args: tuple[Term, ...] | None = None
        if self.peek.kind == "(":
            args = self.arguments(name, collections=True)
            if any(isinstance(a, tuple) for a in args):
                return self.distribute(name, args)
        if self.peek.kind in ("=", "!="):
            left = self.term_from(name, args)
            op = self.advance()
            right = self.term()
            return Eq(left, right) if op.kind == "=" else Not(Eq(left, right))
        if self.peek.kind in COMPARISONS:
            left = self.term_from(name, args)
            op = self.advance()
            return Cmp(op.kind, left, self.term())
        if self.peek.kind in ("in", "notin"):
            left = self.term_from(name, args)
            op = self.advance()
            member = Pred(MEMBER, (left, self.term()))
            return member if op.kind == "in" else Not(member)
        if args is None and name.text in self.bound:
            raise self.error(f"variable {name.text!r} used as a formula "
                             "(a predicate needs arguments, e.g. P(x))", name)
        return Pred(name.text, args or ())

    def distribute(self, name: Token, args: tuple[Any, ...]) -> Formula:
        """``P(a, {b, c})`` is ``P(a, b) ∧ P(a, c)``: a collection argument distributes
        (one per atom; the atom may not be compared)."""
        if sum(isinstance(a, tuple) for a in args) > 1:
            raise self.error(f"{name.text}(…) has more than one collection argument "
                             "({…} or […]); write the atoms out", name)
        if self.peek.kind in ("=", "!=", "in", "notin") + COMPARISONS:
            raise self.error("a collection ({…} or […]) cannot be compared", self.peek)
        k = next(i for i, a in enumerate(args) if isinstance(a, tuple))
        atoms = tuple(Pred(name.text, args[:k] + (member,) + args[k + 1:])
                      for member in args[k])
        self.warnings.append(Repair(name.pos, f"the collection in argument {k + 1} of "
                                              f"{name.text}(…) distributes: one atom per "
                                              "member, joined by ∧"))
        return atoms[0] if len(atoms) == 1 else And(atoms)

    def collection(self, head: Token, index: int) -> tuple[Term, ...]:
        open_tok = self.advance()
        close = "]" if open_tok.kind == "[" else "}"
        members = [self.term(head, index)]
        while self.peek.kind == ",":
            self.advance()
            members.append(self.term(head, index))
        if self.peek.kind != close:
            raise self.error(f"expected ',' or '{close}' in the collection opened at "
                             f"{self.where(open_tok.pos)}, found {_describe(self.peek)}")
        self.advance()
        return tuple(members)

    def arguments(self, head: Token, collections: bool = False) -> tuple[Any, ...]:
        """The argument terms; with ``collections``, an argument may be ``{t, …}`` or
        ``[t, …]`` (a tuple of terms, see :meth:`distribute`)."""
        open_tok = self.advance()
        if self.peek.kind == ")":
            self.advance()
            return ()
        self.enter()

        def one(index: int) -> Any:
            if collections and self.peek.kind in ("[", "{"):
                return self.collection(head, index)
            return self.term(head, index)

        args = [one(1)]
        while self.peek.kind == ",":
            self.advance()
            args.append(one(len(args) + 1))
        if self.peek.kind != ")":
            raise self.error(f"expected ',' or ')' after argument {len(args)} of "
                             f"{head.text}(…) opened at {self.where(open_tok.pos)}, "
                             f"found {_describe(self.peek)}")
        self.advance()
        self.nesting -= 1
        return tuple(args)

    def term(self, head: Token | None = None, index: int = 0) -> Term:
        tok = self.peek
        if tok.kind in ("forall", "exists") and head is not None:
            raise self.error(f"a quantifier cannot stand in argument {index} of "
                             f"{head.text}(…): an argument is a term; quantify outside the "
                             f"atom, e.g. ∃y ({head.text}(…, y, …) ∧ …)")
        if tok.kind != "name":
            raise self.error(f"expected a term (a constant or variable), found {_describe(tok)}")
        self.advance()
        if self.repair and self.peek.kind == "name":
            words = [tok.text]
            while self.peek.kind == "name":
                words.append(self.advance().text)
            joined = "_".join(words)
            self.repairs.append(Repair(tok.pos, f"name with spaces {' '.join(words)!r} "
                                                f"read as {joined!r}"))
            tok = Token("name", joined, tok.pos)
        args = self.arguments(tok) if self.peek.kind == "(" else None
        return self.term_from(tok, args)

    def term_from(self, tok: Token, args: tuple[Term, ...] | None) -> Term:
        if args is None:
            return Var(tok.text) if tok.text in self.bound else Const(tok.text)
        if not args:
            raise self.error(f"function term {tok.text}() needs arguments", tok)
        if tok.text in self.bound:
            raise self.error(f"variable {tok.text!r} applied to arguments", tok)
        return Func(tok.text, args)


@dataclass(frozen=True)
class Repair:
    """One fix applied by ``parse(..., repair=True)``: what and where (0-based offset)."""

    pos: int
    description: str

    def __str__(self) -> str:
        return f"col {self.pos + 1}: {self.description}"


def _repair_tokens(tokens: list[Token]) -> tuple[list[Token], list[Repair]]:
    """Balance parentheses the way annotators mean them: an unmatched ')' closes a group
    opened at the start (after any leading quantifiers); an unclosed '(' closes at the end;
    a final '.' is dropped."""
    repairs: list[Repair] = []
    body = tokens[:-1]
    eof = tokens[-1]
    if body and body[-1].kind == ".":
        repairs.append(Repair(body[-1].pos, "dropped the final '.'"))
        body = body[:-1]
    opened, depth_now = 0, 0
    for tok in body:
        if tok.kind == "(":
            depth_now += 1
        elif tok.kind == ")":
            if depth_now == 0:
                opened += 1
                repairs.append(Repair(tok.pos, "unmatched ')': grouped what comes before it"))
            else:
                depth_now -= 1
    out = _open_groups(body, opened)
    if depth_now:
        repairs.append(Repair(eof.pos, f"added {depth_now} missing ')' at the end"))
        out += [Token(")", ")", eof.pos)] * depth_now
    return out + [eof], repairs


def _open_groups(body: list[Token], n: int) -> list[Token]:
    """``body`` with ``n`` '(' where the group a stray ')' closes starts: after any leading
    quantifiers ("∀x ∃y ..."), so the quantifiers keep their whole scope."""
    if not n:
        return body
    k = 0
    while k < len(body) and body[k].kind in ("forall", "exists"):
        k += 1
        while k < len(body) and body[k].kind in ("name", ","):
            k += 1
        if k < len(body) and body[k].kind == ".":
            k += 1
    start = body[k].pos if k < len(body) else (body[0].pos if body else 0)
    return body[:k] + [Token("(", "(", start)] * n + body[k:]


def _stray_final_paren(tokens: list[Token]) -> bool:
    """Is the last token a ')' that nothing opened, with every other parenthesis
    balanced? Then the missing '(' can only stand at the start: the group runs to the end,
    and reading it after the leading quantifiers keeps their whole scope (the convention of
    hand-written FOL). Strict mode accepts it, with a warning that says so."""
    body = tokens[:-1]
    depth = 0
    for k, tok in enumerate(body):
        if tok.kind == "(":
            depth += 1
        elif tok.kind == ")":
            depth -= 1
            if depth < 0:
                return k == len(body) - 1
    return False


@dataclass(frozen=True)
class Parsed:
    """A parsed formula with what the parser had to fix (``repairs``, only in repair
    mode) or wants a reader to double-check (``warnings``)."""

    formula: "Formula"
    repairs: tuple[Repair, ...] = ()
    warnings: tuple[Repair, ...] = ()


def parse(text: str, *, repair: bool = False) -> Formula:
    """Parse one formula. Raises :class:`FOLSyntaxError` (with position) on bad input."""
    return parse_full(text, repair=repair).formula


def parse_full(text: str, *, repair: bool = False) -> Parsed:
    """Parse; with ``repair`` also accept the slips seen in hand-written annotations, each
    one recorded so a caller can report it: unbalanced parentheses and a final '.'
    (:func:`_repair_tokens`), ',' or nothing between two formulas (read as ∧), a name
    with spaces inside an argument list (joined with '_'), an empty formula (⊤).
    Strict mode (the default of :func:`parse`) is what untrusted translations get."""
    if not isinstance(text, str):
        raise TypeError(f"a formula must be str, got {type(text).__name__}")
    if len(text) > MAX_FORMULA_CHARS:
        raise FOLSyntaxError(f"formula too long ({len(text):,} characters; "
                             f"limit {MAX_FORMULA_CHARS:,})", text[:200], 0)
    tokens = tokenize(text)
    repairs: list[Repair] = []
    if repair:
        if len(tokens) == 1:
            return Parsed(BoolConst(True), (Repair(0, "empty formula read as ⊤ (no constraint)"),))
        tokens, repairs = _repair_tokens(tokens)
    stray = not repair and _stray_final_paren(tokens)
    if stray:
        tokens = _open_groups(tokens[:-1], 1) + tokens[-1:]
    parser = _Parser(text, tokens, repair)
    node = parser.parse()
    repairs.extend(parser.repairs)
    if stray:
        parser.warnings.append(Repair(tokens[-2].pos, "a stray ')' at the end: read as closing "
                                                     "a group from the start (after the quantifiers)"))
    try:
        _check_bounds(node)
    except ValueError as exc:
        raise FOLSyntaxError(str(exc), text, 0) from None
    return Parsed(node, tuple(repairs), tuple(parser.warnings))


# --------------------------------------------------------------------------- printing

_PREC_OF = {Iff: 1, Implies: 2, Xor: 3, Or: 4, And: 5}
_SYM = {Iff: " ↔ ", Implies: " → ", Xor: " ⊕ ", Or: " ∨ ", And: " ∧ "}


def _prec(node: Formula) -> int:
    if isinstance(node, (Forall, Exists)):
        return 0  # scope runs to the right: parenthesise whenever it is an operand
    return _PREC_OF.get(type(node), 9)


_CMP_TEXT = {"<": "<", "<=": "≤", ">": ">", ">=": "≥"}


def to_text(node: Formula) -> str:
    """Canonical Unicode notation; ``parse(to_text(f)) == f`` for every valid formula."""
    if depth(node) > MAX_DEPTH:
        raise ValueError(f"formula nested too deeply: depth over {MAX_DEPTH}")
    return _fmt(node)


def _wrap(node: Formula, min_prec: int) -> str:
    """Parenthesise when precedence needs it, and also around any binary child of a
    binary connective: ``(A ∧ B) ∨ C`` reads better than relying on precedence."""
    s = _fmt(node)
    binary_child = min_prec < 9 and type(node) in _PREC_OF
    return f"({s})" if _prec(node) < min_prec or binary_child else s


def _fmt(node: Formula) -> str:
    if isinstance(node, Pred):
        return node.name if not node.args else f"{node.name}({', '.join(map(str, node.args))})"
    if isinstance(node, Eq):
        return f"{node.left} = {node.right}"
    if isinstance(node, Cmp):
        return f"{node.left} {_CMP_TEXT[node.op]} {node.right}"
    if isinstance(node, BoolConst):
        return "⊤" if node.value else "⊥"
    if isinstance(node, Not):
        if isinstance(node.arg, Eq):
            return f"{node.arg.left} ≠ {node.arg.right}"
        return "¬" + _wrap(node.arg, 9)
    if isinstance(node, (And, Or)):
        p = _PREC_OF[type(node)]
        return _SYM[type(node)].join(_wrap(a, p + 1) for a in node.args)
    if isinstance(node, Implies):
        return _wrap(node.left, 3) + " → " + _wrap(node.right, 2)
    if isinstance(node, (Iff, Xor)):
        p = _PREC_OF[type(node)]
        return _wrap(node.left, p) + _SYM[type(node)] + _wrap(node.right, p + 1)
    if isinstance(node, (Forall, Exists)):
        q = "∀" if isinstance(node, Forall) else "∃"
        body = node.body
        if isinstance(body, (Forall, Exists)):
            return f"{q}{node.var} {_fmt(body)}"
        inner = _fmt(body)
        atomic = isinstance(body, (Pred, Eq, Cmp, BoolConst))
        return f"{q}{node.var} {inner}" if atomic else f"{q}{node.var} ({inner})"
    raise TypeError(f"not a formula: {type(node).__name__}")


# --------------------------------------------------------------------------- JSON form

_BINARY_JSON = {"and": And, "or": Or, "implies": Implies, "iff": Iff, "xor": Xor}
_JSON_OF = {And: "and", Or: "or", Implies: "implies", Iff: "iff", Xor: "xor"}


def to_json(node: Formula) -> dict[str, Any]:
    """The JSON form documented in the module docstring."""
    if depth(node) > MAX_DEPTH:
        raise ValueError(f"formula nested too deeply: depth over {MAX_DEPTH}")
    return _json(node)


def _term_json(t: Term) -> dict[str, Any]:
    if isinstance(t, Var):
        return {"var": t.name}
    if isinstance(t, Const):
        return {"const": t.name}
    return {"fn": t.name, "args": [_term_json(a) for a in t.args]}


def _json(node: Formula) -> dict[str, Any]:
    if isinstance(node, Pred):
        return {"pred": node.name, "args": [_term_json(a) for a in node.args]}
    if isinstance(node, Eq):
        return {"eq": [_term_json(node.left), _term_json(node.right)]}
    if isinstance(node, Cmp):
        return {"cmp": node.op, "args": [_term_json(node.left), _term_json(node.right)]}
    if isinstance(node, BoolConst):
        return {"bool": node.value}
    if isinstance(node, Not):
        return {"not": _json(node.arg)}
    if isinstance(node, (And, Or)):
        return {_JSON_OF[type(node)]: [_json(a) for a in node.args]}
    if isinstance(node, (Implies, Iff, Xor)):
        return {_JSON_OF[type(node)]: [_json(node.left), _json(node.right)]}
    if isinstance(node, Forall):
        return {"forall": node.var, "body": _json(node.body)}
    if isinstance(node, Exists):
        return {"exists": node.var, "body": _json(node.body)}
    raise TypeError(f"not a formula: {type(node).__name__}")


def from_json(obj: Any) -> Formula:
    """Build a formula from its JSON form (a dict, or a JSON string), validating every
    key, type, name, arity and variable binding. Raises :class:`FOLJSONError`."""
    if isinstance(obj, str):
        if len(obj) > MAX_FORMULA_CHARS * 10:
            raise FOLJSONError("$", "JSON formula too long")
        try:
            obj = json.loads(obj)
        except (json.JSONDecodeError, RecursionError) as exc:
            raise FOLJSONError("$", f"not valid JSON: {exc}") from None
    budget = [MAX_NODES]
    return _from_json(obj, "$", (), budget, 1)


def _expect_dict(obj: Any, path: str, what: str) -> dict:
    if not isinstance(obj, Mapping):
        raise FOLJSONError(path, f"expected {what} (a JSON object), got {type(obj).__name__}")
    return dict(obj)


def _spend(path: str, budget: list[int], d: int) -> None:
    budget[0] -= 1
    if budget[0] < 0:
        raise FOLJSONError(path, f"formula too large: more than {MAX_NODES:,} nodes")
    if d > MAX_DEPTH:
        raise FOLJSONError(path, f"formula nested too deeply: depth over {MAX_DEPTH}")


def _name(value: Any, path: str, what: str) -> str:
    # a quantified variable is read up to the first '.', so it may not contain one
    if not isinstance(value, str) or not is_name(value) or (what == "variable" and "." in value):
        raise FOLJSONError(path, f"invalid {what} name {value!r} (letters, digits, _; "
                                 "not a keyword)")
    return value


def _keys(d: dict, path: str, allowed: set[str], required: set[str]) -> None:
    extra = set(d) - allowed
    if extra:
        raise FOLJSONError(path, f"unexpected key(s) {sorted(extra)}")
    missing = required - set(d)
    if missing:
        raise FOLJSONError(path, f"missing key(s) {sorted(missing)}")


def _term_from_json(obj: Any, path: str, bound: tuple[str, ...], budget: list[int], d: int) -> Term:
    _spend(path, budget, d)
    t = _expect_dict(obj, path, "a term")
    if "var" in t:
        _keys(t, path, {"var"}, {"var"})
        name = _name(t["var"], path + ".var", "variable")
        if name not in bound:
            raise FOLJSONError(path, f"variable {name!r} is not bound by an enclosing quantifier")
        return Var(name)
    if "const" in t:
        _keys(t, path, {"const"}, {"const"})
        name = _name(t["const"], path + ".const", "constant")
        if name in bound:
            raise FOLJSONError(path, f"constant {name!r} is hidden by the quantified variable "
                                     "of the same name; rename one")
        return Const(name)
    if "fn" in t:
        _keys(t, path, {"fn", "args"}, {"fn", "args"})
        name = _name(t["fn"], path + ".fn", "function")
        args = t["args"]
        if not isinstance(args, list) or not args:
            raise FOLJSONError(path + ".args", "a function term needs a non-empty list of terms")
        return Func(name, tuple(_term_from_json(a, f"{path}.args[{i}]", bound, budget, d + 1)
                                for i, a in enumerate(args)))
    raise FOLJSONError(path, f"expected a term: one of the keys var, const, fn; got {sorted(t)}")


def _from_json(obj: Any, path: str, bound: tuple[str, ...], budget: list[int], d: int) -> Formula:
    _spend(path, budget, d)
    f = _expect_dict(obj, path, "a formula")
    heads = [k for k in ("pred", "eq", "cmp", "bool", "not", "and", "or", "implies", "iff", "xor",
                         "forall", "exists") if k in f]
    if len(heads) != 1:
        raise FOLJSONError(path, "expected exactly one of pred, eq, cmp, bool, not, and, or, "
                                 f"implies, iff, xor, forall, exists; got {sorted(f)}")
    head = heads[0]
    if head == "pred":
        _keys(f, path, {"pred", "args"}, {"pred"})
        name = _name(f["pred"], path + ".pred", "predicate")
        args = f.get("args", [])
        if not isinstance(args, list):
            raise FOLJSONError(path + ".args", "expected a list of terms")
        if not args and name in bound:
            raise FOLJSONError(path, f"variable {name!r} used as a formula")
        return Pred(name, tuple(_term_from_json(a, f"{path}.args[{i}]", bound, budget, d + 1)
                                for i, a in enumerate(args)))
    if head == "eq":
        _keys(f, path, {"eq"}, {"eq"})
        pair = f["eq"]
        if not isinstance(pair, list) or len(pair) != 2:
            raise FOLJSONError(path + ".eq", "expected a list of exactly two terms")
        return Eq(_term_from_json(pair[0], path + ".eq[0]", bound, budget, d + 1),
                  _term_from_json(pair[1], path + ".eq[1]", bound, budget, d + 1))
    if head == "cmp":
        _keys(f, path, {"cmp", "args"}, {"cmp", "args"})
        if f["cmp"] not in COMPARISONS:
            raise FOLJSONError(path + ".cmp", f"expected one of {', '.join(COMPARISONS)}")
        pair = f["args"]
        if not isinstance(pair, list) or len(pair) != 2:
            raise FOLJSONError(path + ".args", "expected a list of exactly two terms")
        return Cmp(f["cmp"], _term_from_json(pair[0], path + ".args[0]", bound, budget, d + 1),
                   _term_from_json(pair[1], path + ".args[1]", bound, budget, d + 1))
    if head == "bool":
        _keys(f, path, {"bool"}, {"bool"})
        if not isinstance(f["bool"], bool):
            raise FOLJSONError(path + ".bool", "expected true or false")
        return BoolConst(f["bool"])
    if head == "not":
        _keys(f, path, {"not"}, {"not"})
        return Not(_from_json(f["not"], path + ".not", bound, budget, d + 1))
    if head in ("forall", "exists"):
        _keys(f, path, {head, "body"}, {head, "body"})
        var = _name(f[head], f"{path}.{head}", "variable")
        body = _from_json(f["body"], path + ".body", bound + (var,), budget, d + 1)
        return (Forall if head == "forall" else Exists)(var, body)
    _keys(f, path, {head}, {head})
    items = f[head]
    cls = _BINARY_JSON[head]
    if not isinstance(items, list):
        raise FOLJSONError(f"{path}.{head}", "expected a list of formulas")
    if cls in (And, Or):
        if len(items) < 2:
            raise FOLJSONError(f"{path}.{head}", "expected at least two formulas")
    elif len(items) != 2:
        raise FOLJSONError(f"{path}.{head}", "expected exactly two formulas")
    parts = tuple(_from_json(x, f"{path}.{head}[{i}]", bound, budget, d + 1)
                  for i, x in enumerate(items))
    return cls(parts) if cls in (And, Or) else cls(*parts)


# --------------------------------------------------------------------------- Z3

@dataclass(frozen=True)
class Symbol:
    """A declared symbol: name, arity, and where it was first used (for arity errors)."""

    name: str
    arity: int
    where: str


_NUMBER = re.compile(r"\d+(?:\.\d+)?")


def is_number(name: str) -> bool:
    """A numeric literal constant (``9``, ``42.3``)."""
    return bool(_NUMBER.fullmatch(name))


def numeric_slots(formulas: Iterable[Formula]) -> tuple[frozenset[tuple[Any, ...]], bool]:
    """Sort inference: which argument positions, constants, function values and bound
    variables hold numbers, and whether any literal is non-integral (then numbers are Real,
    else Int).

    Slots that must share a sort are unified: a term and the predicate or function
    position it fills, both sides of ``=``. A numeric literal or either side of a
    comparison makes its whole class numeric; everything else stays ``Entity``. Keys:
    ``("pred", name, i)``, ``("term", name, i)`` (``i = -1``: the value), ``("var", id)``."""
    parent: dict[tuple[Any, ...], tuple[Any, ...]] = {}

    def find(k: tuple[Any, ...]) -> tuple[Any, ...]:
        parent.setdefault(k, k)
        while parent[k] != k:
            parent[k] = parent[parent[k]]
            k = parent[k]
        return k

    def union(a: tuple[Any, ...], b: tuple[Any, ...]) -> None:
        parent[find(a)] = find(b)

    number = ("number",)
    real = False

    def slot(t: Term, env: Mapping[str, int]) -> tuple[Any, ...]:
        nonlocal real
        if isinstance(t, Var):
            return ("var", env.get(t.name, t.name))
        key = ("term", t.name, -1)
        if isinstance(t, Const):
            if is_number(t.name):
                union(key, number)
                real = real or "." in t.name
            return key
        for i, a in enumerate(t.args):
            union(slot(a, env), ("term", t.name, i))
        return key

    stack: list[tuple[Any, Mapping[str, int]]] = [(f, {}) for f in formulas]
    while stack:
        node, env = stack.pop()
        if isinstance(node, Pred):
            for i, a in enumerate(node.args):
                union(slot(a, env), ("pred", node.name, i))
        elif isinstance(node, Eq):
            union(slot(node.left, env), slot(node.right, env))
        elif isinstance(node, Cmp):
            union(slot(node.left, env), number)
            union(slot(node.right, env), number)
        elif isinstance(node, (Forall, Exists)):
            stack.append((node.body, {**env, node.var: id(node)}))
        else:
            stack.extend((c, env) for c in _children(node))
    root = find(number)
    return frozenset(k for k in list(parent) if k != number and find(k) == root), real


class Z3Builder:
    """Translates formulas of one problem into one Z3 context, keeping one signature so a
    symbol means the same thing in every premise and the conclusion. Call :meth:`prepare`
    with every formula of the problem first when they compare numbers, so each symbol gets
    its sort (``Entity``, or ``Int``/``Real``) before the first one is declared."""

    def __init__(self, ctx: Any = None):
        import z3

        self.z3 = z3
        self.ctx = ctx or z3.Context()
        self.entity = z3.DeclareSort("Entity", self.ctx)
        self.symbols: dict[tuple[str, str], Symbol] = {}   # (namespace, name) → Symbol
        self.decls: dict[tuple[str, str], Any] = {}        # (namespace, name) → z3 decl/const
        self._fresh = 0
        self._numeric: frozenset[tuple[Any, ...]] | None = None
        self.number = z3.IntSort(self.ctx)

    def prepare(self, formulas: Iterable[Formula]) -> None:
        """Infer the sorts of every symbol of the problem (see :func:`numeric_slots`)."""
        self._numeric, real = numeric_slots(formulas)
        if real:
            self.number = self.z3.RealSort(self.ctx)

    def _sort(self, key: tuple[Any, ...]) -> Any:
        return self.number if key in (self._numeric or ()) else self.entity

    def _declare(self, namespace: str, name: str, arity: int, where: str) -> Any:
        key = (namespace, name)
        known = self.symbols.get(key)
        if known is not None:
            if known.arity != arity:
                noun = "predicate" if namespace == "pred" else "function/constant"
                raise ArityError(
                    f"{noun} {name!r} is used with {_args(known.arity)} in {known.where} "
                    f"and with {_args(arity)} in {where}; use one arity or two names")
            return self.decls[key]
        z3 = self.z3
        domain = [self._sort((namespace, name, i)) for i in range(arity)]
        if namespace == "pred":
            decl = (z3.Bool(name, self.ctx) if arity == 0 else
                    z3.Function(name, *domain, z3.BoolSort(self.ctx)))
        elif arity == 0:
            decl = z3.Const(name, self._sort(("term", name, -1)))
        else:
            decl = z3.Function(name, *domain, self._sort(("term", name, -1)))
        self.symbols[key] = Symbol(name, arity, where)
        self.decls[key] = decl
        return decl

    def formula(self, node: Formula, where: str = "the formula") -> Any:
        """The Z3 Boolean expression for ``node``. Raises :class:`ArityError`."""
        if depth(node) > MAX_DEPTH:
            raise ValueError(f"{where}: formula nested too deeply (depth over {MAX_DEPTH})")
        if self._numeric is None:
            self.prepare([node])
        return self._f(node, {}, where)

    def _t(self, t: Term, env: dict[str, Any], where: str) -> Any:
        if isinstance(t, Var):
            try:
                return env[t.name]
            except KeyError:
                raise ValueError(f"{where}: variable {t.name!r} is not bound") from None
        if isinstance(t, Const):
            if is_number(t.name):
                return (self.z3.RealVal(t.name, self.ctx) if self.number == self.z3.RealSort(self.ctx)
                        else self.z3.IntVal(t.name, self.ctx))
            return self._declare("term", t.name, 0, where)
        fn = self._declare("term", t.name, len(t.args), where)
        return fn(*[self._t(a, env, where) for a in t.args])

    def _f(self, node: Formula, env: dict[str, Any], where: str) -> Any:
        z3 = self.z3
        if isinstance(node, Pred):
            decl = self._declare("pred", node.name, len(node.args), where)
            return decl if not node.args else decl(*[self._t(a, env, where) for a in node.args])
        if isinstance(node, Eq):
            return self._t(node.left, env, where) == self._t(node.right, env, where)
        if isinstance(node, Cmp):
            left, right = self._t(node.left, env, where), self._t(node.right, env, where)
            return {"<": left < right, "<=": left <= right, ">": left > right,
                    ">=": left >= right}[node.op]
        if isinstance(node, BoolConst):
            return z3.BoolVal(node.value, self.ctx)
        if isinstance(node, Not):
            return z3.Not(self._f(node.arg, env, where))
        if isinstance(node, And):
            return z3.And(*[self._f(a, env, where) for a in node.args])
        if isinstance(node, Or):
            return z3.Or(*[self._f(a, env, where) for a in node.args])
        if isinstance(node, Implies):
            return z3.Implies(self._f(node.left, env, where), self._f(node.right, env, where))
        if isinstance(node, Iff):
            return self._f(node.left, env, where) == self._f(node.right, env, where)
        if isinstance(node, Xor):
            return z3.Xor(self._f(node.left, env, where), self._f(node.right, env, where))
        if isinstance(node, (Forall, Exists)):
            # A fresh Z3 name ('!' never occurs in our names) so a bound variable can never
            # capture a constant that happens to share its name.
            self._fresh += 1
            v = z3.Const(f"{node.var}!{self._fresh}", self._sort(("var", id(node))))
            body = self._f(node.body, {**env, node.var: v}, where)
            return (z3.ForAll if isinstance(node, Forall) else z3.Exists)([v], body)
        raise TypeError(f"not a formula: {type(node).__name__}")


def _args(n: int) -> str:
    return f"{n} argument" + ("" if n == 1 else "s")


def iter_names(node: Formula) -> Iterator[tuple[str, str, int]]:
    """``(kind, name, arity)`` of every symbol occurrence (kind: pred/term/var)."""
    stack: list[Any] = [node]
    while stack:
        item = stack.pop()
        if isinstance(item, Pred):
            yield "pred", item.name, len(item.args)
        elif isinstance(item, Func):
            yield "term", item.name, len(item.args)
        elif isinstance(item, Const):
            yield "term", item.name, 0
        elif isinstance(item, Var):
            yield "var", item.name, 0
        stack.extend(_children(item))
