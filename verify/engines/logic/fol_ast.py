"""The FOL language's data: the typed AST, the limits every reader enforces, walks that
need no recursion, and the two written forms (Unicode text and JSON).

Separate from the readers (:mod:`.fol_parse`, :mod:`.fol_json`) and from the Z3
translation (:mod:`.fol_z3`) because all of them build or consume these nodes; the public
face of the language, with its notation, is :mod:`.fol`.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, Iterator, Union

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


def children(node: Any) -> tuple[Any, ...]:
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
        stack.extend((c, d + 1) for c in children(item))
    return best


def size(node: Any) -> int:
    """Number of nodes, computed without recursion."""
    count, stack = 0, [node]
    while stack:
        count += 1
        stack.extend(children(stack.pop()))
    return count


def check_bounds(node: Any) -> None:
    if size(node) > MAX_NODES:
        raise ValueError(f"formula too large: more than {MAX_NODES:,} nodes")
    if depth(node) > MAX_DEPTH:
        raise ValueError(f"formula nested too deeply: depth over {MAX_DEPTH}")


_NUMBER = re.compile(r"\d+(?:\.\d+)?")


def is_number(name: str) -> bool:
    """A numeric literal constant (``9``, ``42.3``)."""
    return bool(_NUMBER.fullmatch(name))

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
        stack.extend(children(item))

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

_JSON_OF = {And: "and", Or: "or", Implies: "implies", Iff: "iff", Xor: "xor"}


def to_json(node: Formula) -> dict[str, Any]:
    """The JSON form documented in :mod:`.fol` (read back by :func:`.fol_json.from_json`)."""
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

