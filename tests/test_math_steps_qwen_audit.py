"""Regressions from the audit of step refutations on sampled solutions that end right: each
false refutation found there is reproduced here on text written for the test, with the
exact verdict, next to the wrong version that must still be refuted."""
from __future__ import annotations

from verify import check, check_math


def verdicts(answer: str, question: str = "Work it out.") -> list[tuple[str, str]]:
    r = check_math(question=question, answer=answer)
    return [(c.text, c.status) for s in r.steps for c in s.claims]


# -- the same term taken from both sides is an equation step, not a rewriting ------------

def test_subtracting_a_term_from_both_sides_follows_from_the_equation():
    found = verdicts("We have \\[ 3y = y + 8 \\] Subtract y from both sides:\n"
                     "\\[ 3y - y = y + 8 - y \\]\nso \\[ 2y = 8 \\] and \\boxed{4}.")
    assert found == [("3y - y = y + 8 - y", "verified"), ("2y = 8", "verified")]


def test_adding_a_term_to_both_sides_follows_from_the_equation():
    found = verdicts("We have \\[ 4t - 9 = t \\] Add 9 to both sides: \\[ 4t - 9 + 9 = t + 9 \\]"
                     " Then \\[ 4t = t + 9 \\] so \\boxed{3}.")
    assert found[0] == ("4t - 9 + 9 = t + 9", "verified")


def test_both_sides_step_with_a_changed_number_is_still_refuted():
    r = check_math(question="Work it out.",
                   answer="We have \\[ 3y = y + 8 \\] Subtract y from both sides:\n"
                          "\\[ 3y - y = y + 9 - y \\]\nso \\[ 2y = 9 \\].")
    c = r.steps[r.first_error].claims[0]
    assert (c.text, c.status) == ("3y - y = y + 9 - y", "refuted")
    assert "does not follow from 3*y = y + 8" in c.explanation


def test_a_cancelled_term_on_one_side_stays_a_rewriting():
    # no term taken from both sides: the writer simplified one expression
    assert verdicts("Simplify: \\[ k^2 + 5k - 5k = k^2 \\]") == [("k^2 + 5k - 5k = k^2", "verified")]
    assert verdicts("Simplify: \\[ 9 + 5k - 5k = 2k \\]") == [("9 + 5k - 5k = 2k", "refuted")]


# -- "multiples of d:" joined to another property by "or" / "not" --------------------------

def test_union_with_multiples_is_not_read_as_multiples_only():
    text = "The numbers that are divisors of 22 or multiples of 9 are: 1, 2, 11, 18, 22, 27. So \\boxed{6}"
    assert verdicts(text, "How many of the numbers are divisors of 22 or multiples of 9?") == []


def test_complement_of_multiples_is_not_read_as_multiples():
    assert verdicts("The numbers below 10 that are not multiples of 4 are: 1, 2, 3, 5, 6, 7, 9.") == []


def test_plain_multiples_list_is_still_checked():
    assert verdicts("The multiples of 9 are: 9, 18, 28.") == [("multiples of 9 are: 9, 18, 28", "refuted")]
    assert verdicts("The multiples of 9 are: 9, 18, 27.") == [("multiples of 9 are: 9, 18, 27", "verified")]


# -- a quotient with its remainder in LaTeX display math --------------------------------

def test_latex_division_with_text_remainder_is_one_claim():
    found = verdicts("Divide: \\[ 47 \\div 6 = 7 \\text{ remainder } 5. \\] So \\boxed{7\\frac{5}{6}}",
                     "Write 47/6 as a mixed number.")
    assert found == [("47 \\div 6 = 7 \\text{ remainder } 5", "verified")]


def test_latex_division_with_a_wrong_quotient_is_refuted():
    r = check_math(question="Write 47/6 as a mixed number.",
                   answer="Divide: \\[ 47 \\div 6 = 8 \\text{ remainder } 5. \\]")
    (c,) = [c for s in r.steps for c in s.claims]
    assert (c.text, c.status) == ("47 \\div 6 = 8 \\text{ remainder } 5", "refuted")
    assert "quotient 7, remainder 5" in c.explanation


def test_latex_division_with_a_wrong_remainder_is_refuted():
    found = verdicts("\\[ 47 \\div 6 = 7 \\text{ R } 4 \\]")
    assert found == [("47 \\div 6 = 7 \\text{ R } 4", "refuted")]


# -- "after" / "before" name a position, not a unit before a subtraction ------------------

def test_next_multiple_after_a_negative_number_is_no_subtraction():
    text = "- The next multiple of 5 after -12 is -10.\n- The next multiple of 5 after -10 is -5."
    assert verdicts(text, "List the multiples of 5 between -12 and 12.") == []
    assert [c.status for c in check(text, engines=("arithmetic",)).claims] == []


def test_the_number_before_a_negative_number_is_no_subtraction():
    assert list(check("The integer 3 before -4 is -1 on this list.", engines=("arithmetic",)).claims) == []


def test_unit_words_still_bridge_to_a_subtraction():
    (c,) = check("She had 20 apples - 5 apples = 14 apples left.", engines=("arithmetic",)).claims
    assert (c.status, c.correction) == ("refuted", "15")


def test_position_word_before_a_spaced_minus_still_bridges():
    (c,) = check("So she used 900 grams before - 650 grams after = 250 grams.", engines=("arithmetic",)).claims
    assert (c.text, c.status) == ("900 grams before - 650 grams after = 250", "verified")
