"""The tutor path: hybrid fusion that keeps whichever retriever is right for the query,
bulk embedding for builds, and the warm handle ``verify.open_kb`` for many checks."""
from __future__ import annotations

import hashlib
import re

import numpy as np
import pytest

import verify
from kb import KnowledgeBase
from kb.readers import Document, Section
from retrieval.fusion import reciprocal_rank_fusion, zscore_fusion

#: words that mean the same thing to the stand-in dense model (a "concept" each)
CONCEPTS = {"kitten": "cat", "feline": "cat", "kitty": "cat", "ocean": "sea", "sea": "sea",
            "harbour": "sea"}


class ConceptEmbedder:
    """A stand-in dense model: texts sharing a concept word are close; any other pair is
    near-random (a noise vector seeded by the text). No lexical overlap needed, and lexical
    overlap alone does not help: the opposite of BM25, which is the point."""

    name, version, dim = "concepts", "1", 48

    def info(self) -> dict:
        return {"name": self.name, "version": self.version, "dim": self.dim}

    def encode(self, texts):
        out = np.zeros((len(texts), self.dim), dtype="float32")
        for row, text in enumerate(texts):
            seed = int(hashlib.blake2b(text.encode(), digest_size=4).hexdigest(), 16)
            out[row] = np.random.default_rng(seed).normal(size=self.dim) * 0.15
            for word in re.findall(r"\w+", text.lower()):
                if word in CONCEPTS:
                    axis = int(hashlib.blake2b(CONCEPTS[word].encode(), digest_size=4).hexdigest(), 16) % self.dim
                    out[row, axis] += 1.0
        return out / np.linalg.norm(out, axis=1, keepdims=True)


FILLER = ["bread", "butter", "onion", "garlic", "pepper", "carrot", "lemon", "basil", "rice",
          "flour", "honey", "cheese", "tomato", "ginger", "olive", "salt", "sugar", "mint",
          "thyme", "bean", "pea", "leek", "kale", "plum", "pear", "fig", "oat", "corn"]


def doc(name: str, text: str) -> Document:
    return Document(f"{name}.txt", name, text, (Section(0, len(text)),), "txt",
                    hashlib.sha256(text.encode()).hexdigest(), len(text))


@pytest.fixture(scope="module")
def concept_kb(tmp_path_factory):
    docs = [doc(f"note{i:02d}", f"A recipe note with {w} and {FILLER[(i + 5) % len(FILLER)]}, "
                                f"kept for the care of the kitchen.")
            for i, w in enumerate(FILLER)]
    docs.append(doc("zorblax", "Zorblax is the name of the spice blend in the recipe."))
    docs.append(doc("kitten", "How to look after a kitten: brush it daily and feed it twice."))
    docs.append(doc("harbour", "The harbour note: boats, nets and a recipe for fish."))
    return KnowledgeBase.build(docs, tmp_path_factory.mktemp("fusion") / "c.kb",
                               embedder=ConceptEmbedder(), progress=False)


def top(kb, query, **kw) -> str:
    return kb.search(query, k=5, **kw)[0].citation.source


def test_an_exact_rare_term_bm25_finds_survives_fusion(concept_kb):
    q = "what is zorblax in the ocean recipe"  # "ocean" sends dense to the harbour note
    assert top(concept_kb, q, mode="bm25") == "zorblax.txt"
    assert top(concept_kb, q, mode="dense") == "harbour.txt"
    assert top(concept_kb, q) == "zorblax.txt"
    # the rank fusion fitted to one book (dense 1.0, BM25 0.5) lets dense's guess win
    assert top(concept_kb, q, fusion="rrf", weights=(1.0, 0.5)) == "harbour.txt"


def test_a_paraphrase_only_dense_finds_survives_fusion(concept_kb):
    q = "care tips for a tiny feline"  # no word of the kitten passage; "care" in every note
    assert top(concept_kb, q, mode="dense") == "kitten.txt"
    assert top(concept_kb, q, mode="bm25") != "kitten.txt"
    assert top(concept_kb, q) == "kitten.txt"


