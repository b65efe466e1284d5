"""Reading the JSON form of a formula (documented in :mod:`.fol`), validated key by key.

Separate from the text reader (:mod:`.fol_parse`): it never parses formula text (it only
checks each name with :func:`.fol_parse.is_name`), and its errors point at a JSON path, not
a column.
"""
from __future__ import annotations

import json
from typing import Any, Mapping

from .fol_ast import (COMPARISONS, MAX_DEPTH, MAX_FORMULA_CHARS, MAX_NODES, And, BoolConst,
                      Cmp, Const, Eq, Exists, Forall, Formula, Func, Iff, Implies, Not, Or,
                      Pred, Term, Var, Xor)
from .fol_parse import is_name


class FOLJSONError(ValueError):
    """A malformed JSON formula; ``path`` (like ``$.and[1].args[0]``) says where."""

    def __init__(self, path: str, message: str):
        self.path = path
        self.message = message
        super().__init__(f"{path}: {message}")


_BINARY_JSON = {"and": And, "or": Or, "implies": Implies, "iff": Iff, "xor": Xor}


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

