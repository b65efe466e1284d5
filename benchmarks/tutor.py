"""The tutor path's speed: building a textbook index, loading it, and checking short replies.

Corpus: OpenStax *Prealgebra 2e* (``../shared/data``), explanatory text and worked examples
(the index ``benchmarks/retrieval.py`` searches). Replies: ``REPLIES``, short tutor replies
about its topics written for this benchmark, true and false.

1. ``kb build``: chunks/s, before (fp32, chunks embedded in arrival order 256 at a time)
   and now (``Embedder.encode_many``: longest first, bfloat16 where the CPU has it), same
   run, same machine, default threads; embedding and the rest (read, chunk, SQLite, FTS5,
   FAISS) timed apart; the largest cosine gap between the two builds' vectors.
2. Loading: a cold ``verity kb search`` (a new process: imports, model, index) against
   ``verify.open_kb`` once in a new process, and a search on the open handle.
3. ``check(reply, kb=...)`` per short reply: the CLI (a new process each), a path (the
   base re-opened every call), and the handle ``verify.open_kb`` returns (model and index
   loaded once), alternating, each reply checked once (the judge caches sentence vectors,
   so a repeated reply would be cheaper); judge included, and retrieval alone (judge
   excluded). The first call in a process (engines load) is reported apart
   and left out of p50/p99.

    .venv/bin/python benchmarks/tutor.py [--limit CHUNKS] [--replies N] [--cold N]
"""
from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

REPLIES = (
    "To add fractions with unlike denominators, first rewrite them with a common denominator.",
    "The least common denominator of 1/4 and 1/6 is 12.",
    "A prime number has exactly two factors, 1 and itself.",
    "The number 1 is a prime number.",
    "To divide by a fraction, multiply by its reciprocal.",
    "The reciprocal of 3/5 is 5/3.",
    "An integer is a whole number or its opposite.",
    "The absolute value of a number is its distance from zero on the number line.",
    "The absolute value of -7 is -7.",
    "A percent is a ratio whose denominator is 100.",
    "The perimeter of a rectangle is the sum of the lengths of its four sides.",
    "The area of a rectangle is its length times its width.",
    "A ratio compares two quantities by division.",
    "The median is the middle value of an ordered list of numbers.",
    "The mean of 2, 4 and 9 is 5.",
    "In the order of operations, multiplication comes before addition.",
    "A variable is a letter that stands for a number whose value may change.",
    "Like terms have the same variables raised to the same exponents.",
    "The square root of 49 is 7.",
    "A decimal that ends is called a terminating decimal.",
)


def median_p99(times: list[float]) -> tuple[float, float]:
    times = sorted(times)
    return statistics.median(times), times[min(len(times) - 1, int(0.99 * len(times)))]


class StepEmbedder:
    """The embedder as the build used it before: ``encode`` only (fp32, 256 chunks at a
    time in arrival order), so ``kb`` takes its generic path; every call is timed."""

    def __init__(self, real) -> None:
        self.real, self.seconds = real, 0.0
        self.name, self.version, self.dim, self.path = real.name, real.version, real.dim, real.path

    def info(self) -> dict:
        return self.real.info()

    def encode(self, texts):
        t = time.perf_counter()
        try:
            return self.real.encode(texts)
        finally:
            self.seconds += time.perf_counter() - t


class BulkEmbedder(StepEmbedder):
    """The embedder as the build uses it now (``encode_many``), timed."""

    bulk_precision = property(lambda self: self.real.bulk_precision)

    def encode_many(self, texts, *, progress=None):
        t = time.perf_counter()
        try:
            return self.real.encode_many(texts, progress=progress)
        finally:
            self.seconds += time.perf_counter() - t


def build_rows(docs, tmp: Path, embedder) -> tuple[Path, list[tuple], float]:
    """Build the same documents the old way and the new way; the new base is kept."""
    from kb import KnowledgeBase

    rows, vectors = [], []
    for title, wrapper in (("before: fp32, arrival order", StepEmbedder(embedder)),
                           (f"now: longest first, {embedder.bulk_precision}", BulkEmbedder(embedder))):
        out = tmp / f"{len(rows)}.kb"
        t = time.perf_counter()
        kb = KnowledgeBase.build(docs, out, embedder=wrapper, progress=False)
        total = time.perf_counter() - t
        n = kb.info()["counts"]["chunks"]
        rows.append((title, n, total, wrapper.seconds))
        ids, vecs = kb._vectors()._all()
        vectors.append(vecs[ids.argsort()])
        kb.close()
    gap = float(1 - (vectors[0] * vectors[1]).sum(axis=1).min())
    return out, rows, gap


