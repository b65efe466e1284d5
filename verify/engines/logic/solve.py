"""The Z3 decision behind :func:`verify.check_logic`: do first-order premises entail,
contradict, or leave open a conclusion?

Z3 decides, with every call bounded by ``timeout``:

1. premises alone unsat               → ``inconsistent`` (core: which premises clash)
2. premises ∧ ¬conclusion unsat       → ``entailed``     (core: which premises suffice)
3. premises ∧ conclusion unsat        → ``contradicted`` (core: which premises refute it)
4. both satisfiable                   → ``unknown`` with a countermodel (premises true,
                                        conclusion false) and a supporting model (both true)
5. Z3 hits its time bound or gives up → ``undecided``

Cores are minimal (deletion-based, each deletion re-checked by Z3) unless the time budget
runs out, which ``core_minimal`` then says. Models are shrunk to the smallest domain Z3
finds within the budget, so a countermodel reads like an example.

Formulas are FOLIO-style FOL text (see :mod:`verify.engines.logic.fol`), the JSON form of the
AST (a dict), or SMT-LIB 2 (see :mod:`verify.engines.logic.smtlib`); one that cannot be read
raises :class:`InputError`. :func:`decide` returns a :class:`Decision`; the public result,
with its id, world and timing, is :class:`verify.api.logic.LogicResult`.
"""
from __future__ import annotations

import itertools
import re
from dataclasses import dataclass
from typing import Any, Mapping, Sequence

from verify.limits import Budget
from verify.report import freeze
from . import fol, smtlib

DEFAULT_TIMEOUT = 5.0
MAX_MODEL_CELLS = 5_000   # predicate/function entries listed per model
MAX_SHRINK_DOMAIN = 12    # try smaller domains only for models up to this size
SYNTAXES = ("auto", "fol", "smtlib")

_VARIABLE_LIKE = re.compile(r"[u-z]\d*")


@dataclass(frozen=True)
class Decision:
    """What Z3 decided on one problem: ``answer`` is ``entailed``, ``contradicted``,
    ``unknown``, ``inconsistent`` or ``undecided``; ``core`` indexes the premises it rests
    on; the models are in the readable form of :func:`format_model`."""

    answer: str
    explanation: str
    core: tuple[int, ...] = ()
    core_minimal: bool = True
    countermodel: Mapping[str, Any] | None = None
    supporting_model: Mapping[str, Any] | None = None
    warnings: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        for name in ("countermodel", "supporting_model"):
            value = getattr(self, name)
            if value is not None:
                object.__setattr__(self, name, freeze(dict(value)))


class InputError(Exception):
    """A premise or the conclusion cannot be read. ``detail`` says where and why;
    ``warnings`` are those gathered before it (repairs of earlier formulas)."""

    def __init__(self, where: str, message: str, detail: Mapping[str, Any] | None = None):
        super().__init__(f"{where}: {message}")
        self.where = where
        self.detail = {"where": where, "message": message, **(detail or {})}
        self.warnings: tuple[str, ...] = ()


def _where(i: int | None) -> str:
    return "the conclusion" if i is None else f"premise {i}"


def _read(item: Any, i: int | None, syntax: str, repair: bool,
          warnings: list[str]) -> fol.Formula | smtlib.Script:
    """One premise/conclusion as a FOL formula or a screened SMT-LIB script."""
    where = _where(i)
    if isinstance(item, fol.FORMULA_TYPES):
        return item
    if isinstance(item, Mapping):
        try:
            return fol.from_json(item)
        except fol.FOLJSONError as exc:
            raise InputError(where, str(exc), {"path": exc.path}) from None
    if not isinstance(item, str):
        raise InputError(where, f"expected a formula (text or JSON object), got "
                                f"{type(item).__name__}")
    if syntax == "smtlib" or (syntax == "auto" and smtlib.looks_like_smtlib(item)):
        try:
            return smtlib.read_script(item)
        except smtlib.SMTLibError as exc:
            raise InputError(where, str(exc), exc.to_dict()) from None
    try:
        parsed = fol.parse_full(item, repair=repair)
    except fol.FOLSyntaxError as exc:
        raise InputError(where, str(exc), exc.to_dict()) from None
    warnings.extend(f"{where}, {r} (repaired)" for r in parsed.repairs)
    warnings.extend(f"{where}, {w}" for w in parsed.warnings)
    return parsed.formula


