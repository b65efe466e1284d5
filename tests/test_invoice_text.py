"""Invoices written as text (as LLMs write them), European formats, Markdown tables and CSV;
the invoice engine inside ``check()`` (SCENARIOS.md #1)."""
from __future__ import annotations

import pytest

from verify import check, check_invoice
from verify.engines.invoice.model import from_csv, parse_decimal
from verify.engines.invoice.text import from_text, is_invoice_shaped
from verify.engines.base import Context
from verify.engines.invoice.engine import ENGINE

SCENARIO = "Subtotal: $100, Tax (18%): $18, Total: $120"
QUESTION = "Is this invoice total correct? Subtotal: $100, Tax (18%): $18, Total: $120"

LLM_INVOICE = """Here is your invoice:

- 3 x Widget @ $19.99 = $59.97
- 2 x Gadget @ $5.00 = $10.00

Subtotal: $69.97
Discount: -$5.00
Shipping: $4.99
Tax (8.25%): $5.36
Total: $75.32

Thank you for your business!"""


def claim_at(report, fragment):
    return next(c for c in report.claims if fragment in c.text)


@pytest.mark.parametrize("text, prefix", [(SCENARIO, ""), (QUESTION, "Is this invoice total correct? ")])
def test_scenario_1_through_check(text, prefix):
    report = check(text)
    assert report.status == "corrected"
    assert report.corrected_text == prefix + "Subtotal: $100, Tax (18%): $18, Total: $118"
    assert report.stages[0] == "invoice"
    total = claim_at(report, "Total")
    assert (total.kind, total.method, total.status) == ("invoice", "z3", "refuted")
    assert total.text == "Total: $120" and total.correction == "$118"
    assert text[total.correction_span.start:total.correction_span.end] == "$120"
    assert total.evidence[0].text == \
        "the constraint 100 + 18 = 120 is unsatisfiable; 100 + 18 = 118"
    assert total.explanation.count(".") == 1 and total.explanation.endswith(".")
    tax = claim_at(report, "Tax")
    assert (tax.status, tax.method, tax.text) == ("verified", "z3", "Tax (18%): $18")
    assert tax.evidence[0].text == "100 × 18% = 18"
    # The arithmetic engine never reports these values a second time.
    assert all(c.kind == "invoice" for c in report.claims)
    assert report.to_dict()["claims"][1]["correction"] == "$118"


def test_a_multiline_llm_invoice_is_verified_claim_by_claim():
    report = check(LLM_INVOICE)
    assert report.status == "verified", report
    texts = [c.text for c in report.claims]
    assert texts == ["3 x Widget @ $19.99 = $59.97", "2 x Gadget @ $5.00 = $10.00",
                     "Subtotal: $69.97", "Tax (8.25%): $5.36", "Total: $75.32"]
    assert all(c.status == "verified" and c.evidence for c in report.claims)
    assert claim_at(report, "Total").evidence[0].text == "69.97 − 5.00 + 5.36 + 4.99 = 75.32"
    for c in report.claims:
        assert LLM_INVOICE[c.span.start:c.span.end] == c.text


def test_a_wrong_item_amount_in_text_is_corrected_in_place():
    text = LLM_INVOICE.replace("= $59.97", "= $59.79")
    report = check(text)
    assert report.status == "corrected"
    assert report.corrected_text == LLM_INVOICE
    item = claim_at(report, "Widget")
    assert item.status == "refuted" and item.correction == "$59.97"
    assert item.evidence[0].text == "the constraint 3 × 19.99 = 59.79 is unsatisfiable; 3 × 19.99 = 59.97"


def test_a_wrong_quantity_in_text_is_corrected_not_the_amounts():
    text = LLM_INVOICE.replace("3 x Widget", "30 x Widget")
    report = check(text)
    assert report.corrected_text == LLM_INVOICE
    assert claim_at(report, "Widget").correction == "3"


def test_an_ambiguous_text_invoice_is_flagged_with_the_alternatives():
    report = check("Subtotal: $100, Tax: $18, Total: $120")
    assert report.status == "flagged"
    assert report.corrected_text == "Subtotal: $100, Tax: $18, Total: $120"
    unsure = [c for c in report.claims if c.status == "unverified"]
    assert {c.text for c in unsure} == {"Tax: $18", "Total: $120"}
    assert "total → 118" in unsure[0].explanation and "tax → 20" in unsure[0].explanation


