"""Retrieval quality and speed on OpenStax *Prealgebra 2e* (``../shared/data``).

Index: the book's explanatory text and worked examples only (exercises and glossary left
out, so no query's own text is in the index). Queries: the book's own "Try It" exercises,
end-of-section exercises (with the "In the following exercises, ..." line they sit under)
and glossary terms; the relevant passages are those of the module the query appears in.
Chapter review exercises and practice tests are left out (they belong to several modules),
and so are "Be Prepared" quizzes (they point at earlier modules), and modules with fewer
than 5 indexed chunks (introductions, tables).

Reports recall@1/5/10 (a passage of the right module among the top k) and MRR@10 for BM25,
dense, hybrid and hybrid + rerank; build time, chunks/s, index size; query p50/p99 on one
core; and the latency of hybrid search over 100k chunks (the book's chunk texts repeated,
with their real vectors plus noise, i.e. synthetic but clustered like real ones).

Fusion weights: the default (``kb.knowledge.DEFAULT_WEIGHTS``) is fixed in the code. This
script also shows a small grid on the *dev* half of the modules; the main table is the
*test* half, which the default was never chosen on.

    .venv/bin/python benchmarks/retrieval.py [--limit 1000] [--quick] [--no-100k]
"""
from __future__ import annotations

import argparse
import hashlib
import os
import random
import statistics
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
BOOK = ROOT.parent / "shared" / "data" / "openstax-prealgebra-2e"
COLLECTION = BOOK / "collections" / "prealgebra-2e.collection.xml"
MIN_CHUNKS = 5


@dataclass(frozen=True)
class Query:
    text: str
    source: str  # the relevant module's source
    kind: str
    split: str


def one_core() -> None:
    """Pin torch, FAISS and onnxruntime to one thread (the latency target is per core)."""
    import faiss
    import torch

    torch.set_num_threads(1)
    faiss.omp_set_num_threads(1)


def split_of(module: str) -> str:
    return "dev" if int(hashlib.sha1(module.encode()).hexdigest(), 16) % 2 == 0 else "test"


def textbook_documents():
    from kb.cnxml import read_collection

    docs, problems = read_collection(COLLECTION, str(COLLECTION))
    if problems:
        raise SystemExit(f"the textbook is incomplete: {problems[:3]}")
    return docs


