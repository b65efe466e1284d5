"""The invoice's constraints evaluated exactly: the options of a check, the weights of a
correction, and :func:`evaluate`, which recomputes every constraint with exact Decimals and
says which hold.

Separate from the Z3 side (:mod:`.analysis`): the exact check proves a consistent invoice
and re-checks every correction Z3 proposes, and it needs no solver.
"""
from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_EVEN, ROUND_HALF_UP, Context as DecimalContext, Decimal, localcontext
from typing import Any, Mapping, Sequence

from .model import INPUT_FIELDS, Invoice, leaf, minor_units

W_INPUT = 5     # weight of changing a stated input (quantity, unit price, rate, discount, shipping)
W_DERIVED = 2   # weight of changing a derived value (line amount, subtotal, tax, total)
DEFAULT_TIMEOUT = 10.0  # seconds for one invoice, all solver calls together

ROUNDINGS = {"half-up": ROUND_HALF_UP, "half-even": ROUND_HALF_EVEN}
TAX_MODES = ("subtotal", "per-line")
_DEC = DecimalContext(prec=120, rounding=ROUND_HALF_EVEN)


@dataclass(frozen=True)
class Options:
    rounding: str = "half-up"
    tax_mode: str = "subtotal"
    currency: str | None = None
    timeout: float = DEFAULT_TIMEOUT

    def __post_init__(self) -> None:
        if self.rounding not in ROUNDINGS:
            raise ValueError(f"rounding must be one of {sorted(ROUNDINGS)}, got {self.rounding!r}")
        if self.tax_mode not in TAX_MODES:
            raise ValueError(f"tax_mode must be one of {list(TAX_MODES)}, got {self.tax_mode!r}")
        if self.currency is not None and minor_units(self.currency) is None:
            raise ValueError(f"unknown currency code {self.currency!r}")
        if not self.timeout > 0:
            raise ValueError("timeout must be a positive number of seconds")


def weight(path: str, inv: Invoice, vals: Mapping[str, Decimal]) -> int:
    """How much changing ``path`` costs. Inputs weigh more than derived values; a stated
    value that nothing derives (a subtotal with no lines, an amount with no unit price) is a
    leaf of the computation and weighs as an input too."""
    name = leaf(path)
    if name in INPUT_FIELDS or (name == "subtotal" and not inv.lines):
        return W_INPUT
    if name == "amount" and path.replace(".amount", ".unit_price") not in vals:
        return W_INPUT
    return W_DERIVED


@dataclass(frozen=True)
class Check:
    """One constraint evaluated exactly on a set of values.

    ``stated`` is the left-hand field's value, ``expected`` the right-hand side computed
    from the other values (None for a range check). A constraint with a free value (a rate
    or subtotal nobody stated) is not built at all: it checks nothing.
    """

    constraint: str
    field: str
    fields: tuple[str, ...]
    stated: Decimal | None
    expected: Decimal | None
    expr: str
    holds: bool

    def sentence(self, fmt: "Fmt") -> str:
        """``100 + 18 = 118`` (holds) or ``100 + 18 = 118, not 120``."""
        if self.expected is None:
            return self.expr
        rhs = fmt(self.field, self.expected)
        if self.holds or self.stated is None:
            return f"{self.expr} = {rhs}"
        return f"{self.expr} = {rhs}, not {fmt(self.field, self.stated)}"


@dataclass(frozen=True)
class _Group:
    """Lines taxed at one rate (``lines`` empty: the whole invoice)."""

    rate: Decimal | None
    fields: tuple[str, ...]   # the stated rate fields that give this rate
    lines: tuple[int, ...]


class Fmt:
    """Numbers for evidence text: money with the decimals it was written with, rates as %."""

    def __init__(self, inv: Invoice, minor: int):
        self.inv, self.minor = inv, minor

    def __call__(self, path: str, value: Decimal) -> str:
        name = leaf(path)
        if name == "tax_rate":
            return f"{_plain(value * 100)}%"
        if name == "quantity":
            return _plain(value)
        stated = self.inv.value(path)
        places = min(stated.style.decimals, self.minor) if stated is not None and stated.style \
            else self.minor
        needed = max(0, -value.normalize().as_tuple().exponent)
        if needed > places:
            places = max(needed, self.minor) if needed <= self.minor else needed
        return f"{value:.{places}f}"


