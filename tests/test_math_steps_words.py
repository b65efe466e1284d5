"""Step checking: extremes stated in words ("64, which is the smallest power of 4 larger than
8") decided exactly, and the benchmark's hand-read ERROR_NOT_A_CLAIM table kept honest."""
from __future__ import annotations

import pytest

from verify import check


def facts(text: str):
    return [(c.status, c.text) for c in check(text, engines=("math",)).claims
            if c.detail.get("fact") == "extreme"]


@pytest.mark.parametrize("text, status", [
    ("Since $4^3 = 64$, which is the smallest power of 4 larger than 8.", "refuted"),
    ("Since $4^2 = 16$, which is the smallest power of 4 larger than 8.", "verified"),
    ("The smallest power of 2 greater than 100 is 128.", "verified"),
    ("The largest power of 3 less than 100 is 27.", "refuted"),
    ("The largest perfect square less than 50 is 49.", "verified"),
    ("The largest perfect square less than 49 is 49.", "refuted"),
    ("The smallest perfect square greater than or equal to 49 is 49.", "verified"),
    ("The smallest perfect cube greater than 30 is 64.", "verified"),
    ("So 27 is the smallest perfect cube above 30.", "refuted"),
    ("The smallest prime greater than 20 is 29.", "refuted"),
    ("The largest prime less than 100 is 97.", "verified"),
    ("The largest multiple of 7 below 100 is 91.", "refuted"),
    ("The least positive multiple of 7 above 100 is 105.", "verified"),
])
def test_extremes_in_words_are_decided_exactly(text, status):
    assert [s for s, _ in facts(text)] == [status]


@pytest.mark.parametrize("text", [
    "Since $2 \\cdot 32$, which is the smallest power of 4 larger than 8, …",  # 32 ends a product
    "The largest power of 2 greater than 8 is 64.",  # no such number: nothing to decide
    "We check whether 64 is the smallest power of 4 larger than 8.",  # a question, not a claim
    "The smallest power of 4 larger than 8 is $4^2$.",  # the value is an expression, not read here
])
def test_extremes_that_are_not_plain_claims_are_left_alone(text):
    assert facts(text) == []


def test_error_not_a_claim_table_is_consistent_with_the_checker(shared_data):
    """Every hand-read entry is a checkable first wrong step the checker does not catch (a
    caught one would mean the table is wrong), and each names its cause."""
    from benchmarks import math_steps as bench

    wanted = set(bench.ERROR_NOT_A_CLAIM)
    records = [r for r in bench.load() if r["id"] in wanted]
    assert len(records) == len(wanted) == 27
    res = bench.evaluate(records)
    assert set(res.first_wrong_outcome) == wanted
    assert res.table_inconsistencies == [] and not any(res.first_wrong_outcome.values())
    assert all(len(cause) > 40 for cause in bench.ERROR_NOT_A_CLAIM.values())


def implications(text: str):
    return [(c.status, c.explanation) for c in check(text, engines=("math",)).claims
            if c.detail.get("type") == "implication"]


@pytest.mark.parametrize("text, counterexample", [
    ("For case 1: \\(x \\cdot y > x + y\\), this means either \\(x > y + 1\\) or \\(y > x + 1\\).", "x = 2, y = 3"),
    ("Since $x + y > 10$, so either $x > 6$ or $y > 6$.", "x = 5, y = 6"),
    ("If $n > 3$, this means $n > 4$ or $n < 2$.", "n = 4"),
])
def test_an_implication_with_a_counterexample_is_refuted(text, counterexample):
    [(status, why)] = implications(text)
    assert status == "refuted" and f"fails at {counterexample}" in why


@pytest.mark.parametrize("text", [
    "We need $x^2 > 4$, which means $x > 2$ or $x < -2$.",  # holds
    "Since $x + y > 10$, so either $x > 5$ or $y > 5$.",  # holds
    "Since $xy > x + y$, this means $x > 1$ or $y > 2$.",  # holds on 1..12 (and beyond)
])
def test_an_implication_without_counterexample_is_not_refuted(text):
    assert [s for s, _ in implications(text)] == ["unverified"]


def test_an_implication_is_read_from_one_formula_not_across_earlier_ones():
    text = ("We keep \\(x \\cdot y > y + x\\). Only the first case matters.\n\n"
            "For Case 1: \\(x \\cdot y > x + y\\), this means either \\(x > y + 1\\) or \\(y > x + 1\\).")
    [(status, why)] = implications(text)
    assert status == "refuted" and "x*y > x + y ⇒" in why
