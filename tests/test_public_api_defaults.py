"""The public front doors with their default arguments read text as a reader sees it: math
notation and connectives are no world statements, a laid-out invoice's item lines are read,
a chain that sets two different numbers equal is not verified, ``check_math`` and
``check_invoice`` read values as shown, and a relation the text denies or asks about is
neither verified nor corrected. Inputs first found by probing the API (issues 11, 14, 15)."""
from __future__ import annotations

import pytest

from verify import check
from verify.engines.grounding.world import world_statements


@pytest.mark.parametrize("sentence", [
    "In triangle PQR, QR is the shortest side.",
    "Point M is the midpoint of segment XY.",
    "The radius of the circle is \\(R\\).",
    "where \\(G_k\\) is the k-th term of the sequence.",
    "By the Binomial Theorem, the expansion has one more term.",
    "A Eulerian path is a path using every edge once.",
    "Second, Quinn is ahead of Rosa in the queue.",
    "Thus, the largest value of \\(\\mathrm{Q}\\) is reached at the end.",
    "Determine the number of seats Omar booked in Lisbon:",
    "Final Answer: The final answer is None.",
])
def test_mathematical_symbols_terms_and_connectives_are_no_world_statements(sentence):
    assert world_statements(sentence) == []


@pytest.mark.parametrize("sentence", [
    "The UK is a country in South America.",
    "Lisbon is the capital of Brazil.",
    "Newton was born in Vienna.",
])
def test_plain_encyclopedic_claims_are_still_world_statements(sentence):
    assert world_statements(sentence) == [(0, len(sentence))]


def test_a_geometry_solution_verifies_under_strict_policy():
    r = check("In triangle DEF, EF is the longest side. Its square is 5^2 = 25.")
    assert r.status == "verified"


def test_unseparated_item_lines_of_a_laid_out_invoice_are_read():
    """'Desc Q x $P = $A' lines above 'Total: $X' are items: a wrong total or subtotal is
    refuted, not passed over while the report reads verified."""
    r = check("Mugs 4 x $3.00 = $12.00\nPlates 2 x $5.00 = $10.00\nTotal: $23.00")
    assert r.status == "corrected"
    assert [c.status for c in r.claims] == ["verified", "verified", "refuted"]
    assert r.corrected_text.endswith("Total: $22.00")
    r = check("Mugs 4 x $3.00 = $12.00\nPlates 2 x $5.00 = $10.00\n**Total:** $23.00")
    assert r.status == "corrected" and r.corrected_text.endswith("**Total:** $22.00")
    r = check("Mugs 4 x $3.00 = $12.00\nPlates 2 x $5.00 = $10.00\nSubtotal: $21.00\n"
              "Tax (5%): $1.05\nTotal: $22.05")
    assert r.status == "corrected" and "Subtotal: $22.00" in r.corrected_text


def test_the_same_line_in_prose_stays_arithmetic():
    r = check("Ana buys 4 x $3 = $12 of mugs. The total is $12.")
    assert r.status == "verified"
    assert all(c.kind == "arithmetic" for c in r.claims)


@pytest.mark.parametrize("text", ["7 + 1 = 8 = 9", "Then 7 + 1 = 8 = 9 pens.", "7 + 1 = $8 = $9"])
def test_two_different_numbers_set_equal_in_a_chain_keep_the_report_from_verified(text):
    r = check(text)
    assert r.status == "flagged"
    assert [c.status for c in r.claims] == ["verified", "unverified"]


@pytest.mark.parametrize("text", ["7 + 1 = 8 = 8", "0.5 * 0.6 = .3 = 30%", "1 + 1 = 2 hours = 120 minutes"])
def test_equal_plain_numbers_and_conversions_in_a_chain_stay_verified(text):
    assert check(text).status == "verified"


@pytest.mark.parametrize("answer, status", [
    ("So the answer is \\boxed{4\u200b2}.", "verified"),   # a zero-width space inside the number
    ("So the answer is \\boxed{４２}.", "verified"),         # fullwidth digits
    ("So the answer is 4\u00ad3.", "refuted"),              # a soft hyphen: a reader sees 43
])
def test_check_math_reads_the_final_answer_as_a_reader_sees_it(answer, status):
    from verify import check_math
    r = check_math("How many?", answer, "42")
    assert r.status == status
    if status == "refuted":
        assert r.report.corrected_text == "So the answer is 42."


def test_check_invoice_reads_values_as_a_reader_sees_them():
    from verify import check_invoice
    right = "Lamp: 3 x $4.00 = $12.00\nSubtotal: $1\u200b2.00\nTotal: $12.00"
    assert check_invoice(right).status == "verified"
    wrong = "Lamp: 3 x $4.00 = $12.00\nSubtotal: $12.00\nTotal: $1\u200b20.00"
    r = check_invoice(wrong)
    assert r.status == "corrected" and "120.00 → 12.00" in str(r)


def test_an_ambiguous_invoice_gets_the_same_report_whatever_was_checked_before():
    """No Z3 state carries over between checks: the equally light alternatives of an
    ambiguous invoice are the same in a fresh thread and after other invoices."""
    import threading

    from verify import check_invoice
    texts = ["Subtotal: $250.00\nTax: $30.00\nShipping: $5.00\nTotal: $290.00",
             "Subtotal: $200\nTax: $36\nTotal: $240"]

    def report(t):
        d = check_invoice(t).to_dict()
        d.pop("elapsed_ms", None)
        return d

    fresh = []
    for t in texts:
        th = threading.Thread(target=lambda t=t: fresh.append(report(t)))
        th.start()
        th.join()
    after_others = [report(t) for t in texts]
    assert fresh[1]["status"] == "flagged" and len(fresh[1]["alternatives"]) > 1
    assert after_others == fresh


@pytest.mark.parametrize("text", ["0.25 + 25% = 0.5", "4 - 50% = 3.5"])
def test_a_value_the_n_over_100_reading_gives_is_never_corrected_into_the_price_reading(text):
    r = check(text)
    assert r.status == "flagged" and r.corrected_text == text
    assert [c.status for c in r.claims] == ["unverified"]


def test_the_price_convention_still_verifies_and_corrects():
    assert check("60 + 10% = 66").status == "verified"
    assert check("60 + 10% = 70").corrected_text == "60 + 10% = 66"


@pytest.mark.parametrize("text", [
    "It is untrue that 6 × 7 = 41.",      # a true denial: never "corrected" into a false one
    "It is false that 6 × 7 = 42.",       # a false denial: the relation holds, the text is not verified
    "Is 6 × 7 = 41?",
    "6 × 7 = 41 (wrong)",
    "6 × 7 = 41 is incorrect.",
])
def test_a_relation_the_text_denies_or_asks_about_is_neither_verified_nor_corrected(text):
    r = check(text)
    assert r.status == "flagged" and r.corrected_text == text
    assert [c.status for c in r.claims] == ["unverified"]


def test_an_asserted_relation_after_a_negated_clause_is_still_judged():
    r = check("He did not buy more, so 6 × 7 = 41.")
    assert r.status == "corrected" and r.corrected_text.endswith("6 × 7 = 42.")
