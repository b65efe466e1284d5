"""check_invoice: every constraint, rounding modes, currency units, tax modes, missing fields,
minimal and ambiguous corrections, bad input, and the report contract."""
from __future__ import annotations

import json
from decimal import Decimal
from importlib import resources

import jsonschema
import pytest

import verify
from verify import InvoiceReport, check_invoice
from verify.engines.invoice import analysis, checks

SCHEMA = json.loads(resources.files("verify.schemas").joinpath("invoice.json").read_text())

# The issue's example invoice: consistent.
WIDGET = {"currency": "USD",
          "lines": [{"description": "Widget", "quantity": 3, "unit_price": "19.99", "amount": "59.97"}],
          "subtotal": "59.97", "discount": "0", "tax_rate": "0.0825", "tax": "4.95",
          "shipping": "0", "total": "64.92"}

# Two lines, a discount and shipping: 59.97 + 10.00 = 69.97; (69.97 - 5.00) × 8.25% = 5.360…
FULL = {"currency": "USD",
        "lines": [{"description": "Widget", "quantity": 3, "unit_price": "19.99", "amount": "59.97"},
                  {"description": "Gadget", "quantity": 2, "unit_price": "5.00", "amount": "10.00"}],
        "subtotal": "69.97", "discount": "5.00", "tax_rate": "0.0825", "tax": "5.36",
        "shipping": "4.99", "total": "75.32"}


def with_(base: dict, **changes) -> dict:
    """A copy of an invoice with top-level fields or ``line0_quantity``-style line fields set."""
    out = json.loads(json.dumps(base))
    for key, value in changes.items():
        if key.startswith("line"):
            index, name = key[4:].split("_", 1)
            out["lines"][int(index)][name] = value
        else:
            out[key] = value
    return out


def fixes(report: InvoiceReport) -> list[tuple[str, object]]:
    return [(c.field, c.to) for c in report.corrections]


def valid(report: InvoiceReport) -> dict:
    d = report.to_dict()
    jsonschema.validate(d, SCHEMA)
    json.dumps(d)  # serialisable as is
    return d


def test_public_names_resolve():
    assert verify.check_invoice is check_invoice
    assert verify.InvoiceReport is InvoiceReport


def test_consistent_invoice_is_verified_with_evidence():
    r = check_invoice(WIDGET)
    assert r.status == "verified" and r.ok
    assert r.corrections == () and r.violations == () and not r.ambiguous
    assert "3 × 19.99 = 59.97" in r.evidence
    assert "59.97 × 8.25% = 4.95" in r.evidence
    assert any("Z3" in e and "sat" in e for e in r.evidence)
    d = valid(r)
    assert d["id"] == "1" and d["schema_version"] == 1
    assert d["corrected_invoice"]["lines"][0] == {"description": "Widget", "quantity": 3,
                                                  "unit_price": "19.99", "amount": "59.97"}


def test_issue_example_total_is_corrected_exactly_as_in_the_contract():
    r = check_invoice(with_(WIDGET, id="inv7", total="64.29"))
    d = valid(r)
    assert d["id"] == "inv7" and d["status"] == "corrected"
    assert d["violations"] == [{"constraint": "total = subtotal - discount + tax + shipping",
                                "fields": ["total"],
                                "explanation": "total: 59.97 − 0 + 4.95 + 0 = 64.92, not 64.29"}]
    assert d["corrections"] == [{"field": "total", "from": "64.29", "to": "64.92"}]
    assert d["ambiguous"] is False and d["alternatives"] == []
    assert d["weight"] == 2
    assert d["corrected_invoice"]["total"] == "64.92"


@pytest.mark.parametrize("changes, expected", [
    # lines[i].amount = quantity × unit_price
    ({"line1_amount": "10.10"}, [("lines[1].amount", "10.00")]),
    # subtotal = Σ amounts
    ({"subtotal": "69.79"}, [("subtotal", "69.97")]),
    # tax = (subtotal − discount) × rate, rounded
    ({"tax": "5.77"}, [("tax", "5.36")]),
    # total = subtotal − discount + tax + shipping
    ({"total": "75.23"}, [("total", "75.32")]),
    # a wrong quantity: changing it back (weight 5) beats amount+subtotal+tax+total (8)
    ({"line0_quantity": 4}, [("lines[0].quantity", 3)]),
    # a wrong unit price
    ({"line0_unit_price": "19.90"}, [("lines[0].unit_price", "19.99")]),
])
def test_each_constraint_detects_and_restores_one_corrupted_field(changes, expected):
    assert check_invoice(FULL).status == "verified"
    r = check_invoice(with_(FULL, **changes))
    assert r.status == "corrected", r
    assert fixes(r) == expected
    assert r.violations and all(v.fields for v in r.violations)
    valid(r)