def _plain(value: Decimal) -> str:
    text = f"{value.normalize():f}"
    return text


def round_to(value: Decimal, places: int, rounding: str) -> Decimal:
    with localcontext(_DEC):
        return value.quantize(Decimal(1).scaleb(-places), rounding=ROUNDINGS[rounding])


def tax_groups(inv: Invoice, vals: Mapping[str, Decimal]) -> list[_Group]:
    """Lines grouped by the rate that applies to them (a line's own rate overrides)."""
    invoice_rate = vals.get("tax_rate")
    if not inv.lines:
        return [_Group(invoice_rate, ("tax_rate",) if invoice_rate is not None else (), ())]
    groups: dict[Any, tuple[list[str], list[int]]] = {}
    for i in range(len(inv.lines)):
        own = vals.get(f"lines[{i}].tax_rate")
        rate, src = (own, f"lines[{i}].tax_rate") if own is not None else \
            (invoice_rate, "tax_rate" if invoice_rate is not None else None)
        key = rate.normalize() if rate is not None else None
        fields, lines = groups.setdefault(key, ([], []))
        if src and src not in fields:
            fields.append(src)
        lines.append(i)
    return [_Group(None if k is None else vals.get(f[0]) if f else None, tuple(f), tuple(ln))
            for k, (f, ln) in groups.items()]


def one_tax_base(inv: Invoice, groups: Sequence[_Group], opts: Options) -> bool:
    """The tax is one rounded term on (subtotal − discount): one rate, taxed on the subtotal
    (or no lines at all, where the subtotal is the only amount to tax)."""
    return len(groups) == 1 and (opts.tax_mode == "subtotal" or not inv.lines)


def structural_errors(inv: Invoice, vals: Mapping[str, Decimal], tax_mode: str) -> list[str]:
    """Combinations the model refuses to guess about."""
    groups = tax_groups(inv, vals)
    if vals.get("discount") and (len(groups) > 1 or (tax_mode == "per-line" and inv.lines)):
        why = "mixed tax rates" if len(groups) > 1 else "tax computed per line"
        return [f"discount: a discount with {why} is not supported "
                "(how the discount splits across the taxed amounts is not stated)"]
    return []