def test_pipeline_options_reach_the_engine():
    text = "Subtotal: $10.50\nTax (5%): $0.53\nTotal: $11.03"
    assert check(text).status == "verified"
    report = check(text, rounding="half-even")
    assert report.corrected_text == "Subtotal: $10.50\nTax (5%): $0.52\nTotal: $11.02"


@pytest.mark.parametrize("line, q, p, a", [
    ("3 x Widget @ $19.99 = $59.97", "3", "19.99", "59.97"),
    ("Widget x3 @ $19.99 = $59.97", "3", "19.99", "59.97"),
    ("3 × Widget at $19.99 each = $59.97", "3", "19.99", "59.97"),
    ("Widget: 3 × $19.99 = $59.97", "3", "19.99", "59.97"),
    ("Widget (3 @ $19.99): $59.97", "3", "19.99", "59.97"),
    ("* Consulting (10 hours × $150): $1,500.00", "10", "150", "1500.00"),
    ("1. 2.5 x Cable (m) @ €4,20 = €10,50", "2.5", "4.20", "10.50"),
])
def test_item_line_shapes(line, q, p, a):
    inv = from_text(line)
    assert is_invoice_shaped(inv)
    (item,) = inv.lines
    assert (str(item.quantity.value), str(item.unit_price.value), str(item.amount.value)) == (q, p, a)
    written = line[item.amount.span.start:item.amount.span.end]
    assert written == item.amount.raw and line.endswith(written)


def test_european_formats_and_labels():
    text = "Zwischensumme: 1.234,56 €\nMwSt. (19 %): 234,57 €\nGesamtbetrag: 1.469,13 €"
    r = check_invoice(text)
    assert r.status == "verified" and r.currency == "EUR"
    wrong = text.replace("1.469,13 €", "1.496,13 €")
    report = check(wrong)
    assert report.status == "corrected"
    assert report.corrected_text == text  # written back in the European style


@pytest.mark.parametrize("written, hint, value", [
    ("1,234.56", ".", "1234.56"), ("1.234,56", ".", "1234.56"), ("19,99", ".", "19.99"),
    ("1'234.50", ".", "1234.50"), ("1,234", ".", "1234"), ("1.234", ",", "1234"),
    ("1.234", ".", "1.234"), ("0,125", ".", "0.125"), ("1\u202f234,5", ",", "1234.5"),
])
def test_number_conventions(written, hint, value):
    assert str(parse_decimal(written, hint)[0]) == value


def test_currency_symbols_and_codes_set_the_minor_unit():
    assert check_invoice("Subtotal: ¥1,000\nTax (10%): ¥100\nTotal: ¥1,100").minor_units == 0
    r = check_invoice("Subtotal: BHD 2.510\nTax (10%): BHD 0.251\nTotal: BHD 2.761")
    assert (r.status, r.currency, r.minor_units) == ("verified", "BHD", 3)
    r = check_invoice("Subtotal: 2.510 KWD, Tax (10%): 0.251 KWD, Total: 2.760 KWD")
    assert r.currency == "KWD" and [(c.field, c.to) for c in r.corrections] == [("total", "2.761")]


def test_markdown_table_invoice():
    text = ("| Item | Qty | Unit price | Amount |\n|---|---|---|---|\n"
            "| Widget | 3 | $19.99 | $59.97 |\n| Gadget | 2 | $5.00 | $10.00 |\n\n"
            "**Subtotal:** $69.97\n**Tax (10%):** $7.00\n**Total:** $76.97")
    assert check_invoice(text).status == "verified"
    report = check(text.replace("| $10.00 |", "| $12.00 |"))
    assert report.status == "corrected"
    assert "| Gadget | 2 | $5.00 | $10.00 |" in report.corrected_text


def test_items_with_only_an_amount_are_read_above_a_subtotal():
    text = "Hosting: $200.00\nDomain: $15.00\nSubtotal: $215.00\nTotal: $215.00"
    inv = from_text(text)
    assert [str(ln.amount.value) for ln in inv.lines] == ["200.00", "15.00"]
    assert check_invoice(text).status == "verified"
    r = check_invoice(text.replace("Subtotal: $215.00", "Subtotal: $225.00"))
    assert [(c.field, c.to) for c in r.corrections] == [("subtotal", "215.00")]


