"""Step checking: a named term of the expression asked about ("the second part becomes …"),
the argument of a complex number, and formulas for a ones digit."""
from __future__ import annotations

import pytest

from verify import check
from verify.engines.math.find_patterns import written_terms


def claims(text: str, question: str | None, kind: str):
    return [(c.status, c.explanation) for c in check(text, question=question, engines=("math",)).claims
            if c.detail.get("type") == kind]


def test_written_terms_keep_order_and_sign():
    assert written_terms("3x^2(x - 1) - 2x(x + 5) + 4") == ["3x^2(x - 1)", "- 2x(x + 5)", "+ 4"]
    assert written_terms("x^{-2} + \\frac{a - b}{2} \\cdot -3") == ["x^{-2}", "+ \\frac{a - b}{2} \\cdot -3"]


PART_Q = "Simplify $3x^2(x - 1) - 2x(x + 5)$."


@pytest.mark.parametrize("text, status", [
    ("Distribute in the first term. So, the first part becomes \\(3x^3 - 3x^2\\).", "verified"),
    ("Next, the second part becomes \\(-2x^2 - 10x\\).", "verified"),  # the term with its sign
    ("Next, the second term becomes $2x^2 + 10x$.", "verified"),  # or without it
    ("Next, the second part becomes \\(-2x^2 + 10x\\).", "refuted"),
    ("The last term expands to $2x^2 - 10x$.", "refuted"),
])
def test_a_named_term_must_be_that_term_of_the_question_s_expression(text, status):
    assert [s for s, _ in claims(text, PART_Q, "named-part")] == [status]


@pytest.mark.parametrize("text, question", [
    ("The third term becomes $5x$.", PART_Q),  # there is no third term
    ("The second part becomes $-2x^2 + 10x$.", "Find the sum of the roots of $x^2 - 5x + 6 = 0$."),  # no target
    ("The first term is $3x^3$.", PART_Q),  # "is": may name a term of another expression
])
def test_named_terms_without_a_clear_referent_are_left_alone(text, question):
    assert claims(text, question, "named-part") == []


ARG = "Let \\( \\theta \\) be the argument of \\( 4 - 3i \\):\n"


@pytest.mark.parametrize("value, status", [
    ("-\\tan^{-1}\\left(\\frac{3}{4}\\right)", "verified"),
    ("2\\pi - \\arctan\\left(\\frac{3}{4}\\right)", "verified"),
    ("\\pi - \\tan^{-1}\\left(\\frac{3}{4}\\right)", "refuted"),
    ("\\tan^{-1}\\left(\\frac{3}{4}\\right)", "refuted"),
])
def test_a_stated_argument_is_compared_up_to_whole_turns(value, status):
    [(got, _)] = claims(ARG + f"\\[ \\theta = {value} \\]", None, "argument")
    assert got == status


@pytest.mark.parametrize("text", [
    ARG + "\\[ \\theta \\approx -0.6435 \\]",  # an approximation, not this check's
    ARG + "\\[ \\theta = -0.6435 \\]",  # a decimal: rounding is not an error here
    ARG + "\\[ \\theta = 2k\\pi - \\arctan(3/4) \\]",  # not a number
    "Let \\( \\theta \\) be the angle of the triangle. \\[ \\theta = \\pi/2 \\]",  # not an argument
])
def test_arguments_that_are_not_exact_values_are_left_alone(text):
    assert claims(text, None, "argument") == []


DIGIT = "Let's denote the ones digit of \\(n\\) as \\(d\\). "


@pytest.mark.parametrize("text, status, shown", [
    (DIGIT + "If \\(d > 1\\), then the ones digit of \\(51 - n\\) is actually \\(10 - d\\).", "refuted",
     "for n = 2 (d = 2), 51 - n = 49 has ones digit 9"),
    (DIGIT + "If \\(d > 1\\), then the ones digit of \\(51 - n\\) is \\(11 - d\\).", "verified", "holds for every"),
    (DIGIT + "The ones digit of \\(n + 7\\) is \\(d + 7\\).", "refuted", "for n = 3 (d = 3)"),
    (DIGIT + "If \\(d < 3\\), the units digit of \\(n + 7\\) is \\(d + 7\\).", "verified", "0, 1, 2"),
    (DIGIT + "The ones digit of \\(3n\\) is \\(3d\\).", "refuted", "for n = 4 (d = 4)"),
])
def test_a_ones_digit_formula_is_tried_on_every_digit(text, status, shown):
    [(got, why)] = claims(text, None, "digit-formula")
    assert got == status and shown in why


@pytest.mark.parametrize("text", [
    "Here \\(n = 23\\). " + DIGIT + "The ones digit of \\(n + 7\\) is \\(d + 7\\).",  # one number, not all
    DIGIT + "When \\(n\\) is even, the ones digit of \\(n + 7\\) is \\(d + 7\\).",  # an unread condition
    DIGIT + "The ones digit of \\(n/2\\) is \\(d/2\\).",  # not an integer polynomial
    DIGIT + "The ones digit of \\(n + 7\\) is \\(d + 7\\) when \\(d < 3\\).",  # the condition comes after
])
def test_digit_formulas_outside_the_sound_reading_are_left_alone(text):
    assert claims(text, None, "digit-formula") == []