def evaluate(inv: Invoice, vals: Mapping[str, Decimal], opts: Options, minor: int) -> list[Check]:
    """Every constraint, evaluated exactly on ``vals`` (stated or corrected values).

    A value that is not stated is computed from the others when it can be (a missing line
    amount, subtotal or tax); a missing discount or shipping is 0; a missing total is not
    checked; with no tax and no rate stated the tax is 0.
    """
    fmt = Fmt(inv, minor)
    checks: list[Check] = []
    with localcontext(_DEC):
        amounts: list[Decimal | None] = []
        for i in range(len(inv.lines)):
            qp, pp, ap = (f"lines[{i}].quantity", f"lines[{i}].unit_price", f"lines[{i}].amount")
            q, p, a = vals.get(qp), vals.get(pp), vals.get(ap)
            if p is not None:
                qq = q if q is not None else Decimal(1)
                calc = round_to(qq * p, minor, opts.rounding)
                if a is not None:
                    checks.append(Check(f"{ap} = {qp} × {pp}", ap,
                                        tuple(x for x in (qp, pp, ap) if x in vals), a, calc,
                                        f"{fmt(qp, qq)} × {fmt(pp, p)}", a == calc))
                amounts.append(a if a is not None else calc)
            else:
                amounts.append(a)
        sub = vals.get("subtotal")
        if inv.lines:
            calc_sub = None if any(x is None for x in amounts) else sum(amounts, Decimal(0))
            if sub is not None and calc_sub is not None:
                fields = tuple(f"lines[{i}].amount" for i in range(len(inv.lines))
                               if f"lines[{i}].amount" in vals) + ("subtotal",)
                terms = [fmt(f"lines[{i}].amount", x) for i, x in enumerate(amounts)]
                expr = " + ".join(terms) if len(terms) <= 6 else \
                    f"the sum of {len(terms)} line amounts"
                checks.append(Check("subtotal = sum of lines[].amount", "subtotal", fields, sub,
                                    calc_sub, expr, sub == calc_sub))
            if sub is None:
                sub = calc_sub
        disc = vals.get("discount", Decimal(0))
        ship = vals.get("shipping", Decimal(0))
        if sub is not None and "discount" in vals:
            checks.append(Check("discount ≤ subtotal", "discount", ("discount", "subtotal"), None,
                                None, f"discount {fmt('discount', disc)} ≤ subtotal {fmt('subtotal', sub)}",
                                disc <= sub))
        tax = vals.get("tax")
        groups = tax_groups(inv, vals)
        no_tax_info = tax is None and all(g.rate is None for g in groups)
        tax_eff: Decimal | None = Decimal(0) if no_tax_info else tax
        if not no_tax_info:
            known, free_base, terms, parts_ok = Decimal(0), Decimal(0), [], True
            single = one_tax_base(inv, groups, opts)
            for g in groups:
                if single:
                    base = None if sub is None else sub - disc
                    bases = [base]
                    label = (f"({fmt('subtotal', sub)} − {fmt('discount', disc)})" if disc else
                             fmt("subtotal", sub)) if sub is not None else "?"
                else:
                    if opts.tax_mode == "per-line":
                        bases = [amounts[i] for i in g.lines]
                    else:
                        bases = [None if any(amounts[i] is None for i in g.lines)
                                 else sum((amounts[i] for i in g.lines), Decimal(0))]
                    label = "+".join("?" if b is None else fmt("subtotal", b) for b in bases)
                if any(b is None for b in bases):
                    parts_ok = False
                    continue
                if g.rate is None:
                    free_base += sum(bases, Decimal(0))
                    continue
                part = sum((round_to(b * g.rate, minor, opts.rounding) for b in bases), Decimal(0))
                known += part
                terms.append(f"{label} × {fmt('tax_rate', g.rate)}" if len(bases) == 1 else
                             f"each of {len(bases)} lines × {fmt('tax_rate', g.rate)}")
            rate_fields = tuple(f for g in groups for f in g.fields)
            base_fields = ("subtotal", "discount") if single else \
                tuple(f"lines[{i}].amount" for i in range(len(inv.lines)))
            deps = tuple(f for f in rate_fields + base_fields if f in vals)
            name = ("tax = (subtotal - discount) × tax_rate" if single
                    else "tax = sum of lines[].amount × rate, each rounded" if opts.tax_mode == "per-line"
                    else "tax = sum over rates of (lines at that rate) × rate")
            if parts_ok and all(g.rate is not None for g in groups):
                calc_tax = known
                if tax is not None:
                    checks.append(Check(name, "tax", deps + ("tax",), tax, calc_tax,
                                        " + ".join(terms), tax == calc_tax))
                else:
                    tax_eff = calc_tax
            elif parts_ok and tax is not None:
                low, high = known, known + free_base
                checks.append(Check(name + " (a rate not stated: at most 100%)", "tax",
                                    deps + ("tax",), None, None,
                                    f"tax {fmt('tax', tax)} within [{fmt('tax', low)}, {fmt('tax', high)}]",
                                    low <= tax <= high))
        total = vals.get("total")
        if total is not None and sub is not None and tax_eff is not None:
            calc_total = sub - disc + tax_eff + ship
            expr = fmt("subtotal", sub)
            if "discount" in vals:
                expr += f" − {fmt('discount', disc)}"
            if not no_tax_info:
                expr += f" + {fmt('tax', tax_eff)}"
            if "shipping" in vals:
                expr += f" + {fmt('shipping', ship)}"
            fields = tuple(f for f in ("subtotal", "discount", "tax", "shipping", "total") if f in vals)
            checks.append(Check("total = subtotal - discount + tax + shipping", "total", fields, total,
                                calc_total, expr, total == calc_total))
    return checks

