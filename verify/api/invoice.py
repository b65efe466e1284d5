"""``check_invoice``: does an invoice add up, which fields are wrong, what is the smallest fix.

    from verify import check_invoice
    report = check_invoice({"currency": "USD", "subtotal": "100", "tax_rate": "0.18",
                            "tax": "18", "total": "120"})
    report.status        # "corrected"
    report.corrections   # (Correction(field='total', from_='120.00', to='118.00'),)

The invoice may be a dict (the JSON contract), a JSON string, a CSV text with a header row,
or a plain-text invoice as a model writes one. Consistent invoices are proved by exact
recomputation (and Z3); inconsistent ones get the minimum-weight correction found and
proved by Z3 (see :mod:`verify.engines.invoice.analysis`), or ``ambiguous`` with every minimal
alternative when there is more than one.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, Mapping, Sequence

from verify.engines.invoice.model import Invoice, leaf
from verify.engines.invoice.text import parse_any
from verify.engines.invoice.analysis import Analysis, Change, analyze
from verify.engines.invoice.checks import DEFAULT_TIMEOUT, Options
from verify.api import require_timeout
from verify.normalize import normalize
from verify.report import SCHEMA_VERSION

__all__ = ["check_invoice", "check_parsed", "InvoiceReport", "Correction", "Violation"]


@dataclass(frozen=True)
class Violation:
    """A constraint the stated values break, and the fields the correction changes in it."""

    constraint: str
    fields: tuple[str, ...]
    explanation: str

    def to_dict(self) -> dict[str, Any]:
        return {"constraint": self.constraint, "fields": list(self.fields),
                "explanation": self.explanation}


@dataclass(frozen=True)
class Correction:
    """``field`` goes ``from_`` → ``to`` (money as strings with the currency's decimals,
    quantities as numbers, rates as decimal fractions)."""

    field: str
    from_: Any
    to: Any

    def to_dict(self) -> dict[str, Any]:
        return {"field": self.field, "from": self.from_, "to": self.to}


@dataclass(frozen=True)
class InvoiceReport:
    """The verdict on one invoice. ``status``: ``verified`` (consistent), ``corrected`` (one
    unique minimal correction), ``flagged`` (ambiguous or no correction, unparseable fields,
    or a solver time limit — ``explanation`` says which)."""

    id: str
    status: str
    violations: tuple[Violation, ...] = ()
    corrections: tuple[Correction, ...] = ()
    ambiguous: bool = False
    alternatives: tuple[tuple[Correction, ...], ...] = ()
    explanation: str = ""
    errors: tuple[str, ...] = ()
    currency: str | None = None
    minor_units: int = 2
    rounding: str = "half-up"
    tax_mode: str = "subtotal"
    weight: int | None = None
    evidence: tuple[str, ...] = ()
    corrected: Mapping[str, Any] | None = field(default=None, compare=False)
    elapsed_ms: float = field(default=0.0, compare=False)

    @property
    def ok(self) -> bool:
        return self.status == "verified"

    def to_dict(self) -> dict[str, Any]:
        return {
            "schema_version": SCHEMA_VERSION,
            "id": self.id,
            "status": self.status,
            "violations": [v.to_dict() for v in self.violations],
            "corrections": [c.to_dict() for c in self.corrections],
            "ambiguous": self.ambiguous,
            "alternatives": [[c.to_dict() for c in alt] for alt in self.alternatives],
            "explanation": self.explanation,
            "errors": list(self.errors),
            "currency": self.currency,
            "minor_units": self.minor_units,
            "rounding": self.rounding,
            "tax_mode": self.tax_mode,
            "weight": self.weight,
            "evidence": list(self.evidence),
            "corrected_invoice": dict(self.corrected) if self.corrected is not None else None,
            "elapsed_ms": self.elapsed_ms,
        }

    def __str__(self) -> str:
        out = [f"{self.id}: {self.status.upper()}: {self.explanation}"]
        out += [f"  error: {e}" for e in self.errors]
        out += [f"  violated: {v.constraint}: {v.explanation}" for v in self.violations]
        out += [f"  fix: {c.field}: {c.from_} → {c.to}" for c in self.corrections]
        for n, alt in enumerate(self.alternatives, start=1):
            out.append(f"  alternative {n}: " + ", ".join(f"{c.field}: {c.from_} → {c.to}" for c in alt))
        return "\n".join(out)


def _out(path: str, value: Decimal | None, minor: int) -> Any:
    """A value for JSON: quantities as numbers, rates as fraction strings, money as strings
    with the currency's minor-unit decimals (more only when the value was stated with more)."""
    if value is None:
        return None
    name = leaf(path)
    if name == "quantity":
        return int(value) if value == value.to_integral_value() else float(value)
    if name == "tax_rate":
        text = f"{value.normalize():f}"
        return text
    places = max(minor, -value.normalize().as_tuple().exponent)
    return f"{value:.{places}f}"


