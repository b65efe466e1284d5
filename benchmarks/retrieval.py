"""Retrieval quality and speed on two corpora: OpenStax *Prealgebra 2e* and SymPy's docstrings.

**Prealgebra 2e** (``../shared/data``, CC-BY-NC-SA). Index: the book's explanatory text and
worked examples only (exercises and glossary left out, so no query's own text is in the
index). Queries: the book's own "Try It" exercises, end-of-section exercises (with the "In
the following exercises, ..." line they sit under) and glossary terms; the relevant
passages are those of the module the query appears in. Chapter review exercises and
practice tests are left out (they belong to several modules), and so are "Be Prepared"
quizzes (they point at earlier modules), and modules with fewer than 5 indexed chunks.

**SymPy docstrings** (a second corpus, where dense is the stronger retriever; BSD-3-Clause, read at run time
from the installed ``sympy`` package with ``ast``, nothing copied). Index: one document per
module file of the subpackages in ``SYMPY_PACKAGES`` (tests left out), one section per
public function, class or method (heading = its qualified name) holding its docstring
*without* the summary paragraph. Queries: each summary paragraph ("Returns the Y coordinate
of the Point.") of at least 4 words whose docstring has 80+ more characters; the relevant
passages are the section(s) it was cut from (a summary shared by up to 3 definitions counts
any of them; one shared more widely is dropped). So, like a glossary definition against a
book, each query is a short definition written apart from the passage that answers it.
**Python Language Reference** (a third, where BM25 is far stronger, as with glossary
definitions against a book: the queries restate the passage's own words; PSF licence, the
``pydoc_data.topics`` module of the running Python, read at run time). Index: one document
per topic, one section per underlined heading. Queries: the docstring summary (first
paragraph that is not a call signature, 4+ words) of each method of a builtin type
(``PY_TYPES``) whose entry the topics document (``str.upper(`` or, in a topic defining
``class dict(``, ``copy(``); relevant = a passage overlapping the entry's first 200
characters. Only ~50 queries: read its rows with that in mind.

Prealgebra and SymPy are split in halves by module (a hash of its path), the Python
reference by method name: **dev** and **test**.

Reports recall@1/5/10 (a relevant passage among the top k) and MRR@10 for BM25, dense,
hybrid with the default z-score fusion and with the rank fusion it replaced, and the
reranker on a sample with its cost; build time, chunks/s, index size; query p50/p99 on one
core; and the latency of hybrid search over 100k chunks (the book's chunk texts repeated,
with their real vectors plus noise, i.e. synthetic but clustered like real ones).

Fusion: the default (``kb.knowledge.DEFAULT_FUSION``, ``DEFAULT_WEIGHTS``) is fixed in the
code, chosen once on the *dev* halves of both corpora (the grid is printed); the main
tables are the *test* halves. Target: hybrid never below the better of BM25 and dense by
more than 1 point of recall@5, on each corpus.

    .venv/bin/python benchmarks/retrieval.py [--limit 1000] [--quick] [--no-100k]
"""
from __future__ import annotations

import argparse
import hashlib
import os
import random
import re
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
    #: the relevant sections' heading paths within ``source`` (empty = any passage of it)
    sections: tuple[str, ...] = ()
    #: or the relevant spans (source, start, end): a passage overlapping one is relevant
    spans: tuple[tuple[str, int, int], ...] = ()

    def relevant(self, hit) -> bool:
        c = hit.citation
        if self.spans:
            return any(c.source == s and c.start < e and c.end > b for s, b, e in self.spans)
        return c.source == self.source and (not self.sections or c.section in self.sections)


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


SYMPY_PACKAGES = ("core", "functions", "ntheory", "simplify", "sets", "logic", "series", "calculus",
                  "concrete", "geometry")
MIN_SUMMARY_WORDS = 4
MIN_BODY_CHARS = 80
MAX_SHARED_SUMMARY = 3


def _docstrings(tree):
    """(qualified name, docstring) of every public function and class, methods included."""
    import ast

    def walk(node, prefix):
        for child in ast.iter_child_nodes(node):
            if isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
                name = f"{prefix}{child.name}"
                doc = ast.get_docstring(child)
                if doc and not child.name.startswith("_"):
                    yield name, doc
                if isinstance(child, ast.ClassDef):
                    yield from walk(child, name + ".")

    yield from walk(tree, "")


def split_docstring(doc: str) -> tuple[str, str]:
    """(summary, body): the first paragraph on one line, and the rest."""
    head, _, body = doc.strip().partition("\n\n")
    return " ".join(head.split()), body.strip()