def make_queries(docs, chunk_counts: dict[str, int], limit: int, seed: int = 13) -> list[Query]:
    from kb.cnxml import exercises

    rng = random.Random(seed)
    by_kind: dict[str, list[Query]] = {"try": [], "section": [], "glossary": []}
    for d in docs:
        if chunk_counts.get(d.source, 0) < MIN_CHUNKS:
            continue
        module = Path(d.source).parent.name
        for e in exercises(Path(d.source)):
            if e["kind"] not in by_kind or not e["text"].strip():
                continue
            text = f"{e['instruction']} {e['text']}".strip() if e["instruction"] else e["text"]
            by_kind[e["kind"]].append(Query(text, d.source, e["kind"], split_of(module)))
    out = list(by_kind["glossary"])
    for kind in ("try", "section"):
        pool = by_kind[kind]
        out += rng.sample(pool, min(len(pool), limit // 2))
    return out


def evaluate(kb, queries: list[Query], *, mode: str, rerank: bool = False, weights=None) -> dict:
    ranks, times = [], []
    for q in queries:
        t = time.perf_counter()
        hits = kb.search(q.text, k=10, mode=mode, rerank=rerank, weights=weights)
        times.append((time.perf_counter() - t) * 1000)
        ranks.append(next((h.rank for h in hits if h.citation.source == q.source), None))
    return metrics(ranks, times)


def metrics(ranks: list[int | None], times: list[float]) -> dict:
    n = len(ranks) or 1
    at = lambda k: sum(1 for r in ranks if r is not None and r <= k) / n  # noqa: E731
    times = sorted(times) or [0.0]
    return {"n": len(ranks), "r1": at(1), "r5": at(5), "r10": at(10),
            "mrr": sum(1 / r for r in ranks if r is not None) / n,
            "p50": statistics.median(times), "p99": times[min(len(times) - 1, int(0.99 * len(times)))]}


def dir_size(path: Path) -> int:
    return sum(p.stat().st_size for p in path.iterdir() if p.is_file())


class NoisyEmbedder:
    """Stands in for MiniLM when indexing 100k chunks: each text gets its real MiniLM
    vector (from ``known``, else computed) plus Gaussian noise, so 50 copies of a chunk are
    near, not identical; it has the real model's name, version and dimension so the index
    opens with the real model."""

    def __init__(self, real, known: dict, sigma: float = 0.03, seed: int = 0) -> None:
        import numpy as np

        self.real, self.sigma = real, sigma
        self.name, self.version, self.dim = real.name, real.version, real.dim
        self.cache = dict(known)
        self.rng = np.random.default_rng(seed)

    def info(self) -> dict:
        return self.real.info()

    def encode(self, texts):
        import numpy as np

        missing = list(dict.fromkeys(t for t in texts if t not in self.cache))
        if missing:
            for t, v in zip(missing, self.real.encode(missing)):
                self.cache[t] = v
        base = np.stack([self.cache[t] for t in texts])
        noisy = base + self.rng.normal(0, self.sigma, base.shape).astype("float32")
        return (noisy / np.linalg.norm(noisy, axis=1, keepdims=True)).astype("float32")


def known_vectors(kb, docs) -> dict:
    """embed text → the vector the textbook base already holds (chunk ids follow chunk order)."""
    from kb.chunking import chunk_document

    ids, vecs = kb._vectors()._all()
    order = ids.argsort()
    chunks = [c for d in docs for c in chunk_document(d)]
    assert len(chunks) == len(ids), "chunk order changed"
    return {c.embed_text(): v for c, v in zip(chunks, vecs[order])}


def latency_at_scale(docs, queries: list[Query], target: int, embedder, known: dict) -> dict:
    """Search latency (query embedding included) over ``target`` chunks, one core."""
    from kb import KnowledgeBase
    from kb.chunking import chunk_document
    from kb.readers import Document

    per_copy = sum(len(chunk_document(d)) for d in docs)
    copies = max(1, -(-target // per_copy))
    replicas = [Document(f"copy{r:03d}/{d.source}", d.title, d.text, d.sections, d.format,
                         d.checksum, d.size) for r in range(copies) for d in docs]
    with tempfile.TemporaryDirectory() as tmp:
        t = time.perf_counter()
        kb = KnowledgeBase.build(replicas, Path(tmp) / "big.kb", embedder=NoisyEmbedder(embedder, known),
                                 progress=False)
        build_s = time.perf_counter() - t
        kb = KnowledgeBase.open(Path(tmp) / "big.kb", embedder=embedder)
        sample = random.Random(9).sample(queries, min(300, len(queries)))
        kb.search("warm up", k=5)
        out = {}
        from retrieval.lexical import POSTING_BUDGET

        for name, mode, budget in (("BM25", "bm25", None), ("dense", "dense", None),
                                   ("hybrid with exact BM25", "hybrid", None),
                                   (f"hybrid, BM25 posting budget {POSTING_BUDGET:,} (default)", "hybrid",
                                    POSTING_BUDGET)):
            kb.posting_budget = budget
            times, top_right = [], 0
            for q in sample:
                t = time.perf_counter()
                hits = kb.search(q.text, k=5, mode=mode)
                times.append((time.perf_counter() - t) * 1000)
                top_right += bool(hits) and hits[0].citation.source.endswith(q.source)
            times.sort()
            out[name] = (statistics.median(times), times[int(0.99 * (len(times) - 1))], top_right / len(sample))
        info = kb.info()
        return {"chunks": info["counts"]["chunks"], "index": info["index"]["kind"], "build_s": build_s,
                "size_mb": info["size_bytes"] / 1e6, "latency": out, "queries": len(sample)}


def quality_tables(kb, out, embedder, queries, test, dev, args) -> None:
    """Recall and MRR of each method on the test half, the whole set, and the dev grid."""
    from kb import KnowledgeBase
    from kb.knowledge import DEFAULT_RRF_K, DEFAULT_WEIGHTS
    from retrieval.rerank import CrossEncoderReranker, RerankerUnavailable

    try:
        kb = KnowledgeBase.open(out, embedder=embedder, reranker=CrossEncoderReranker(threads=1))
        can_rerank = not args.no_rerank
    except RerankerUnavailable as exc:
        print(f"(reranker unavailable: {exc})\n")
        can_rerank = False
    kb.search("warm up", k=5, rerank=can_rerank)
    runs = [("BM25", "bm25", False), ("dense (MiniLM)", "dense", False), ("hybrid (RRF)", "hybrid", False)]
    if can_rerank:
        runs.append(("hybrid + rerank", "hybrid", True))
    sample = random.Random(5).sample(test, min(args.rerank_sample, len(test)))
    for title, subset in ((f"test half, a random {len(sample)} queries: all four methods side by side", sample),
                          ("test half (the default was not chosen on it)", test),
                          ("all queries (dev + test)", queries)):
        print(f"## {title}: {len(subset)} queries, weights dense:bm25 = "
              f"{DEFAULT_WEIGHTS[0]:g}:{DEFAULT_WEIGHTS[1]:g}, RRF k = {DEFAULT_RRF_K}\n")
        print("| method | recall@1 | recall@5 | recall@10 | MRR@10 | p50 ms | p99 ms |")
        print("|---|---|---|---|---|---|---|")
        results = {}
        for name, mode, rr in runs:
            if rr and subset is not sample:
                continue  # reranking costs ~1 s a query on one busy core: the sample only
            m = results[name] = evaluate(kb, subset, mode=mode, rerank=rr)
            print(f"| {name} | {m['r1']:.3f} | {m['r5']:.3f} | {m['r10']:.3f} | {m['mrr']:.3f} "
                  f"| {m['p50']:.1f} | {m['p99']:.1f} |")
        best_single = max(results["BM25"]["r5"], results["dense (MiniLM)"]["r5"])
        h = results["hybrid (RRF)"]["r5"]
        print(f"\nhybrid recall@5 {h:.3f} vs best single method {best_single:.3f}: "
              f"{'beats both' if h > best_single else 'does NOT beat both'} "
              f"({(h - best_single) * 100:+.1f} points)\n")
        by_kind = {}
        for kind in ("try", "section", "glossary"):
            sub = [q for q in subset if q.kind == kind]
            by_kind[kind] = {n: evaluate(kb, sub, mode=mo)["r5"] for n, mo, rr in runs[:3]}
        print("recall@5 by query kind: " + "; ".join(
            f"{k} ({sum(q.kind == k for q in subset)}): " +
            ", ".join(f"{n.split()[0]} {v:.2f}" for n, v in d.items()) for k, d in by_kind.items()) + "\n")

    print("## fusion settings on the dev half (hybrid; the default was chosen here)\n")
    print("| RRF k | dense:bm25 | recall@5 | MRR@10 |")
    print("|---|---|---|---|")
    m = evaluate(kb, dev, mode="dense")
    print(f"| dense alone | | {m['r5']:.3f} | {m['mrr']:.3f} |")
    for k_rrf, w in ((60, (1.0, 1.0)), (60, (1.0, 0.5)), (10, (1.0, 1.0)), (10, (1.0, 0.5)),
                     (5, (1.0, 1.0)), (5, (1.0, 0.5)), (5, (1.0, 0.25))):
        kb.rrf_k = k_rrf
        m = evaluate(kb, dev, mode="hybrid", weights=w)
        mark = " (default)" if (k_rrf, w) == (DEFAULT_RRF_K, tuple(DEFAULT_WEIGHTS)) else ""
        print(f"| {k_rrf} | {w[0]:g}:{w[1]:g}{mark} | {m['r5']:.3f} | {m['mrr']:.3f} |")
    kb.rrf_k = DEFAULT_RRF_K
    print()


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--limit", type=int, default=1000, help="exercise queries (half Try It, half section)")
    ap.add_argument("--quick", action="store_true", help="200 exercise queries, no 100k run")
    ap.add_argument("--no-100k", action="store_true", help="skip the 100k-chunk latency run")
    ap.add_argument("--only-100k", action="store_true", help="build the textbook index, then only the 100k run")
    ap.add_argument("--no-rerank", action="store_true")
    ap.add_argument("--rerank-sample", type=int, default=300, help="test queries also reranked")
    args = ap.parse_args(argv)
    if not COLLECTION.is_file():
        print(f"missing {COLLECTION}: ../shared must sit beside the repository", file=sys.stderr)
        return 2
    limit = 200 if args.quick else args.limit
    os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
    from kb import KnowledgeBase
    from retrieval.embedding import default_embedder

    one_core()
    embedder = default_embedder()
    docs = textbook_documents()
    explanatory = [d.without_kinds({"exercise", "glossary"}) for d in docs]
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "prealgebra.kb"
        t = time.perf_counter()
        kb = KnowledgeBase.build(explanatory, out, embedder=embedder, progress=False)
        build_s = time.perf_counter() - t
        info = kb.info()
        counts = {s["source"]: s["chunks"] for s in info["sources"]}
        queries = make_queries(docs, counts, limit)
        test = [q for q in queries if q.split == "test"]
        dev = [q for q in queries if q.split == "dev"]
        n_chunks = info["counts"]["chunks"]
        print(f"# Retrieval on Prealgebra 2e ({len(docs)} modules, {n_chunks} chunks of explanatory text)\n")
        print(f"Build (one core, MiniLM embeddings included): {build_s:.1f} s, "
              f"{n_chunks / build_s:.0f} chunks/s, index {dir_size(out) / 1e6:.1f} MB on disk "
              f"({info['index']['kind']} vectors). Queries: {len(queries)} "
              f"({sum(q.kind == 'try' for q in queries)} Try It, {sum(q.kind == 'section' for q in queries)} "
              f"section exercises, {sum(q.kind == 'glossary' for q in queries)} glossary terms); "
              f"test half {len(test)}, dev half {len(dev)}.\n")

        if not args.only_100k:
            quality_tables(kb, out, embedder, queries, test, dev, args)
        known = known_vectors(kb, explanatory)
    if not (args.quick or args.no_100k):
        r = latency_at_scale(explanatory, queries, 100_000, embedder, known)
        print(f"## {r['chunks']:,} chunks ({r['index']} index, synthetic vectors around the real ones), "
              f"one core, {r['queries']} queries, k=5\n")
        print(f"Build {r['build_s']:.0f} s, {r['size_mb']:.0f} MB on disk.\n")
        print("| search | p50 ms | p99 ms | top hit in the right module |")
        print("|---|---|---|---|")
        for mode, (p50, p99, right) in r["latency"].items():
            print(f"| {mode} | {p50:.1f} | {p99:.1f} | {right:.3f} |")
        for name, (p50, _, _) in r["latency"].items():
            if name.startswith("hybrid"):
                print(f"\n{name}: p50 {p50:.1f} ms, target < 30 ms {'met' if p50 < 30 else 'MISSED'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