def test_every_violated_constraint_is_named_with_its_numbers():
    r = check_invoice(with_(FULL, line1_amount="10.10"))
    by_constraint = {v.constraint: v for v in r.violations}
    assert set(by_constraint) == {"lines[1].amount = lines[1].quantity × lines[1].unit_price",
                                  "subtotal = sum of lines[].amount"}
    line = by_constraint["lines[1].amount = lines[1].quantity × lines[1].unit_price"]
    assert line.fields == ("lines[1].amount",)
    assert line.explanation == "lines[1].amount: 2 × 5.00 = 10.00, not 10.10"


def test_discount_above_subtotal_is_a_violation():
    r = check_invoice({"currency": "USD", "subtotal": "10.00", "discount": "15.00", "total": "0.00"})
    assert r.status != "verified"
    assert any(v.constraint == "discount ≤ subtotal" for v in r.violations)


def test_missing_discount_and_shipping_are_zero():
    inv = {"currency": "USD", "subtotal": "100.00", "tax_rate": "0.1", "tax": "10.00", "total": "110.00"}
    assert check_invoice(inv).status == "verified"
    r = check_invoice(dict(inv, total="114.99"))
    assert fixes(r) == [("total", "110.00")]


def test_missing_total_is_not_checked():
    r = check_invoice({"currency": "USD", "subtotal": "100.00", "tax_rate": "0.1", "tax": "10.00"})
    assert r.status == "verified"
    assert not any("total" in e for e in r.evidence)


def test_missing_tax_rate_leaves_the_tax_checked_only_against_the_total():
    inv = {"currency": "USD", "subtotal": "100.00", "tax": "7.00", "total": "107.00"}
    assert check_invoice(inv).status == "verified"
    r = check_invoice(dict(inv, total="108.00"))
    # Without a rate, the tax and the total are equally likely to be wrong: say so.
    assert r.status == "flagged" and r.ambiguous and r.corrections == ()
    options = {tuple((c.field, c.to) for c in alt) for alt in r.alternatives}
    assert options == {(("total", "107.00"),), (("tax", "8.00"),)}
    valid(r)


def test_missing_tax_with_a_rate_is_computed_and_the_total_checked():
    inv = {"currency": "USD", "subtotal": "100.00", "tax_rate": "0.1", "total": "110.00"}
    assert check_invoice(inv).status == "verified"
    assert fixes(check_invoice(dict(inv, total="111.00"))) == [("total", "110.00")]


def test_no_tax_stated_at_all_means_no_tax():
    assert check_invoice({"currency": "USD", "subtotal": "10", "total": "10"}).status == "verified"
    assert fixes(check_invoice({"currency": "USD", "subtotal": "10", "total": "12"})) == [("total", "10.00")]


def test_missing_amount_is_computed_from_quantity_and_price():
    inv = {"currency": "USD", "lines": [{"quantity": 3, "unit_price": "19.99"}], "subtotal": "59.97"}
    assert check_invoice(inv).status == "verified"
    assert fixes(check_invoice(dict(inv, subtotal="59.79"))) == [("subtotal", "59.97")]


def test_missing_quantity_means_one():
    inv = {"currency": "USD", "lines": [{"unit_price": "19.99", "amount": "19.99"}], "subtotal": "19.99"}
    assert check_invoice(inv).status == "verified"


# ---------------------------------------------------------------- rounding and currencies

def test_rounding_half_up_and_half_even_differ_on_a_tie():
    # 10.50 × 5% = 0.525: half-up 0.53, half-even 0.52
    up = {"currency": "USD", "subtotal": "10.50", "tax_rate": "0.05", "tax": "0.53", "total": "11.03"}
    even = dict(up, tax="0.52", total="11.02")
    assert check_invoice(up).status == "verified"
    assert check_invoice(even, rounding="half-even").status == "verified"
    r = check_invoice(up, rounding="half-even")
    assert fixes(r) == [("tax", "0.52"), ("total", "11.02")] and r.rounding == "half-even"
    assert fixes(check_invoice(even)) == [("tax", "0.53"), ("total", "11.03")]


