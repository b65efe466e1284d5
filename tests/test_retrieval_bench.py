"""Smoke tests of the benchmarks' core functions (the benchmarks themselves are not run)."""
from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import numpy as np
import pytest

BENCH = Path(__file__).resolve().parents[1] / "benchmarks"


def load(name: str):
    spec = importlib.util.spec_from_file_location(f"bench_{name}", BENCH / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def scale():
    return load("scale")


@pytest.fixture(scope="module")
def retrieval_bench():
    return load("retrieval")


def test_mixture_is_reproducible_unit_and_clustered(scale):
    m = scale.Mixture(clusters=50)
    a, b = m.sample(500, 3), m.sample(500, 3)
    assert np.array_equal(a, b) and not np.array_equal(a, m.sample(500, 4))
    assert np.allclose(np.linalg.norm(a, axis=1), 1, atol=1e-5)
    nn1, nn10 = scale.neighbour_cosines(m.sample(3000, 1), sample=200)
    uniform = np.random.default_rng(0).normal(size=(3000, scale.DIM)).astype("float32")
    uniform /= np.linalg.norm(uniform, axis=1, keepdims=True)
    assert nn10 > 0.5 > scale.neighbour_cosines(uniform, sample=200)[0]  # neighbours mean something


def test_exact_topk_in_batches_matches_brute_force(scale, monkeypatch):
    monkeypatch.setattr(scale, "BATCH", 700)
    m = scale.Mixture(clusters=20)
    q = m.sample(15, 0)
    got = scale.exact_topk(q, 2000, m)
    full = np.vstack([x for _, x in scale.batches(2000, m)])
    want = np.argsort(-(q @ full.T), axis=1)[:, :10]
    assert scale.recall_at_k(got.tolist(), want) == 1.0
    assert scale.recall_at_k([[0, 1]], np.array([[0, 2]]), k=2) == 0.5


def test_run_size_measures_a_small_store(scale):
    m = scale.Mixture(clusters=30)
    r = scale.run_size(3000, m, m.sample(50, 0))
    assert r["kind"] == "flat" and r["recall10"] == 1.0 and r["p50"] > 0 and r["build_s"] > 0
    r = scale.run_size(3000, m, m.sample(50, 0), kind="hnsw")
    assert r["kind"] == "hnsw" and r["recall10"] > 0.9


def test_retrieval_metrics_and_queries(retrieval_bench, shared_data):
    m = retrieval_bench.metrics([1, 3, None, 7], [1.0, 2.0, 3.0, 4.0])
    assert (m["r1"], m["r5"], m["r10"]) == (0.25, 0.5, 0.75)
    assert m["mrr"] == pytest.approx((1 + 1 / 3 + 1 / 7) / 4) and m["p50"] == 2.5
    docs = retrieval_bench.textbook_documents()
    counts = {d.source: 10 for d in docs}
    qs = retrieval_bench.make_queries(docs, counts, limit=20)
    kinds = [q.kind for q in qs]
    assert kinds.count("try") == 10 and kinds.count("section") == 10 and kinds.count("glossary") > 100
    sources = {d.source for d in docs}
    assert all(q.source in sources and q.split in ("dev", "test") and q.text.strip() for q in qs)
    assert any(q.text.startswith("In the following exercises") for q in qs if q.kind == "section")


def test_sympy_corpus_cuts_each_summary_out_of_its_section(retrieval_bench):
    docs, queries = retrieval_bench.sympy_corpus(("logic",))
    assert docs and len(queries) > 20
    by_source = {d.source: d for d in docs}
    assert all(d.source.startswith("sympy/logic/") and "/tests/" not in d.source for d in docs)
    for q in queries:
        d = by_source[q.source]
        paths = {" > ".join(s.path) for s in d.sections}
        assert q.sections and set(q.sections) <= paths and q.split in ("dev", "test")
        assert len(q.text.split()) >= retrieval_bench.MIN_SUMMARY_WORDS
        assert q.text not in " ".join(d.text.split())  # the query is not in the index
    assert retrieval_bench.split_docstring("Sum two\n  numbers.\n\nLonger text.") == \
        ("Sum two numbers.", "Longer text.")


def test_python_reference_corpus_points_each_method_at_its_entry(retrieval_bench):
    docs, queries = retrieval_bench.python_reference_corpus()
    texts = {d.source: d.text for d in docs}
    assert len(docs) > 50 and len(queries) > 40
    upper = next(q for q in queries if "converted to uppercase" in q.text)
    source, start, _ = upper.spans[0]
    assert source.endswith("#string-methods") and texts[source][start:].startswith("str.upper(")
    for q in queries:
        assert all(texts[s][b:].split("(")[0].split(".")[-1].isidentifier() for s, b, _ in q.spans)
    assert retrieval_bench.docstring_summary("S.strip() -> str\n\nReturn a copy.\n\nMore.") == "Return a copy."
    hit = type("H", (), {"citation": type("C", (), {"source": source, "start": start - 50,
                                                      "end": start + 10, "section": ""})()})()
    assert upper.relevant(hit)