def cold_cli(args: list[str], n: int) -> list[float]:
    """Wall time of ``verity ARGS`` in a new process; exit 0 or 1 (a report that is not
    all verified) both count, anything else is a failure."""
    times = []
    for _ in range(n):
        t = time.perf_counter()
        done = subprocess.run([sys.executable, "-m", "verify.cli", *args], cwd=ROOT,
                              stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        if done.returncode not in (0, 1):
            raise RuntimeError(f"verity {args[0]} failed: {done.stderr[-500:]}")
        times.append((time.perf_counter() - t) * 1000)
    return times


def open_in_new_process(path: Path) -> float:
    code = ("import time, sys; t = time.perf_counter(); import verify; kb = verify.open_kb(sys.argv[1]); "
            "print(time.perf_counter() - t)")
    out = subprocess.run([sys.executable, "-c", code, str(path)], cwd=ROOT, check=True,
                         capture_output=True, text=True)
    return float(out.stdout.strip().splitlines()[-1]) * 1000


def timed(fn, items) -> list[float]:
    times = []
    for item in items:
        t = time.perf_counter()
        fn(item)
        times.append((time.perf_counter() - t) * 1000)
    return times


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--limit", type=int, default=0, help="index only the first modules up to this many chunks")
    ap.add_argument("--replies", type=int, default=len(REPLIES) * 3, help="searches on the open handle (the replies cycled)")
    ap.add_argument("--cold", type=int, default=3, help="new-process CLI calls per cold row")
    args = ap.parse_args(argv)
    os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
    from benchmarks.retrieval import COLLECTION, textbook_documents

    if not COLLECTION.is_file():
        print(f"missing {COLLECTION}: ../shared must sit beside the repository", file=sys.stderr)
        return 2
    import verify
    from kb.chunking import chunk_document
    from retrieval.embedding import default_embedder
    from verify.engines.grounding.engine import KB_TOP_K

    docs = [d.without_kinds({"exercise", "glossary"}) for d in textbook_documents()]
    if args.limit:
        kept, n = [], 0
        for d in docs:
            if n >= args.limit:
                break
            kept.append(d)
            n += len(chunk_document(d))
        docs = kept
    embedder = default_embedder()
    replies = [REPLIES[i % len(REPLIES)] for i in range(args.replies)]
    with tempfile.TemporaryDirectory() as tmp:
        path, rows, gap = build_rows(docs, Path(tmp), embedder)
        print("# The tutor path: build, load, check\n")
        print(f"## `kb build`, Prealgebra 2e explanatory text ({rows[0][1]} chunks), {os.cpu_count()} cores\n")
        print("| embedding | chunks/s | total s | embedding s | rest s |")
        print("|---|---|---|---|---|")
        for title, n, total, emb in rows:
            print(f"| {title} | {n / total:.1f} | {total:.1f} | {emb:.1f} | {total - emb:.1f} |")
        print(f"\nSpeed-up {rows[0][2] / rows[1][2]:.2f}x; the two builds' vectors differ by at most "
              f"{gap:.1e} in cosine (the index stays valid for either).\n")

        query = "how do I add fractions with unlike denominators"
        cold_search = cold_cli(["kb", "search", str(path), query, "-k", "5"], args.cold)
        open_ms = open_in_new_process(path)
        kb = verify.open_kb(path)
        warm_search = timed(lambda q: kb.search(q, k=5), [query] * 20 + list(REPLIES))
        print("## Loading: a new process per call, or one open handle\n")
        print("| call | p50 ms | p99 ms | n |")
        print("|---|---|---|---|")
        print(f"| `verity kb search` (new process: imports, model, index) | {median_p99(cold_search)[0]:.0f} "
              f"| {median_p99(cold_search)[1]:.0f} | {len(cold_search)} |")
        print(f"| `verify.open_kb(path)` in a new process (imports, model, index: once) | {open_ms:.0f} | | 1 |")
        p50, p99 = median_p99(warm_search)
        print(f"| `kb.search(q, k=5)` on the open handle | {p50:.1f} | {p99:.1f} | {len(warm_search)} |\n")

        cold_check = cold_cli(["check", "--kb", str(path), REPLIES[1]], args.cold)
        t = time.perf_counter()
        verify.check(REPLIES[0], kb=kb)
        first = (time.perf_counter() - t) * 1000
        handle, by_path = [], []
        for n, reply in enumerate(REPLIES):  # alternate, each reply once: no cached verdicts
            if n % 2:
                by_path += timed(lambda r: verify.check(r, kb=str(path)), [reply])
            else:
                handle += timed(lambda r: verify.check(r, kb=kb), [reply])
        search_only = timed(lambda r: kb.search(r, k=KB_TOP_K), replies)
        print(f"## `check(reply, kb=...)` per short reply ({len(REPLIES)} replies, one sentence each)\n")
        print("| call | p50 ms | p99 ms | n |")
        print("|---|---|---|---|")
        for title, times in (("`verity check --kb` (new process each)", cold_check),
                             ("`check(reply, kb=\"dir\")` (re-opened every call)", by_path),
                             ("`check(reply, kb=kb)`, `kb = verify.open_kb(dir)`: judge included", handle),
                             (f"retrieval alone, `kb.search(reply, k={KB_TOP_K})`: judge excluded", search_only)):
            p50, p99 = median_p99(times)
            print(f"| {title} | {p50:.0f} | {p99:.0f} | {len(times)} |")
        p50 = median_p99(handle)[0]
        print(f"\nFirst `check()` in the process (engines load): {first:.0f} ms, not in the rows above. "
              f"check(kb=kb) p50 {p50:.0f} ms: target ≤ 300 ms {'met' if p50 <= 300 else 'MISSED'}.")
        kb.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
