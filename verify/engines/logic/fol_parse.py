"""The FOL text reader: tokenizer, recursive-descent parser and the repairs of
hand-written slips (the notation is documented in :mod:`.fol`).

One grammar unit: the tokenizer's name rules, the parser's precedence and scope rules and
the repairs of unbalanced parentheses all read the same token stream, so they change
together. Separate from the AST (:mod:`.fol_ast`), which other readers and the Z3
translation share.
"""
from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from typing import Any

from .fol_ast import (COMPARISONS, MAX_FORMULA_CHARS, MAX_NESTING, MEMBER, And, BoolConst,
                      Cmp, Const, Eq, Exists, Forall, Formula, Func, Iff, Implies, Not, Or,
                      Pred, Term, Var, Xor, check_bounds)


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
        check_bounds(node)
    except ValueError as exc:
        raise FOLSyntaxError(str(exc), text, 0) from None
    return Parsed(node, tuple(repairs), tuple(parser.warnings))