def _free_variable_warnings(formula: fol.Formula, where: str) -> list[str]:
    names = sorted({name for kind, name, arity in fol.iter_names(formula)
                    if kind == "term" and arity == 0 and _VARIABLE_LIKE.fullmatch(name)})
    return [f"{where}: {name!r} is not bound by a quantifier, so it is read as a constant"
            for name in names]


# --------------------------------------------------------------------------- models

def _element_names(model: Any) -> dict[str, str]:
    """Z3's universe elements (``Entity!val!0``) → readable names (``e0``)."""
    names: dict[str, str] = {}
    for sort in model.sorts():
        prefix = "e" if sort.name() == "Entity" else f"{sort.name()}_"
        for k, el in enumerate(model.get_universe(sort) or ()):
            names[el.sexpr()] = f"{prefix}{k}"
    return names


def _describe_model(model: Any, symbols: Sequence[tuple[str, Any]]) -> dict[str, Any]:
    """The readable form: domain, constants, predicates (the tuples where each is true),
    propositions (0-ary predicates), functions (only when there are any)."""
    import z3

    names = _element_names(model)
    universes = {s.name(): list(model.get_universe(s) or ()) for s in model.sorts()}

    def show(value: Any) -> Any:
        key = value.sexpr()
        if key in names:
            return names[key]
        if z3.is_true(value):
            return True
        if z3.is_false(value):
            return False
        return key

    out: dict[str, Any] = {"domain": list(names.values()), "constants": {}, "predicates": {},
                           "propositions": {}, "functions": {}}
    budget = MAX_MODEL_CELLS
    truncated = False
    for name, decl in symbols:
        arity = decl.arity()
        is_pred = decl.range() == z3.BoolSort(decl.ctx)
        if arity == 0:
            value = model.eval(decl(), model_completion=True)
            if is_pred:
                out["propositions"][name] = bool(z3.is_true(value))
            else:
                out["constants"][name] = show(value)
            continue
        domains = [decl.domain(k) for k in range(arity)]
        if not all(d.name() in universes and universes[d.name()] for d in domains):
            out["functions"][name] = _interpretation(model, decl)
            continue
        rows: list[list[Any]] = []
        for args in itertools.product(*[universes[d.name()] for d in domains]):
            if budget <= 0:
                truncated = True
                break
            budget -= 1
            value = model.eval(decl(*args), model_completion=True)
            if is_pred:
                if z3.is_true(value):
                    rows.append([show(a) for a in args])
            else:
                rows.append([show(a) for a in args] + [show(value)])
        (out["predicates"] if is_pred else out["functions"])[name] = rows
    if not out["functions"]:
        del out["functions"]
    if truncated:
        out["truncated"] = True
    return out


def _interpretation(model: Any, decl: Any) -> str:
    """Z3's own description of a symbol that cannot be listed (e.g. over Int)."""
    import z3

    try:
        interp = model[decl]
        return str(interp) if interp is not None else "unconstrained"
    except z3.Z3Exception:
        return "unconstrained"