def sympy_corpus(packages=SYMPY_PACKAGES) -> tuple[list, list[Query]]:
    """SymPy's docstrings, read from the installed package: one document per module file,
    one section per public function or class holding its docstring *without* the summary
    paragraph; one query per summary, relevant = the section(s) it was taken from."""
    import ast

    import sympy
    from kb.documents import Block, Document, assemble, sha256

    root = Path(sympy.__file__).resolve().parent
    docs, owners = [], {}
    for package in packages:
        for path in sorted((root / package).rglob("*.py")):
            rel = path.relative_to(root.parent).as_posix()
            if "/tests/" in rel or "/benchmarks/" in rel:
                continue
            blocks = []
            for name, doc in _docstrings(ast.parse(path.read_text(encoding="utf-8"))):
                summary, body = split_docstring(doc)
                if len(summary.split()) >= MIN_SUMMARY_WORDS and len(body) >= MIN_BODY_CHARS:
                    blocks.append(Block(body, (name,)))
                    owners.setdefault(summary, []).append((rel, name))
            if blocks:
                text, sections = assemble(blocks)
                data = text.encode("utf-8")
                docs.append(Document(rel, rel[:-3].replace("/", "."), text, sections, "python",
                                     sha256(data), len(data)))
    queries = [Query(summary, where[0][0], "docstring", split_of(where[0][0]),
                     tuple(name for src, name in where if src == where[0][0]))
               for summary, where in owners.items() if len(where) <= MAX_SHARED_SUMMARY]
    return docs, queries


#: builtin types whose methods' docstrings are the queries of the Python corpus
PY_TYPES = ("str", "bytes", "bytearray", "list", "tuple", "dict", "set", "frozenset", "int",
            "float", "complex", "object", "type", "memoryview", "range", "slice")
_UNDERLINE = re.compile(r"^(?:\*+|=+|-+|~+|\^+)$", re.M)
_SIGNATURE = re.compile(r"^\s*[\w.]+\(.*\)\s*(->.*)?$|->")
#: a method entry counts as found when a passage overlaps its first this-many characters
ENTRY_CHARS = 200


def topic_document(name: str, text: str):
    """A reference topic as a Document: one section per underlined heading."""
    from kb.documents import Document, Section, sha256

    lines = text.split("\n")
    offsets, pos = [], 0
    for line in lines:
        offsets.append(pos)
        pos += len(line) + 1
    title = lines[0].strip()
    heads = [(0, title)] + [(i - 1, lines[i - 1].strip()) for i in range(2, len(lines))
                            if _UNDERLINE.match(lines[i]) and lines[i - 1].strip()]
    sections = []
    for n, (line, head) in enumerate(heads):
        start = offsets[min(line + 2, len(lines) - 1)]
        end = offsets[heads[n + 1][0]] if n + 1 < len(heads) else len(text)
        if text[start:end].strip():
            sections.append(Section(start, end, (title,) if n == 0 else (title, head)))
    data = text.encode("utf-8")
    return Document(f"pydoc_data/topics.py#{name}", title, text, tuple(sections), "txt",
                    sha256(data), len(data))


def docstring_summary(doc: str) -> str:
    """The first paragraph of a docstring that is not a call signature, on one line."""
    for para in doc.strip().split("\n\n"):
        if not _SIGNATURE.search(para.split("\n")[0]):
            return " ".join(para.split())
    return ""


def python_reference_corpus() -> tuple[list, list[Query]]:
    """The Python Language Reference topics shipped with the standard library
    (``pydoc_data.topics``, PSF licence), read at run time: one document per topic, one
    section per heading. One query per builtin method whose docstring summary has 4+ words
    and whose entry (``str.upper(...)``, ``copy()``...) the topics document; relevant = a
    passage at that entry (any, when several topics document it)."""
    import builtins

    import pydoc_data.topics

    docs, entries = [], {}
    for name, text in sorted(pydoc_data.topics.topics.items()):
        docs.append(topic_document(name, text))
        for type_name in PY_TYPES:  # "str.upper(", or "copy(" in a topic with "class dict("
            prefix = "" if re.search(rf"^[ \t]*class {type_name}\(", text, re.M) else f"{type_name}\\."
            for m in re.finditer(rf"^[ \t]*{prefix}([A-Za-z_]\w*)\(", text, re.M):
                start = m.start() + len(m.group(0)) - len(m.group(0).lstrip())
                entries.setdefault((type_name, m.group(1)), []).append((docs[-1].source, start))
    queries, seen = [], set()
    for (type_name, method), where in sorted(entries.items()):
        attr = vars(getattr(builtins, type_name)).get(method)
        summary = docstring_summary(getattr(attr, "__doc__", None) or "")
        if len(summary.split()) < MIN_SUMMARY_WORDS or summary in seen:
            continue
        seen.add(summary)
        spans = tuple(dict.fromkeys((s, p, p + ENTRY_CHARS) for s, p in where))
        queries.append(Query(summary, where[0][0], "method", split_of(f"{type_name}.{method}"),
                             spans=spans))
    return docs, queries


