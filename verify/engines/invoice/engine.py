"""The invoice engine: finds invoice-shaped prose in an answer, reads each invoice in it
(:mod:`.text`), analyses it (:mod:`.analysis`) and turns the analysis into one claim per
stated value that is checked, a refuted one carrying its correction written like the original.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Iterable, Mapping, Sequence

from verify.engines.base import Candidate, Context
from verify.report import Claim, Evidence, Span

from .analysis import Analysis, Change, analyze
from .checks import Check, Options
from .model import Invoice, Statement, Style, leaf
from .text import blocks, from_text, is_invoice_shaped, may_be_invoice


@dataclass(frozen=True)
class _Found:
    """What ``find`` hands to ``check``: the verdict on one statement, decided with the
    whole invoice's analysis (so each invoice is analysed, and its claims built, once)."""

    claim: Claim


def options_from(ctx_options: Mapping[str, Any]) -> Options:
    kw = {k: ctx_options[k] for k in ("rounding", "tax_mode", "currency") if ctx_options.get(k)}
    return Options(**kw)


class _Own:
    """The constraint each field's value is the left side of (a line's amount, the subtotal,
    the tax, the total), indexed once so that finding a statement's own constraint does not
    scan every constraint (a 1,000-line invoice stays linear)."""

    def __init__(self, checks: Iterable[Check]):
        self.at: dict[str, tuple[int, Check]] = {}
        for pos, c in enumerate(checks):
            if c.expected is not None:
                self.at.setdefault(c.field, (pos, c))

    def of(self, statement: Statement) -> Check | None:
        """The first constraint (in evaluation order) whose field the statement states;
        inputs such as a discount have none."""
        hits = [self.at[f] for f in statement.fields if f in self.at]
        return min(hits, key=lambda pc: pc[0])[1] if hits else None


def claims_for(analysis: Analysis) -> list[tuple[Statement, Claim]]:
    """One claim per statement whose value is checked (or changed by a correction)."""
    inv, fmt = analysis.invoice, analysis.fmt
    text = inv.text or ""
    touched_any = {c.field for alt in analysis.alternatives for c in alt} | \
        {c.field for c in analysis.corrections}
    corrected_own, stated_own = _Own(analysis.corrected_checks), _Own(analysis.stated_checks)
    violated_own = _Own(analysis.violations)
    per_alt_own = [_Own(cs) for cs in (analysis.alternative_checks or (analysis.stated_checks,))]
    out = []
    for st in inv.statements:
        span_text = text[st.span.start:st.span.end]
        detail = {"fields": list(st.fields), "invoice_status": analysis.status}
        if analysis.status == "flagged" and not analysis.ambiguous:
            out.append((st, Claim.unverified(span_text, st.span, "invoice", "z3",
                                             analysis.explanation, **detail)))
            continue
        own = corrected_own.of(st) or stated_own.of(st)
        touched = [f for f in st.fields if f in touched_any]
        if own is None and not touched:
            continue
        if analysis.status == "corrected" and touched:
            out.append((st, _refuted(analysis, st, span_text, touched, detail,
                                     violated_own.of(st), corrected_own.of(st))))
            continue
        if analysis.ambiguous and touched:
            options = [", ".join(f"{c.field} → {fmt(c.field, c.new)}" for c in alt)
                       for alt in analysis.alternatives]
            out.append((st, Claim.unverified(
                span_text, st.span, "invoice", "z3",
                "the invoice does not add up, but the fix is ambiguous: " + " or ".join(options),
                alternatives=options, **detail)))
            continue
        # Verified: the statement's own constraint holds (in every minimal correction).
        per_alt = [o.of(st) for o in per_alt_own]
        if any(c is None or not c.holds for c in per_alt):
            out.append((st, Claim.unverified(span_text, st.span, "invoice", "z3",
                                             "not checkable on its own", **detail)))
            continue
        c = per_alt[0]
        ev = [Evidence(c.sentence(fmt), source="z3")]
        if analysis.status != "verified":
            ev.append(Evidence("holds in every minimal correction of the invoice (Z3)", source="z3"))
        else:
            ev.append(Evidence("Z3: the stated invoice satisfies every constraint (sat)", source="z3"))
        out.append((st, Claim(text=span_text, span=st.span, kind="invoice", status="verified",
                              method="z3", explanation=f"{c.sentence(fmt)}: the stated value is right.",
                              evidence=tuple(ev), detail=dict(detail, constraint=c.constraint))))
    return out


