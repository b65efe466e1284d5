"""Soundness of the math step checks: inputs that once gave a wrong verdict (a false
verification, or a false refutation of a right step in a solution that ends right), each
asserted with its exact verdict, next to the wrong version that must still be refuted."""
from __future__ import annotations

from verify import check, check_math

DIGITS_Q = ("Using the digits 2, 3, 4 and 6, how many two-digit multiples of 4 can be formed "
            "without repeating a digit?")


def verdicts(answer: str, question: str | None = None, reference: str | None = None):
    report = check_math(question, answer, reference)
    return report.status, [(c.status, c.text) for c in report.report.claims]


def test_given_digits_list_with_multiples_checks_both():
    status, found = verdicts("Two-digit numbers from the given digits that are multiples of 4: 32, 36, 63.", DIGITS_Q)
    assert status == "refuted" and found == [("refuted", "from the given digits that are multiples of 4: 32, 36, 63")]
    # digits wrong, multiples right: still refuted (the multiples claim on the list no longer hides it)
    status, found = verdicts("First, list out all possible two-digit combinations from the given digits that are "
                             "multiples of 4: 32, 36, 64, 68, 72.", DIGITS_Q)
    assert status == "refuted" and found == [("refuted", "from the given digits that are multiples of 4: 32, 36, 64, 68, 72")]


def test_given_digits_check_does_not_verify_other_properties():
    status, found = verdicts("Two-digit numbers from the given digits without repetition: 22, 33, 44.", DIGITS_Q)
    assert status == "unverified" and found == [("unverified", "22, 33, 44")]
    # nothing but the digits stated: the digits decide it both ways
    assert verdicts("Two-digit numbers from the given digits: 32, 36, 64.", DIGITS_Q) == (
        "verified", [("verified", "32, 36, 64")])
    assert verdicts("Two-digit numbers from the given digits: 32, 36, 65.", DIGITS_Q) == (
        "refuted", [("refuted", "32, 36, 65")])


def test_extreme_with_a_further_qualifier_is_not_decided():
    assert verdicts("So 90 is the largest multiple of 3 less than 100 that is also a multiple of 5.") == (
        "unverified", [])
    assert verdicts("Thus 29 is the smallest prime greater than 20 that ends in 9.") == ("unverified", [])
    # the phrase ending the clause is still decided
    assert verdicts("So 64 is the smallest power of 4 larger than 8 and we are done.")[0] == "refuted"


def test_latex_thousands_separator_is_one_number():
    assert verdicts("We need 1024, which is the smallest power of 2 greater than $1{,}000$.") == (
        "verified", [("verified", "which is the smallest power of 2 greater than $1{,}000$")])
    assert verdicts("The smallest power of 2 greater than 1000 is $1{,}024$.")[0] == "verified"
    assert verdicts("The GCD of $1{,}000$ and $2{,}500$ is $400$.")[0] == "refuted"
    assert verdicts("The remainder when 1{,}000 is divided by 7 is 6.")[0] == "verified"


def test_argument_decided_exactly_for_huge_multiples_of_pi():
    status, found = verdicts(r"Let \(\theta\) be the argument of \(1 + i\). "
                             r"Then \(\theta = 100000000000000001 \pi + \frac{\pi}{4}\).")
    assert status == "refuted" and found == [("refuted", r"\theta = 100000000000000001 \pi + \frac{\pi}{4}")]
    assert verdicts(r"Let \(\theta\) be the argument of \(1 + i\). Then \(\theta = \frac{9\pi}{4}\).")[0] == "verified"
    assert verdicts(r"Let \(\theta\) be the argument of \(1 + 2i\). Then \(\theta = \arctan 3\).")[0] == "refuted"


def test_argument_in_a_hypothetical_is_not_a_claim():
    status, found = verdicts(r"Let \(\theta\) be the argument of \(1 + i\). If we guessed \(\theta = \frac{\pi}{2}\), "
                             r"then the real part would be 0, which is wrong. So \(\theta = \frac{\pi}{4}\).")
    assert status == "verified" and found == [("verified", r"\theta = \frac{\pi}{4}")]


def test_ones_digit_formula_with_an_unread_condition_is_not_decided():
    for answer in (r"Let \(d\) be the units digit of \(n\). Since \(d \geq 2\), the ones digit of \(51 - n\) is \(11 - d\).",
                   r"Let \(d\) be the units digit of \(n\). Suppose \(d \geq 2\). Then the ones digit of \(51 - n\) is "
                   r"\(11 - d\)."):
        assert verdicts(answer) == ("unverified", [])
    # an "if" condition is read and decides it
    assert verdicts(r"Let \(d\) be the units digit of \(n\). If \(d \geq 2\), the ones digit of \(51 - n\) is "
                    r"\(11 - d\).")[0] == "verified"


