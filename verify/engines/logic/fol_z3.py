"""The translation of FOL formulas to Z3: sort inference for numbers and one signature
per problem.

Separate from the language (:mod:`.fol_ast`, :mod:`.fol_parse`) because only the solver
needs it: parsing, printing and reading JSON never touch Z3 (imported lazily here).
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Iterable, Mapping

from .fol_ast import (MAX_DEPTH, And, BoolConst, Cmp, Const, Eq, Exists, Forall, Formula,
                      Iff, Implies, Not, Or, Pred, Term, Var, Xor, children, depth, is_number)


class ArityError(ValueError):
    """One symbol used with two different numbers of arguments in the same problem."""


@dataclass(frozen=True)
class Symbol:
    """A declared symbol: name, arity, and where it was first used (for arity errors)."""

    name: str
    arity: int
    where: str


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
            stack.extend((c, env) for c in children(node))
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
