"""Smoke test of the invoice benchmark's core: a few seeded invoices, both checkers scored."""
from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

BENCH = Path(__file__).resolve().parents[1] / "benchmarks" / "invoices.py"


def load():
    spec = importlib.util.spec_from_file_location("bench_invoices", BENCH)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up by name
    spec.loader.exec_module(module)
    return module


def test_generator_is_seeded_and_corruptions_really_break_the_invoice():
    bench = load()
    a, b = bench.generate(3, 30), bench.generate(3, 30)
    assert [c.invoice for c in a] == [c.invoice for c in b]
    corrupted = [c for c in a if c.field]
    assert len(corrupted) == 15
    for c in a:
        places = dict(bench.CURRENCIES)[c.invoice["currency"]]
        assert bool(bench.inconsistencies(c.invoice, places)) == bool(c.field)


def test_benchmark_core_detects_every_corruption_without_false_flags():
    bench = load()
    res = bench.run(bench.generate(11, 24), bench.generate(12, 2, lines=(50, 50)))
    v = res["verity"]
    assert v["detected"] == v["corrupted"] == 12
    assert v["false_flags"] == 0
    assert v["restored"] + v["ambiguous"] == v["corrupted"]
    table = bench.table(res, 2)
    assert table.startswith("| metric | Verity (exact + Z3) | plain-decimal baseline |")