#: the fusion this branch replaced (rank fusion, dense 1.0 / BM25 0.5, k = 5): the baseline row
OLD_FUSION = {"fusion": "rrf", "weights": (1.0, 0.5), "rrf_k": 5}


def evaluate(kb, queries: list[Query], *, mode: str, rerank: bool = False, fusion=None) -> dict:
    """recall@k / MRR@10 / latency of ``kb.search`` as users call it; ``fusion`` = keyword
    overrides (``fusion``, ``weights``, ``rrf_k``) for a hybrid row other than the default."""
    fusion = dict(fusion or {})
    saved = kb.rrf_k
    kb.rrf_k = fusion.pop("rrf_k", saved)
    ranks, times = [], []
    try:
        for q in queries:
            t = time.perf_counter()
            hits = kb.search(q.text, k=10, mode=mode, rerank=rerank, **fusion)
            times.append((time.perf_counter() - t) * 1000)
            ranks.append(next((h.rank for h in hits if q.relevant(h)), None))
    finally:
        kb.rrf_k = saved
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


METHODS = (("BM25", "bm25", None), ("dense (MiniLM)", "dense", None),
           ("hybrid, z-score fusion (default)", "hybrid", None),
           ("hybrid, rank fusion 1:0.5 k=5 (before)", "hybrid", OLD_FUSION))


def quality_tables(name: str, kb, queries: list[Query], args) -> dict:
    """The test half: every method side by side, the hold-across-books check, and the
    reranker on a sample (its cost included)."""
    from kb.knowledge import RERANK_DEPTH

    test = [q for q in queries if q.split == "test"]
    print(f"## {name}, test half: {len(test)} queries (the default was not chosen on them)\n")
    print("| method | recall@1 | recall@5 | recall@10 | MRR@10 | p50 ms | p99 ms |")
    print("|---|---|---|---|---|---|---|")
    results = {}
    for title, mode, fusion in METHODS:
        m = results[title] = evaluate(kb, test, mode=mode, fusion=fusion)
        print(f"| {title} | {m['r1']:.3f} | {m['r5']:.3f} | {m['r10']:.3f} | {m['mrr']:.3f} "
              f"| {m['p50']:.1f} | {m['p99']:.1f} |")
    best = max(results["BM25"]["r5"], results["dense (MiniLM)"]["r5"])
    for title, _, mode_fusion in METHODS[2:]:
        gap = (results[title]["r5"] - best) * 100
        print(f"\n{title}: recall@5 {results[title]['r5']:.3f} vs the better single retriever "
              f"{best:.3f}: {gap:+.1f} points ({'holds' if gap >= -1 else 'FAILS'}: target ≥ −1)")
    kinds = sorted({q.kind for q in test})
    if len(kinds) > 1:
        print("\nrecall@5 by query kind: " + "; ".join(
            f"{k} ({sum(q.kind == k for q in test)}): " + ", ".join(
                f"{t.split(',')[0].split(' (')[0]} {evaluate(kb, [q for q in test if q.kind == k], mode=mo, fusion=f)['r5']:.2f}"
                for t, mo, f in METHODS[:3]) for k in kinds))
    if args.rerank_sample and not args.no_rerank:
        sample = random.Random(5).sample(test, min(args.rerank_sample, len(test)))
        try:
            kb.search("warm up", k=5, rerank=True)
        except RuntimeError as exc:
            print(f"\n(reranker unavailable: {exc})")
        else:
            plain = evaluate(kb, sample, mode="hybrid")
            rr = evaluate(kb, sample, mode="hybrid", rerank=True)
            print(f"\nRerank (packaged cross-encoder, top {RERANK_DEPTH}) on a random {len(sample)} of them: "
                  f"recall@5 {plain['r5']:.3f} → {rr['r5']:.3f}, MRR@10 {plain['mrr']:.3f} → {rr['mrr']:.3f}, "
                  f"p50 {plain['p50']:.0f} → {rr['p50']:.0f} ms, p99 {plain['p99']:.0f} → {rr['p99']:.0f} ms (one core)")
    print()
    return results


#: the fusion settings compared on the dev halves (the default was picked here, once)
GRID = (("rank fusion 1:1, k=60", {"fusion": "rrf", "weights": (1.0, 1.0), "rrf_k": 60}),
        ("rank fusion 1:0.5, k=5 (before)", OLD_FUSION),
        ("rank fusion 1:1, k=5", {"fusion": "rrf", "weights": (1.0, 1.0), "rrf_k": 5}),
        ("z-score 1:0.5", {"fusion": "zscore", "weights": (1.0, 0.5)}),
        ("z-score 1:1 (default)", {"fusion": "zscore", "weights": (1.0, 1.0)}))