def test_line_amount_rounding_modes():
    # 1 × 0.125 = 0.125: half-up 0.13, half-even 0.12 (2 is even)
    inv = {"currency": "USD", "lines": [{"quantity": 1, "unit_price": "0.125", "amount": "0.13"}],
           "subtotal": "0.13"}
    assert check_invoice(inv).status == "verified"
    r = check_invoice(inv, rounding="half-even")
    assert fixes(r) == [("lines[0].amount", "0.12"), ("subtotal", "0.12")]
    # 1 × 0.135 = 0.135: half-even goes up to the even 0.14
    odd = {"currency": "USD", "lines": [{"quantity": 1, "unit_price": "0.135", "amount": "0.14"}]}
    assert check_invoice(odd, rounding="half-even").status == "verified"


def test_jpy_has_no_minor_unit():
    inv = {"currency": "JPY", "lines": [{"quantity": 3, "unit_price": "333", "amount": "999"}],
           "subtotal": "999", "tax_rate": "0.1", "tax": "100", "total": "1099"}
    r = check_invoice(inv)
    assert r.status == "verified" and r.minor_units == 0
    assert r.to_dict()["corrected_invoice"]["total"] == "1099"
    # 99.9 is not a yen amount: the tax is 100 (999 × 10% = 99.9, rounded to whole yen)
    r = check_invoice(dict(inv, tax="99.9", total="1098.9"))
    assert r.status == "corrected"
    assert fixes(r) == [("tax", "100"), ("total", "1099")]


def test_bhd_has_three_decimals():
    inv = {"currency": "BHD", "lines": [{"quantity": 2, "unit_price": "1.255", "amount": "2.510"}],
           "subtotal": "2.510", "tax_rate": "0.1", "tax": "0.251", "total": "2.761"}
    r = check_invoice(inv)
    assert r.status == "verified" and r.minor_units == 3
    assert r.to_dict()["corrected_invoice"]["tax"] == "0.251"
    r = check_invoice(dict(inv, tax="0.250", total="2.760"))
    assert fixes(r) == [("tax", "0.251"), ("total", "2.761")]


def test_currency_option_sets_the_minor_unit_and_overrides_the_invoice():
    inv = {"currency": "USD", "subtotal": "2.51", "tax_rate": "0.1", "tax": "0.25", "total": "2.76"}
    assert check_invoice(inv).status == "verified"
    r = check_invoice(inv, currency="BHD")
    assert r.currency == "BHD" and r.minor_units == 3
    assert fixes(r) == [("tax", "0.251"), ("total", "2.761")]
    with pytest.raises(ValueError, match="unknown currency"):
        check_invoice(inv, currency="XYZ")


def test_unknown_currency_assumes_two_decimals_and_says_so():
    r = check_invoice({"subtotal": "10.00", "total": "10.00"})
    assert r.status == "verified" and r.currency is None and r.minor_units == 2
    assert "currency not stated" in r.explanation


# ---------------------------------------------------------------- tax modes and mixed VAT

THREE_SMALL = {"currency": "EUR", "tax_rate": "0.1",
               "lines": [{"quantity": 1, "unit_price": "0.05", "amount": "0.05"}] * 3,
               "subtotal": "0.15"}


def test_tax_on_subtotal_vs_per_line():
    # on the subtotal: 0.15 × 10% = 0.015 → 0.02; per line: 3 × round(0.005) = 3 × 0.01 = 0.03
    on_subtotal = dict(THREE_SMALL, tax="0.02", total="0.17")
    assert check_invoice(on_subtotal).status == "verified"
    r = check_invoice(on_subtotal, tax_mode="per-line")
    assert fixes(r) == [("tax", "0.03"), ("total", "0.18")] and r.tax_mode == "per-line"
    per_line = dict(THREE_SMALL, tax="0.03", total="0.18")
    assert check_invoice(per_line, tax_mode="per-line").status == "verified"


# A line's own tax_rate overrides the invoice's (mixed VAT). Per rate: 7% of 25.00 = 1.75,
# 19% of (0.55 + 0.55) = 0.209 → 0.21, tax 1.96. Per line: 0.1045 → 0.10 twice, tax 1.95.
MIXED = {"currency": "EUR", "tax_rate": "0.19",
         "lines": [{"description": "book", "quantity": 2, "unit_price": "12.50", "amount": "25.00",
                    "tax_rate": "0.07"},
                   {"description": "pen", "quantity": 1, "unit_price": "0.55", "amount": "0.55"},
                   {"description": "clip", "quantity": 1, "unit_price": "0.55", "amount": "0.55"}],
         "subtotal": "26.10", "tax": "1.96", "total": "28.06"}