def test_fusion_is_a_handle_default_and_checked(concept_kb, tmp_path):
    assert concept_kb.info()["search"]["fusion"] == "zscore"
    with pytest.raises(ValueError, match="unknown fusion 'max'"):
        concept_kb.search("recipe", fusion="max")
    rrf = KnowledgeBase.open(concept_kb.path, embedder=ConceptEmbedder(), fusion="rrf", weights=(1.0, 0.5))
    assert rrf.info()["search"]["fusion"] == "rrf"
    assert top(rrf, "what is zorblax in the ocean recipe") == "harbour.txt"


def test_zscore_fusion_follows_the_list_with_the_standout_hit():
    flat = [(f"d{i}", 0.50 - 0.002 * i) for i in range(20)]  # near-ties: no confidence
    standout = [("b", 12.0)] + [(f"d{i}", 2.0 - 0.01 * i) for i in range(1, 20)]
    assert zscore_fusion([flat, standout])[0][0] == "b"
    assert zscore_fusion([standout, flat])[0][0] == "b"  # symmetric: which list does not matter
    assert reciprocal_rank_fusion([[i for i, _ in flat], [i for i, _ in standout]],
                                  [1.0, 0.5], 5)[0][0] != "b"  # rank fusion cannot see it


def test_zscore_fusion_edge_cases():
    # an item a list did not return gets that list's lowest z, not 0
    fused = dict(zscore_fusion([[("a", 3.0), ("b", 2.0), ("c", 1.0)], [("d", 5.0), ("a", 1.0)]]))
    assert fused["d"] == pytest.approx(1.0 - 1.2247, abs=1e-3) and fused["a"] > fused["b"]
    # a list of equal scores (one hit) counts 1 for being found
    assert dict(zscore_fusion([[("x", 7.0)], [("y", 1.0), ("x", 0.0)]]))["x"] == pytest.approx(0.0)
    assert zscore_fusion([[], []]) == []
    assert [i for i, _ in zscore_fusion([[("a", 1.0), ("b", 0.0)], []], [1.0, 0.0])] == ["a", "b"]
    with pytest.raises(ValueError, match="2 weights for 1 rankings"):
        zscore_fusion([[("a", 1.0)]], [1.0, 1.0])
    with pytest.raises(ValueError, match="finite"):
        zscore_fusion([[("a", float("nan"))]])


@pytest.fixture(scope="module")
def minilm():
    from retrieval.embedding import default_embedder

    return default_embedder()


def test_bulk_encoding_matches_query_encoding(minilm):
    texts = ["A fraction names part of a whole.", "x" * 3, "The least common denominator " * 20]
    bulk, one = minilm.encode_many(texts), minilm.encode(texts)
    assert bulk.shape == (3, minilm.dim) and bulk.dtype == np.float32
    assert (bulk * one).sum(axis=1).min() > 0.999  # bf16 or not: the same embeddings
    seen = []
    minilm.encode_many(texts, progress=seen.append)
    assert sum(seen) == 3 and minilm.bulk_precision in ("bfloat16", "float32")


def test_open_kb_is_warm_and_reused_across_checks(tmp_path, minilm):
    text = ("The least common denominator of two fractions is the least common multiple of "
            "their denominators. To add fractions, rewrite them with that denominator.")
    built = KnowledgeBase.build([doc("fractions", text)], tmp_path / "t.kb", embedder=minilm,
                                progress=False)
    assert built.manifest["model"]["precision"] == minilm.bulk_precision
    built.close()
    kb = verify.open_kb(tmp_path / "t.kb")
    assert kb._embedder is not None and kb._store is not None  # loaded by open_kb, not later
    for answer in ("To add fractions, rewrite them with the least common denominator.",
                   "The least common denominator is the least common multiple of the denominators."):
        report = verify.check(answer, kb=kb)
        assert report.claims and report.meta["kb_manifest"]["model"]["name"] == minilm.name
    cold = verify.open_kb(str(tmp_path / "t.kb"), warm=False)
    assert cold._store is None and cold.search("denominator", k=1)
    with pytest.raises(FileNotFoundError):
        verify.open_kb(tmp_path / "missing.kb")
    with pytest.raises(TypeError, match="directory path"):
        verify.open_kb(3)
