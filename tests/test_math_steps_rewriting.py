"""Step checking: rewritings the finder used to miss (issue 5 step recall). Each test is a
worked solution written for this file, in the shapes ProcessBench solutions use, with the
exact verdict of every claim that decides the step."""
from __future__ import annotations

from verify import check_math


def step_claims(question: str, steps: list[str], index: int) -> list[tuple[str, str, str]]:
    report = check_math(question, steps, None, steps=True)
    return [(c.status, c.detail.get("type", c.kind), c.text.strip()) for c in report.steps[index].claims]


# ---- chains of logs / trig / roots in one unknown are rewritings --------------------------
def test_log_chain_with_a_wrong_first_link_is_refuted():
    q = r"Find the smallest value of \[3 \log_{2} t + \log_t 8\] for $t > 1$."
    steps = [r"Write everything in base 2: \[ 3 \log_{2} t + \log_t 8 = 3 \log_{2} t + 3 \log_{2} t = 6 \log_{2} t. \]"]
    found = step_claims(q, steps, 0)
    assert found[0][:2] == ("refuted", "identity")
    assert found[0][2].startswith(r"3 \log_{2} t + \log_t 8 = 3 \log_{2} t + 3 \log_{2} t")
    assert found[1][:2] == ("verified", "identity")


def test_correct_log_chain_is_verified():
    q = r"Find the smallest value of \[3 \log_{2} t + \log_t 8\] for $t > 1$."
    steps = [r"Since \(\log_t 8 = \frac{\log_2 8}{\log_2 t} = \frac{3}{\log_2 t}\), the expression is "
             r"\(3 \log_2 t + \frac{3}{\log_2 t}\)."]
    assert [s for s, _, _ in step_claims(q, steps, 0)] == ["verified", "verified"]


def test_root_identity_that_holds_for_positive_values_is_not_refuted():
    # sqrt(y^2) = y holds for y >= 0: a writer may mean that domain, so no refutation
    q = r"Simplify \[\sqrt{y^2} + \sqrt{4y^2}\] for $y > 0$."
    steps = [r"\[ \sqrt{y^2} + \sqrt{4y^2} = y + \sqrt{4y^2} = y + 2y = 3y \]"]
    assert all(s != "refuted" for s, _, _ in step_claims(q, steps, 0))


def test_trig_chain_after_an_equation_in_its_unknown_is_not_refuted():
    # the second link uses the equation stated just before (cos^2 u = sin u tan u): it holds
    # where that equation does, so it is no identity to refute
    q = r"If $\sin u,$ $\cos u,$ $\tan u$ form a geometric sequence, find $\cot^2 u$."
    steps = [r"Then \[\cos^2 u = \sin u \tan u.\] So \[\cot^2 u = \frac{\cos^2 u}{\sin^2 u} = "
             r"\frac{\sin u \tan u}{\sin^2 u} = \frac{1}{\cos u}.\]"]
    assert all(s != "refuted" for s, _, _ in step_claims(q, steps, 0))


def test_equation_chain_ending_in_a_number_is_not_an_identity():
    q = r"Solve $\sin w = \cos w$ for $0 < w < \frac{\pi}{2}$."
    steps = [r"At the solution, \(\sin w = \cos w = \frac{\sqrt{2}}{2}\), so \(w = \frac{\pi}{4}\)."]
    assert all(s != "refuted" for s, _, _ in step_claims(q, steps, 0))


# ---- "Simplify $E.$" with the full stop inside the math --------------------------------------
def test_expression_becomes_is_checked_against_a_target_ending_inside_the_math():
    q = "Simplify $\\sin 70^\\circ \\cos 10^\\circ - \\cos 70^\\circ \\cos 80^\\circ.$\n\nGive a single sine."
    wrong = [r"Since \(\cos 80^\circ = \sin 10^\circ\), the expression becomes: "
             r"\[ \sin 70^\circ \cos 10^\circ - \cos 70^\circ \sin 20^\circ \]"]
    right = [r"Since \(\cos 80^\circ = \sin 10^\circ\), the expression becomes: "
             r"\[ \sin 70^\circ \cos 10^\circ - \cos 70^\circ \sin 10^\circ \]"]
    assert [x[:2] for x in step_claims(q, wrong, 0)] == [("verified", "numeric"), ("refuted", "target")]
    assert [x[:2] for x in step_claims(q, right, 0)] == [("verified", "numeric"), ("verified", "target")]


