"""A result is the number read only when the number ends the expression: a root, a variable
or a parenthesised expression after it makes it a coefficient (left unread, never refuted);
"a x b <noun>" is a size unless the result counts the same noun."""
from __future__ import annotations

import pytest

from verify import check


def arith(text: str) -> list[tuple[str, str]]:
    return [(c.text, c.status) for c in check(text).claims if c.kind == "arithmetic"]


@pytest.mark.parametrize("text", [
    "Hence PQ = √50 = 5√2 units.",
    "So √72 = 6 √2, and the side follows.",
    "Then 3^4 = (3^2) k^2 for some k.",
    "Taking powers, 2^6 = 4 n^3.",
    "Expanding, 5^2 = 5 (x + 1) here.",
    "We need 2^3 = 2 (1 + 3) in that case.",
])
def test_a_result_that_goes_on_is_not_refuted(text):
    assert all(status != "refuted" for _, status in arith(text))


@pytest.mark.parametrize("text, expected", [
    ("So √81 = 8 exactly.", "refuted"),
    ("So √81 = 9, the side.", "verified"),
    ("Then 3^4 = 80 (too small?)", "refuted"),
    ("He runs 6 * 2 = 12 m each day.", "verified"),
    ("Divide: 63 ÷ 5 = 12 R 3", "verified"),
    ("We get 2 + 5 = 8 a day.", "refuted"),
])
def test_a_result_that_ends_the_expression_is_still_checked(text, expected):
    assert [status for _, status in arith(text)] == [expected]


@pytest.mark.parametrize("text", [
    "Frame it with 2 x 6 timber = 14 planks.",
    "Order 8 x 10 prints = 3 sets.",
])
def test_a_size_written_a_x_b_noun_is_no_product(text):
    assert arith(text) == []


@pytest.mark.parametrize("text, expected", [
    ("A tray holds 3 x 5 eggs = 15 eggs.", "verified"),
    ("A tray holds 3 x 5 eggs = 16 eggs.", "refuted"),
    ("A tray holds 3 x 5 = 16 eggs.", "refuted"),
    ("Each box has 2 x 6 boxes = 12 boxes.", "verified"),
])
def test_a_product_counting_its_noun_is_checked(text, expected):
    assert [status for _, status in arith(text)] == [expected]


def test_counts_of_things_multiplied_are_no_size():
    assert arith("She packs 7 pens x 3 bags = 22 pens.") == [("7 pens x 3 bags = 22", "refuted")]


@pytest.mark.parametrize("text, expected", [
    ("She baked 12 x 2 dozen = 25 rolls.", "refuted"),  # a count of a unit, multiplied
    ("Tom has 4*6=2.4 M&Ms.", "refuted"),  # a letter glued to a name is no variable
])
def test_units_and_names_after_a_product_keep_it_checked(text, expected):
    assert [status for _, status in arith(text)] == [expected]
