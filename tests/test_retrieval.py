"""retrieval: FAISS vector store, FTS5 BM25, reciprocal rank fusion, the packaged reranker."""
from __future__ import annotations

import sqlite3

import numpy as np
import pytest

from retrieval.fusion import reciprocal_rank_fusion
from retrieval.lexical import FTS5Index, has_fts5, match_expression
from retrieval.vectorstore import FaissStore, VectorStore, choose_kind


def unit(rng, n, d):
    x = rng.normal(size=(n, d)).astype("float32")
    return x / np.linalg.norm(x, axis=1, keepdims=True)


@pytest.mark.parametrize("kind", ["flat", "hnsw", "hnsw_sq", "ivf_sq", "ivfpq"])
def test_store_add_search_remove_filter_save_load(kind, tmp_path):
    rng = np.random.default_rng(1)
    x = unit(rng, 2000, 32)
    ids = np.arange(10_000, 12_000)
    st = FaissStore(32, kind, nprobe=64)  # IVF trains on the first batch it is given
    st.add(ids, x)
    assert isinstance(st, VectorStore) and len(st) == 2000 and st.kind == kind
    top = st.search(x[:20], 5)
    hits_self = sum(row[0][0] == ids[i] for i, row in enumerate(top))
    assert hits_self >= (14 if kind == "ivfpq" else 20)  # PQ is lossy; the rest exact-ish
    assert all(row[0][1] >= row[-1][1] for row in top)
    assert st.remove([10_000, 10_001, 99]) == 2 and len(st) == 1998
    assert all(i not in (10_000, 10_001) for i, _ in st.search(x[0], 50)[0])
    only = st.search(x[:3], 10, allowed=[10_500, 10_600, 10_700, 10_000])  # 10_000 was removed
    assert all({i for i, _ in row} == {10_500, 10_600, 10_700} for row in only)
    assert st.search(x[:1], 3, allowed=[])[0] == []
    st.save(tmp_path / "v.faiss")
    again = FaissStore.load(tmp_path / "v.faiss", kind=kind)
    assert again.kind == kind and len(again) == 1998
    assert again.search(x[5], 1)[0][0][0] == st.search(x[5], 1)[0][0][0]
    assert not list(tmp_path.glob("*.tmp*"))


def test_auto_kind_grows_and_shrinks_with_thresholds():
    rng = np.random.default_rng(2)
    st = FaissStore(16, "auto", thresholds={"flat_max": 100, "hnsw_max": 200, "ivf_sq_max": 10**9})
    st.add(range(50), unit(rng, 50, 16))
    assert st.kind == "flat"
    st.add(range(50, 150), unit(rng, 100, 16))
    assert st.kind == "hnsw" and len(st) == 150
    st.add(range(150, 250), unit(rng, 100, 16))
    assert st.kind == "ivf_sq" and len(st) == 250
    st.remove(range(200))
    assert st.kind == "flat" and len(st) == 50
    assert [choose_kind(n) for n in (10, 60_000, 600_000, 6_000_000)] == ["flat", "hnsw", "ivf_sq", "ivfpq"]


def test_store_rejects_bad_shapes_and_files(tmp_path):
    st = FaissStore(8)
    with pytest.raises(ValueError, match="shape"):
        st.add([1], np.zeros((1, 9), "float32"))
    with pytest.raises(ValueError, match="2 ids for 1"):
        st.add([1, 2], np.zeros((1, 8), "float32"))
    with pytest.raises(ValueError, match="unknown index kind"):
        FaissStore(8, "annoy")
    bad = tmp_path / "x.faiss"
    bad.write_bytes(b"not an index")
    with pytest.raises(ValueError, match="cannot read vector index"):
        FaissStore.load(bad)


def test_match_expression_quotes_every_token():
    assert has_fts5()
    assert match_expression('How do I add "fractions" (NEAR) OR -x*?') == \
        '"add" OR "fractions" OR "near" OR "x"'
    assert match_expression("the of and") == '"the" OR "of" OR "and"'  # only stopwords: keep them
    assert match_expression("!!! ???") == ""
    assert match_expression("3/4 + 1/2") == '"3" OR "4" OR "1" OR "2"'


