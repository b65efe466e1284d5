"""Issue 11, item 4: step checking refutes only what the text asserts unconditionally.

An equation with unknowns is an identity only when the text rewrites one expression; an
equation to solve, a case being tried, an "or" statement, a supposition, a contradiction
reached on purpose and a symbol redefined along the way are not refuted as identities.
Series with SymPy conditions are not refuted without a stated domain; a name used as a
function is applied, never multiplied. Each rule keeps its refutation when the text does
assert the false relation. Inputs are written here, not taken from the dev sets."""
from __future__ import annotations

import pytest

from verify import check_math
from verify.engines.math.stance import stance


def decided(question: str | None, steps: list[str] | str) -> list[tuple[str, str, str]]:
    """(type, text, status) of every claim in the steps, through the public ``check_math``
    (the type is the math claim's, or the engine's name)."""
    report = check_math(question=question, answer=steps)
    return [(c.detail.get("type", c.kind), c.text, c.status) for s in report.steps for c in s.claims]


def refuted(question: str | None, steps: list[str] | str) -> list[str]:
    return [text for _, text, status in decided(question, steps) if status == "refuted"]


# ---- the stance of a relation ----------------------------------------------------------
@pytest.mark.parametrize("text, expected", [
    ("If \\( k = 2 \\):\n\\[ 2m + m = 5m \\]", "supposition"),
    ("Suppose \\( p q = p + q \\) for some p.", "supposition"),
    ("\\[ u - 1 = 0 \\quad \\text{or} \\quad u + 4 = 0 \\]", "alternative"),
    ("Then \\[ 3w = 5 \\] This is a contradiction, so no such w exists.", "contradiction"),
    ("Check: \\( 40 = 3^2 + 5^2 \\). This does not work.", "contradiction"),
    ("Expanding, \\[ (y + 2)^2 = y^2 + 4y + 4 \\] as required.", None),
])
def test_stance_reads_the_words_around_a_relation(text, expected):
    at = text.index("=")
    start = text.rfind("(", 0, at) if "\\(" in text[:at] else text.rfind("[", 0, at)
    assert stance(text, start + 1, at + 3) == expected


# ---- an equation to solve is not an identity -------------------------------------------
def test_an_equation_to_solve_after_squaring_both_sides_is_not_an_identity():
    steps = ["We square both sides again: \\[ 9pq = (40 - p - q)^2 \\] Expanding the right-hand side, "
             "we get: \\[ 9pq = 1600 - 80p - 80q + p^2 + 2pq + q^2 \\]"]
    assert "9pq = (40 - p - q)^2" not in refuted("Find positive integers p, q with \\sqrt{p}+\\sqrt{q}=\\sqrt{40}.", steps)


def test_a_rewriting_chain_is_still_refuted():
    assert refuted(None, ["Expanding: \\[ (y + 3)^2 = y^2 + 6y + 6 \\]"]) == ["(y + 3)^2 = y^2 + 6y + 6"]


def test_an_equation_named_as_the_object_of_solve_is_a_premise():
    steps = ["For the first factor: \\[ s + 4 = s^2 \\] For the second: \\[ 9 - s = s^2 \\]",
             "First, solve \\( s + 4 = s^2 \\): \\[ s^2 - s - 4 = 0 \\]"]
    assert refuted("Solve for s.", steps) == []


# ---- a case being tried, a supposition ----------------------------------------------------
def test_a_case_with_cancelled_unknowns_is_not_refuted():
    steps = ["If \\( h \\) is constant, \\( h(x) = c \\); substituting, we get: \\[ c - c = c \\cdot c \\] "
             "\\[ 0 = c^2 \\]"]
    assert refuted("Find all functions h with h(1 + xy) - h(x + y) = h(x) h(y).", steps) == []


def test_two_cases_are_not_derived_from_each_other():
    steps = ["This gives two cases to consider:\nFirst, \\(7t - 35 = 9t\\)\nSecond, \\(7t - 35 = -9t\\)"]
    assert refuted("Solve |7t - 35| = 9t.", steps) == []