def format_model(model: Mapping[str, Any]) -> str:
    """One line: ``domain {e0, e1}; bonnie = e0; Engaged = {e1}; Loves = {(e0, e1)};
    Rain = false``."""
    domain = list(model.get("domain", ()))
    parts = ["domain {" + ", ".join(domain) + "}"] if domain else []
    parts += [f"{k} = {v}" for k, v in model.get("constants", {}).items()]
    for name, rows in model.get("predicates", {}).items():
        cells = [r[0] if len(r) == 1 else "(" + ", ".join(map(str, r)) + ")" for r in rows]
        parts.append(f"{name} = {{{', '.join(map(str, cells))}}}")
    parts += [f"{k} = {'true' if v else 'false'}" for k, v in model.get("propositions", {}).items()]
    for name, rows in model.get("functions", {}).items():
        if isinstance(rows, str):
            parts.append(f"{name} = {rows}")
        else:
            parts.append(f"{name}: " + ", ".join(
                f"{'(' + ', '.join(map(str, r[:-1])) + ')'} ↦ {r[-1]}" for r in rows))
    if model.get("truncated"):
        parts.append("(truncated)")
    return "; ".join(parts)


# --------------------------------------------------------------------------- solving

class _Session:
    """One problem in one Z3 context: premises behind indicator literals so each check is
    a ``check(assumptions)`` on the same solver, and unsat cores name premises."""

    def __init__(self, ctx: Any, premises: Sequence[Any], conclusion: Any, timeout: float,
                 entity: Any):
        import z3

        self.z3 = z3
        self.timeout = timeout
        self.entity = entity
        self.solver = z3.Solver(ctx=ctx)
        self.solver.set("core.minimize", True)
        self.lits = [z3.FreshBool("premise", ctx) for _ in premises]
        for lit, f in zip(self.lits, premises):
            self.solver.add(z3.Implies(lit, f))
        self.neg = z3.FreshBool("conclusion_false", ctx)
        self.pos = z3.FreshBool("conclusion_true", ctx)
        self.solver.add(z3.Implies(self.neg, z3.Not(conclusion)))
        self.solver.add(z3.Implies(self.pos, conclusion))
        self.budget = Budget(deadline=0.0)  # for minimisation and model shrinking; spent until started
        self.reason = ""

    def start_budget(self) -> None:
        self.budget = Budget.start(self.timeout)

    def check(self, indices: Sequence[int], extra: Sequence[Any], limit: float | None = None) -> str:
        seconds = self.timeout if limit is None else limit
        self.solver.set("timeout", max(1, int(seconds * 1000)))
        r = self.solver.check(*[self.lits[i] for i in indices], *extra)
        if r == self.z3.unknown:
            self.reason = self.solver.reason_unknown()
            return "unknown"
        return "sat" if r == self.z3.sat else "unsat"

    def core(self) -> list[int]:
        ids = {lit.get_id(): i for i, lit in enumerate(self.lits)}
        return sorted(ids[c.get_id()] for c in self.solver.unsat_core() if c.get_id() in ids)

    def minimise(self, core: list[int], extra: Sequence[Any]) -> tuple[list[int], bool]:
        """Deletion-based: drop each premise in turn and keep the drop when Z3 still proves
        unsat. A premise found necessary stays necessary in any subset (monotonicity), so
        one pass gives a minimal core. Returns (core, proven_minimal)."""
        self.start_budget()
        minimal = True
        necessary: set[int] = set()
        while True:
            todo = [i for i in core if i not in necessary]
            if not todo:
                return core, minimal
            left = self.budget.remaining()
            if left <= 0:
                return core, False
            i = todo[0]
            trial = [j for j in core if j != i]
            r = self.check(trial, extra, min(self.timeout, left))
            if r == "unsat":
                core = [j for j in self.core() if j in trial]
            else:
                necessary.add(i)
                minimal = minimal and r == "sat"

    def model(self, found: Any, indices: Sequence[int], extra: Sequence[Any],
              symbols: Sequence[tuple[str, Any]]) -> dict[str, Any]:
        """``found`` (a model of the same check), shrunk to the smallest Entity domain
        Z3 finds within the budget, in readable form."""
        z3 = self.z3
        self.start_budget()
        model = found
        sorts = model.sorts()
        size = len(model.get_universe(self.entity) or ()) if self.entity in sorts else 0
        if 1 < size <= MAX_SHRINK_DOMAIN and all(x.name() == "Entity" for x in sorts):
            for k in range(1, size):
                left = self.budget.remaining()
                if left <= 0:
                    break
                self.solver.push()
                elems = [z3.FreshConst(self.entity, "d") for _ in range(k)]
                x = z3.FreshConst(self.entity, "v")
                self.solver.add(z3.ForAll([x], z3.Or(*[x == d for d in elems])))
                smaller = (self.solver.model()
                           if self.check(indices, extra, min(self.timeout, left)) == "sat"
                           else None)
                self.solver.pop()
                if smaller is not None:
                    model = smaller
                    break
        return _describe_model(model, symbols)


