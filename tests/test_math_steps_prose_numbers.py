"""Plain-text math in prose through the default ``check(text)``: a number with thousands
separators is one number, an en dash or a Unicode minus is a minus, and a number that names
a part ("room 4", "week 2") is a label, not an operand."""
from __future__ import annotations

import pytest

from verify import check


def math_claims(text: str) -> list[tuple[str, str]]:
    return [(c.status, c.text) for c in check(text).claims if c.kind == "math"]


def statuses(text: str) -> set[str]:
    return {status for status, _ in math_claims(text)}


@pytest.mark.parametrize("text", [
    "So 250,000 = 5 * P\nHence P = 250,000/5 = 50000",
    "The farm has 1,200 = 4 * k cows, so k = 300",
])
def test_thousands_separator_keeps_the_number_whole(text):
    found = math_claims(text)
    assert found and all(status != "refuted" for status, _ in found)
    assert any(status == "verified" for status, _ in found)


def test_thousands_separator_still_refutes_a_wrong_solution():
    assert "refuted" in statuses("So 250,000 = 5 * P\nHence P = 40000")


@pytest.mark.parametrize("dash", ["–", "−"])
def test_en_dash_and_minus_sign_read_as_minus(dash):
    text = f"So 45-y = 30.\nAdd y to both sides: 45 {dash} y + y = 30 + y, so 45 = 30 + y"
    assert "refuted" not in statuses(text)
    assert "verified" in statuses(text)


def test_en_dash_minus_still_refutes_a_wrong_step():
    assert "refuted" in statuses("So 45-y = 30.\nThen 45 – y + y = 31 + y")


@pytest.mark.parametrize("label", ["room 4", "week 2", "step 1", "day 3", "page 7"])
def test_a_number_naming_a_part_is_no_operand(label):
    text = (f"Let y be the first amount. The amount in {label} = y + 150.\n"
            "Together 400 + y + 150 + y = 1200.")
    assert "refuted" not in statuses(text)


def test_a_label_number_leaves_the_rest_of_the_chain_checked():
    assert math_claims("In week 2 = 3(x + 1) = 3x + 3 apples were sold.") == [
        ("verified", "3(x + 1) = 3x + 3")]