# ---- a displayed expression announced as the rewriting of the one before --------------------
def test_combine_like_terms_display_must_equal_the_previous_display():
    q = r"Calculate $b^{-3} \cdot 5 \cdot b^3 + b^{4-2-2}$ when $b = 7$."
    steps = [r"First we have \[ b^{-3} \cdot 5 \cdot b^3 + b^{4-2-2} \]",
             "Now, combine like terms:\n\\[ b^{-3} \\cdot 5 \\cdot b^3 + b^2 - b^0 \\]\n\\[ = 5b^0 + b^2 - 1 \\]"]
    found = step_claims(q, steps, 1)
    assert found[0][:2] == ("refuted", "identity")
    assert found[1] == ("verified", "identity", "5b^0 + b^2 - 1")


def test_correct_rewriting_display_is_verified():
    q = r"Simplify $(m+1)^2 - m^2$."
    steps = [r"We start from \[ (m+1)^2 - m^2 \]", "This simplifies to:\n\\[ 2m + 1 \\]"]
    assert [x[:2] for x in step_claims(q, steps, 1)][0] == ("verified", "identity")


def test_display_after_a_substitution_is_not_a_rewriting():
    q = r"Evaluate $p^2 + 3p$ at $p = 2$."
    steps = [r"The expression is \[ p^2 + 3p \]", "Substituting $p = 2$ gives:\n\\[ 10 \\]"]
    assert all(t != "identity" for _, t, _ in step_claims(q, steps, 1))


def test_nested_degree_marks_are_not_read():
    # (90° − 2^k)° marks degrees twice: the side is left unread rather than misread
    q = r"Simplify $\csc 2^k$ degrees."
    steps = [r"\[ \frac{1}{\sin (2^k)^\circ} = \frac{1}{\cos (90^\circ - 2^k)^\circ} \]"]
    assert all(s != "refuted" for s, _, _ in step_claims(q, steps, 0))


# ---- the question's equations pin some unknowns down (logs read as unknowns of their own) ----
LOG_SYSTEM = (r"Positive reals $p$, $q$, $r$ satisfy \begin{align*} \log p - \log q &= k, \\ "
              r"\log q - \log r &= 4, \\ \log r - \log p &= -9. \end{align*} Find $k$.")


def test_claim_contradicting_what_log_equations_pin_down_is_refuted():
    found = step_claims(LOG_SYSTEM, [r"The logs multiply, so \(k \cdot 4 \cdot -9 = 1\)."], 0)
    assert found == [("refuted", "given", r"k \cdot 4 \cdot -9 = 1")]


def test_claim_following_from_log_equations_is_verified():
    found = step_claims(LOG_SYSTEM, [r"Adding all three equations gives \(k + 4 - 9 = 0\)."], 0)
    assert found == [("verified", "given", "k + 4 - 9 = 0")]


def test_unpinned_unknowns_are_not_judged_by_the_question_equations():
    # p is not fixed by the question (only k is): a value for p is a case, not a contradiction
    found = step_claims(LOG_SYSTEM, [r"Take \(p = 10\)."], 0)
    assert all(s != "refuted" for s, _, _ in found)


# ---- the equation of the line through two points the question places -------------------------
POINTS = "Let $P(1,3)$ and $Q(4,9)$ be points in the plane. Find the area of the region."


def test_line_equation_missing_a_named_point_is_refuted():
    found = step_claims(POINTS, [r"The line \( PQ \) has slope \( \frac{9-3}{4-1} = 2 \), so its equation is \( y = 2x + 3 \)."], 0)
    assert found == [("verified", "numeric", r"\frac{9-3}{4-1} = 2"), ("refuted", "line-points", "y = 2x + 3")]


def test_line_equation_through_both_points_is_verified():
    found = step_claims(POINTS, ["The equation of line $PQ$ is \\(2x - y = -1\\)."], 0)
    assert found == [("verified", "line-points", "2x - y = -1")]


def test_equation_of_another_line_is_not_checked_against_the_points():
    found = step_claims(POINTS, ["The line $PQ$ is perpendicular to the line with equation $y = -x/2 + 4$."], 0)
    assert all(t != "line-points" for _, t, _ in found)


# ---- a list of values and the list that simplifies it ----------------------------------------
def test_simplified_list_pairs_values_in_order():
    steps = [r"The cases give \[ t = \frac{40 + 2}{14}, \frac{20 + 1}{14}, \frac{7 + 7}{14} \] "
             r"Simplifying these gives: \[ t = 3, 2, 1 \] so t is 3, 2 or 1."]
    found = step_claims("Find all possible t.", steps, 0)
    assert [(s, t) for s, t, _ in found] == [("verified", "numeric"), ("refuted", "numeric"), ("verified", "numeric")]
    assert found[1][2] == "2"


def test_lists_of_different_lengths_are_not_paired():
    steps = [r"\[ t = \frac{40 + 2}{14}, \frac{20 + 1}{14} \] Simplifying gives: \[ t = 3, 2, 1 \]"]
    assert all(t != "numeric" for _, t, _ in step_claims("Find all possible t.", steps, 0))