def test_a_wrong_step_inside_a_plain_derivation_is_still_refuted():
    steps = ["\\[ 4z + 8 = 20 \\implies 4z = 12 \\implies z = 4 \\]"]
    assert "z = 4" in refuted("Solve 4z + 8 = 20.", steps)


# ---- "or" and "either" ----------------------------------------------------------------------
def test_roots_after_an_or_statement_follow_from_the_disjunction():
    steps = ["Factor: \\[ (v - 6)(v + 2) = 0 \\] so \\[ v - 6 = 0 \\quad \\text{or} \\quad v + 2 = 0 \\]",
             "\\[ v = 6 \\quad \\text{or} \\quad v = -2 \\]"]
    found = decided("Solve v^2 - 4v - 12 = 0.", steps)
    assert not [t for _, t, s in found if s == "refuted"]
    assert ("equation-step", "v = 6", "verified") in found


def test_computed_roots_after_an_or_statement_are_checked_against_both():
    steps = ["Taking square roots: \\[ y + 5 = 3 \\quad \\text{or} \\quad y + 5 = -3 \\]",
             "So \\[ y = 3 - 5 = -2 \\quad \\text{or} \\quad y = -3 - 5 = -8 \\]"]
    assert refuted("Solve (y+5)^2 = 9.", steps) == []


def test_a_wrong_root_after_an_or_statement_is_still_refuted():
    steps = ["\\[ v - 6 = 0 \\quad \\text{or} \\quad v + 2 = 0 \\]", "\\[ v = 5 \\]"]
    assert refuted("Solve (v - 6)(v + 2) = 0.", steps) == ["v = 5"]


def test_a_summary_of_roots_of_two_equations_is_no_sibling_root():
    steps = ["We get \\( t - 7 = 0 \\), which gives \\( t = 7 \\), and \\( t + 4 = 0 \\), which gives "
             "\\( t = -4 \\). So the intercepts are \\( t = 7 \\) and \\( t = -4 \\)."]
    assert refuted("Find the t-intercepts of (t-7)(t+4).", steps) == []


# ---- a contradiction reached on purpose --------------------------------------------------
def test_a_contradiction_the_text_derives_on_purpose_is_not_refuted():
    steps = ["If \\( a = 0 \\):\n\\[ 0 \\cdot b = 15 \\]\nThis is a contradiction, so \\( a \\neq 0 \\)."]
    assert refuted("Find a and b with ab = 15.", steps) == []


def test_a_tried_value_that_does_not_work_is_not_refuted():
    steps = ["Try \\( n = 40 \\): \\( 40 = 3^2 + 5^2 \\). This does not work."]
    assert refuted("Find n with n = d_3^2 + d_4^2.", steps) == []


def test_a_false_computation_the_text_does_not_flag_is_still_refuted():
    assert refuted(None, ["So \\( 3^2 + 5^2 = 36 \\), and we continue."]) == ["3^2 + 5^2 = 36"]


# ---- a symbol redefined along the way -------------------------------------------------------
def test_a_function_written_anew_on_a_substituted_letter_is_the_text_s_function():
    steps = ["Let \\( w = x - 2 \\). Then \\[ g(w) = w^2 + 1 \\]", "The minimum is \\[ g(0) = 0 + 1 = 1 \\]"]
    found = decided("If $g(x)=x^{2}-4 x+5$, find the minimum of g(x).", steps)
    assert ("evaluation", "g(0) = 0 + 1", "verified") in found
    assert not [t for _, t, s in found if s == "refuted"]


def test_a_letter_introduced_by_let_is_not_checked_against_the_question_s_equations():
    steps = ["Let \\( q = 2 \\). Then \\( q + 1 = 3 \\)."]
    assert refuted("Given q^2 = 49 and q > 0, find q.", steps) == []


def test_the_question_s_definition_still_holds_without_a_redefinition():
    assert refuted("If $g(x)=x^{2}-4 x+5$, find g(3).", ["\\[ g(3) = 9 - 12 + 6 \\]"]) == ["g(3) = 9 - 12 + 6"]