def _refuted(analysis: Analysis, st: Statement, span_text: str, touched: list[str],
             detail: dict, violated: Check | None, fixed_own: Check | None) -> Claim:
    inv, fmt = analysis.invoice, analysis.fmt
    text = inv.text or ""
    changes = {c.field: c for c in analysis.corrections if c.field in touched}
    located = sorted(((inv.value(f), changes[f]) for f in changes), key=lambda vc: vc[0].span.start)
    start, end = located[0][0].span.start, located[-1][0].span.end
    pieces, pos = [], start
    for v, ch in located:
        pieces.append(text[pos:v.span.start])
        pieces.append(_written(v.style, ch, analysis.minor))
        pos = v.span.end
    pieces.append(text[pos:end])
    correction = "".join(pieces)
    stated_own = violated or next(
        (c for c in analysis.violations if set(c.fields) & set(changes)), None)
    ev = []
    if stated_own is not None and stated_own.expected is not None and stated_own.stated is not None:
        wrong = f"{stated_own.expr} = {fmt(stated_own.field, stated_own.stated)}"
        ev_text = f"the constraint {wrong} is unsatisfiable"
        if fixed_own is not None and fixed_own.expected is not None:
            ev_text += f"; {fixed_own.expr} = {fmt(fixed_own.field, fixed_own.expected)}"
        ev.append(Evidence(ev_text, source="z3"))
    ev += [Evidence(e, source="z3") for e in analysis.evidence]
    what = ", ".join(f"{f} {fmt(f, changes[f].old)} → {fmt(f, changes[f].new)}" for f in changes)
    why = stated_own.sentence(fmt) if stated_own is not None else "the invoice does not add up"
    return Claim(text=span_text, span=st.span, kind="invoice", status="refuted", method="z3",
                 explanation=f"{why}; the minimal correction is {what}.",
                 correction=correction, correction_span=Span(start, end), evidence=tuple(ev),
                 detail=dict(detail, corrections=[{"field": f, "from": str(changes[f].old),
                                                   "to": str(changes[f].new)} for f in changes]))


def _written(style: Style | None, change: Change, minor: int) -> str:
    """The corrected value written like the original (``$120`` → ``$118``)."""
    style = style or Style()
    if leaf(change.field) == "tax_rate":
        return style.format(change.new * 100)
    if leaf(change.field) == "quantity":
        return style.format(change.new)
    return style.format(change.new, min_decimals=minor)


class InvoiceEngine:
    """Invoice-shaped prose → one ``invoice`` claim per stated value that is checked."""

    name = "invoice"

    def find(self, text: str, ctx: Context) -> list[Candidate]:
        """Each invoice in the text (a block ending with its total) is read and checked on
        its own; every checked value becomes a candidate carrying the analysis."""
        if not may_be_invoice(text):
            return []
        opts = options_from(ctx.options)
        out: list[Candidate] = []
        last: Invoice | None = None
        for block in blocks(text):
            inv = from_text(text, currency=opts.currency, block=block)
            if not is_invoice_shaped(inv):
                if last is not None:
                    out += _restated(text, inv, last)
                continue
            last = inv
            timeout = ctx.bound(opts.timeout)
            analysis = analyze(inv, Options(opts.rounding, opts.tax_mode, opts.currency, timeout))
            out += [Candidate(claim.text, claim.span, "invoice", _Found(claim))
                    for _, claim in claims_for(analysis)]
        return out

    def check(self, candidates: Sequence[Candidate], ctx: Context) -> list[Claim]:
        return [cand.payload.claim if isinstance(cand.payload, _Found) else
                Claim.unverified(cand.text, cand.span, "invoice", "z3",
                                 "not found by the invoice engine")
                for cand in candidates]


def _restated(text: str, tail: Invoice, invoice: Invoice) -> list[Candidate]:
    """Values stated after an invoice's total, outside any invoice ("Total: $12" under
    "Total: $10"): the same value again is a restatement; another value is ``unverified``,
    since which of the two is meant cannot be told."""
    out = []
    for st in tail.statements:
        if all((v := tail.value(f)) is not None and (w := invoice.value(f)) is not None
               and v.value == w.value for f in st.fields):
            continue
        said = text[st.span.start:st.span.end]
        out.append(Candidate(said, st.span, "invoice", _Found(Claim.unverified(
            said, st.span, "invoice", "z3", "stated again after the invoice's total with "
            "another value: which one is meant cannot be told", fields=list(st.fields)))))
    return out


ENGINE = InvoiceEngine()
