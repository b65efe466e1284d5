"""Smoke test of the self-consistency benchmark's core on three real problems."""
from __future__ import annotations

from pathlib import Path

import pytest

from conftest import load_benchmark

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def bench():
    return load_benchmark("self_consistency")


def test_auroc_counts_ties_half(bench):
    assert bench.auroc([0.9, 0.8, 0.1], [True, True, False]) == 1.0
    assert bench.auroc([0.5, 0.5], [True, False]) == 0.5
    assert bench.auroc([1.0], [True]) is None


def test_votes_on_real_samples(bench, shared_data):
    rows = [r for r in bench.load(shared_data / "qwen25math-samples-100.jsonl") if r["idx"] in (0, 6, 70)]
    problems = {p.idx: p for p in bench.evaluate(rows, steps=True)}
    assert problems[0].plain_correct and problems[0].agreement == 1.0  # 8 × "420"
    assert problems[6].plain_correct and problems[6].agreement == 3 / 8  # 3/8 wins over 5/16
    assert not problems[70].plain_correct and problems[70].agreement == 5 / 8  # 19 beats 31
    assert problems[0].plain_equiv is True
    text = bench.table(list(problems.values()), 1.0)
    assert "| majority vote, math-engine canonicalised | 0.667 |" in text
