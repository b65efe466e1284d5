"""Deciding one invoice: exact arithmetic for the check, Z3 for the minimal correction.

Constraints (money in the currency's minor units, every rounding explicit):

- ``lines[i].amount = quantity × unit_price``, rounded to the minor unit;
- ``subtotal = Σ lines[].amount``;
- ``tax = (subtotal − discount) × tax_rate``, rounded (``tax_mode="subtotal"``); with mixed
  VAT rates, one rounded term per rate; with ``tax_mode="per-line"``, one per line;
- ``total = subtotal − discount + tax + shipping``.

A consistent invoice is proved by exact Decimal recomputation and confirmed by Z3. An
inconsistent one goes to Z3 ``Optimize``: every stated field gets a "changed" flag with a
weight — stated inputs (quantity, unit price, discount, shipping, and any value nothing
derives: a subtotal with no lines, an amount with no unit price) weigh :data:`W_INPUT`,
derived values (line amounts, subtotal, tax, total) :data:`W_DERIVED` — and the solver finds
the minimum-weight set of fields to change and their new values. Z3 then proves the result:
``weight ≤ optimum − 1`` is unsat (nothing lighter exists), the corrected invoice with every
value fixed is sat, and a different correction of the same weight is searched for; if one
exists the answer is ``ambiguous`` and the alternatives are reported instead of one pick.

Why the encoding is exact, linear and small (each step loses no minimal correction):

- Rounding is integer inequalities: ``a = round_half_up(n / d)`` ⇔ ``2n − 2da ∈ [−d, d)``;
  half-even closes the interval and forces ``a`` even on a tie.
- A corrected value keeps the precision it was written with (a unit price of ``19.99`` can
  become ``19.98``, not ``19.985``; a quantity written ``3`` stays whole).
- Never both the quantity and the unit price of one line change: that costs 2·W_INPUT, more
  than keeping both and recomputing the line's amount, the subtotal, the tax and the total
  (≤ 4·W_DERIVED). So every product has one constant factor.
- Tax rates are never changed: keeping the stated rate and recomputing the tax and the
  total always costs ≤ 2·W_DERIVED < W_INPUT, so no minimal correction changes a rate, and
  the rate enters as a constant (a missing rate leaves the tax free between 0 and its base).
- A line whose stated amount already equals quantity × unit price enters as a constant
  (see :func:`consistent_lines`), so a 50-line invoice is a problem of a few variables.

Bounds: every Z3 call has a timeout (a timeout is reported as ``flagged``, never verified);
with more than :data:`Z3_FULL_LINES` inconsistent lines, quantities and unit prices are
taken as stated (line amounts are still recomputed and corrected); more than
:data:`.model.MAX_LINES` lines are refused.

:func:`analyze` is what ``check_invoice`` calls; it is separate from the exact checks
(:mod:`.checks`), which need no solver, and from the claims on a text (:mod:`.engine`),
which need the spans only text input has.
"""
from __future__ import annotations

import time
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, Mapping, Sequence

from .checks import (W_DERIVED, W_INPUT, Check, Fmt, Options, evaluate, one_tax_base, round_to,
                     structural_errors, tax_groups, weight)
from .model import DEFAULT_MINOR_UNITS, Invoice, leaf, minor_units

Z3_FULL_LINES = 100
MAX_ALTERNATIVES = 4


class SolverTimeout(Exception):
    """A Z3 call reached its time limit."""


def _z3():
    import z3  # lazy: the import costs ~35 ms and only inconsistent invoices need it
    return z3


def _context() -> Any:
    """A Z3 context of this call's own. Z3's default context is shared by the whole process
    and is not safe to use from two threads at once (a crash, not an error); a context kept
    across checks carries state from one invoice to the next (the same invoice then gets its
    equally light alternatives in another order, or other ones). Creating one costs ~1 ms."""
    return _z3().Context()


def _scale_of(value: Decimal) -> int:
    """Decimals as written (``1.00`` → 2): a corrected value keeps that precision."""
    return max(0, -value.as_tuple().exponent)