def test_mixed_vat_rates_are_rounded_once_per_rate():
    assert check_invoice(MIXED).status == "verified"
    r = check_invoice(dict(MIXED, tax="2.04", total="28.14"))
    assert fixes(r) == [("tax", "1.96"), ("total", "28.06")]
    assert r.violations[0].constraint == "tax = sum over rates of (lines at that rate) × rate"
    # Had the book's own 7% been ignored, the tax would be 19% of 26.10 = 4.96.
    assert check_invoice(dict(MIXED, tax="4.96", total="31.06")).status == "corrected"


def test_mixed_vat_rates_per_line():
    r = check_invoice(MIXED, tax_mode="per-line")
    assert fixes(r) == [("tax", "1.95"), ("total", "28.05")]
    assert check_invoice(dict(MIXED, tax="1.95", total="28.05"), tax_mode="per-line").status == "verified"


def test_discount_with_mixed_rates_is_refused_naming_the_field():
    r = check_invoice(dict(MIXED, discount="1.00"))
    assert r.status == "flagged"
    assert r.errors and r.errors[0].startswith("discount: a discount with mixed tax rates")
    r = check_invoice(dict(THREE_SMALL, discount="0.01"), tax_mode="per-line")
    assert r.errors[0].startswith("discount: a discount with tax computed per line")


# ---------------------------------------------------------------- minimality and ambiguity

def test_weights_keep_the_encoding_exact():
    # The model's shortcuts rely on these relations (see the docstring of engines/invoice/analysis.py).
    assert checks.W_INPUT > checks.W_DERIVED
    assert 2 * checks.W_INPUT > 4 * checks.W_DERIVED   # never both quantity and price
    assert 2 * checks.W_DERIVED < checks.W_INPUT       # never a tax rate
    assert checks.W_DERIVED + checks.W_INPUT > 3 * checks.W_DERIVED  # consistent lines are constants


def test_quantity_or_unit_price_is_ambiguous_when_both_fit():
    # 6 × 481.20 = 2887.20 and 16 × 180.45 = 2887.20: the stated amount fits either fix.
    inv = {"currency": "USD",
           "lines": [{"quantity": 16, "unit_price": "481.20", "amount": "2887.20"}],
           "subtotal": "2887.20", "tax_rate": "0.1", "tax": "288.72", "total": "3175.92"}
    r = check_invoice(inv)
    assert r.status == "flagged" and r.ambiguous and r.corrections == ()
    options = sorted(tuple((c.field, c.to) for c in alt) for alt in r.alternatives)
    assert options == [(("lines[0].quantity", 6),), (("lines[0].unit_price", "180.45"),)]
    assert "2 different minimal corrections" in r.explanation
    valid(r)


def test_a_wrong_rate_is_fixed_through_tax_and_total_not_the_rate():
    # The stated rate is trusted more: 100 × 18% = 18, so tax and total are corrected.
    r = check_invoice({"currency": "USD", "subtotal": "100", "tax_rate": "0.18", "tax": "20", "total": "120"})
    assert fixes(r) == [("tax", "18.00"), ("total", "118.00")] and r.weight == 4


def test_a_subtotal_without_lines_weighs_as_an_input():
    # Nothing derives this subtotal, so "subtotal → 111.11" (weight 5 + 2) is not minimal.
    r = check_invoice({"currency": "USD", "subtotal": "10.50", "tax_rate": "0.05", "tax": "0.53",
                       "total": "11.03"}, rounding="half-even")
    assert r.status == "corrected" and not r.ambiguous


def test_every_reported_correction_is_consistent_and_proved_minimal():
    r = check_invoice(with_(FULL, line0_quantity=30))
    assert r.status == "corrected" and fixes(r) == [("lines[0].quantity", 3)]
    assert any("weight ≤ 4 is unsatisfiable" in e for e in r.evidence)
    assert check_invoice(r.to_dict()["corrected_invoice"]).status == "verified"


def test_a_stated_value_with_more_decimals_than_the_currency_is_corrected():
    r = check_invoice({"currency": "USD", "lines": [{"quantity": 1, "unit_price": "0.125",
                                                     "amount": "0.125"}]})
    assert fixes(r) == [("lines[0].amount", "0.13")]
    assert r.corrections[0].from_ == "0.125"


def test_solver_timeout_is_flagged_never_verified(monkeypatch):
    def no_time(deadline):
        raise analysis.SolverTimeout("the time limit for this invoice ran out")
    monkeypatch.setattr(analysis, "_ms", no_time)
    r = check_invoice(with_(FULL, total="1.00"))
    assert r.status == "flagged" and "time limit" in r.explanation
    r = check_invoice(FULL)
    assert r.status == "flagged" and "time limit" in r.explanation


