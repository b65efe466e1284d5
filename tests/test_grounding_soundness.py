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


def test_wrong_claims_are_refuted_with_the_evidence_value_in_the_right_place():
    r = check("Abraham Lincoln wrote the Declaration of Independence.", question="Who was Abraham Lincoln?",
              evidence=LINCOLN)
    (c,) = r.claims
    assert (c.status, c.correction) == ("refuted", "Thomas Jefferson")
    assert r.corrected_text == "Thomas Jefferson wrote the Declaration of Independence."

    r = check("World War II ended in 1946.", question="When did World War II end?",
              evidence=["World War II ended on September 2, 1945, when Japan formally surrendered "
                        "aboard the USS Missouri."])
    assert (r.claims[0].status, r.claims[0].correction) == ("refuted", "1945")

    # the same value twice: only the occurrence the evidence contradicts is corrected
    r = check("The absolute value of -7 is -7.",
              evidence=["The absolute value of a number is its distance from zero on the number line, "
                        "so the absolute value of -7 is 7."])
    assert r.claims[0].status == "refuted"
    assert r.corrected_text == "The absolute value of -7 is 7."


def test_a_lower_case_claim_has_its_names_checked():
    ev = ["The teen was riding in a Ford Focus with two teenage friends when he allegedly pulled the "
          "trigger as the vehicle drove past. Chris Lane, 22, was shot in the back while jogging."]
    r = check("chris lane was riding in a ford focus with two teenage friends when he allegedly pulled "
              "the trigger as the vehicle drove past", evidence=ev)
    assert all(c.status != "verified" for c in r.claims)
    r = check("chris lane was shot in the back while jogging", evidence=ev)
    assert [c.status for c in r.claims] == ["verified"]