def test_fts5_bm25_finds_exact_terms_numbers_and_filters():
    conn = sqlite3.connect(":memory:")
    fts = FTS5Index(conn)
    fts.create()
    fts.add([(1, "The least common denominator of 4 and 6 is 12.", "Fractions > Adding"),
             (2, "Round 3.14159 to the nearest hundredth.", "Decimals > Rounding"),
             (3, "Euclid wrote about primes.", "History"),
             (4, "Denominators that differ need a common denominator first.", "Fractions")])
    assert [i for i, _ in fts.search("least common denominator", 3)][:2] == [1, 4]
    assert fts.search("Euclid", 5)[0][0] == 3
    assert fts.search("3.14159", 5)[0][0] == 2
    assert fts.search("rounding", 5)[0][0] == 2  # porter stemming + context column
    assert [i for i, _ in fts.search("denominator", 5, allowed=[4])] == [4]
    fts.remove([1])
    assert 1 not in [i for i, _ in fts.search("least common denominator", 5)]
    assert fts.search('") OR *', 5) == []
    scores = [s for _, s in fts.search("common denominator", 5)]
    assert scores == sorted(scores, reverse=True) and scores[0] > 0


def test_rrf_rewards_agreement_and_honours_weights():
    fused = reciprocal_rank_fusion([["a", "b", "c"], ["b", "d"]], k=60)
    assert [d for d, _ in fused] == ["b", "a", "d", "c"]
    assert fused[0][1] == pytest.approx(1 / 62 + 1 / 61)
    bm25_heavy = reciprocal_rank_fusion([["a", "b"], ["b", "c"]], weights=[0.1, 1.0])
    assert bm25_heavy[0][0] == "b" and bm25_heavy[1][0] == "c"
    with pytest.raises(ValueError, match="weights"):
        reciprocal_rank_fusion([["a"]], weights=[1, 2])


def test_packaged_reranker_scores_relevance():
    from retrieval.rerank import default_reranker

    rr = default_reranker()
    s = rr.score("how do I add fractions with unlike denominators",
                 ["To add fractions with different denominators, rewrite them with the least "
                  "common denominator, then add the numerators.",
                  "The area of a rectangle is its length times its width."])
    assert s[0] > 0 > s[1]
    assert "ms-marco" in rr.info()["name"]


def test_reranker_missing_model_is_reported(tmp_path):
    from retrieval.rerank import CrossEncoderReranker, RerankerUnavailable

    with pytest.raises(RerankerUnavailable, match="cannot load the reranker"):
        CrossEncoderReranker(tmp_path)


def test_posting_budget_scores_rare_terms_and_rows_with_all_common_ones():
    conn = sqlite3.connect(":memory:")
    fts = FTS5Index(conn, posting_budget=None)
    fts.create()
    rows = [(i, f"number line fact {i}", "") for i in range(300)]
    rows[7] = (7, "Euclid drew a number line", "")
    rows[9] = (9, "Euclid wrote about primes", "")
    fts.add(rows)
    exact = fts.search("Euclid number lines", 5)
    lean = FTS5Index(conn, posting_budget=100)
    assert lean._document_frequencies(["euclid", "number", "lines", "3.5"]) == \
        {"euclid": 2, "number": 299, "lines": 299, "3.5": 1}  # stemmed as the index is; 3.5 → 3, 5
    assert lean._expression(["euclid", "number", "lines"]) == '"euclid" OR ("number" AND "lines")'
    assert lean.search("Euclid number lines", 5) == exact  # same rows, same exact scores
    assert {i for i, _ in exact[:2]} == {7, 9}
    roomy = FTS5Index(conn, posting_budget=10_000)
    assert roomy._expression(["euclid", "number"]) == '"euclid" OR "number"'
    got = {i for i, _ in fts.search("number line", 3, allowed=range(200, 210))}
    assert len(got) == 3 and got <= set(range(200, 210))