class _Model:
    """The invoice as integer constraints (money in minor units, every value scaled).

    ``fixed=True`` pins every stated value (a consistency proof); otherwise each stated
    field gets a "changed" flag and may take any value of its precision when changed.
    """

    def __init__(self, inv: Invoice, vals: Mapping[str, Decimal], opts: Options, minor: int,
                 ctx: Any, *, fixed: bool, inputs_fixed: bool = False,
                 pinned: frozenset[int] = frozenset()):
        z3 = _z3()
        self.z3, self.ctx, self.inv, self.vals, self.minor, self.opts = z3, ctx, inv, vals, minor, opts
        self.hard: list[Any] = []
        self.var: dict[str, Any] = {}
        self.scale: dict[str, int] = {}
        self.flag: dict[str, Any] = {}          # field -> Bool "changed"
        self.flag_weight: dict[str, int] = {}
        self.fixed, self.inputs_fixed = fixed, inputs_fixed

        def Int(name: str) -> Any:
            return z3.Int(name, ctx)

        amounts = []
        for i, line in enumerate(inv.lines):
            qp, pp, ap = (f"lines[{i}].quantity", f"lines[{i}].unit_price", f"lines[{i}].amount")
            if i in pinned:  # consistent as stated: a constant (see consistent_lines)
                amounts.append(int(vals[ap].scaleb(minor)))
                continue
            A = self._money(ap)
            amounts.append(A)
            p = vals.get(pp)
            if p is None:
                continue
            q = vals.get(qp, Decimal(1))
            dq, dp = _scale_of(q), max(minor, _scale_of(p))
            q0, p0 = int(q.scaleb(dq)), int(p.scaleb(dp))
            cq = self._field(qp, Int(qp), dq, input_field=True) if qp in vals else None
            cp = self._field(pp, Int(pp), dp, input_field=True)
            if cq is not None and cp is not None:
                self.hard.append(z3.Or(z3.Not(cq), z3.Not(cp)))
                n = z3.If(cq, self.var[qp] * p0, q0 * self.var[pp])
            elif cp is not None:
                n = q0 * self.var[pp]
            elif cq is not None:
                n = self.var[qp] * p0
            else:
                n = q0 * p0
            self.hard.append(self._round_eq(A, n, 10 ** (dq + dp - minor)))

        SUB = self._money("subtotal")
        if amounts:
            self.hard.append(SUB == self._sum(amounts))
        DISC = self._money("discount") if "discount" in vals else z3.IntVal(0, ctx)
        SHIP = self._money("shipping") if "shipping" in vals else z3.IntVal(0, ctx)
        self.hard.append(DISC <= SUB)
        TAX = self._money("tax")
        groups = tax_groups(inv, vals)
        if "tax" not in vals and all(g.rate is None for g in groups):
            self.hard.append(TAX == 0)
        else:
            single = one_tax_base(inv, groups, opts)
            terms = []
            for gi, g in enumerate(groups):
                if single:
                    bases = [SUB - DISC]
                elif opts.tax_mode == "per-line":
                    bases = [amounts[i] for i in g.lines]
                else:
                    bases = [self._sum([amounts[i] for i in g.lines])]
                for b in bases:
                    t = Int(f"tax_term_{gi}_{len(terms)}")
                    terms.append(t)
                    self.hard += [t >= 0, t <= b]  # a rate not stated is at most 100%
                    if g.rate is not None:
                        dr = _scale_of(g.rate)
                        self.hard.append(self._round_eq(t, b * int(g.rate.scaleb(dr)), 10 ** dr))
            self.hard.append(TAX == self._sum(terms))
        TOT = self._money("total")
        self.hard.append(TOT == SUB - DISC + TAX + SHIP)
        self.weights = [(self.flag[k], self.flag_weight[k]) for k in self.flag]

    # -- building blocks
    def _sum(self, items: Sequence[Any]) -> Any:
        """A linear sum; Python ints (constant lines) are added up outside Z3."""
        const = sum(x for x in items if isinstance(x, int))
        exprs = [x for x in items if not isinstance(x, int)]
        if not exprs:
            return self.z3.IntVal(const, self.ctx)
        total = exprs[0] if len(exprs) == 1 else self.z3.Sum(exprs)
        return total + const if const else total

    def _field(self, path: str, var: Any, scale: int, *, input_field: bool = False) -> Any:
        """Register a variable; pin it (fixed) or tie it to its stated value unless changed.
        Returns the change flag (None when the value is pinned or not stated)."""
        z3 = self.z3
        self.var[path], self.scale[path] = var, scale
        self.hard.append(var >= 0)
        stated = self.vals.get(path)
        if stated is None:
            return None
        scaled = stated.scaleb(scale)
        exact = scaled == scaled.to_integral_value()
        if self.fixed or (input_field and self.inputs_fixed):
            self.hard.append(var == int(scaled) if exact else z3.BoolVal(False, self.ctx))
            return None
        flag = z3.Bool(f"changed:{path}", self.ctx)
        self.flag[path] = flag
        self.flag_weight[path] = weight(path, self.inv, self.vals)
        self.hard.append(z3.Implies(z3.Not(flag), var == int(scaled)) if exact else flag)
        return flag

    def _money(self, path: str) -> Any:
        var = self.z3.Int(path, self.ctx)
        self._field(path, var, self.minor)
        return var

    def _round_eq(self, a: Any, n: Any, den: int) -> Any:
        """``a`` is ``n / den`` rounded to an integer (half-up or half-even; n, a ≥ 0)."""
        z3 = self.z3
        if den == 1:
            return a == n
        d = 2 * n - 2 * den * a
        if self.opts.rounding == "half-up":
            return z3.And(d >= -den, d < den)
        return z3.And(d >= -den, d <= den,
                      z3.Implies(z3.Or(d == den, d == -den), a % 2 == 0))

    def value(self, model: Any, path: str) -> Decimal:
        raw = model.eval(self.var[path], model_completion=True).as_long()
        return Decimal(raw).scaleb(-self.scale[path])


