"""Prose arithmetic read the same way in every form a writer uses (issue 11, item 6).

Each group renders one fact several ways: all must get the same verdict through
``check(text)`` with defaults, and changing the stated value must flip it.
"""
from __future__ import annotations

import pytest

from verify import check

#: (renderings with {v} for the stated value, the true value, a wrong value)
GROUPS = [
    (["45% of 200 is {v}", "45/100*200 = {v}", ".45 × 200 = {v}",
      "0.45 × 200 = {v}", "45 percent of 200 equals {v}", "45% of 200 = {v}",
      "0.45 * 200 = {v}", "200 × 0.45 = {v}", "45 / 100 × 200 = {v}", "(45/100) * 200 = {v}"],
     "90", "80"),
    (["12 + 30 = {v}", "12 plus 30 equals {v}", "12 + 30 is {v}", "30 + 12 = {v}",
      "(12 + 30) = {v}", "12 + 30 = {v}.)", "(12 + 30 = {v})", "[12 + 30 = {v}]",
      "12 + 30 = {v}!", "12 + 30 = {v}: done", "12\u00a0+\u00a030 = {v}", "1\u200d2 + 30 = {v}"],
     "42", "43"),
    (["$1,250 × 3 = ${v}", "$1250 × 3 = ${v}", "$1,250 * 3 = ${v}", "1,250 × 3 = {v}",
      "3 × $1,250 = ${v}"], "3,750", "3,850"),
    (["1/4 = {v}%", "1/4 is {v}%", "1/4 equals {v} percent", "1 ÷ 4 = {v}%", "0.5 / 2 = {v}%"],
     "25", "0.25"),
    (["2/13 equals {v}/13", "2/13 = {v}/13", "2/13 is {v}/13", "2/13 is equal to {v}/13"],
     "2", "3"),
    (["10/4 = {v}", "10 ÷ 4 = {v}", "10 divided by 4 = {v}", "10 / 4 equals {v}"], "2.5", "2.4"),
    (["22/7 ≈ {v}", "22/7 is about {v}", "22/7 is approximately {v}", "22/7 ~ {v}"],
     "3.14", "3.15"),
    (["-5.27 · 52/(937/17) ≈ {v}", "-5.27 × 52 / (937/17) ≈ {v}"], "-4.97", "-4.9"),
]


@pytest.mark.parametrize("forms, right, wrong", GROUPS)
def test_same_verdict_in_every_form_and_a_mutation_flips_it(forms, right, wrong):
    for form in forms:
        good = check(form.format(v=right))
        bad = check(form.format(v=wrong))
        claims = [c for c in good.claims]
        assert claims and all(c.status == "verified" for c in claims), (form, good)
        assert good.status == "verified", (form, good)
        assert any(c.status == "refuted" for c in bad.claims), (form, bad)
        assert bad.status != "verified"


def test_a_leading_dot_decimal_is_a_decimal():
    assert check(".4 × 10 = 4").status == "verified"
    assert check(".4 × 10 = 40").status != "verified"


@pytest.mark.parametrize("text", [
    "4! = 24. Also 2 + 2 = 4.",       # a "!" after a number: not read as a factorial here
    "2 + 3) = 5. Also 2 + 2 = 4.",    # a ")" that closes nothing
    "2 + (3 = 5. Also 2 + 2 = 4.",    # a "(" a relation interrupts
])
def test_claim_shaped_text_that_cannot_be_read_keeps_the_report_from_verified(text):
    report = check(text)
    unread = [c for c in report.claims if c.detail.get("unread")]
    assert unread and all(c.status == "unverified" for c in unread)
    assert "could not read this arithmetic" in unread[0].explanation
    assert report.status == "flagged"
    assert check(text, policy="permissive").status == "verified"


@pytest.mark.parametrize("text, status", [
    ("2 + 2 = 4. Then 3 + 3 = 7.)", "corrected"),  # the claim closed by ")" is read
    ("89 + 95 = 187! 7 + 1 = 8", "corrected"),     # "!" ends a sentence, not a factorial
    ("2/13 equals 3/13. Also 2 + 2 = 4.", "corrected"),
    ("1+1=2 1+1=2 1+1=3", "corrected"),            # claims one after another on a line
])
def test_distractors_do_not_hide_a_false_claim(text, status):
    assert check(text).status == status


@pytest.mark.parametrize("text, status", [
    ("1/4 = 25%", "verified"),        # N% is N/100
    ("1/4 = 0.25%", "corrected"),     # 0.25% is 0.0025
    ("100 - 5 = 95%", "flagged"),     # right only as percentage points: never verified
    ("10/3 = 3.33", "flagged"),       # "=" states an exact value
    ("10/3 ≈ 3.33", "verified"),      # only ≈, about, approximately round
    ("582 / 12 ≈ 49", "verified"),    # 48.5 rounds half away from zero
    ("582 / 12 ≈ 48", "corrected"),   # ... and cutting digits is not rounding
])
def test_percent_and_rounding_rules(text, status):
    assert check(text).status == status