def test_simplified_list_with_repeated_values_keeps_each_place():
    report = check_math(None, r"So \[k = \frac{6}{2}, \frac{8}{2}\] simplifying these gives \[k = 3, 3\]")
    assert report.status == "refuted"
    assert [(c.status, c.span.start) for c in report.report.claims] == [("verified", 66), ("refuted", 69)]


def test_rewriting_under_the_questions_domain_is_not_refuted():
    status, found = verdicts(r"\[\sqrt{x^2 - 40x + 400} = \sqrt{(x-20)^2} = x - 20\]",
                             r"Simplify $\sqrt{x^2 - 40x + 400} + \log_{10}(x)$ for $x > 20$.")
    assert status == "unverified"
    assert [s for s, _ in found] == ["verified", "unverified"]
    # without a stated domain it holds for x ≥ 20 (far probes), which the writer may mean
    assert verdicts(r"\[\sqrt{x^2 - 40x + 400} = \sqrt{(x-20)^2} = x - 20\]")[0] == "unverified"


def test_implication_under_a_domain_word_is_not_refuted():
    assert verdicts(r"Both $m$ and $n$ are even. $m > n$, this means either $m \geq n + 2$ or $m \leq n - 2$.") == (
        "unverified", [])
    assert verdicts(r"$m > n$, this means either $m \geq n + 2$ or $m \leq n - 2$.") == (
        "refuted", [("refuted", "this means either")])


def test_display_after_an_operation_word_is_no_rewriting():
    assert verdicts(r"Squaring both sides, \[\sqrt{x+1}\] becomes \[x + 1\]") == ("unverified", [])
    assert verdicts(r"Squaring, the left side \[\sqrt{2x+3}\] becomes \[2x+3\]") == ("unverified", [])
    assert verdicts(r"Squaring both sides, \[\sqrt{x+1}\] simplifies to \[x + 1\]") == ("unverified", [])
    # a plain rewriting cue still decides both ways
    assert verdicts(r"We have \[(x+1)^2 - x^2\] Now, combine like terms: \[2x + 2\]")[0] == "refuted"
    assert verdicts(r"Multiplying out, \[(x+1)^2\] simplifies to \[x^2+2x+1\]")[0] == "verified"


def test_lowest_terms_rule_spares_the_references_own_form_and_zero():
    q = "What fraction of the pie is left? Express your answer as a common fraction."
    answer = check_math(q, r"The answer is $\boxed{\frac{2}{4}}$.", r"\frac{2}{4}")
    assert answer.status == "verified"
    assert check_math(q, r"The answer is $\boxed{\frac{0}{5}}$.", "0").status == "verified"
    # an unreduced fraction against a reduced reference is still wrong when lowest terms are asked
    wrong = check_math(q, r"The answer is $\boxed{\frac{2}{4}}$.", r"\frac{1}{2}")
    assert wrong.status == "refuted" and wrong.report.claims[-1].correction == r"\frac{1}{2}"


def test_benchmark_labels_lowest_terms_with_the_checkers_pattern():
    from benchmarks import math_answers
    from verify.api import math as mathcheck
    assert math_answers.ASKS_LOWEST_TERMS is mathcheck.ASKS_LOWEST_TERMS


def test_sqrt_of_a_square_is_not_verified_as_the_unknown():
    status, found = verdicts(r"\[\sqrt{x^2} = x\]")
    assert status == "unverified" and found == [("unverified", r"\sqrt{x^2} = x")]
    assert verdicts(r"\[\sqrt{x^2} = |x|\]")[0] == "verified"


def test_multiples_of_alone_wakes_the_math_engine():
    from verify import check
    found = [(c.status, c.text) for c in check("The multiples of 4: 32, 36, 63.", engines=("math",)).claims]
    assert found == [("refuted", "multiples of 4: 32, 36, 63")]


def test_a_stated_domain_still_lets_a_counterexample_inside_it_refute():
    # x > 1 is read: the probes that refute the rewriting lie inside it
    status, found = verdicts(r"Thus: \[ 2 \log_{10} x - \log_x \frac{1}{100} = 2 \log_{10} x + 2 \log_{10} x "
                             r"= 4 \log_{10} x \]",
                             r"Find the minimum value of \[2 \log_{10} x - \log_x \frac{1}{100}\]for $x > 1.$")
    assert status == "refuted" and found == [
        ("refuted", r"2 \log_{10} x - \log_x \frac{1}{100} = 2 \log_{10} x + 2 \log_{10} x"),
        ("verified", r"2 \log_{10} x + 2 \log_{10} x = 4 \log_{10} x")]
    # an earlier inequality on the unknowns: the counterexample (2, 3) meets it
    status, found = verdicts(r"The condition is \[x \cdot y > x + y\] Case 1: \(x y > x + y\), this means either "
                             r"\(x > y + 1\) or \(y > x + 1\).")
    assert status == "refuted" and ("refuted", "this means either") in found
    # one it cannot meet (m, n > 5 forces a counterexample above 5: 7, 6 is one)
    assert verdicts(r"Here $m > 5$ and $n > 5$. $m > n$, this means either $m \geq n + 2$ or $m \leq n - 2$.") == (
        "refuted", [("refuted", "this means either")])