def _solver(z3: Any, hard: Sequence[Any], ms: int, ctx: Any) -> Any:
    s = z3.SimpleSolver(ctx=ctx)
    s.set("timeout", ms)
    s.add(*hard)
    return s


def _ms(deadline: float) -> int:
    left = deadline - time.monotonic()
    if left <= 0:
        raise SolverTimeout("the time limit for this invoice ran out")
    return max(1, int(left * 1000))


def _check(s: Any, what: str) -> Any:
    z3 = _z3()
    res = s.check()
    if res == z3.unknown:
        raise SolverTimeout(f"Z3 could not decide {what} within its time limit "
                            f"({s.reason_unknown()})")
    return res


def consistent_lines(inv: Invoice, vals: Mapping[str, Decimal], opts: Options,
                     minor: int) -> frozenset[int]:
    """Lines with unit price and amount stated whose ``amount = quantity × unit_price`` holds
    exactly.

    No minimal correction changes such a line: changing its amount also needs a changed
    quantity or unit price (weight ≥ W_DERIVED + W_INPUT = 7), while keeping the line as
    stated and recomputing the subtotal, the tax and the total costs at most 3·W_DERIVED = 6;
    changing only its quantity or price without moving the amount changes nothing else. So
    these lines enter Z3 as constants, which keeps a 50-line invoice a problem of a few
    variables.
    """
    out = set()
    for i in range(len(inv.lines)):
        q = vals.get(f"lines[{i}].quantity", Decimal(1))
        p, a = vals.get(f"lines[{i}].unit_price"), vals.get(f"lines[{i}].amount")
        if p is not None and a is not None and a.scaleb(minor) == a.scaleb(minor).to_integral_value() \
                and round_to(q * p, minor, opts.rounding) == a:
            out.add(i)
    return frozenset(out)


def z3_consistent(inv: Invoice, vals: Mapping[str, Decimal], opts: Options, minor: int,
                  deadline: float) -> bool:
    """Z3's verdict on a fully stated invoice: do the fixed values satisfy every constraint?
    (Line products that hold exactly are passed as constants.)"""
    z3, ctx = _z3(), _context()
    model = _Model(inv, vals, opts, minor, ctx, fixed=True,
                   pinned=consistent_lines(inv, vals, opts, minor))
    return _check(_solver(z3, model.hard, _ms(deadline), ctx), "the consistency check") == z3.sat


# --------------------------------------------------------------------------- analysis

@dataclass(frozen=True)
class Change:
    field: str
    old: Decimal | None
    new: Decimal


@dataclass(frozen=True)
class Analysis:
    """Everything the engine learnt about one invoice; the public report and the claims
    are both built from it."""

    invoice: Invoice
    options: Options
    minor: int
    currency_assumed: bool
    status: str                           # verified / corrected / flagged
    explanation: str
    stated_checks: tuple[Check, ...] = ()
    corrections: tuple[Change, ...] = ()
    alternatives: tuple[tuple[Change, ...], ...] = ()
    alternative_checks: tuple[tuple[Check, ...], ...] = ()
    ambiguous: bool = False
    weight: int | None = None
    errors: tuple[str, ...] = ()
    evidence: tuple[str, ...] = ()
    elapsed_ms: float = 0.0
    fmt: Any = field(default=None, repr=False, compare=False)

    @property
    def violations(self) -> tuple[Check, ...]:
        return tuple(c for c in self.stated_checks if not c.holds)

    @property
    def corrected_checks(self) -> tuple[Check, ...]:
        return self.alternative_checks[0] if self.alternative_checks else self.stated_checks


