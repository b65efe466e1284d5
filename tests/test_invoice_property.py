"""Property tests: random consistent invoices are verified; one corrupted derived field is
restored exactly; garbage never crashes or verifies. The expected values come from a small
reference computation written here, independent of the engine."""
from __future__ import annotations

import json
from collections import defaultdict
from decimal import ROUND_HALF_EVEN, ROUND_HALF_UP, Decimal

from hypothesis import HealthCheck, given, settings, strategies as st

from verify import check_invoice
from verify.engines.base import Context
from verify.engines.invoice.engine import ENGINE

RATES = ("0", "0.05", "0.0825", "0.1", "0.19", "0.2")
MODES = {"half-up": ROUND_HALF_UP, "half-even": ROUND_HALF_EVEN}


def _round(x: Decimal, places: int, rounding: str) -> Decimal:
    return x.quantize(Decimal(1).scaleb(-places), rounding=MODES[rounding])


@st.composite
def invoices(draw):
    """A consistent invoice, with the options it was computed under."""
    currency, places = draw(st.sampled_from([("USD", 2), ("JPY", 0), ("BHD", 3), ("EUR", 2)]))
    rounding = draw(st.sampled_from(sorted(MODES)))
    tax_mode = draw(st.sampled_from(["subtotal", "per-line"]))
    rate = draw(st.sampled_from(RATES))
    mixed = draw(st.booleans())
    lines, per_rate = [], defaultdict(list)
    for i in range(draw(st.integers(1, 8))):
        q = draw(st.integers(1, 40))
        extra = draw(st.integers(0, 1))  # a unit price with one decimal more than the currency
        p = Decimal(draw(st.integers(0, 200_000))).scaleb(-(places + extra))
        a = _round(q * p, places, rounding)
        line = {"description": f"item {i}", "quantity": q, "unit_price": str(p), "amount": str(a)}
        own = draw(st.sampled_from(RATES)) if mixed and draw(st.booleans()) else None
        if own is not None:
            line["tax_rate"] = own
        per_rate[Decimal(own if own is not None else rate)].append(a)
        lines.append(line)
    sub = sum((Decimal(ln["amount"]) for ln in lines), Decimal(0))
    single = len(per_rate) == 1 and tax_mode == "subtotal"
    disc = _round(sub * Decimal(draw(st.sampled_from(["0", "0.05", "0.1"]))), places, rounding) \
        if single else Decimal(0)
    if single:
        tax = _round((sub - disc) * next(iter(per_rate)), places, rounding)
    elif tax_mode == "subtotal":
        tax = sum((_round(sum(a, Decimal(0)) * r, places, rounding) for r, a in per_rate.items()), Decimal(0))
    else:
        tax = sum((_round(x * r, places, rounding) for r, a in per_rate.items() for x in a), Decimal(0))
    ship = Decimal(draw(st.integers(0, 5000))).scaleb(-places)
    inv = {"currency": currency, "lines": lines, "subtotal": str(sub), "tax_rate": rate,
           "tax": str(tax), "shipping": str(ship), "total": str(sub - disc + tax + ship)}
    if disc:
        inv["discount"] = str(disc)
    return inv, {"rounding": rounding, "tax_mode": tax_mode}, places


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(invoices())
def test_random_consistent_invoices_are_verified(case):
    inv, opts, _ = case
    r = check_invoice(inv, **opts)
    assert r.status == "verified", (r, inv, opts)
    assert r.evidence


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(invoices(), st.data())
def test_one_corrupted_derived_field_is_restored_exactly(case, data):
    inv, opts, places = case
    n = len(inv["lines"])
    path = data.draw(st.sampled_from(["subtotal", "tax", "total"] + [f"lines[{i}].amount" for i in range(n)]))
    delta = Decimal(data.draw(st.integers(1, 10_000).filter(lambda d: d != 0))).scaleb(-places)
    bad = json.loads(json.dumps(inv))
    if path.startswith("lines["):
        i = int(path[6:path.index("]")])
        original = Decimal(bad["lines"][i]["amount"])
        bad["lines"][i]["amount"] = str(original + delta)
    else:
        original = Decimal(bad[path])
        bad[path] = str(original + delta)
    r = check_invoice(bad, **opts)
    assert r.status == "corrected", (r, bad, opts)
    assert [(c.field, Decimal(c.to)) for c in r.corrections] == [(path, original)]
    assert check_invoice(r.to_dict()["corrected_invoice"], **opts).status == "verified"


JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=True) | st.text(max_size=12),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(
        st.sampled_from(["lines", "quantity", "unit_price", "amount", "subtotal", "tax", "tax_rate",
                         "total", "discount", "shipping", "currency", "x"]), inner, max_size=6),
    max_leaves=20)


@settings(max_examples=150, deadline=None)
@given(JSON)
def test_garbage_json_never_crashes_and_never_verifies_nonsense(obj):
    r = check_invoice(obj) if isinstance(obj, dict) else check_invoice({"lines": obj})
    assert r.status in ("verified", "corrected", "flagged")
    if r.status == "verified":
        assert r.evidence and not r.errors
    r.to_dict()


TEXTISH = st.lists(st.sampled_from(list("0123456789.,$€% :=x@\n-()") +
                                   ["Total", "Subtotal", "Tax", "Widget", " x ", " @ "]),
                   max_size=60).map("".join)


@settings(max_examples=150, deadline=None)
@given(TEXTISH)
def test_garbage_text_never_crashes(text):
    r = check_invoice(text)
    assert r.status in ("verified", "corrected", "flagged")
    for cand in ENGINE.find(text, Context()):
        assert text[cand.span.start:cand.span.end] == cand.text
    for claim in ENGINE.check(ENGINE.find(text, Context()), Context()):
        assert claim.status != "verified" or claim.evidence