def dev_grid(corpora: dict) -> None:
    """Each fusion setting on both dev halves, against each corpus's better single retriever."""
    print("## fusion settings on the dev halves (the default was chosen here, on every corpus)\n")
    names = list(corpora)
    print("| hybrid fusion | " + " | ".join(f"{n} recall@5" for n in names) +
          " | worst gap to the better single retriever |")
    print("|---|" + "---|" * len(names) + "---|")
    best = {}
    for n, (kb, queries) in corpora.items():
        dev = [q for q in queries if q.split == "dev"]
        best[n] = max(evaluate(kb, dev, mode=m)["r5"] for m in ("bm25", "dense"))
    print("| better single retriever | " + " | ".join(f"{best[n]:.3f}" for n in names) + " | |")
    for title, fusion in GRID:
        r5 = {n: evaluate(kb, [q for q in qs if q.split == "dev"], mode="hybrid", fusion=fusion)["r5"]
              for n, (kb, qs) in corpora.items()}
        worst = min((r5[n] - best[n]) * 100 for n in names)
        print(f"| {title} | " + " | ".join(f"{r5[n]:.3f}" for n in names) + f" | {worst:+.1f} points |")
    print()


def build_timed(docs, out: Path, embedder) -> tuple:
    from kb import KnowledgeBase

    t = time.perf_counter()
    kb = KnowledgeBase.build(docs, out, embedder=embedder, progress=False)
    return kb, time.perf_counter() - t


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--limit", type=int, default=1000, help="Prealgebra exercise queries (half Try It, half section)")
    ap.add_argument("--quick", action="store_true", help="200 exercise queries, no 100k run")
    ap.add_argument("--no-100k", action="store_true", help="skip the 100k-chunk latency run")
    ap.add_argument("--only-100k", action="store_true", help="build the textbook index, then only the 100k run")
    ap.add_argument("--no-rerank", action="store_true")
    ap.add_argument("--rerank-sample", type=int, default=200, help="test queries also reranked")
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
        kb, build_s = build_timed(explanatory, Path(tmp) / "prealgebra.kb", embedder)
        info = kb.info()
        counts = {s["source"]: s["chunks"] for s in info["sources"]}
        queries = make_queries(docs, counts, limit)
        n_chunks = info["counts"]["chunks"]
        print("# Retrieval on Prealgebra 2e, SymPy's docstrings and the Python reference\n")
        print(f"Prealgebra 2e: {len(docs)} modules, {n_chunks} chunks of explanatory text; built on one "
              f"core in {build_s:.1f} s ({n_chunks / build_s:.0f} chunks/s, MiniLM included), "
              f"{dir_size(kb.path) / 1e6:.1f} MB ({info['index']['kind']} vectors). Queries: {len(queries)} "
              f"({sum(q.kind == 'try' for q in queries)} Try It, {sum(q.kind == 'section' for q in queries)} "
              f"section exercises, {sum(q.kind == 'glossary' for q in queries)} glossary terms); "
              f"test half {sum(q.split == 'test' for q in queries)}.")
        corpora = {"Prealgebra": (KnowledgeBase.open(kb.path, embedder=embedder), queries)}
        if not args.only_100k:
            sdocs, squeries = sympy_corpus()
            skb, sbuild = build_timed(sdocs, Path(tmp) / "sympy.kb", embedder)
            sn = skb.info()["counts"]["chunks"]
            print(f"SymPy {sympy_version()} docstrings ({', '.join(SYMPY_PACKAGES)}): {len(sdocs)} modules, "
                  f"{sn} chunks, built in {sbuild:.1f} s ({sn / sbuild:.0f} chunks/s). Queries: "
                  f"{len(squeries)} summary lines; test half {sum(q.split == 'test' for q in squeries)}.")
            pdocs, pqueries = python_reference_corpus()
            pkb, pbuild = build_timed(pdocs, Path(tmp) / "pyref.kb", embedder)
            pn = pkb.info()["counts"]["chunks"]
            print(f"Python {sys.version.split()[0]} Language Reference topics (pydoc_data): {len(pdocs)} topics, "
                  f"{pn} chunks, built in {pbuild:.1f} s. Queries: {len(pqueries)} builtin method "
                  f"docstrings; test half {sum(q.split == 'test' for q in pqueries)} (small: one query "
                  f"is {100 / max(1, sum(q.split == 'test' for q in pqueries)):.1f} points).\n")
            corpora["SymPy docstrings"] = (skb, squeries)
            corpora["Python reference"] = (pkb, pqueries)
            for name, (base, qs) in corpora.items():
                base.search("warm up", k=5)
                quality_tables(name, base, qs, args)
            dev_grid(corpora)
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


def sympy_version() -> str:
    import sympy

    return sympy.__version__


if __name__ == "__main__":
    sys.exit(main())
