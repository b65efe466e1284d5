"""Final-answer extraction: each grader rule, which one fired, and where the answer is."""
from __future__ import annotations

import pytest

from verify.api.math import extract_final_answer


@pytest.mark.parametrize("text, answer, rule", [
    (r"So $x = 5$ and the answer is $\boxed{\frac{1}{2}}$.", r"\frac{1}{2}", "boxed"),
    (r"First \boxed{3}, then corrected: \boxed{\frac{\sqrt{2}}{2}}", r"\frac{\sqrt{2}}{2}", "boxed"),
    (r"\fbox{42}", "42", "boxed"),
    (r"\boxed{\begin{pmatrix} 1 \\ 2 \end{pmatrix}}", r"\begin{pmatrix} 1 \\ 2 \end{pmatrix}", "boxed"),
    (r"\(\boxed{4 \log_{10} 1} = \boxed{0}\)", "0", "boxed"),
    ("Final Answer: The final answer is $-12+15i$. I hope it is correct.", "-12+15i", "final-answer"),
    ("Final Answer: The final answer is 13,534.", "13,534", "final-answer"),
    ("She pays 3 * 24 = 72 dollars.\n#### 72", "72", "hashes"),
    ("Work.\n\n# Answer\n\n\\frac{3}{4}", r"\frac{3}{4}", "answer-section"),
    ("The answer is $\\frac{7}{8}$.", r"\frac{7}{8}", "answer-is"),
    ("Answer: 17", "17", "answer-is"),
    ("The answer is that there are **6** such numbers.", "6", "answer-is"),
    ("So there are **18** left.", "18", "bold"),
    ("Therefore, the probability is \\(\\frac{1}{21}\\).", r"\frac{1}{21}", "last-math"),
    ("Hence, \\(AC = 25\\) cm.", "AC = 25", "last-math"),
    ("So there are 6 possible salads.", "6", "last-number"),
])
def test_rules(text, answer, rule):
    ex = extract_final_answer(text)
    assert ex is not None
    assert (ex.text, ex.rule) == (answer, rule)
    assert text[ex.start:ex.end] == ex.text  # the span points at the answer in the text


def test_nothing_to_extract():
    assert extract_final_answer("No idea, sorry.") is None


def test_bad_input_type():
    with pytest.raises(TypeError, match="must be str"):
        extract_final_answer(42)  # type: ignore[arg-type]


# ---- formats that used to be misread (issue 11) ------------------------------------------
@pytest.mark.parametrize("text, answer, rule", [
    (r"\frac{10}{9}", r"\frac{10}{9}", "bare"),
    (".4", ".4", "bare"),
    ("We simplify.\n\\dfrac{7}{12}", r"\dfrac{7}{12}", "bare"),
    ("Final Answer: The largest $n$ is 34.", "34", "final-answer"),
    ("Final Answer: The final answer is $\\frac{1}{2}$. I hope it is correct.", r"\frac{1}{2}", "final-answer"),
    ("So x is about \\sqrt{7} here, and we are done", r"\sqrt{7}", "last-number"),
    ("The price went up by .25 this year", ".25", "last-number"),
    ("Janet sells 9 eggs at $2 each, so 9 * 2 = $18\nA: 18", "18", "answer-is"),
    ("Yes", "Yes", "bare"),
])
def test_formats(text, answer, rule):
    ex = extract_final_answer(text)
    assert ex is not None
    assert (ex.text, ex.rule) == (answer, rule)
    assert text[ex.start:ex.end] == ex.text


def test_several_boxes_are_one_list():
    ex = extract_final_answer(r"The roots are $\boxed{2}$ and $\boxed{-5}$.")
    assert (ex.text, ex.rule) == ("2, -5", "boxed")
    ex = extract_final_answer(r"So \boxed{1}, \boxed{4}, \boxed{9}")
    assert ex.text == "1, 4, 9"


def test_boxes_joined_by_anything_else_keep_the_last():
    ex = extract_final_answer(r"First we had \boxed{3}. Then, after the correction, we get \boxed{5}.")
    assert ex.text == "5"


def test_closing_bulleted_list_is_one_answer():
    text = "We find each value.\n\nResults:\n- \\(g(2) = 5\\)\n- \\(g(7) = \\frac{1}{4}\\)"
    ex = extract_final_answer(text)
    assert (ex.text, ex.rule) == (r"g(2) = 5, g(7) = \frac{1}{4}", "last-math")
    # a bullet with prose after its math is reasoning, not a summary: the last segment stands
    ex = extract_final_answer("Check:\n- \\(y = 4\\) works since 4 is even\n- \\(y = 9\\)")
    assert ex.text == "y = 9"
