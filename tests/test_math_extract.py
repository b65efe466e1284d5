"""Final-answer extraction: each grader rule, which one fired, and where the answer is."""
from __future__ import annotations

import pytest

from verify.mathcheck import extract_final_answer


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