def _stated_values(inv: Invoice) -> dict[str, Decimal]:
    return {path: v.value for path, v in inv.stated()}


def analyze(inv: Invoice, opts: Options | None = None) -> Analysis:
    """Check one invoice and, when it does not add up, find and prove the minimal correction."""
    opts = opts or Options()
    started = time.monotonic()
    deadline = started + opts.timeout
    currency = opts.currency or inv.currency
    minor = minor_units(currency) if currency else None
    assumed = minor is None
    minor = DEFAULT_MINOR_UNITS if minor is None else minor
    fmt = Fmt(inv, minor)
    base = dict(invoice=inv, options=opts, minor=minor, currency_assumed=assumed, fmt=fmt)

    def done(**kw: Any) -> Analysis:
        return Analysis(**base, **kw, elapsed_ms=round((time.monotonic() - started) * 1000, 3))

    vals = _stated_values(inv)
    errors = list(inv.errors) + structural_errors(inv, vals, opts.tax_mode)
    if errors:
        return done(status="flagged", errors=tuple(errors),
                    explanation=f"not checked: {len(errors)} field(s) could not be used: " + "; ".join(errors[:3]))
    if not vals:
        return done(status="flagged", explanation="nothing to check: the invoice states no values")
    checks = evaluate(inv, vals, opts, minor)
    try:
        if all(c.holds for c in checks):
            consistent = z3_consistent(inv, vals, opts, minor, deadline)
            if not checks and consistent:
                return done(status="flagged", stated_checks=(),
                            explanation="nothing checkable: no constraint has all its values stated")
            if checks and not consistent:
                return done(status="flagged", stated_checks=tuple(checks),
                            explanation="the exact recomputation and Z3 disagree; not verified")
            if consistent:
                ev = tuple(c.sentence(fmt) for c in checks) + \
                    ("Z3: the stated values satisfy every constraint (sat)",)
                return done(status="verified", stated_checks=tuple(checks), evidence=ev,
                            explanation=f"all {len(checks)} checked constraint(s) hold exactly")
            # No single constraint is checkable, yet together they cannot hold: correct.
        return _correct(inv, vals, opts, minor, checks, deadline, done)
    except SolverTimeout as exc:
        return done(status="flagged", stated_checks=tuple(checks),
                    explanation=f"not verified: {exc}")


