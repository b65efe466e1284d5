"""Metamorphic final-answer reading (issue 11, item 6): every rendering of an answer gets the
canonical rendering's verdict through ``check_math`` with default arguments, and changing the
answer's value flips it. A seeded sample of the dev-set benchmark plus answers written here."""
from __future__ import annotations

import pytest

from benchmarks.answers_metamorphic import RENDERINGS, Item, load_items, mutate, rows, run_item

#: Answers of every shape, written for this test (not taken from the dev files).
HAND_WRITTEN = [
    ("How many marbles are left?", "1234567"),
    ("Find the probability.", r"\frac{5}{16}"),
    ("Find the root.", r"-\frac{3}{7}"),
    ("What is the decimal?", "0.375"),
    ("Solve for all x.", "4, -9"),
    ("Find the point.", "(7, -2)"),
    ("Find the ordered triple.", "(1, 5, 12)"),
    ("Solve the inequality.", "[-3, 8]"),
    ("Solve the inequality.", "(2, 11)"),
    ("Simplify.", r"3\sqrt{5}"),
    ("Evaluate.", r"2\pi"),
    ("Which day?", r"\text{Tuesday}"),
    ("How many cookies?", "8064"),
]


@pytest.mark.parametrize("question, answer", HAND_WRITTEN)
def test_hand_written_answers_are_invariant_and_mutations_flip(question, answer):
    outcomes = run_item(Item("hand", answer, question, answer))
    assert len(outcomes) >= 8
    assert outcomes[0].canonical == "verified"
    for o in outcomes:
        assert o.invariant, (o.rendering, o.solution, o.status)
        assert o.flipped is not False, (o.rendering, o.solution)
    if mutate(answer) is not None:
        assert any(o.flipped for o in outcomes)


def test_renderings_cover_the_formats_of_the_issue():
    names = set(RENDERINGS)
    assert {"bare", "$…$", "\\(…\\)", "\\[…\\]", "\\boxed{}", "the answer is", "Final Answer (template)",
            "1,000", "1\\,000", "1{,}000", "1,\\!000", ".4", "\\dfrac", "\\tfrac", "a/b", "(p,q)=(…)",
            "x \\in [a,b]", "a \\le x \\le b", "base 8 (52_8)", "several \\boxed{}"} <= names


def test_interval_and_base_renderings_apply():
    by_name = {o.rendering: o for o in run_item(Item("hand", "i", "Solve.", "[-3, 8]"))}
    assert by_name["x \\in [a,b]"].solution == "The answer is $x \\in [-3, 8]$."
    assert by_name["a \\le x \\le b"].solution == "The answer is $-3 \\le x \\le 8$."
    by_name = {o.rendering: o for o in run_item(Item("hand", "n", "How many?", "42"))}
    assert by_name["base 8 (52_8)"].solution == "The answer is $52_8$."


def test_seeded_sample_of_the_dev_sets(shared_data):
    table = rows(limit=40, sample=30, seed=7)
    total = next(r for r in table if r["kind"] == "all")
    assert total["renderings"] >= 8 * total["answers"]
    assert total["invariant"] == total["renderings"], total["failures"][:5]
    assert total["flipped"] == total["mutated"] > 0, total["failures"][:5]


def test_dev_sets_have_answers_of_each_set(shared_data):
    sources = {it.source for it in load_items(limit=100)}
    assert {"processbench-math", "math-train", "gsm8k-solutions", "processbench-olympiadbench"} <= sources