def test_an_inverse_function_is_not_a_power():
    question = "Let k(x) = ax + b and h(x) = k^{-1}(x), with k(x) - h(x) = 10 for all x."
    assert refuted(question, ["Comparing constant terms gives \\( b = 5 \\)."]) == []


# ---- series and sums ---------------------------------------------------------------------------
def test_a_power_series_with_a_convergence_condition_is_not_refuted():
    found = decided(None, ["We know \\[ \\sum_{n=1}^{\\infty} \\frac{t^n}{n} = -\\ln(1-t) \\]"])
    assert [s for _, _, s in found] != ["refuted"]


def test_a_sum_to_a_symbolic_bound_is_not_refuted_at_fractions():
    assert refuted(None, ["\\[ \\sum_{j=1}^{m} (m - j) = \\sum_{j=0}^{m-1} j \\]"]) == []


def test_a_sum_indexed_by_i_reads_i_as_the_index():
    found = decided(None, ["\\[ \\sum_{i=1}^{4} i = 10 \\]"])
    assert found and all(s == "verified" for _, _, s in found)


def test_a_name_given_to_a_sum_is_a_definition():
    assert decided(None, ["Let \\[ T = \\sum_{k=1}^{20} \\frac{1}{k^2} \\]"]) == []


def test_a_derivative_set_to_zero_is_an_equation_to_solve():
    found = decided("Find the critical points of g(x) = x^3 - 3x.", ["\\[ g'(x) = 3x^2 - 3 \\] Setting \\[ g'(x) = 0 \\]"])
    assert ("calculus", "g'(x) = 3x^2 - 3", "verified") in found
    assert not [t for _, t, s in found if s == "refuted"]


def test_a_wrong_closed_sum_is_still_refuted():
    assert refuted(None, ["\\[ \\sum_{k=1}^{10} k = 56 \\]"]) == ["\\sum_{k=1}^{10} k = 56"]


# ---- notation --------------------------------------------------------------------------------------
def test_a_letter_used_as_a_function_is_not_multiplied():
    assert refuted("Let d(n) denote the number of divisors of n. Find d(9).", ["We have \\( d(9) = 3 \\)."]) == []


def test_a_subscripted_name_used_as_a_function_is_not_multiplied():
    steps = ["\\[ N_B(t) = N_B \\left(\\frac{1}{3}\\right)^{t/5} \\]", "\\[ N_B(10) = N_B \\left(\\frac{1}{3}\\right)^{2} \\]"]
    assert refuted("A sample shrinks to a third every 5 minutes.", steps) == []


def test_a_greek_letter_used_as_a_function_is_not_multiplied():
    assert refuted("Let \\phi(n) be Euler's totient.", ["So \\( \\phi(10) = 4 \\)."]) == []


def test_square_brackets_for_the_integer_part_are_not_grouping():
    question = "Let [x] denote the greatest integer not exceeding x. Find [17.6]."
    assert refuted(question, ["\\[ \\left[ \\frac{3 + 173}{10} \\right] = \\left[ 17.6 \\right] = 17 \\]"]) == []


def test_a_decimal_root_rounded_to_its_digits_is_not_refuted_but_a_wrong_one_is():
    assert refuted("Find M.", ["Solving \\(7M + 21 = 99\\), we get \\(7M = 78\\) and thus \\(M = 11.14\\)."]) == []
    assert refuted("Find M.", ["Solving \\(7M + 21 = 99\\), we get \\(7M = 78\\) and thus \\(M = 12.14\\)."]) \
        == ["M = 12.14"]
    assert refuted("Find M.", ["Solving \\(7M + 21 = 99\\), we get \\(7M = 78\\) and thus \\(M = 11.15\\)."]) \
        == ["M = 11.15"]  # neither rounded nor cut: 78/7 = 11.1428…


def test_a_word_before_an_inline_equals_is_the_left_side():
    steps = ["The area is $\\frac{1}{4} = \\frac{3}{7} \\times$ width.",
             "Dividing both sides: width $= \\frac{1}{4} \\div \\frac{3}{7}$."]
    assert refuted("A rectangle has area 1/4 and length 3/7. Find its width.", steps) == []


