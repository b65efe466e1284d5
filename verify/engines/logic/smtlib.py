"""SMT-LIB 2 formulas for the logic engine: recognised, screened, then parsed by Z3.

A formula is SMT-LIB when it starts with ``(`` and reads as an s-expression: no FOL
connective symbol (∀ ∃ ¬ ∧ ∨ → ↔ ⊕ …) and no name glued to ``(`` as in ``P(x)``. It is
either one term (``(forall ((x Entity)) (=> (P x) (Q x)))``) or a script of commands.

``z3.parse_smt2_string`` is a parser, not an evaluator, but a script may hold commands
that change solver state or write files (``set-option :regular-output-channel``), so our
own s-expression scanner splits the top level first and lets through only declarations
and ``assert``; harmless bookkeeping (``check-sat``, ``set-logic`` …) is dropped and
everything else is refused. The scanner also bounds length and nesting before Z3 sees
anything.

All declarations of one problem are shared (a premise may declare what the conclusion
uses), the sort ``Entity`` and the symbols of the problem's FOL formulas are predeclared,
so FOL and SMT-LIB formulas can be mixed.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, Mapping, Sequence

MAX_SMT_CHARS = 100_000
MAX_SMT_DEPTH = 200

DECLARATIONS = frozenset({"declare-sort", "declare-fun", "declare-const", "define-fun",
                          "define-sort", "declare-datatype", "declare-datatypes"})
IGNORED = frozenset({"set-logic", "set-info", "check-sat", "get-model", "get-unsat-core",
                     "get-info", "exit"})
COMMANDS = DECLARATIONS | IGNORED | {"assert"} | frozenset({
    "set-option", "push", "pop", "reset", "reset-assertions", "echo", "get-value",
    "get-assertions", "get-proof", "get-option", "check-sat-assuming", "define-fun-rec",
    "define-funs-rec", "eval", "simplify", "include", "declare-map", "apply"})

_FOL_SYMBOLS = re.compile(r"[∀∃¬∧∨→↔⊕⟷⇒⇔≠⊻⟶⟹⟺⊤⊥~&^]")
_GLUED_CALL = re.compile(r"[^\s()|\";]\(")


class SMTLibError(ValueError):
    """An SMT-LIB formula that is malformed, refused, or rejected by Z3."""

    def __init__(self, message: str, line: int | None = None, col: int | None = None):
        self.message = message
        self.line = line
        self.col = col
        where = f"line {line}, col {col}: " if line is not None else ""
        super().__init__(f"SMT-LIB: {where}{message}")

    def to_dict(self) -> dict[str, Any]:
        return {"message": self.message, "line": self.line, "col": self.col}


def looks_like_smtlib(text: str) -> bool:
    """The rule documented above: starts with '(' and reads as an s-expression."""
    stripped = text.lstrip()
    return (stripped.startswith("(") and not _FOL_SYMBOLS.search(stripped)
            and not _GLUED_CALL.search(stripped))


def _line_col(text: str, pos: int) -> tuple[int, int]:
    line = text.count("\n", 0, pos) + 1
    return line, pos - (text.rfind("\n", 0, pos) + 1) + 1


@dataclass(frozen=True)
class _Item:
    start: int
    end: int
    head: str | None  # first symbol inside the list, None for an atom


def _scan(text: str) -> list[_Item]:
    """Top-level s-expressions of ``text`` with their heads; checks balance and depth."""
    items: list[_Item] = []
    i, n, level = 0, len(text), 0
    start, head, want_head = 0, None, False
    while i < n:
        ch = text[i]
        if ch.isspace():
            i += 1
            continue
        if ch == ";":
            nl = text.find("\n", i)
            i = n if nl < 0 else nl + 1
            continue
        if ch == "(":
            if level == 0:
                start, head = i, None
            level += 1
            if level > MAX_SMT_DEPTH:
                raise SMTLibError(f"nested deeper than {MAX_SMT_DEPTH} levels", *_line_col(text, i))
            want_head = level == 1
            i += 1
            continue
        if ch == ")":
            if level == 0:
                raise SMTLibError("unmatched ')'", *_line_col(text, i))
            level -= 1
            want_head = False
            i += 1
            if level == 0:
                items.append(_Item(start, i, head))
            continue
        # an atom: "string", |quoted symbol|, or a plain token
        j = i + 1
        if ch in "\"|":
            close = text.find(ch, i + 1)
            if close < 0:
                what = "string" if ch == '"' else "quoted symbol"
                raise SMTLibError(f"unterminated {what}", *_line_col(text, i))
            j = close + 1
        else:
            while j < n and not text[j].isspace() and text[j] not in "();\"|":
                j += 1
        if want_head:
            head = text[i:j]
            want_head = False
        elif level == 0:
            items.append(_Item(i, j, None))
        i = j
    if level:
        raise SMTLibError(f"{level} unclosed '('", *_line_col(text, n))
    return items


@dataclass(frozen=True)
class Script:
    """One SMT-LIB formula, screened: its declarations, and its own text with everything
    but the ``assert`` commands blanked out (so Z3's line/column numbers still match)."""

    text: str
    declarations: tuple[str, ...]
    body: str
    asserts: int


def read_script(text: str) -> Script:
    """Screen one formula (a bare term or a script). Raises :class:`SMTLibError`."""
    if len(text) > MAX_SMT_CHARS:
        raise SMTLibError(f"formula too long ({len(text):,} characters; limit {MAX_SMT_CHARS:,})")
    items = _scan(text)
    if not items:
        raise SMTLibError("empty formula")
    if not any(it.head in COMMANDS for it in items):
        if len(items) != 1:
            raise SMTLibError("expected one term (or a script of commands), found "
                              f"{len(items)} expressions", *_line_col(text, items[1].start))
        # a bare term: wrap it so Z3 parses it as an assertion, keeping columns aligned
        return Script(text, (), "(assert " + text + ")", 1)
    decls: list[str] = []
    body = list(text)
    asserts = 0
    for it in items:
        if it.head is None:
            raise SMTLibError("expected a command like (assert ...), found an atom",
                              *_line_col(text, it.start))
        if it.head == "assert":
            asserts += 1
            continue
        if it.head in DECLARATIONS:
            decls.append(text[it.start:it.end])
        elif it.head not in IGNORED:
            what = f"command {it.head!r}" if it.head in COMMANDS else f"{it.head!r}"
            raise SMTLibError(f"{what} is not accepted here; a formula may hold only "
                              "declarations and (assert ...)", *_line_col(text, it.start))
        for k in range(it.start, it.end):  # blank it, keep newlines
            if body[k] != "\n":
                body[k] = " "
    return Script(text, tuple(decls), "".join(body), asserts)


_Z3_POS = re.compile(r"line (\d+) column (\d+):\s*")


def _z3_message(exc: Exception) -> tuple[str, int | None, int | None]:
    raw = getattr(exc, "value", exc)
    msg = raw.decode("utf-8", "replace") if isinstance(raw, bytes) else str(raw)
    msg = " ".join(msg.split())
    m = re.search(r'\(error "(.*?)"\)', msg)  # Z3 may list several; the first one counts
    if m:
        msg = m.group(1)
    pos = _Z3_POS.search(msg)
    if not pos:
        return msg, None, None
    return msg[:pos.start()] + msg[pos.end():], int(pos.group(1)), int(pos.group(2))


def parse_scripts(scripts: Sequence[Script], ctx: Any, sorts: Mapping[str, Any],
                  decls: Mapping[str, Any]) -> list[Any]:
    """One Z3 Boolean per script (the conjunction of its asserts; ``True`` when it only
    declares). Raises :class:`SMTLibError` naming the script (0-based) in ``.index``."""
    import z3

    preamble: list[str] = []
    for s in scripts:
        for d in s.declarations:
            if d not in preamble:
                preamble.append(d)
    head = " ".join(preamble)
    out = []
    for index, s in enumerate(scripts):
        src = head + "\n" + s.body
        try:
            vec = z3.parse_smt2_string(src, sorts=dict(sorts), decls=dict(decls), ctx=ctx)
        except z3.Z3Exception as exc:
            msg, line, col = _z3_message(exc)
            if line == 1:
                err = SMTLibError(f"in its declarations: {msg}")
                index = _blame(scripts, ctx, sorts, decls)
            elif line is not None and col is not None:
                # Z3 counts columns from 1 on its first line and from 0 after a newline;
                # our text always starts on Z3's line 2 (the declarations are line 1).
                line, col = line - 1, col + 1
                if not s.declarations and s.body.startswith("(assert ") and line == 1 \
                        and not s.text.lstrip().startswith("(assert"):
                    col = max(1, col - len("(assert "))
                err = SMTLibError(msg, line, col)
            else:
                err = SMTLibError(msg)
            err.index = index  # type: ignore[attr-defined]
            raise err from None
        terms = list(vec)
        out.append(z3.And(*terms) if len(terms) > 1 else
                   terms[0] if terms else z3.BoolVal(True, ctx))
    return out


def _blame(scripts: Sequence[Script], ctx: Any, sorts: Mapping[str, Any],
           decls: Mapping[str, Any]) -> int:
    """Which script's declarations make the shared preamble fail (declarations are added
    script by script until Z3 objects)."""
    import z3

    acc: list[str] = []
    for index, s in enumerate(scripts):
        acc.extend(d for d in s.declarations if d not in acc)
        try:
            z3.parse_smt2_string(" ".join(acc), sorts=dict(sorts), decls=dict(decls), ctx=ctx)
        except z3.Z3Exception:
            return index
    return 0


def uninterpreted_decls(exprs: Sequence[Any]) -> list[Any]:
    """Every user-declared symbol (constant or function) occurring in ``exprs``, found by
    an explicit-stack walk (no recursion on deep terms)."""
    import z3

    seen: set[int] = set()
    found: dict[str, Any] = {}
    stack = list(exprs)
    while stack:
        e = stack.pop()
        if e.get_id() in seen:
            continue
        seen.add(e.get_id())
        if z3.is_quantifier(e):
            stack.append(e.body())
            continue
        if z3.is_app(e):
            d = e.decl()
            if d.kind() == z3.Z3_OP_UNINTERPRETED:
                found.setdefault(f"{d.name()}/{d.arity()}/{d.range()}", d)
            stack.extend(e.children())
    return list(found.values())