def _correct(inv: Invoice, vals: dict[str, Decimal], opts: Options, minor: int,
             checks: list[Check], deadline: float, done: Any) -> Analysis:
    """The minimum-weight correction, proved minimal, with any equally light alternative.

    A fresh Z3 context (not the thread's): which alternatives Z3 enumerates first depends on
    the context's history, and the report must depend on this invoice alone."""
    z3 = _z3()
    ctx = z3.Context()
    fmt = Fmt(inv, minor)
    pinned = consistent_lines(inv, vals, opts, minor)
    inputs_fixed = len(inv.lines) - len(pinned) > Z3_FULL_LINES
    model = _Model(inv, vals, opts, minor, ctx, fixed=False, inputs_fixed=inputs_fixed,
                   pinned=pinned)
    opt = z3.Optimize(ctx=ctx)
    opt.set("timeout", _ms(deadline))
    opt.add(*model.hard)
    for flag, w in model.weights:
        opt.add_soft(z3.Not(flag), w)
    res = opt.check()
    if res == z3.unknown:
        raise SolverTimeout(f"Z3 could not find a correction within its time limit ({opt.reason_unknown()})")
    if res == z3.unsat:
        return done(status="flagged", stated_checks=tuple(checks),
                    explanation="no correction of the stated fields makes this invoice consistent")
    first = opt.model()
    best = sum(w for flag, w in model.weights if z3.is_true(first.eval(flag, model_completion=True)))
    # Proof of minimality: no assignment of lighter weight satisfies the constraints.
    s = _solver(z3, model.hard, _ms(deadline), ctx)
    s.add(z3.PbLe([(f, w) for f, w in model.weights], best - 1))
    if _check(s, "whether a lighter correction exists") != z3.unsat:
        return done(status="flagged", stated_checks=tuple(checks),
                    explanation="Z3 could not prove the correction minimal; not corrected")
    # Alternatives: other corrections of the same weight (a different set of fields, or the
    # same fields with other values).
    solutions = [first]
    s = _solver(z3, model.hard, _ms(deadline), ctx)
    s.add(z3.PbLe([(f, w) for f, w in model.weights], best))
    while len(solutions) < MAX_ALTERNATIVES:
        s.add(_block(z3, model, solutions[-1]))
        s.set("timeout", _ms(deadline))
        if _check(s, "whether another minimal correction exists") != z3.sat:
            break
        solutions.append(s.model())
    alternatives, alt_checks = [], []
    for sol in solutions:
        changes = _changes(model, sol, vals)
        new_vals = dict(vals)
        new_vals.update({c.field: c.new for c in changes})
        fixed_checks = evaluate(inv.with_values({c.field: c.new for c in changes}), new_vals, opts, minor)
        if not all(c.holds for c in fixed_checks) or \
                not z3_consistent(inv, new_vals, opts, minor, deadline):
            return done(status="flagged", stated_checks=tuple(checks), weight=best,
                        explanation="a correction found by Z3 did not pass the exact re-check; not corrected")
        alternatives.append(tuple(changes))
        alt_checks.append(tuple(fixed_checks))
    ambiguous = len(alternatives) > 1
    shown = "; ".join(_describe(a, fmt) for a in alternatives)
    proof = (f"Z3: the minimum total weight of changed fields is {best} "
             f"(inputs weigh {W_INPUT}, derived values {W_DERIVED}); "
             f"weight ≤ {best - 1} is unsatisfiable"
             + (f"; {len(pinned)} line(s) consistent as stated enter as constants" if pinned else ""))
    if ambiguous:
        return done(status="flagged", stated_checks=tuple(checks), corrections=(),
                    alternatives=tuple(alternatives), alternative_checks=tuple(alt_checks),
                    ambiguous=True, weight=best, evidence=(proof,),
                    explanation=f"the invoice does not add up, and {len(alternatives)}"
                                f"{'+' if len(alternatives) == MAX_ALTERNATIVES else ''} different "
                                f"minimal corrections exist: {shown}")
    note = " (quantities and unit prices taken as stated: more than " \
           f"{Z3_FULL_LINES} inconsistent lines)" if inputs_fixed else ""
    ev = (proof, "Z3: the corrected invoice satisfies every constraint (sat), and no other "
                 "correction of the same weight exists (unsat)")
    return done(status="corrected", stated_checks=tuple(checks), corrections=alternatives[0],
                alternatives=(), alternative_checks=tuple(alt_checks), weight=best,
                evidence=ev, explanation=f"the invoice does not add up; the minimal correction is "
                                         f"{shown}{note}")


def _block(z3: Any, model: _Model, sol: Any) -> Any:
    """Exclude exactly this correction: the same changed set and the same new values."""
    same = []
    for key, flag in model.flag.items():
        on = z3.is_true(sol.eval(flag, model_completion=True))
        same.append(flag if on else z3.Not(flag))
        if on:
            same.append(model.var[key] == sol.eval(model.var[key], model_completion=True))
    return z3.Not(z3.And(same))


def _changes(model: _Model, sol: Any, vals: Mapping[str, Decimal]) -> list[Change]:
    out = []
    for key, flag in model.flag.items():
        if model.z3.is_true(sol.eval(flag, model_completion=True)):
            new = model.value(sol, key)
            if new != vals.get(key):
                out.append(Change(key, vals.get(key), new))
    return sorted(out, key=lambda c: _order(c.field))


def _order(path: str) -> tuple:
    names = ("quantity", "unit_price", "amount", "tax_rate")
    if path.startswith("lines["):
        i = int(path[6:path.index("]")])
        return (0, i, names.index(leaf(path)))
    return (1, ("subtotal", "discount", "tax_rate", "tax", "shipping", "total").index(path), 0)


def _describe(changes: Sequence[Change], fmt: Fmt) -> str:
    return ", ".join(f"{c.field} {fmt(c.field, c.old) if c.old is not None else '(not stated)'}"
                     f" → {fmt(c.field, c.new)}" for c in changes)