def decide(premises: Sequence[Any], conclusion: Any, *, timeout: float = DEFAULT_TIMEOUT,
           syntax: str = "auto", repair: bool = False) -> Decision:
    """Read every formula (``syntax`` and ``repair`` as in :func:`verify.check_logic`) and
    decide the problem, each Z3 call bounded by ``timeout``. Raises :class:`InputError` when
    a formula cannot be read."""
    warnings: list[str] = []
    try:
        items = [_read(p, i, syntax, repair, warnings) for i, p in enumerate(premises)]
        items.append(_read(conclusion, None, syntax, repair, warnings))
        z3_forms, symbols, builder = _build(items)
    except InputError as exc:
        exc.warnings = tuple(warnings)
        raise
    for i, item in enumerate(items):
        if isinstance(item, fol.FORMULA_TYPES):
            warnings.extend(_free_variable_warnings(
                item, _where(i if i < len(premises) else None)))
    return _decide(z3_forms[:-1], z3_forms[-1], symbols, builder, timeout, tuple(warnings))


def _build(items: Sequence[Any]) -> tuple[list[Any], list[tuple[str, Any]], fol.Z3Builder]:
    """Z3 formulas for every item (FOL first, so SMT-LIB sees its symbols) and the list of
    user symbols for models."""
    builder = fol.Z3Builder()
    n = len(items)
    out: list[Any] = [None] * n
    builder.prepare([item for item in items if isinstance(item, fol.FORMULA_TYPES)])
    for i, item in enumerate(items):
        if isinstance(item, fol.FORMULA_TYPES):
            where = _where(i if i < n - 1 else None)
            try:
                out[i] = builder.formula(item, where)
            except (fol.ArityError, ValueError, builder.z3.Z3Exception) as exc:
                raise InputError(where, str(exc)) from None
    scripts = [(i, item) for i, item in enumerate(items) if isinstance(item, smtlib.Script)]
    symbols: list[tuple[str, Any]] = []
    for key, decl in builder.decls.items():  # 0-ary symbols are stored as constants
        symbols.append((key[1], decl.decl() if builder.symbols[key].arity == 0 else decl))
    if scripts:
        # FOL symbols visible to SMT-LIB; a predicate wins over a term of the same name
        known = {name: d for (ns, name), d in builder.decls.items() if ns == "term"}
        known.update({name: d for (ns, name), d in builder.decls.items() if ns == "pred"})
        try:
            parsed = smtlib.parse_scripts([s for _, s in scripts], builder.ctx,
                                          {"Entity": builder.entity}, known)
        except smtlib.SMTLibError as exc:
            i = scripts[getattr(exc, "index", 0)][0]
            raise InputError(_where(i if i < n - 1 else None), str(exc), exc.to_dict()) from None
        for (i, _), expr in zip(scripts, parsed):
            out[i] = expr
        ours = {d.get_id() for _, d in symbols}
        for d in smtlib.uninterpreted_decls(parsed):
            if d.get_id() not in ours:
                symbols.append((d.name(), d))
    return out, symbols, builder


