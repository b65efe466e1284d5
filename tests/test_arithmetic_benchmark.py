"""Smoke test of benchmarks/arithmetic.py's core on a slice of GSM8K train (the full run is
`.venv/bin/python benchmarks/arithmetic.py`)."""
from __future__ import annotations

import importlib.util
import random
import sys
from fractions import Fraction
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
_spec = importlib.util.spec_from_file_location("bench_arithmetic", ROOT / "benchmarks" / "arithmetic.py")
bench = importlib.util.module_from_spec(_spec)
sys.modules[_spec.name] = bench  # dataclasses look their module up while the class is built
_spec.loader.exec_module(bench)


def test_alter_keeps_the_format_and_changes_the_value():
    rng = random.Random(3)
    for text in ["24", "0.2", ".5", "1,200", "3.75", "100"]:
        for _ in range(20):
            wrong = bench.alter(text, rng)  # a digit, an offset, a swap or a factor of ten
            assert Fraction(wrong.replace(",", "")) != Fraction(text.replace(",", ""))
            assert Fraction(wrong.replace(",", "")) > 0


def test_strip_notes_finds_explicit_equations():
    ans = bench.strip_notes(0, "q", "Natalia sold 48/2 = <<48/2=24>>24 clips.\n"
                                    "She sold <<48+24=72>>72 in all.\n#### 72")
    assert ans.text == "Natalia sold 48/2 = 24 clips.\nShe sold 72 in all.\n#### 72"
    assert [(n.text, n.explicit, n.note_ok) for n in ans.notes] == [("24", True, True),
                                                                   ("72", False, True)]
    carried = bench.make_carried(ans, 0, "25")
    assert carried.text == "Natalia sold 48/2 = 25 clips.\nShe sold 73 in all.\n#### 73"


def test_benchmark_core_on_a_slice(shared_data):
    tallies = bench.run(limit=80, seed=7, show=0)
    verity, alone, naive = tallies.values()  # default check(), arithmetic engine only, naive
    assert list(tallies)[0].startswith("Verity: check(text")
    assert alone.false_refutations == 0 and alone.slip_caught >= alone.slip_total - 1
    assert verity.slip_total >= 75
    assert verity.slip_caught >= verity.slip_total - 1
    # issue 11: a slip in a percentage-points result ("(75/100)*100=7.5%") is refuted
    # without a correction (N% is N/100, so no % correction can re-verify): one such here
    assert verity.slip_corrected >= verity.slip_total - 2
    assert verity.false_refutations == 0
    assert naive.slip_caught < verity.slip_caught
