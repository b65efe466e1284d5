"""Smoke test of benchmarks/gsm8k_solutions.py on a slice (the full run is
`.venv/bin/python benchmarks/gsm8k_solutions.py`)."""
from __future__ import annotations

from fractions import Fraction

from benchmarks import gsm8k_solutions as bench


def test_final_number_reads_the_answer_line_first():
    assert bench.final_number("She has 3 + 4 = 7 apples.\nA: 1,250") == Fraction(1250)
    assert bench.final_number("So 12 / 5 = 2.4") == Fraction("2.4")
    assert bench.final_number("no number") is None


def test_the_default_path_on_a_slice_breaks_no_right_answer(shared_data):
    rows, tallies = bench.measure(limit=25)
    default, with_question, alone, naive = tallies
    assert [r["path"] for r in rows][:2] == ["check(solution)", "check(solution, question=q)"]
    assert default.right + default.wrong == 100
    for t in (default, with_question):
        assert t.broken == [] and t.errors == [] and t.contradicted == []
    assert naive.broken is None and set(rows[0]) == set(rows[3])
