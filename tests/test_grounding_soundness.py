"""Wrong claims the judge once called "supported" must never come back verified.

The grounding engine's last gate (``_support_gap``) is judge-independent: a verified factual
claim needs a resolved subject and cited evidence stating all its names and numbers.
"""
import pytest

from verify import check
from verify.engines.grounding import _support_gap
from verify.judges import Passage

LINCOLN = ["Abraham Lincoln was the 16th president of the United States. He was born in Kentucky in 1809.",
           "The Declaration of Independence was written mainly by Thomas Jefferson and adopted in 1776."]


@pytest.mark.parametrize("answer, question, evidence", [
    ("Abraham Lincoln wrote the Declaration of Independence.", "Who was Abraham Lincoln?", LINCOLN),
    ("He wrote the Declaration of Independence.", None, LINCOLN),
    ("The absolute value of -7 is -7.", None,
     ["The absolute value of a number is its distance from zero on the number line, "
      "so the absolute value of -7 is 7."]),
    ("Percent means per thousand.", None, ["Percent means per hundred."]),
])
def test_wrong_claims_are_never_verified(answer, question, evidence):
    report = check(answer, question=question, evidence=evidence)
    assert report.status != "verified"
    assert all(c.status != "verified" for c in report.claims)


def test_true_claims_stated_across_a_pronoun_continuation_stay_verified():
    report = check("Abraham Lincoln was the 16th president and was born in Kentucky in 1809.",
                   evidence=LINCOLN)
    assert [c.status for c in report.claims] == ["verified", "verified"]


def test_gate_counts_numbers_with_sign_and_multiplicity():
    said = [Passage("so the absolute value of -7 is 7.", "e0")]
    assert _support_gap("The absolute value of -7 is -7", said) is not None
    assert _support_gap("The absolute value of -7 is 7", said) is None
    assert _support_gap("It is 7", said) == "the claim's subject is a pronoun the answer does not resolve"
