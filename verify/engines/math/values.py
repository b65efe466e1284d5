"""The parsed forms of a math answer: what the LaTeX parser returns and equivalence compares.

An answer is more than an expression: it can be an equation (``x = 3``), an inequality, a
list of roots (order does not matter), a tuple (order matters), a set, an interval or a
union of intervals, a matrix, or a word (``Friday``). Each form is a small frozen class,
so equivalence can dispatch on the form instead of collapsing everything into one SymPy
expression (which is how ``3x-y+13=0`` and ``3x+4y+14=0`` both become ``0`` elsewhere).
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Union

import sympy

#: Relation operators as written after normalisation.
RELATION_OPS = ("=", "<", "<=", ">", ">=", "!=", "approx", "in")


@dataclass(frozen=True)
class ExprValue:
    """One expression. ``degrees``/``percent``/``unit`` record what was written around it
    (``40^\\circ``, ``70\\%``, ``5 cm``): the number itself is kept as written."""

    expr: sympy.Expr
    degrees: bool = False
    percent: bool = False
    unit: str | None = None

    kind = "expr"

    def to_sympy(self) -> Any:
        return self.expr

    def to_text(self) -> str:
        suffix = "°" if self.degrees else "%" if self.percent else ""
        unit = f" {self.unit}" if self.unit else ""
        return f"{fmt(self.expr)}{suffix}{unit}"


@dataclass(frozen=True)
class RelationValue:
    """``a op b [op c ...]``: an equation, an inequality or a chain of them."""

    ops: tuple[str, ...]
    sides: tuple[Any, ...]  # sympy expressions (the right side of ``in`` may be a set value)

    kind = "relation"

    def to_sympy(self) -> Any:
        makers = {"=": sympy.Eq, "<": sympy.Lt, "<=": sympy.Le, ">": sympy.Gt, ">=": sympy.Ge,
                  "!=": sympy.Ne}
        parts = []
        for op, a, b in zip(self.ops, self.sides, self.sides[1:]):
            if op in makers and isinstance(a, sympy.Basic) and isinstance(b, sympy.Basic):
                parts.append(makers[op](a, b, evaluate=False))
            else:
                return sympy.Tuple(*[s.to_sympy() if hasattr(s, "to_sympy") else s for s in self.sides])
        return parts[0] if len(parts) == 1 else sympy.And(*parts, evaluate=False)

    def to_text(self) -> str:
        out = [_text(self.sides[0])]
        for op, side in zip(self.ops, self.sides[1:]):
            out += [op, _text(side)]
        return " ".join(out)


@dataclass(frozen=True)
class SeqValue:
    """Several answers: ``list`` (bare commas, unordered: roots), ``tuple`` (ordered: a
    point), ``set`` (``\\{...\\}``, unordered, duplicates ignored)."""

    kind: str
    items: tuple["MathValue", ...]

    def to_sympy(self) -> Any:
        items = [i.to_sympy() for i in self.items]
        if self.kind == "tuple":
            return sympy.Tuple(*items)
        try:
            return sympy.FiniteSet(*items)
        except (TypeError, ValueError):
            return sympy.Tuple(*items)

    def to_text(self) -> str:
        inner = ", ".join(i.to_text() for i in self.items)
        return {"tuple": f"({inner})", "set": f"{{{inner}}}"}.get(self.kind, inner)


@dataclass(frozen=True)
class IntervalValue:
    """An interval with open/closed ends; a ``(a, b)`` pair may also be read as a point."""

    start: sympy.Expr
    end: sympy.Expr
    left_open: bool
    right_open: bool

    kind = "interval"

    def to_sympy(self) -> Any:
        try:
            return sympy.Interval(self.start, self.end, self.left_open, self.right_open)
        except (TypeError, ValueError):
            return sympy.Tuple(self.start, self.end)

    def to_text(self) -> str:
        return (("(" if self.left_open else "[") + f"{fmt(self.start)}, "
                f"{fmt(self.end)}" + (")" if self.right_open else "]"))


@dataclass(frozen=True)
class UnionValue:
    """A union of intervals (and finite sets)."""

    parts: tuple["MathValue", ...]

    kind = "union"

    def to_sympy(self) -> Any:
        return sympy.Union(*[p.to_sympy() for p in self.parts], evaluate=False)

    def to_text(self) -> str:
        return " ∪ ".join(p.to_text() for p in self.parts)


@dataclass(frozen=True)
class MatrixValue:
    rows: tuple[tuple[sympy.Expr, ...], ...]

    kind = "matrix"

    def to_sympy(self) -> Any:
        return sympy.ImmutableMatrix([list(r) for r in self.rows])

    def to_text(self) -> str:
        return "[" + "; ".join(", ".join(fmt(x) for x in r) for r in self.rows) + "]"


@dataclass(frozen=True)
class TextValue:
    """A word answer (``Friday``, ``(C)``, ``neither``), compared case-insensitively."""

    text: str

    kind = "text"

    def to_sympy(self) -> Any:
        return None

    def to_text(self) -> str:
        return self.text


MathValue = Union[ExprValue, RelationValue, SeqValue, IntervalValue, UnionValue, MatrixValue, TextValue]


def _text(x: Any) -> str:
    return x.to_text() if hasattr(x, "to_text") else fmt(x)


def fmt(expr: Any) -> str:
    """SymPy's plain-text form; numbers too long to print in full are shown rounded
    (Python refuses to print integers beyond 4,300 digits)."""
    try:
        return sympy.sstr(expr)
    except ValueError:
        try:
            return f"≈ {sympy.sstr(sympy.N(expr, 15))}"
        except (ValueError, TypeError):
            return "<a number too long to print>"
