"""Cheap gates in front of slow finders are necessary conditions: a text a gate passes over
is one the finder finds nothing in, so skipping it changes no report."""
from __future__ import annotations

import pytest

from verify.engines.math.find_steps import find_claims
from verify.engines.base import Context
from verify.engines.math.engine import ENGINE as MATH, _may_hold_claims

#: Texts each finder of the math step finder reads something in (no question given).
FOUND = [
    "Let x be the number of apples.\n2x + 1 = 7\n2x = 6\nx = 3",  # plain-run equation steps
    "So 3y = 12, which gives y = 4.",
    "We have $x^2 - 1 = (x - 1)(x + 1)$.",  # LaTeX
    "So $x + 2 = 5$ and $x = 3$.",  # a formula holding a relation
    "First $2x + 3x$ which simplifies to $5x$.",  # a rewriting: no relation in either formula
    "If $a > 3$, this means either $a > 4$ or $a < 5$.",  # an implication between inequalities
    "The GCD of 12 and 18 is 6.",  # number facts, by their words
    "The remainder when 17 is divided by 5 is 2.",
    "17 ÷ 5 = 3 R 2",
    "The derivative of x^2 is 2x.",
    "The volume is 3.14 * 9 * 6 = approximately 169.56",  # "= approximately" reads as ≈
    "so 1/3 ≈ 0.33",
]
#: Worked solutions with plain numbers only: no finder reads anything in them.
PLAIN = [
    "She sold 48/2 = 24 clips in May.\nIn total she sold 48 + 24 = 72 clips.\nA: 72",
    "The apples cost 5 * 3 = 15 dollars and the pears 2 * 4 = 8 dollars, 23 dollars in all.",
    "He walks 3 miles a day, so 3 * 7 = 21 miles a week.",
    # dollars, not formulas: "$5 + $" holds no relation, and no prose run holds a letter
    "The shirt costs $5 + $3 = $8 in all.",
    "Lunch was $12 and dinner $20, so $12 + $20 = $32.\nA: 32",
]


@pytest.mark.parametrize("text", FOUND)
def test_the_gate_passes_text_the_finder_reads(text):
    assert find_claims(text), "the example must give the finder something to read"
    assert _may_hold_claims(text)


@pytest.mark.parametrize("text", PLAIN)
def test_the_gate_passes_over_plain_arithmetic(text):
    assert not _may_hold_claims(text)
    assert find_claims(text) == []
    assert MATH.find(text, Context()) == []


def test_words_are_found_in_any_case_and_through_case_folds():
    assert _may_hold_claims("THE REMAINDER IS 2.")
    # a case-blind pattern matches "ſ" to "s" and "ı" to "i"; the gate lets such text through
    assert _may_hold_claims("the baſe is 10")
    assert _may_hold_claims("a prıme")


def test_a_counted_list_needs_its_bracket():
    assert _may_hold_claims("There are 3 numbers (4, 5, 6) left.")
    assert not _may_hold_claims("There are 3 numbers left, so 3 + 1 = 4.")


def test_a_question_keeps_the_finder_running():
    # with a question the finder reads definitions and targets from it: no gate applies
    ctx = Context(question="Simplify $x + x$.")
    assert MATH.find("The answer is 2x.", ctx) == MATH._checker().find("The answer is 2x.", ctx)