# -- steps of solutions that end right ---------------------------------------------------

def step_verdicts(answer: str, question: str = "Work it out.") -> list[tuple[str, str]]:
    r = check_math(question=question, answer=answer)
    return [(c.text, c.status) for s in r.steps for c in s.claims]


# -- the same term taken from both sides is an equation step, not a rewriting ------------

def test_subtracting_a_term_from_both_sides_follows_from_the_equation():
    found = step_verdicts("We have \\[ 3y = y + 8 \\] Subtract y from both sides:\n"
                     "\\[ 3y - y = y + 8 - y \\]\nso \\[ 2y = 8 \\] and \\boxed{4}.")
    assert found == [("3y - y = y + 8 - y", "verified"), ("2y = 8", "verified")]


def test_adding_a_term_to_both_sides_follows_from_the_equation():
    found = step_verdicts("We have \\[ 4t - 9 = t \\] Add 9 to both sides: \\[ 4t - 9 + 9 = t + 9 \\]"
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
    assert step_verdicts("Simplify: \\[ k^2 + 5k - 5k = k^2 \\]") == [("k^2 + 5k - 5k = k^2", "verified")]
    assert step_verdicts("Simplify: \\[ 9 + 5k - 5k = 2k \\]") == [("9 + 5k - 5k = 2k", "refuted")]


# -- "multiples of d:" joined to another property by "or" / "not" --------------------------

def test_union_with_multiples_is_not_read_as_multiples_only():
    text = "The numbers that are divisors of 22 or multiples of 9 are: 1, 2, 11, 18, 22, 27. So \\boxed{6}"
    assert step_verdicts(text, "How many of the numbers are divisors of 22 or multiples of 9?") == []


def test_complement_of_multiples_is_not_read_as_multiples():
    assert step_verdicts("The numbers below 10 that are not multiples of 4 are: 1, 2, 3, 5, 6, 7, 9.") == []


def test_plain_multiples_list_is_still_checked():
    assert step_verdicts("The multiples of 9 are: 9, 18, 28.") == [("multiples of 9 are: 9, 18, 28", "refuted")]
    assert step_verdicts("The multiples of 9 are: 9, 18, 27.") == [("multiples of 9 are: 9, 18, 27", "verified")]


# -- a quotient with its remainder in LaTeX display math --------------------------------

def test_latex_division_with_text_remainder_is_one_claim():
    found = step_verdicts("Divide: \\[ 47 \\div 6 = 7 \\text{ remainder } 5. \\] So \\boxed{7\\frac{5}{6}}",
                     "Write 47/6 as a mixed number.")
    assert found == [("47 \\div 6 = 7 \\text{ remainder } 5", "verified")]


def test_latex_division_with_a_wrong_quotient_is_refuted():
    r = check_math(question="Write 47/6 as a mixed number.",
                   answer="Divide: \\[ 47 \\div 6 = 8 \\text{ remainder } 5. \\]")
    (c,) = [c for s in r.steps for c in s.claims]
    assert (c.text, c.status) == ("47 \\div 6 = 8 \\text{ remainder } 5", "refuted")
    assert "quotient 7, remainder 5" in c.explanation


def test_latex_division_with_a_wrong_remainder_is_refuted():
    found = step_verdicts("\\[ 47 \\div 6 = 7 \\text{ R } 4 \\]")
    assert found == [("47 \\div 6 = 7 \\text{ R } 4", "refuted")]


# -- "after" / "before" name a position, not a unit before a subtraction ------------------

def test_next_multiple_after_a_negative_number_is_no_subtraction():
    text = "- The next multiple of 5 after -12 is -10.\n- The next multiple of 5 after -10 is -5."
    assert step_verdicts(text, "List the multiples of 5 between -12 and 12.") == []
    assert [c.status for c in check(text, engines=("arithmetic",)).claims] == []


def test_the_number_before_a_negative_number_is_no_subtraction():
    assert list(check("The integer 3 before -4 is -1 on this list.", engines=("arithmetic",)).claims) == []


def test_unit_words_still_bridge_to_a_subtraction():
    (c,) = check("She had 20 apples - 5 apples = 14 apples left.", engines=("arithmetic",)).claims
    assert (c.status, c.correction) == ("refuted", "15")


def test_position_word_before_a_spaced_minus_still_bridges():
    (c,) = check("So she used 900 grams before - 650 grams after = 250 grams.", engines=("arithmetic",)).claims
    assert (c.text, c.status) == ("900 grams before - 650 grams after = 250", "verified")