def _cite(core: Sequence[int], verb: str) -> str:
    """``premise 2 implies`` / ``premises 0, 3 imply`` (``verb`` in the plural)."""
    if len(core) == 1:
        singular = {"imply": "implies", "rule": "rules", "contradict": "contradicts"}
        return f"premise {core[0]} {singular.get(verb, verb)}"
    return "premises " + ", ".join(map(str, core)) + f" {verb}"


def _decide(premises: list[Any], conclusion: Any,
            symbols: list[tuple[str, Any]], builder: fol.Z3Builder, timeout: float,
            note: tuple[str, ...]) -> Decision:
    s = _Session(builder.ctx, premises, conclusion, timeout, builder.entity)
    everything = list(range(len(premises)))

    def entailed(core0: list[int]) -> Decision:
        core, minimal = s.minimise(core0, [s.neg])
        basis = (f"{_cite(core, 'imply')} the conclusion" if core
                 else "the conclusion is valid on its own (no premise needed)")
        return Decision("entailed", f"Entailed: {basis} (Z3: premises ∧ ¬conclusion is "
                                    "unsatisfiable).", core=tuple(core), core_minimal=minimal,
                        warnings=note)

    def undecided(what: str) -> Decision:
        reason = (s.reason or "unknown").strip("()")
        why = (f"Z3 hit its time bound of {timeout:g} s" if reason in ("timeout", "canceled")
               else f"Z3 gave up ({reason})")
        return Decision("undecided", f"Undecided: {why} while checking {what}.", warnings=note)

    r_cons = s.check(everything, [])
    if r_cons == "unsat":
        core, minimal = s.minimise(s.core(), [])
        return Decision("inconsistent",
                        f"Inconsistent: {_cite(core, 'contradict')} "
                        f"{'itself' if len(core) == 1 else 'each other'} (Z3: unsatisfiable), "
                        "so any conclusion would follow; fix the premises.",
                        core=tuple(core), core_minimal=minimal, warnings=note)
    r_ent = s.check(everything, [s.neg])
    ent_core = s.core() if r_ent == "unsat" else []
    neg_found = s.solver.model() if r_ent == "sat" else None
    if r_ent == "unsat" and r_cons == "sat":
        return entailed(ent_core)
    r_con = s.check(everything, [s.pos])
    con_core = s.core() if r_con == "unsat" else []
    pos_found = s.solver.model() if r_con == "sat" else None
    if r_ent == "unsat" and r_con == "unsat":
        core = sorted(set(ent_core) | set(con_core))
        return Decision("inconsistent",
                        f"Inconsistent: {_cite(core, 'imply')} both the conclusion and its "
                        "negation, so the premises contradict each other.", core=tuple(core), core_minimal=False,
                        warnings=note)
    if r_ent == "unsat" and r_con == "sat":
        return entailed(ent_core)
    if r_con == "unsat" and (r_cons == "sat" or r_ent == "sat"):
        core, minimal = s.minimise(con_core, [s.pos])
        basis = (f"{_cite(core, 'rule')} out the conclusion" if core
                 else "the conclusion is unsatisfiable on its own")
        return Decision("contradicted", f"Contradicted: {basis} (Z3: premises ∧ conclusion is "
                                        "unsatisfiable).", core=tuple(core), core_minimal=minimal,
                        warnings=note)
    if neg_found is not None and pos_found is not None:
        neg_model = s.model(neg_found, everything, [s.neg], symbols)
        pos_model = s.model(pos_found, everything, [s.pos], symbols)
        return Decision("unknown",
                        "Unknown: the premises neither imply nor rule out the conclusion. "
                        f"Countermodel (premises true, conclusion false): {format_model(neg_model)}. "
                        f"A model where the conclusion is true also exists: {format_model(pos_model)}.",
                        countermodel=neg_model, supporting_model=pos_model, warnings=note)
    if r_ent == "unknown":
        return undecided("whether the premises imply the conclusion")
    if r_con == "unknown":
        return undecided("whether the premises rule out the conclusion")
    return undecided("whether the premises are consistent")
