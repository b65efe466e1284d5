"""Step checking: the math engine's claims (calculus, evaluations, identities, equation
steps) through ``verify.check`` and ``check_math``, with exact verdicts and evidence."""
from __future__ import annotations

import json
import time

import pytest

from verify import check, check_math
from verify.engines.math.engine import ENGINE, MathEngine
from verify.pipeline import DEFAULT_ENGINES


def claims(text: str, question: str | None = None):
    return list(check(text, question=question, engines=("math",)).claims)


def one(text: str, question: str | None = None):
    found = claims(text, question)
    assert len(found) == 1, [str(c) for c in found]
    return found[0]


def test_engine_identity_and_priority():
    assert (ENGINE.name, ENGINE.kind, ENGINE.method) == ("math", "math", "sympy")
    assert DEFAULT_ENGINES.index("math") == 1 and DEFAULT_ENGINES.index("math") < DEFAULT_ENGINES.index("arithmetic")


def test_text_without_math_does_not_load_sympy():
    import subprocess
    import sys

    code = ("import sys; from verify.engines.math.engine import ENGINE; from verify.engines.base import Context; "
            "assert ENGINE.find('847 x 923 = 781681 and 2 + 2 = 4', Context()) == []; "
            "print('verify.engines.math.decide' in sys.modules, 'sympy' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert out.stdout.split() == ["False", "False"], out.stderr


# ---- SCENARIOS.md #3 through verify.check ----------------------------------------------------
def test_scenario_3_integral_verified_by_differentiation():
    r = check("The integral of x² is x³/3 + C.")
    (c,) = r.claims
    assert c.status == "verified" and c.kind == "math"
    assert "differentiation" in c.explanation
    assert c.evidence and "d/dx (x^3/3 + C) = x^2" in c.evidence[0].text
    assert r.status == "verified"


def test_scenario_3_wrong_antiderivative_refuted_and_corrected():
    text = "The integral of x² is x³/2 + C."
    r = check(text)
    (c,) = r.claims
    assert c.status == "refuted"
    assert c.correction == "x³/3 + C"
    assert text[c.correction_span.start:c.correction_span.end] == "x³/2 + C"
    assert r.corrected_text == "The integral of x² is x³/3 + C."
    assert r.status == "corrected"
    assert "d/dx (x^3/2 + C) = 3*x^2/2" in c.evidence[0].text


# ---- calculus ---------------------------------------------------------------------------------
@pytest.mark.parametrize("text, status", [
    ("d/dx x^3 = 3x^2", "verified"),
    ("d/dx x^3 = 3x", "refuted"),
    (r"$\frac{d}{dx}(x^2 \sin x) = 2x \sin x + x^2 \cos x$", "verified"),
    (r"$\int 2x \, dx = x^2 + C$", "verified"),
    (r"$\int 2x \, dx = 2x^2 + C$", "refuted"),
    ("∫ 2x dx = x^2 + C", "verified"),
    (r"$\int_0^1 x^2 \, dx = \frac{1}{3}$", "verified"),
    (r"$\int_0^1 x^2 \, dx = \frac{1}{2}$", "refuted"),
    (r"$\lim_{x \to 0} \frac{\sin x}{x} = 1$", "verified"),
    ("lim_{x→0} sin x / x = 1", "verified"),
    (r"$\lim_{x \to \infty} \frac{2x+1}{x} = 3$", "refuted"),
    ("The derivative of x^3 is 3x^2.", "verified"),
    ("The derivative of sin x is -cos x.", "refuted"),
    ("The limit of (x^2 - 1)/(x - 1) as x approaches 1 is 2.", "verified"),
    ("The antiderivative of cos x is sin x + C.", "verified"),
    (r"$\sum_{k=1}^{n} k = \frac{n(n+1)}{2}$", "verified"),
])
def test_calculus_claims(text, status):
    c = one(text)
    assert c.status == status, str(c)
    if status == "verified":
        assert c.evidence
    if status == "refuted":
        assert c.explanation


def test_wrong_derivative_gets_the_right_one_as_correction():
    text = "d/dx x^3 = 3x"
    c = one(text)
    assert c.correction == "3x^2" and text[c.correction_span.start:c.correction_span.end] == "3x"


# ---- evaluations of defined functions ------------------------------------------------------------
def test_function_value_given_an_earlier_definition():
    good = one(r"Let $f(x) = x^2 + 3$. Then $f(2) = 7$.")
    assert good.status == "verified" and "f(2) = 7" in good.evidence[0].text
    text = r"Let $f(x) = x^2 + 3$. Then $f(2) = 8$."
    bad = one(text)
    assert bad.status == "refuted" and bad.correction == "7"
    assert check(text, engines=("math",)).corrected_text == r"Let $f(x) = x^2 + 3$. Then $f(2) = 7$."


def test_function_defined_in_the_question():
    c = one("So g(3) = 10.", question="Let g(x) = 3x + 1. Find g(3).")
    assert c.status == "verified"


def test_composition_and_derivative_of_a_defined_function():
    assert one(r"With $f(x) = x^2$ and $g(x) = x + 1$, $f(g(2)) = 9$.").status == "verified"
    assert one(r"If $f(x) = x^3$ then $f'(x) = 3x^2$.").status == "verified"


def test_restating_a_defined_function_is_checked_not_redefined():
    found = claims(r"Then $f(-x) = -7x^7 - 4x^4 + 1$, so $f(-x) = -(7x^7 - 4x^4 + 1)$.",
                   question="Is $f(x) = 7x^7 - 4x^4 + 1$ even, odd, or neither?")
    assert [c.status for c in found] == ["verified", "refuted"]
    wrong_def = claims(r"Here $f(x) = 7x^7 + 4x^4 + 1$.", question="Let $f(x) = 7x^7 - 4x^4 + 1$.")
    assert [c.status for c in wrong_def] == ["refuted"]


def test_values_that_depend_on_unknown_parameters_are_not_refuted():
    # f(5) = 3 is a condition on m and b, not a wrong value
    found = claims(r"Suppose $f(x) = mx + b$. Then $f(5) = 3$ and $f(1) = m + b$.")
    assert [c.status for c in found] == ["unverified", "verified"]
    # a polynomial value in the parameter is checked: p(1) = 2 + 3a, not 3 + 3a
    bad = claims(r"Let $p(x) = x^2 + 3ax + 1$. Then $p(1) = 3a + 3$.")
    assert [c.status for c in bad] == ["refuted"]


def test_unknown_functions_are_not_guessed():
    assert claims(r"We know $P(2)^2 = P(3)$ and $f(x) + g(x) = 0$.") == []


# ---- identities --------------------------------------------------------------------------------
def test_identity_with_wording():
    assert one("Expanding, (x+1)^2 = x^2 + 2x + 1.").status == "verified"
    text = "Expanding, (x+1)^2 = x^2 + 1."
    c = one(text)
    assert c.status == "refuted" and c.correction == "x^2 + 2x + 1"
    assert text[c.correction_span.start:c.correction_span.end] == "x^2 + 1"


def test_identity_in_a_chain():
    found = claims(r"$(a+b)^2 - (a-b)^2 = a^2 + 2ab + b^2 - (a^2 - 2ab + b^2) = 4ab$")
    assert [c.status for c in found] == ["verified", "verified"]


def test_an_equation_to_solve_is_not_an_identity():
    # both sides expanded: this is an equation, not a claim that it holds for every x
    assert all(c.status != "refuted" for c in claims("Expanding the left side, we get: $6a + 4 = a - 4$."))


def test_substituting_a_known_fact_is_not_a_wrong_identity():
    text = r"We know $ab + bc + ca = -11$. Then $(a+b+c)^2 = a^2 + b^2 + c^2 + 2(-11) = a^2 + b^2 + c^2 - 22$."
    found = claims(text)
    assert found and all(c.status == "verified" for c in found)
    assert any("earlier equation" in c.explanation for c in found)


def test_identity_that_holds_on_a_domain_only_is_never_refuted():
    found = claims(r"For $x < 1$, $|x - 1| = -(x - 1) = 1 - x$.")
    assert all(c.status != "refuted" for c in found)


# ---- equation steps and roots ------------------------------------------------------------------
def test_equation_steps():
    ok = claims(r"We solve $2x + 3 = 7$, so $2x = 4$ and $x = 2$.")
    assert [c.status for c in ok] == ["verified", "verified"]
    text = r"We solve $2x + 3 = 7$, so $2x = 4$ and $x = 3$."
    bad = claims(text)
    assert [c.status for c in bad] == ["verified", "refuted"]
    assert bad[1].correction == "2"
    assert "does not satisfy" in bad[1].explanation


def test_roots_substituted_back():
    found = claims(r"Factor: $(x-2)(x-3)=0$, so the roots are $x = 2$ and $x = 3$.",
                   question="Solve $x^2 - 5x + 6 = 0$.")
    assert [c.status for c in found] == ["verified", "verified", "verified"]
    wrong = claims(r"Factor: $(x-2)(x-3)=0$, so $x = 2$ or $x = 4$.")
    assert [c.status for c in wrong] == ["verified", "refuted"]


def test_a_step_that_loses_every_solution_is_refuted():
    c = claims(r"From $x - 8 = 12$ we get $x = -4$.")
    assert [x.status for x in c] == ["refuted"]


@pytest.mark.parametrize("text", [
    r"If $x - 8 = 12$ then $x = 20$; if $x - 8 = -12$ then $x = -4$.",  # cases
    r"Solving $2x^2 - 9 = 0$ gives $x^2 = \frac{9}{2}$. First, for $x = 0$: $f(0) = 25$.",
    r"Testing $x = -1$: it gives $-8 \neq 0$. So $x = -1$ is not a root.",
    r"Then $c^2 - c - 2 = 0$, where $a = 1$, $b = -1$, and $c = -2$.",
    r"Set $2x - 4 = 8$: $2x = 12$, $x = 6$. The points of intersection are $x = -2$ and $x = 6$.",
])
def test_unlinked_equations_are_not_refuted(text):
    assert all(c.status != "refuted" for c in claims(text)), [str(c) for c in claims(text)]


def test_steps_in_several_unknowns_follow_by_constant_combinations():
    ok = claims(r"Let $xy = 33$. Then \[ \frac{x^2 - y^2}{4} = -28 \implies x^2 - y^2 = -112 \]")
    assert [c.status for c in ok] == ["verified"]
    cleared = claims(r"We get \[ \frac{x + y}{xy} = 5 \implies x + y = 5xy \]")
    assert [c.status for c in cleared] == ["verified"]  # clearing a denominator is allowed
    text = (r"Let $xy = 33$. Then \[ \frac{x + y}{2} \cdot \frac{x - y}{2} = -28 \implies xy - y^2 = -112"
            r" \implies 33 - y^2 = -112 \]")
    bad = claims(text)
    assert bad[0].status == "refuted" and "does not follow" in bad[0].explanation


# ---- numeric LaTeX (the arithmetic engine reads plain numbers only) -----------------------------
def test_numeric_latex_links():
    found = claims(r"So $\frac{1}{2} + \frac{1}{3} = \frac{5}{6}$ and $\binom{8}{4} = 70$ but $2^{10} = 1000$.")
    assert [c.status for c in found] == ["verified", "verified", "refuted"]
    assert found[2].correction == "1024"
    rounded = one(r"So $\sqrt{2} = 1.414$.")
    assert rounded.status == "verified" and "decimal" in rounded.explanation


def test_plain_arithmetic_is_left_to_the_arithmetic_engine():
    assert claims("So 6 * 8 = 48 and 2 + 2 = 4.") == []


def test_running_computation_is_not_a_false_equation():
    assert all(c.status != "refuted" for c in claims(r"$3 \cdot 4 = 12 + 2 = 14$"))


# ---- time bounds ---------------------------------------------------------------------------------
def test_a_hard_claim_is_unverified_within_the_bound():
    engine = MathEngine(per_claim_seconds=0.3)
    started = time.monotonic()
    r = check(r"$\int_0^1 e^{\sin(x^3)} \tan(x^2) \, dx = 1$", engines=(engine,))
    assert time.monotonic() - started < 6  # 0.3 s per call; slack for a loaded shared machine
    (c,) = r.claims
    # SymPy's cache may give up at once on a repeat; either way: unverified, with the reason
    assert c.status == "unverified"
    assert "longer than" in c.explanation or "could not evaluate" in c.explanation


# ---- check_math --------------------------------------------------------------------------------
def test_issue_example():
    r = check_math(question="Solve x^2 - 5x + 6 = 0.",
                   answer="Factor: (x-2)(x-3)=0, so the roots are x = 2 and x = 3. \\boxed{2, 3}",
                   reference="3, 2")
    assert r.status == "verified"
    assert (r.final_answer.text, r.final_answer.rule) == ("2, 3", "boxed")
    assert r.final_answer.value.kind == "list" and set(r.final_answer.sympy) == {2, 3}
    assert r.method == "exact" and r.first_error is None
    assert [c.status for c in r.steps[0].claims] == ["verified", "verified", "verified"]
    assert all(c.method and c.explanation for s in r.steps for c in s.claims)
    assert r.report.status == "verified"


def test_wrong_final_answer_is_refuted_and_corrected_to_the_reference():
    r = check_math(answer=r"The sum is $\boxed{21}$.", reference="12")
    assert r.status == "refuted"
    assert r.answer_claim.correction == "12"
    assert r.report.corrected_text == r"The sum is $\boxed{12}$."


def test_first_error_names_the_step():
    steps = ["Let $f(x) = x^2 + 1$.", "Then $f(3) = 10$.", "So $f(3) + 1 = 11$.", r"\boxed{11}"]
    r = check_math(answer=steps, reference="11")
    assert r.status == "verified" and r.first_error is None
    assert [s.status for s in r.steps] == ["unverified", "verified", "verified", "unverified"]
    steps[1] = "Then $f(3) = 9$."
    r = check_math(answer=steps, reference="11")
    assert r.first_error == 1
    assert r.steps[1].status == "refuted" and r.steps[1].claims[0].correction == "10"


def test_without_reference_status_judges_the_steps():
    assert check_math(answer="The integral of x² is x³/3 + C.").status == "verified"
    assert check_math(answer="The integral of x² is x³/2 + C.").status == "refuted"
    r = check_math(answer="I think the answer is 5.")
    assert r.status == "unverified" and "no checkable claim" in r.explanation


def test_no_final_answer_against_a_reference_is_refuted():
    r = check_math(answer="I could not solve it.", reference="5", steps=False)
    assert r.status == "refuted" and r.final_answer is None


def test_to_dict_follows_the_contract():
    r = check_math("Q", r"So $x = 2$. \boxed{2}", "2", id="q1")
    d = r.to_dict()
    for key in ("id", "status", "final_answer", "reference", "method", "explanation", "steps", "schema_version"):
        assert key in d
    assert d["id"] == "q1" and d["final_answer"] == "2" and d["schema_version"] == 1
    json.dumps(d)


@pytest.mark.parametrize("kwargs, error", [
    ({"answer": ""}, ValueError),
    ({"answer": 5}, TypeError),
    ({"answer": "x", "reference": 3}, TypeError),
    ({"answer": "x", "question": 3}, TypeError),
    ({"answer": ["ok", 3]}, TypeError),
    ({"answer": "x", "timeout": 0}, ValueError),
])
def test_bad_input(kwargs, error):
    with pytest.raises(error):
        check_math(**kwargs)


# ---- soundness of earlier facts ---------------------------------------------------------------
def test_roots_tried_earlier_do_not_prove_a_false_identity():
    # "x = 1" and "x = -2" are cases tried before; together they would "prove" anything
    text = (r"Substitute $x = 1$: the left side vanishes. Substitute $x = -2$: so does the right. "
            r"Then \[ (x-1)(x^2+2x) = (x-1)(x^2 + 2x) = x^3 + 2x^2 - x - 2 \]")
    found = claims(text)
    assert found[-1].status == "refuted", [str(c) for c in found]


def test_an_earlier_identity_is_no_fact_about_x():
    # combining fractions holds for every x: it must not make a wrong expansion "follow"
    text = (r"Combining, $\frac{1}{x-1} + \frac{1}{x+1} - \frac{2x}{(x-1)(x+1)} = 0$. "
            r"Expanding, $(x + 1)(x + 4) = x^2 + 4x + 4$.")
    found = claims(text)
    assert found[-1].status == "refuted", [str(c) for c in found]


# ---- chains, continued displays, ≠ ------------------------------------------------------------
def test_a_root_stated_in_a_chain_is_substituted_back():
    found = claims(r"So $\frac{6}{10} = \frac{x}{8 - x} \Rightarrow x = \frac{24}{15} = \frac{8}{5}$.")
    assert found[0].status == "refuted" and "x = 3" in found[0].explanation


def test_a_computed_value_said_to_differ_from_zero():
    text = r"Testing $x = -3$: \[2(-3)^4 + 4(-3)^3 - 5(-3)^2 + 2(-3) - 3 = 162 - 108 - 45 - 6 - 3 \neq 0.\]"
    found = claims(text)
    assert [c.status for c in found] == ["verified", "refuted"]
    assert "both sides are equal" in found[1].explanation
    assert one(r"$2 + 2 \neq 5$").status == "verified"


def test_a_display_opening_with_equals_continues_the_one_before():
    steps = [r"The total is \[ 24 \times 24 \times 11111 \] \[ = 576 \times 11111 \]",
             r"which gives", r"\[ = 63950064 \]"]
    r = check_math(answer=steps)
    assert [s.status for s in r.steps] == ["verified", "unverified", "refuted"]
    assert r.first_error == 2  # the wrong link is named where its new side is
    sym = claims(r"Simplify: $$\left(2x + 3(2x-3)\right) - 4\left(-(2-x) + \frac{x}{2}\right)$$ "
                 r"$$= \left(2x + 6x - 9\right) - 4\left(-2+x - \frac{x}{2}\right)$$")
    assert [c.status for c in sym] == ["refuted"]


# ---- factorizations, cancellations, the line that introduces a display ---------------------------
def test_a_wrong_factorization_is_refuted():
    c = one(r"Using synthetic division, we get: \[ x^3 - 4x^2 - 7x + 6 = (x-1)(x^2 - 3x - 6). \]")
    assert c.status == "refuted" and c.detail["type"] == "identity"
    assert one(r"Dividing, \[ x^3 - 4x^2 - 7x + 10 = (x-1)(x^2 - 3x - 10). \]").status == "verified"


def test_the_line_introducing_a_display_gives_its_cue():
    text = "Now, factor \\(x^3 - 1\\) using the difference of cubes formula:\n\\[ x^3 - 1 = (x + 1)(x^2 - x + 1). \\]"
    assert one(text).status == "refuted"


def test_terms_that_cancel_are_a_simplification_claim():
    c = one(r"Cancelling like terms: \( x^2 - 2x^2 + x^2 + 10x - 10x + 25 = x^2 \).")
    assert c.status == "refuted"
    assert one(r"Cancelling: \( x^2 - 2x^2 + x^2 + 10x - 10x + 25 = 25 \).").status == "verified"


@pytest.mark.parametrize("text", [
    r"The distance gives the equation $(2 - m)^2 = m^2 + 1$, so $m = \frac{3}{4}$.",  # a square: an equation
    r"Then $d_1 = 2d - 1024$ after the first shop.",
])
def test_equations_that_look_like_rewritings_are_not_refuted(text):
    assert all(c.status != "refuted" for c in claims(text)), [str(c) for c in claims(text)]


# ---- what the question states: its equations, identities in x, named roots -------------------
def test_coefficients_of_an_identity_in_the_question():
    q = r"Find $A$ and $B$ such that \[\frac{4x}{x^2-8x+15} = \frac{A}{x-3} + \frac{B}{x-5}\] for all $x$ besides 3 and 5."
    found = claims(r"Equating coefficients: \[ A + B = 4 \] and \[ -5A - 3B = 4. \]", question=q)
    assert [c.status for c in found] == ["verified", "refuted"]
    assert "contradicts what the question states" in found[1].explanation
    assert "Gröbner basis {1}" in found[1].evidence[0].text
    q2 = r"By partial fractions, $$\frac{7x-2}{x^2-4} = \frac{A}{x-2} + \frac{B}{x+2}.$$ Find $A+B$."
    assert one(r"Subtracting, we obtain \[ 4B=9 \]", question=q2).status == "refuted"


def test_vieta_from_named_roots():
    q = (r"Consider $Q(x)=x^4-x^3-x^2-1$. Given that $z_1, z_2, z_3$, and $z_4$ are the roots of "
         r"$Q(x)=0$, find $z_1^2 + z_2^2 + z_3^2 + z_4^2$.")
    good = one(r"By Vieta, \( z_1 + z_2 + z_3 + z_4 = 1 \).", question=q)
    assert good.status == "verified" and "Vieta" in good.explanation
    bad = one(r"and \( z_1z_2 + z_1z_3 + z_1z_4 + z_2z_3 + z_2z_4 + z_3z_4 = 1 \).", question=q)
    assert bad.status == "refuted"


def test_a_value_contradicting_the_questions_equations():
    q = (r"Let $a,$ $b,$ $c$ be complex numbers satisfying \begin{align*} (a + 1)(b + 1)(c + 1) &= 1, \\ "
         r"(a + 2)(b + 2)(c + 2) &= 2, \\ (a + 3)(b + 3)(c + 3) &= 3. \end{align*} Find $(a + 4)(b + 4)(c + 4).$")
    found = claims(r"Let \( P(x) = (x - a)(x - b)(x - c) \). Then \( P(-1) = 1 \) and \( P(-1) = -1 \).", question=q)
    assert [c.status for c in found] == ["refuted", "verified"]
    assert one(r"Then \( z = -\frac{i}{25} \).", question=r"Solve for $z$: $2-3iz = 3 + 2iz$.").status == "refuted"


@pytest.mark.parametrize("question, text", [
    # the equations of a figure describe lines and curves, not values
    (r"Compute the area of the region above the graph of $y = |x - 1| + |x - 3|$ but below $y = 8.$",
     r"For $1 \le x \le 3$ the graph is $y = 2$."),
    (r"Reflect the point $(2, 7)$ across the line $x = 1$.", r"The image has $x = 0$."),
    # an event, not a given
    (r"What is the probability that $x = 2$ when a die is rolled?", r"The outcomes are $x = 1$ to $6$."),
    # a case being tried
    (r"Find the positive integer $x$ such that $4x^3 - 41x^2 + 10x = 1989$.", r"Testing $x = 9$ gives $-1089$."),
])
def test_question_equations_that_are_not_facts_about_the_steps(question, text):
    assert all(c.status != "refuted" for c in claims(text, question=question)), \
        [str(c) for c in claims(text, question=question)]


# ---- remainders and congruences ---------------------------------------------------------------
def test_remainders_and_congruences():
    assert one(r"By direct calculation, \(195 \mod 19 = 1\).").status == "refuted"
    assert one(r"and \(195 \bmod 19 = 5\).").status == "verified"
    bad = one(r"Therefore, \(13^{-1} \equiv 15 \mod 19\).")  # an inverse: 13 · 15 = 195 ≡ 5
    assert bad.status == "refuted" and "modulo 19" in bad.explanation
    assert one(r"So \[ 3^{-1} \equiv 13 \pmod{19} \]").status == "verified"
    assert one(r"So \[ 5050 \equiv 28 \pmod{77} \]").status == "refuted"
    assert claims(r"We solve \[ 3n \equiv 2 \pmod{11} \]") == []  # an equation in n, not a claim


def test_a_remainder_computed_then_restated():
    found = claims("divide by 42:\n\\[ R = 2310 \\mod 42 \\]\n\\[ R = 18 \\]")
    assert [c.status for c in found] == ["refuted"] and "R = 0" in found[0].explanation


@pytest.mark.parametrize("text, value", [
    (r"195 \mod 19", 5), (r"2310 \bmod 42", 0), ("13 mod 5", 3),
    (r"7 + 15 \mod 19", 3),  # the whole sum is reduced, as written
    (r"3^{-1} \mod 19", 13),  # a fraction modulo m is a residue (an inverse)
])
def test_parser_reads_mod(text, value):
    from verify.engines.math.latex import parse_expression
    assert parse_expression(text) == value


def test_parser_refuses_mod_zero_and_non_invertible():
    from verify.engines.math.latex import MathParseError, parse_expression
    with pytest.raises(MathParseError, match="modulo zero"):
        parse_expression(r"5 \mod 0")
    with pytest.raises(MathParseError, match="no inverse"):
        parse_expression(r"\frac{1}{2} \mod 4")


# ---- approximations -------------------------------------------------------------------------
@pytest.mark.parametrize("text, status", [
    (r"\[ \frac{100}{11} \approx 9.0909 \]", "verified"),  # cut, not rounded: still within a unit
    (r"$\sqrt{2} \approx 1.41$", "verified"),
    (r"\[ 5050 \div 77 \approx 64.837 \]", "refuted"),
    ("so: V_PJ = π(1.5)²(6) = approximately 40.71 cubic inches.", "refuted"),
    (r"$\pi \approx 3.2$", "unverified"),  # loose, but within 2 %: not called wrong
])
def test_approximations(text, status):
    assert one(text).status == status


# ---- facts about whole numbers stated in words -----------------------------------------------
@pytest.mark.parametrize("text, status, shown", [
    ("The GCD of 116 and 174 is 2.", "refuted", "is 58"),
    ("The LCM of 9 and 15 is 45.", "verified", "is 45"),
    ("So, 1529 divided by 6 leaves a remainder of 4.", "refuted", "remainder 5"),
    ("Divide: 706 ÷ 7 = 100 with a remainder of 6.", "verified", "quotient 100"),
    ("So 57 is a prime number.", "refuted", "57 = 3 × 19"),
    ("Yes, 31 is prime.", "verified", "31 is prime"),
    ("Since 111111111 is not divisible by 9, stop.", "refuted", "12345679"),
    ("Since 411 and 333 do not share any other common factors, done.", "refuted", "gcd(411, 333) = 3"),
    (r"since \(5\) and \(8\) are relatively prime.", "verified", "gcd(5, 8) = 1"),
    ("So, in base 3, 87 can be written as 10000.", "refuted", "10020"),
    ("Thus 87 in base 2 is 1010111.", "verified", "1010111"),
    (r"$$\frac{19404}{120} = 161.7.$$ Rounding to the nearest whole number, the time is 161 minutes.",
     "refuted", "rounds to 162"),
    ("The two-digit numbers that are multiples of 4: 32, 36, 64, 66, 96.", "refuted", "66 = 4 × 16 + 2"),
    ("- There are 7 choices for the exponent of 3 (0, 2, 4, 6).", "refuted", "has 4 item(s)"),
])
def test_number_facts_in_words(text, status, shown):
    c = [c for c in claims(text) if c.detail.get("type") == "number-fact"]
    assert len(c) == 1 and c[0].status == status, [str(x) for x in claims(text)]
    assert shown in c[0].explanation and c[0].evidence


@pytest.mark.parametrize("text", [
    "Check if 31 is prime.",  # a question, not a claim
    "the probability that a number with a digit sum of 9 is prime is small",  # 9 is not the subject
    r"an x where \(3x - 1\) is divisible by \(19\).",
])
def test_number_words_that_are_not_claims(text):
    assert [c for c in claims(text) if c.detail.get("type") == "number-fact"] == []


# ---- the expression the question asks to simplify or compute ----------------------------------
def test_results_against_the_questions_expression():
    q = r"Simplify the expression $$(x^5+3x^2+3x^5)-(x^7+2x^2+6x^5).$$"
    bad = one(r"The simplified expression becomes: $$-x^7 + (-5x^5) + x^2$$", question=q)
    assert bad.status == "refuted" and "-x^7 - 2*x^5 + x^2" in bad.explanation
    assert one(r"Thus, the final answer is: \[\boxed{-x^7 - 2x^5 + x^2}\]", question=q).status == "verified"
    r = check_math("Compute: $113+276-13-26$.", ["$389-39 = 350$.", "The final answer is 311."])
    assert r.first_error == 1 and r.steps[1].claims[0].detail["type"] == "target"


@pytest.mark.parametrize("question, answer", [
    (r"Find $a+b$.", r"So the answer is \boxed{127}."),  # a and b are defined in words: no target
    (r"Compute $\sqrt{2}$ to the nearest tenth.", r"The answer is \boxed{1.4}."),  # rounding asked for
    (r"Simplify $7a^3(3a^2 - a) - 8a(2a - 4)$.", r"So the first part becomes \(21a^5 - 7a^4\)."),  # a part
])
def test_question_targets_that_do_not_apply(question, answer):
    assert all(c.status != "refuted" for c in claims(answer, question=question))


def test_a_value_for_a_division_by_zero_is_refuted():
    c = one(r"so the slope of the radius is \(\frac{0 - 1994}{0 - 0} = -1\).")
    assert c.status == "refuted" and "divides by zero" in c.explanation
    assert claims(r"$\frac{x}{0} = 1$") == []  # letters: not read as numbers


# ---- equations SymPy cannot solve -----------------------------------------------------------
def test_trigonometric_step_that_changes_the_solutions_is_refuted_with_two_witnesses():
    text = (r"Cross-multiply: \[ \sin x + 1 = 2 \cos^2 x \] We recognize that $\sin^2 x + \cos^2 x = 1$. "
            r"Therefore \[ \sin^2 x + \cos^2 x = 2 \cos^2 x \]")
    found = claims(text)
    assert [c.detail["type"] for c in found] == ["identity", "equation-step"]
    assert found[0].status == "verified"  # recalled in passing: not the next equation
    assert found[1].status == "refuted" and "solves" in found[1].explanation
    assert found[1].detail["decided_by"] == "numeric"


@pytest.mark.parametrize("text", [
    r"So \[ \sin x + 1 = 2 \cos^2 x \] that is \[ \sin x + 1 = 2 - 2\sin^2 x \]",  # the same solutions
    r"So \[ \frac{\sin x + 1}{\cos x} = 2 \cos x \] and \[ \sin x + 1 = 2 \cos^2 x \]",  # gains x = 3π/2 only
])
def test_trigonometric_steps_that_keep_or_only_gain_solutions_are_not_refuted(text):
    assert all(c.status != "refuted" for c in claims(text))


# ---- soundness on correct worked solutions (cases found on MATH and GSM8K references) ----------
@pytest.mark.parametrize("question, text", [
    # one piece of a function defined by cases is not the function
    (r"Let \[f(x) = \left\{ \begin{array}{cl} -x - 3 & \text{if } x \le 1, \\ \frac{x}{2} + 1 & \text{if } x > 1. "
     r"\end{array} \right.\] Find the sum of all $x$ with $f(x) = 0$.", r"If $x > 1,$ then $f(x) = \frac{x}{2} + 1$."),
    # a function the question describes in words: a formula for a case is not its definition
    (r"Let $f(n)$ be the sum of the positive divisors of $n$.", r"If $n$ is prime, $f(n) = n + 1$. Then $f(4) = 7$."),
    # e is a letter here; vectors; units with powers
    (None, r"So $d + e = 25$ and hence $d = 10$."),
    (None, r"$\mathbf{a} \times (\mathbf{b} \times \mathbf{c}) = (\mathbf{a} \cdot \mathbf{c}) \mathbf{b}$"),
    (None, r"The volume is $\left(10\text{ cm}^2\right)(4\sqrt{10}\text{ cm})=\boxed{40\sqrt{10}}$."),
    # dollar amounts in prose, a unit word cutting an expression short
    (None, "She saved $450, the sum of four years, or $450 = x+(2*x)+(4*x)+(8*x).\nThis simplifies to $450=15*x.\n"),
    (None, "If we add the sides together, we get 6W = 30 feet.\nWe divide by 6: 6W / 6 = 30 feet / 6, so W = 5 feet."),
    # a weaker consequence of an inequality; a positive root taken
    (None, r"Since $y>0$, $y^2-32$ must be positive, so $y > 5.5$."),
    (None, r"Then $y > 6$, and so $y > 5.5$."),
    (None, r"\[x^2+2xy+y^2=484 \Rightarrow (x+y)^2=484 \Rightarrow x+y = 22\]"),
    # an identity that holds because of the question's equation (omega^7 = 1)
    (r"Let $\omega$ be a complex number such that $\omega^7 = 1$ and $\omega \ne 1.$ Compute $\omega^{16}$.",
     r"So \[\omega^{16} = \omega^2 \cdot \omega^{14} = \omega^2.\]"),
    (r"Given that $\alpha$ and $\beta$ are the roots of $x^2 - 2x - 1 = 0,$ find $5 \alpha^4 + 12 \beta^3.$",
     r"\begin{align*} 5 \alpha^4 + 12 \beta^3 &= 5(12 \alpha + 5) + 12 (5 \beta + 2) \end{align*}"),
    # an integer gcd, thousands separators, equations named as objects, the equation a chain sets up
    (None, r"Thus $\gcd(n^3+100,n+10)=n+10$ exactly when $n + 10$ divides 900."),
    (None, r"we get $r^3\sqrt{3} = 36,\!864$. So $36,\!864 \cdot 3 = 110,\!592.$"),
    (r"Find $n$ such that all roots of $z^4 - z^2 + 1 = 0$ are $n$th roots of unity.",
     r"Multiplying $z^6 + 1 = 0$ by $z^6 - 1 = 0$, we get $z^{12} - 1 = 0$."),
    (None, r"Since $\triangle ADO$ is right, \[ r^2 = 1^2 + \left(2\sqrt{2} - r\right)^2 = 1 + 8 -4\sqrt{2}r + r^2 \]"),
])
def test_correct_reference_steps_are_not_refuted(question, text):
    found = claims(text, question=question)
    assert all(c.status != "refuted" for c in found), [str(c) for c in found]


def test_comparisons_of_numbers():
    bad = one(r"since $\sqrt{10} > 4$")
    assert bad.status == "refuted" and "3.16" in bad.explanation
    assert one(r"since $\frac{1}{2} > \frac{3}{8}$").status == "verified"
    # a comparison ending a chain of plain numbers is left with the chain (arithmetic engine)
    assert [c.detail.get("type") for c in claims(r"\( (-0.5)(-2.5) = 1.25 > 0 \)")] == []


def test_the_remainder_the_question_asks_for():
    r = check_math("Determine the remainder of 1529 (mod 6).", ["We divide.", r"The answer is $\boxed{4}$."])
    c = r.steps[1].claims[0]
    assert c.status == "refuted" and "(1529) mod 6, which is 5" in c.explanation
    q = r"What is $3^{-1} + 13^{-1} \pmod{19}$? Express your answer as an integer from $0$ to $18$."
    assert one(r"So the answer is $\boxed{16}$.", question=q).status == "verified"