def _corrections(changes: Sequence[Change], minor: int) -> tuple[Correction, ...]:
    return tuple(Correction(c.field, _out(c.field, c.old, minor), _out(c.field, c.new, minor))
                 for c in changes)


def _corrected_invoice(inv: Invoice, changes: Sequence[Change], minor: int,
                       currency: str | None) -> dict[str, Any]:
    values = {p: v.value for p, v in inv.stated()}
    values.update({c.field: c.new for c in changes})
    lines = []
    for i, line in enumerate(inv.lines):
        item: dict[str, Any] = {"description": line.description} if line.description else {}
        for name in ("quantity", "unit_price", "amount", "tax_rate"):
            path = f"lines[{i}].{name}"
            if path in values:
                item[name] = _out(path, values[path], minor)
        lines.append(item)
    out: dict[str, Any] = {"currency": currency} if currency else {}
    if inv.lines:
        out["lines"] = lines
    for name in ("subtotal", "discount", "tax_rate", "tax", "shipping", "total"):
        if name in values:
            out[name] = _out(name, values[name], minor)
    return out


def report_from(analysis: Analysis, id: str) -> InvoiceReport:
    """The public report of an engine analysis."""
    fmt, minor = analysis.fmt, analysis.minor
    inv = analysis.invoice
    changed = {c.field for c in analysis.corrections} | \
        {c.field for alt in analysis.alternatives for c in alt}
    violations = tuple(
        Violation(c.constraint, tuple(f for f in c.fields if f in changed) or (c.field,),
                  f"{c.field}: {c.sentence(fmt)}" if c.expected is not None
                  else f"{c.sentence(fmt)} does not hold")
        for c in analysis.violations)
    currency = analysis.options.currency or inv.currency
    explanation = analysis.explanation
    if analysis.currency_assumed and not analysis.errors:
        explanation += f" (currency not stated: {minor} decimal places assumed)"
    corrected = None
    if analysis.status in ("verified", "corrected"):
        corrected = _corrected_invoice(inv, analysis.corrections, minor, currency)
    return InvoiceReport(
        id=id, status=analysis.status, violations=violations,
        corrections=_corrections(analysis.corrections, minor), ambiguous=analysis.ambiguous,
        alternatives=tuple(_corrections(a, minor) for a in analysis.alternatives),
        explanation=explanation, errors=analysis.errors, currency=currency, minor_units=minor,
        rounding=analysis.options.rounding, tax_mode=analysis.options.tax_mode,
        weight=analysis.weight, evidence=analysis.evidence, corrected=corrected,
        elapsed_ms=analysis.elapsed_ms)


def _options(currency: Any, rounding: str, tax_mode: str, timeout: float) -> Options:
    """The checked options of one call; a currency code is case-insensitive."""
    if currency is not None and not isinstance(currency, str):
        raise TypeError(f"currency must be an ISO 4217 code (text), got {type(currency).__name__}")
    require_timeout(timeout)
    return Options(rounding=rounding, tax_mode=tax_mode,
                   currency=currency.upper() if currency else None, timeout=timeout)


def check_parsed(inv: Invoice, *, id: str | None = None, currency: str | None = None,
                 rounding: str = "half-up", tax_mode: str = "subtotal",
                 timeout: float = DEFAULT_TIMEOUT) -> InvoiceReport:
    """:func:`check_invoice` for an invoice already read into the model (CSV batches)."""
    opts = _options(currency, rounding, tax_mode, timeout)
    return report_from(analyze(inv, opts), id if id is not None else inv.id or "1")


def check_invoice(invoice: Mapping[str, Any] | str, *, currency: str | None = None,
                  rounding: str = "half-up", tax_mode: str = "subtotal",
                  timeout: float = DEFAULT_TIMEOUT, id: str | None = None) -> InvoiceReport:
    """Check one invoice (dict, JSON string, CSV text or plain text) and correct it minimally.

    ``currency`` (ISO code) overrides the invoice's and sets the minor unit (JPY 0, USD 2,
    BHD 3; 2 when nothing says); ``rounding`` is ``half-up`` or ``half-even``; ``tax_mode``
    ``subtotal`` (tax rounded once per rate) or ``per-line``; ``timeout`` bounds all solver
    work for this invoice in seconds. Bad options raise ``TypeError``/``ValueError``; bad invoice data gives
    a ``flagged`` report naming each field.
    """
    opts = _options(currency, rounding, tax_mode, timeout)
    if isinstance(invoice, str):  # read as a reader sees it: "$1\u200b00" is $100
        invoice = normalize(invoice).text
    inv = parse_any(invoice)
    return report_from(analyze(inv, opts), id if id is not None else inv.id or "1")
