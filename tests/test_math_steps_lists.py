"""Step checking: facts that lean on what the question lists — the extreme of a kind among
its run of numbers, and numbers formed from the digits it gives."""
from __future__ import annotations

import pytest

from verify import check


def facts(text: str, question: str, fact: str):
    return [(c.status, c.explanation) for c in check(text, question=question, engines=("math",)).claims
            if c.detail.get("fact") == fact]


RUN_Q = "How many integers in the list $40,$ $41,$ $42,$ $\\dots,$ $300$ are not perfect squares?"


@pytest.mark.parametrize("text, status, shown", [
    ("The smallest perfect square in the list is \\(6^2 = 36\\).", "refuted", "is 49"),
    ("The smallest perfect square in the list is \\(7^2 = 49\\).", "verified", "is 49"),
    ("The largest perfect square in the list is 289.", "verified", "is 289"),
    ("The largest perfect square in the list is $324$.", "refuted", "is 289"),
    ("The smallest prime in the list is 41.", "verified", "is 41"),
    ("The largest multiple of 7 in the list is 294.", "verified", "is 294"),
    ("The smallest power of 2 in the list is 32.", "refuted", "is 64"),
])
def test_an_extreme_in_the_question_s_list_is_decided_exactly(text, status, shown):
    [(got, why)] = facts(text, RUN_Q, "extreme-in-list")
    assert got == status and shown in why


def test_a_run_with_a_step_counts_only_its_members():
    q = "Consider the list $5, 10, 15, \\ldots, 200$."
    [(got, why)] = facts("The smallest perfect square in the list is 25.", q, "extreme-in-list")
    assert got == "verified"
    [(got, why)] = facts("The smallest perfect square in the list is 16.", q, "extreme-in-list")
    assert got == "refuted" and "is 25" in why


@pytest.mark.parametrize("text, question", [
    # two runs in the question: "the list" could be either
    ("The smallest perfect square in the list is 49.", "Compare $1, 2, \\dots, 30$ with $40, 41, \\dots, 300$."),
    # the solution writes its own list first
    ("The squares are $1, 4, 9, \\dots, 100$. The smallest perfect square in the list is 1.", RUN_Q),
    # a question, not a claim
    ("We check whether the smallest perfect square in the list is 36.", RUN_Q),
    # no run in the question at all
    ("The smallest perfect square in the list is 36.", "Which of 36, 49 and 50 are squares?"),
])
def test_an_extreme_over_an_unclear_list_is_left_alone(text, question):
    assert facts(text, question, "extreme-in-list") == []


DIGITS_Q = "Each of the digits 1, 3, 5, and 8 is used once to form a four-digit integer."


@pytest.mark.parametrize("text, status, shown", [
    ("List the two-digit numbers from the given digits that are even: 18, 38, 58, 28.", "refuted", "28 use(s)"),
    ("List the two-digit numbers from the given digits that are even: 18, 38, 58.", "verified", "uses only"),
    ("List the two-digit numbers from the given digits that are even: 18, 38, 53.", "refuted", "53 = 2 × 26 + 1"),
    # a property the check does not read: the digits alone decide nothing
    ("List the two-digit numbers from the given digits that are prime: 13, 31, 53.", "unverified", "only the digits"),
    ("Using the given digits, the multiples of 4 are: 16, 36, 48, 52.", "refuted", "16, 36, 48, 52 use(s)"),
])
def test_numbers_formed_from_the_given_digits_use_only_those(text, status, shown):
    [(got, why)] = facts(text, DIGITS_Q, "given-digits")
    assert got == status and shown in why


@pytest.mark.parametrize("text, question", [
    # the question gives no digits (or two different sets): nothing to check against
    ("From the given digits, the even numbers are: 12, 14, 16.", "Form even numbers."),
    ("From the given digits, the even numbers are: 12, 14, 16.",
     "Use the digits 1, 2 and 4 first, then the digits 5, 6 and 7."),
    # other digits than "the given" ones
    ("From the remaining digits we get: 12, 14, 16.", DIGITS_Q),
])
def test_digits_lists_without_a_clear_digit_set_are_left_alone(text, question):
    assert facts(text, question, "given-digits") == []