def test_a_tiny_time_budget_still_answers_within_bounds():
    r = check_invoice(with_(FULL, total="1.00"), timeout=0.000001)
    assert r.status in ("flagged", "corrected")
    assert r.status != "verified"


# ---------------------------------------------------------------- bad input

@pytest.mark.parametrize("invoice, message", [
    ({"lines": [{"quantity": "abc", "unit_price": "1", "amount": "1"}]}, "lines[0].quantity: not a number: 'abc'"),
    ({"lines": [{"quantity": -3, "unit_price": "1"}]}, "lines[0].quantity: must not be negative (-3)"),
    ({"lines": [{"quantity": 1, "unit_price": float("nan")}]}, "lines[0].unit_price: not a finite number: nan"),
    ({"subtotal": "NaN"}, "subtotal: not a finite number: 'NaN'"),
    ({"total": float("inf")}, "total: not a finite number: inf"),
    ({"subtotal": True}, "subtotal: not a number: True"),
    ({"subtotal": [1]}, "subtotal: expected a number, got list"),
    ({"tax_rate": "1800%"}, "tax_rate: rate 1800% is above 100%"),
    ({"tax_rate": 18}, "tax_rate: rate 18 is above 100% (give a fraction such as 0.0825"),
    ({"lines": "3 widgets"}, "lines: expected a list, got str"),
    ({"lines": [5]}, "lines[0]: expected an object, got int"),
    ({"lines": [{"description": "x"}]}, "lines[0]: needs an amount or a unit_price"),
    ({"currency": "DOGE", "total": "1"}, "currency: unknown currency code 'DOGE'"),
    ({"subtotal": "1e400"}, "subtotal: not a number: '1e400'"),
    ({"subtotal": "12345678901234567890"}, "subtotal: out of range"),
    ({"lines": [{"quantity": 1, "unit_price": "1" * 5_000_000}]},
     "lines[0].unit_price: not a number: a 5,000,000-character string"),
    ({"lines": [{"quantity": 1, "unit_price": "1"}] * 10_000}, "lines: 10,000 lines is more than"),
])
def test_bad_input_is_flagged_naming_the_field(invoice, message):
    r = check_invoice(invoice)
    assert r.status == "flagged"
    assert any(e.startswith(message) for e in r.errors), r.errors
    assert r.errors[0] in r.explanation or "could not be used" in r.explanation
    valid(r)


def test_not_an_object_and_bad_options():
    r = check_invoice(["not", "an", "invoice"])  # type: ignore[arg-type]
    assert r.status == "flagged" and r.errors == ("invoice: expected a dict or a str, got list",)
    assert check_invoice("{not json").errors[0].startswith("invoice: not valid JSON")
    with pytest.raises(ValueError, match="rounding"):
        check_invoice(WIDGET, rounding="up")
    with pytest.raises(ValueError, match="tax_mode"):
        check_invoice(WIDGET, tax_mode="sometimes")


def test_discount_sign_is_presentation_and_unknown_keys_are_ignored():
    r = check_invoice(with_(FULL, discount="-5.00", notes="thanks!", po_number=17))
    assert r.status == "verified"


def test_json_numbers_are_read_exactly_never_as_binary_floats():
    # 0.1 + 0.2 as floats is 0.30000000000000004; here the sum is exact.
    r = check_invoice({"currency": "USD", "lines": [{"unit_price": 0.1, "amount": 0.1},
                                                    {"unit_price": 0.2, "amount": 0.2}],
                       "subtotal": 0.3, "total": 0.3})
    assert r.status == "verified"


def test_many_inconsistent_lines_keep_inputs_as_stated():
    n = analysis.Z3_FULL_LINES + 5
    inv = {"currency": "USD", "lines": [{"quantity": 2, "unit_price": "1.00", "amount": "2.01"}] * n,
           "subtotal": f"{2.01 * n:.2f}"}
    r = check_invoice(inv)
    assert r.status == "corrected"
    assert {c.field.split(".")[-1] for c in r.corrections} == {"amount", "subtotal"}
    assert "taken as stated" in r.explanation


def test_report_is_frozen_and_printable():
    r = check_invoice(with_(WIDGET, total="64.29"))
    with pytest.raises(AttributeError):
        r.status = "verified"  # type: ignore[misc]
    text = str(r)
    assert text.startswith("1: CORRECTED:") and "fix: total: 64.29 → 64.92" in text
    assert Decimal(r.corrections[0].to) == Decimal("64.92")