def test_csv_invoice_with_label_rows():
    text = ("description,quantity,unit_price,amount\nWidget,3,19.99,59.97\nGadget,2,5.00,10.00\n"
            "Subtotal,,,69.97\nTax (8.25%),,,5.77\nTotal,,,75.74\n")
    assert check_invoice(text).status == "verified"
    r = check_invoice(text.replace("75.74", "75.47"))
    assert [(c.field, c.to) for c in r.corrections] == [("total", "75.74")]


def test_csv_with_several_invoices_and_a_vat_column():
    text = ("invoice_id;description;qty;price;vat;amount\n"
            "A;Book;2;12,50;7;25,00\nA;Pen;1;0,55;19;0,55\n"
            "B;Tea;1;3,00;7;3,10\n")
    found = dict(from_csv(text))
    assert set(found) == {"A", "B"}
    assert str(found["A"].lines[0].tax_rate.value) == "0.07"
    assert str(found["A"].lines[1].unit_price.value) == "0.55"
    r = check_invoice(text)  # a string holding two invoices: checked one by one, says so
    assert r.status == "flagged" and "2 invoices" in r.errors[-1]


@pytest.mark.parametrize("prose", [
    "The total is 5 + 3 = 8.",
    "I paid a total of $50 yesterday and the tax was included.",
    "Our tax rate is 18% and shipping is free.",
    "847 × 923 = 781681",
    "",
])
def test_prose_that_is_not_an_invoice_is_left_to_other_engines(prose):
    assert ENGINE.find(prose, Context()) == []


def test_finder_is_bounded_on_hostile_text():
    for text in ("Total: $1, subtotal: $2 " * 20_000, "tax " * 100_000, "1,2" * 200_000,
                 "Subtotal " + "9" * 500_000):
        found = ENGINE.find(text, Context())
        assert all(c.kind == "invoice" for c in found)


def test_two_invoices_in_one_answer_are_checked_separately():
    quote_a = "Quote A:\n- 2 x Chair @ $40.00 = $80.00\nSubtotal: $80.00\nTax (10%): $8.00\nTotal: $88.00\n"
    quote_b = "Quote B:\n- 3 x Chair @ $35.00 = $105.00\nSubtotal: $105.00\nTax (10%): $10.50\nTotal: $116.50\n"
    report = check(quote_a + "\n" + quote_b)
    assert report.status == "corrected"
    assert [c.text for c in report.claims if c.status == "refuted"] == ["Total: $116.50"]
    assert report.corrected_text == quote_a + "\n" + quote_b.replace("$116.50", "$115.50")
    assert sum(1 for c in report.claims if c.text.startswith("Subtotal")) == 2


def _long_invoice(n: int) -> str:
    lines = [f"- {i % 5 + 1} x Part{i} @ ${i % 9 + 1}.50 = ${(i % 5 + 1) * (i % 9 + 1.5):.2f}"
             for i in range(n)]
    sub = sum((i % 5 + 1) * (i % 9 + 1.5) for i in range(n))
    return "\n".join(lines) + f"\nSubtotal: ${sub:.2f}\nTotal: ${sub + 1:.2f}"


def test_a_text_invoice_through_check_is_linear_in_its_lines():
    import time

    def cpu(n):
        text = _long_invoice(n)
        t = time.process_time()
        report = check(text)
        assert report.status == "corrected" and len(report.claims) == n + 2
        return time.process_time() - t

    cpu(50)  # warm up (imports)
    small, big = cpu(200), cpu(800)
    assert big < 8 * small + 0.5, (small, big)  # quadratic would be ~16×


INVOICE = "Widget: 2 x $5.00 = $10.00\nSubtotal: $10.00\nTotal: $10.00\n"


def test_a_total_stated_again_with_another_value_is_not_verified():
    report = check(INVOICE + "Total: $12.00\n")
    assert report.status == "flagged"
    last = report.claims[-1]
    assert (last.text, last.status) == ("Total: $12.00", "unverified")
    assert "cannot be told" in last.explanation
    assert check_invoice(INVOICE + "Total: $12.00\n").status == "flagged"


def test_a_total_restated_with_the_same_value_changes_nothing():
    assert check(INVOICE + "Amount due (total): $10.00\n").status == "verified"
    assert check_invoice(INVOICE + "Total: $10.00\n").status == "verified"