def test_a_division_with_a_negative_remainder_is_one_fact():
    assert refuted("Reduce.", ["We reduce: \\[ -83 \\div 9 = -9 \\text{ remainder } -2 \\]"]) == []
    assert refuted("Reduce.", ["We reduce: \\[ -83 \\div 9 = -10 \\text{ remainder } 7 \\]"]) == []
    assert refuted("Reduce.", ["We reduce: \\[ -83 \\div 9 = -9 \\text{ remainder } -5 \\]"]) \
        == ["-83 \\div 9 = -9 \\text{ remainder } -5"]


def test_an_equation_expanded_on_both_sides_must_stay_equivalent():
    question = "If $(x-3)(y-5) = -2$, find x+y."
    assert refuted(question, ["\\[ 2(x-3)(y-5) = -4 \\]", "Expanding both sides gives: \\[ 2xy - 10x - 6y + 30 = -4 \\]"]) == []
    assert refuted(question, ["\\[ 2(x-3)(y-5) = -4 \\]", "Expanding both sides gives: \\[ 2xy - 10x - 6y + 31 = -4 \\]"]) \
        == ["2xy - 10x - 6y + 31 = -4"]


def test_a_wrong_link_inside_a_computation_whose_result_is_then_rejected_is_still_refuted():
    steps = ["First, \\[ (5 - 2i)(3 + i) = 15 + 5i - 6i - 2i^2 = 15 - i + 3 = 18 - i \\] This does not match z, "
             "so we discard it."]
    assert refuted("Factor z.", steps) == ["15 + 5i - 6i - 2i^2 = 15 - i + 3"]


def test_of_inside_a_display_is_an_operation_not_a_separator():
    steps = ["Calculate 25% of $2,000.00:\n\\[ 25\\% \\text{ of } \\$2,000.00 = 0.25 \\times 2000 = \\$500.00 \\]"]
    assert refuted("Pay.", steps) == []
    assert refuted("Pay.", ["\\[ 40\\% \\text{ of } 300 = 0.4 \\times 300 = 130 \\]"]) == ["0.4 \\times 300 = 130"]


def test_comma_or_restates_and_stays_refutable():
    question = "Real numbers p and q satisfy $p + q = 6$ and $p - q = 2$."
    steps = ["Adding the equations gives $2p = 8$, or $p = 5$."]
    assert stance(steps[0], steps[0].index("p = 5"), steps[0].index("p = 5") + 5) is None
    assert "p = 5" in refuted(question, steps)


def test_a_relation_the_question_states_under_a_condition_is_no_fact():
    question = "Ann starts with \\(m = 90\\). If \\(r = 0\\), Ann sets \\(s = 0\\). Find the largest s."
    assert refuted(question, ["Hence \\( s = 3 \\) is possible."]) == []
    assert refuted("Ann starts with \\(m = 90\\) and \\(s = 0\\). Find s.", ["Hence \\( s = 3 \\)."]) == ["s = 3"]


# ---- candidate values joined by "or" ----------------------------------------------------
@pytest.mark.parametrize("steps", [
    ["From the sum, \\(\\frac{y + 4}{2} = 9\\) holds, so \\( y = 20 \\) or \\( y = 6 \\) remains possible."],
    ["Since (y + 4)/2 = 9 holds, y = 20 or y = 6."],
])
def test_values_joined_by_or_are_candidates_not_solutions(steps):
    assert refuted("Find y.", steps) == []
    assert {status for _, _, status in decided("Find y.", steps)} == {"unverified"}


def test_a_single_solved_value_is_still_refuted():
    assert refuted("Find y.", ["Since (y + 4)/2 = 9, y = 20."]) == ["y = 20"]


def test_roots_joined_by_or_that_hold_are_verified():
    found = decided("Solve it.", ["We have y^2 - 7y + 10 = 0, so y = 2 or y = 5."])
    assert [(text, status) for _, text, status in found] == [("y = 2", "verified"), ("y = 5", "verified")]
