"""``KnowledgeBase``: build, update, open and search a persisted index with citations."""
from __future__ import annotations

import json
import logging
import os
import sqlite3
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Sequence

from . import store
from .chunking import CHUNKER_VERSION, DEFAULT_CHUNK_SIZE, DEFAULT_OVERLAP, Chunk, chunk_document
from .readers import Document, Skipped, read_sources
from .types import Citation, Hit

log = logging.getLogger(__name__)

MODES = ("hybrid", "dense", "bm25")
#: Hybrid fusion: z-scores per query (``retrieval.fusion.zscore_fusion``), dense and BM25
#: weighted equally: whichever retriever has the standout hit for *this* query leads, so no
#: weight is fitted to one book. Chosen once on the dev halves of three corpora
#: (benchmarks/retrieval.py): Prealgebra and SymPy's docstrings, where dense is stronger,
#: and the Python reference, where BM25 is. The rank fusion it replaced (dense 1.0, BM25
#: 0.5, k = 5, fitted to Prealgebra) lost 9 points of recall@5 to BM25 on the latter.
DEFAULT_FUSION = "zscore"
DEFAULT_WEIGHTS = (1.0, 1.0)
#: k of rank fusion when ``fusion="rrf"`` (small, so a BM25-only exact match still counts)
DEFAULT_RRF_K = 5
#: hybrid candidates the cross-encoder re-scores (~0.1 s per pair-batch of 10 on one core)
RERANK_DEPTH = 10
FILTER_KEYS = ("source", "section", "kind", "title", "page")
MAX_K = 1000
MAX_QUERY_CHARS = 10_000


@dataclass(frozen=True)
class BuildReport:
    """What a build, add or remove did (the CLI prints it as the summary)."""

    added: tuple[str, ...] = ()
    replaced: tuple[str, ...] = ()
    unchanged: tuple[str, ...] = ()
    removed: tuple[str, ...] = ()
    skipped: tuple[Skipped, ...] = ()
    warnings: tuple[str, ...] = ()
    chunks_added: int = 0
    chunks_removed: int = 0
    total_chunks: int = 0
    total_sources: int = 0
    seconds: float = 0.0
    committed: bool = False

    def to_dict(self) -> dict[str, Any]:
        return {"added": list(self.added), "replaced": list(self.replaced),
                "unchanged": list(self.unchanged), "removed": list(self.removed),
                "skipped": [s.to_dict() for s in self.skipped], "warnings": list(self.warnings),
                "chunks_added": self.chunks_added, "chunks_removed": self.chunks_removed,
                "total_chunks": self.total_chunks, "total_sources": self.total_sources,
                "seconds": round(self.seconds, 3), "committed": self.committed}

    def summary(self) -> str:
        parts = [f"{len(self.added)} added", f"{len(self.replaced)} replaced",
                 f"{len(self.unchanged)} unchanged"]
        if self.removed:
            parts.append(f"{len(self.removed)} removed")
        if self.skipped:
            parts.append(f"{len(self.skipped)} skipped")
        return (f"{', '.join(parts)}; {self.total_sources} sources, {self.total_chunks} chunks "
                f"(+{self.chunks_added} −{self.chunks_removed}) in {self.seconds:.1f} s")


@dataclass
class _Row:
    """A stored chunk a search found, with the score each ranking gave it."""

    id: int
    chunk: Chunk
    scores: dict[str, float] = field(default_factory=dict)


def _model_info(embedder: Any) -> dict[str, Any]:
    """The manifest's record of the model: name, version, dim (what must match to search),
    its path, and the precision passages were encoded in (bf16 vectors are within cosine
    0.9999 of fp32 ones, so either opens with the same model)."""
    info = dict(embedder.info())
    path = getattr(embedder, "path", None)
    if path:
        info["path"] = str(path)
    info["precision"] = getattr(embedder, "bulk_precision", "float32")
    return info


def _same_model(a: dict[str, Any], b: dict[str, Any]) -> bool:
    return (a.get("name"), str(a.get("version")), int(a.get("dim") or 0)) == \
        (b.get("name"), str(b.get("version")), int(b.get("dim") or 0))


def _describe(m: dict[str, Any]) -> str:
    return f"{m.get('name')} (version {m.get('version')}, {m.get('dim')}-d)"


class KnowledgeBase:
    """A directory holding documents, chunks, a BM25 index and a vector index.

    Open one with ``KnowledgeBase.open(path)``; create one with ``KnowledgeBase.build``.
    The embedding model and FAISS load once per handle, on the first search that needs
    them, so opening is cheap (``info()`` never loads them); ``warm()`` (or ``open(...,
    warm=True)``) loads them up front. Keep one handle open and reuse it: every search and
    every ``check(answer, kb=kb)`` after that pays no loading."""

    def __init__(self, path: Path, manifest: dict[str, Any], *, embedder: Any = None,
                 reranker: Any = None, weights: Sequence[float] | None = None,
                 rrf_k: int | None = None, rerank: bool = False, fusion: str | None = None) -> None:
        self.path = path
        self._manifest = manifest
        self._embedder = embedder
        self._reranker = reranker
        self.weights = tuple(weights or DEFAULT_WEIGHTS)
        self.rrf_k = int(rrf_k if rrf_k is not None else DEFAULT_RRF_K)
        self.fusion = _fusion(fusion or DEFAULT_FUSION)
        self.rerank_default = rerank
        from retrieval.lexical import POSTING_BUDGET

        #: rows BM25 may score per hybrid query (None = exact); see retrieval.lexical
        self.posting_budget = POSTING_BUDGET
        self._lock = threading.RLock()
        self._store = None
        self._conn = store.connect(path / manifest["files"]["chunks"], readonly=True)
        self.last_report: BuildReport | None = None
        if embedder is not None:
            self._check_model(embedder)

    # ------------------------------------------------------------------ opening
    @classmethod
    def open(cls, path: str | os.PathLike, *, embedder: Any = None, reranker: Any = None,
             weights: Sequence[float] | None = None, rrf_k: int | None = None,
             rerank: bool = False, fusion: str | None = None, warm: bool = False
             ) -> "KnowledgeBase":
        """Open an existing base. ``FileNotFoundError`` when there is none at ``path``;
        ``ValueError`` when it is corrupt, newer than this code, or built with another model
        than ``embedder``. ``fusion``, ``weights`` (dense, bm25), ``rrf_k`` and ``rerank``
        set this handle's search defaults; ``reranker`` replaces the packaged cross-encoder.
        ``warm``: load the models and the vector index now (see ``warm``)."""
        directory = Path(path)
        for attempt in range(3):  # a writer may swap generations between two reads
            manifest = store.read_manifest(directory)
            try:
                kb = cls(directory, manifest, embedder=embedder, reranker=reranker,
                         weights=weights, rrf_k=rrf_k, rerank=rerank, fusion=fusion)
                return kb.warm() if warm else kb
            except (sqlite3.OperationalError, FileNotFoundError):
                if attempt == 2:
                    raise ValueError(f"{directory} is corrupt: cannot open its chunk store") from None
                time.sleep(0.05)
        raise AssertionError("unreachable")

    @classmethod
    def build(cls, sources: Sequence[str | os.PathLike | Document], out: str | os.PathLike, *,
              embedder: Any = None, chunk_size: int = DEFAULT_CHUNK_SIZE,
              overlap: int = DEFAULT_OVERLAP, force: bool = False, progress: bool = True,
              index_kind: str = "auto") -> "KnowledgeBase":
        """Index ``sources`` (files, directories or ``Document``s) into a new base at ``out``.

        Refuses to replace an existing base unless ``force``; never touches a directory
        that holds anything else. The previous base stays intact until the new one is
        complete. Unreadable files are skipped and listed in ``kb.last_report``."""
        if chunk_size < 50 or not 0 <= overlap < chunk_size // 2:
            raise ValueError(f"bad chunker settings: chunk_size={chunk_size} (≥ 50), "
                             f"overlap={overlap} (0 ≤ overlap < chunk_size/2)")
        directory = Path(out)
        if directory.exists():
            if not directory.is_dir():
                raise FileExistsError(f"{directory} exists and is a file")
            if not store.is_ours(directory):
                raise FileExistsError(f"{directory} exists and is not a knowledge base; "
                                      "refusing to write into it")
            if (directory / store.MANIFEST).exists() and not force:
                raise FileExistsError(f"{directory} already holds a knowledge base; "
                                      "use force=True (--force) to replace it")
        docs, skipped = _read(sources)
        if not docs:
            raise ValueError(_nothing_message(sources, skipped))
        directory.mkdir(parents=True, exist_ok=True)
        embedder = embedder if embedder is not None else _default_embedder()
        manifest = {
            "format": store.FORMAT, "format_version": store.FORMAT_VERSION,
            "created": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
            "model": _model_info(embedder),
            "chunker": {"chunk_size": chunk_size, "overlap": overlap, "version": CHUNKER_VERSION,
                        "embed_context": True},
            "index": {"requested": index_kind},
            "sources": {},
        }
        report = _write(directory, manifest, docs, skipped, (), embedder, base=None,
                        progress=progress)
        kb = cls.open(directory, embedder=embedder)
        kb.last_report = report
        return kb

    def warm(self) -> "KnowledgeBase":
        """Load the embedding model, the vector index and (when this handle reranks by
        default) the reranker now, once, instead of on the first search. Returns ``self``."""
        self.search("warm up", k=1)
        return self

    # ------------------------------------------------------------------ updating
    def add(self, sources: Sequence[str | os.PathLike | Document], *, progress: bool = False
            ) -> BuildReport:
        """Add or refresh sources: an unchanged source (same checksum) is a no-op, a changed
        one has its chunks replaced. Chunker settings and model are the base's own."""
        docs, skipped = _read(sources)
        if not docs:
            raise ValueError(_nothing_message(sources, skipped))
        return self._update(docs, skipped, (), progress)

    def remove(self, source: str) -> BuildReport:
        """Remove a source, or every source under a directory given as it was at build time."""
        names = self._matching_sources(source)
        if not names:
            raise ValueError(f"no source {source!r} in {self.path} "
                             f"(see `verity kb info {self.path}` for the list)")
        return self._update([], [], names, False)

    def _matching_sources(self, source: str) -> list[str]:
        source = os.fspath(source).replace(os.sep, "/")
        known = self._manifest["sources"]
        if source in known:
            return [source]
        prefix = source.rstrip("/") + "/"
        return sorted(s for s in known if s.startswith(prefix))

    def _update(self, docs: list[Document], skipped: list[Skipped], removals: Sequence[str],
                progress: bool) -> BuildReport:
        with self._lock:
            if store.read_manifest(self.path).get("generation") != self._manifest.get("generation"):
                self._reload()  # changed by another handle or process: start from its state
            embedder = self.embedder if docs else None
            report = _write(self.path, self._manifest, docs, skipped, removals, embedder,
                            base=self, progress=progress)
            if report.committed:
                self._reload()
            self.last_report = report
            return report

    def _reload(self) -> None:
        manifest = store.read_manifest(self.path)
        conn = store.connect(self.path / manifest["files"]["chunks"], readonly=True)
        old, self._conn, self._manifest = self._conn, conn, manifest
        self._store = None
        old.close()

    # ------------------------------------------------------------------ reading
    @property
    def manifest(self) -> dict[str, Any]:
        """The manifest as JSON-ready data (a copy)."""
        return json.loads(json.dumps(self._manifest))

    @property
    def embedder(self) -> Any:
        """The embedding model this base was built with (loaded on first use)."""
        if self._embedder is None:
            model = self._manifest["model"]
            from retrieval.embedding import DEFAULT_MODEL, Embedder

            if model.get("name") == DEFAULT_MODEL:
                embedder = _default_embedder()
            elif model.get("path") and Path(model["path"]).is_dir():
                embedder = Embedder(model["path"], name=model["name"])
            else:
                raise ValueError(f"{self.path} was built with the model {_describe(model)}; "
                                 "open it with embedder=<that model>")
            self._check_model(embedder)
            self._embedder = embedder
        return self._embedder

    def _check_model(self, embedder: Any) -> None:
        want, got = self._manifest["model"], _model_info(embedder)
        if not _same_model(want, got):
            raise ValueError(f"{self.path} was built with the embedding model {_describe(want)}, "
                             f"not {_describe(got)}; open it with the same model or rebuild it")

    def _vectors(self):
        if self._store is None:
            from retrieval.vectorstore import FaissStore

            if not (self.path / self._manifest["files"]["vectors"]).exists():
                self._reload()  # another process committed a newer generation meanwhile
            self._store = FaissStore.load(self.path / self._manifest["files"]["vectors"],
                                          kind=_requested_kind(self._manifest))
        return self._store

    def sources(self) -> list[str]:
        return list(self._manifest["sources"])

    def source_text(self, source: str) -> str:
        """The extracted text of a source: what citation offsets point into."""
        with self._lock:
            row = self._conn.execute("SELECT text FROM documents WHERE source = ?",
                                     (os.fspath(source),)).fetchone()
        if row is None:
            raise KeyError(f"no source {source!r} in {self.path}")
        return row[0]

    def info(self) -> dict[str, Any]:
        m = self._manifest
        size = sum(p.stat().st_size for p in self.path.iterdir() if p.is_file())
        return {"path": str(self.path), "format_version": m["format_version"],
                "generation": m.get("generation"), "created": m.get("created"),
                "updated": m.get("updated"), "model": m["model"], "chunker": m["chunker"],
                "index": m.get("index", {}),
                "search": {"fusion": self.fusion, "weights": list(self.weights), "rrf_k": self.rrf_k,
                           "rerank": self.rerank_default},
                "counts": m.get("counts", {}), "size_bytes": size,
                "sources": [{"source": s, **{k: v for k, v in e.items() if k != "checksum"}}
                            for s, e in m["sources"].items()]}

    def close(self) -> None:
        self._conn.close()

    def __enter__(self) -> "KnowledgeBase":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def __repr__(self) -> str:
        c = self._manifest.get("counts", {})
        return f"KnowledgeBase({str(self.path)!r}, sources={c.get('sources')}, chunks={c.get('chunks')})"

    # ------------------------------------------------------------------ searching
    def search(self, query: str, k: int = 5, *, mode: str = "hybrid", rerank: bool | None = None,
               filters: dict[str, Any] | None = None, weights: Sequence[float] | None = None,
               candidates: int | None = None, fusion: str | None = None) -> list[Hit]:
        """The ``k`` best passages for ``query``, best first, overlapping chunks removed.

        ``mode``: ``hybrid`` (dense + BM25 fused, ``weights`` = (dense, bm25)), ``dense``
        or ``bm25``. ``fusion``: ``zscore`` (scores normalised per query, the default) or
        ``rrf`` (reciprocal ranks, k = ``rrf_k``); None = the handle's. ``rerank``: re-order the top candidates with
        the packaged cross-encoder (None = the base's default, off); when no reranker is
        installed this is logged and skipped. ``filters``: ``source`` (exact, a directory
        prefix, or a glob), ``section`` (case-insensitive substring of the heading path),
        ``kind`` (text/example/exercise/glossary), ``title``, ``page``; lists mean any-of."""
        if not isinstance(query, str) or not query.strip():
            raise ValueError("the query is empty")
        if len(query) > MAX_QUERY_CHARS:
            raise ValueError(f"the query is longer than {MAX_QUERY_CHARS} characters")
        if mode not in MODES:
            raise ValueError(f"unknown mode {mode!r}; choose from {', '.join(MODES)}")
        if not isinstance(k, int) or not 1 <= k <= MAX_K:
            raise ValueError(f"k must be an integer from 1 to {MAX_K}, got {k!r}")
        rerank = self.rerank_default if rerank is None else bool(rerank)
        weights = tuple(weights or self.weights)
        fusion = _fusion(fusion or self.fusion)
        if len(weights) != 2 or any(w < 0 for w in weights):
            raise ValueError("weights must be two non-negative numbers (dense, bm25)")
        with self._lock:
            allowed = self._filter_ids(filters) if filters else None
            if allowed is not None and not allowed:
                return []
            pool = candidates or max(4 * k, 40, RERANK_DEPTH if rerank else 0)
            rankings: list[list[tuple[int, float]]] = []
            if mode in ("dense", "hybrid"):
                qvec = self.embedder.encode([query])
                rankings.append(self._vectors().search(qvec, pool, allowed=allowed)[0])
            if mode in ("bm25", "hybrid"):
                from retrieval.lexical import FTS5Index

                budget = self.posting_budget if mode == "hybrid" else None  # bm25 mode: exact
                rankings.append(FTS5Index(self._conn, posting_budget=budget)
                                .search(query, pool, allowed=allowed))
            if mode == "hybrid" and fusion == "rrf":
                from retrieval.fusion import reciprocal_rank_fusion

                fused = reciprocal_rank_fusion([[i for i, _ in r] for r in rankings], weights,
                                               self.rrf_k)
            elif mode == "hybrid":
                from retrieval.fusion import zscore_fusion

                fused = zscore_fusion(rankings, weights)
            else:
                fused = rankings[0]
            rows = self._rows([i for i, _ in fused])
        names = ("dense", "bm25") if mode == "hybrid" else (mode,)
        for name, ranking in zip(names, rankings):
            for i, s in ranking:
                if i in rows:
                    rows[i].scores[name] = s
        ordered = []
        for i, s in fused:
            if i in rows:
                rows[i].scores[mode] = s
                ordered.append((rows[i], s))
        ordered = _dedup(ordered)
        if rerank:
            ordered = self._rerank(query, ordered, max(k, RERANK_DEPTH))
        return [Hit(rank=n, score=s, text=r.chunk.text,
                    citation=Citation(r.chunk.source, r.chunk.title, r.chunk.section, r.chunk.start,
                                      r.chunk.end, r.chunk.page, r.chunk.anchor),
                    chunk_id=r.id, kind=r.chunk.kind, scores=dict(r.scores))
                for n, (r, s) in enumerate(ordered[:k], start=1)]

    def _rerank(self, query: str, ordered: list[tuple[_Row, float]], depth: int
                ) -> list[tuple[_Row, float]]:
        reranker = self._reranker
        if reranker is None:
            from retrieval.rerank import RerankerUnavailable, default_reranker

            try:
                reranker = self._reranker = default_reranker()
            except RerankerUnavailable as exc:
                log.warning("not reranking: %s", exc)
                return ordered
        head = ordered[:depth]
        scores = reranker.score(query, [r.chunk.text for r, _ in head])
        for (r, _), s in zip(head, scores):
            r.scores["rerank"] = s
        head = sorted(((r, s) for (r, _), s in zip(head, scores)), key=lambda t: -t[1])
        return head + ordered[depth:]

    def _rows(self, ids: list[int]) -> dict[int, _Row]:
        if not ids:
            return {}
        cur = self._conn.execute(
            'SELECT id, source, title, section, kind, start, "end", page, anchor, text FROM chunks '
            "WHERE id IN (SELECT value FROM json_each(?))", (json.dumps(ids),))
        return {r[0]: _Row(r[0], Chunk(*r[1:])) for r in cur}

    def _filter_ids(self, filters: dict[str, Any]) -> set[int]:
        unknown = set(filters) - set(FILTER_KEYS)
        if unknown:
            raise ValueError(f"unknown filter {sorted(unknown)[0]!r}; use {', '.join(FILTER_KEYS)}")
        where, params = [], []
        for key, value in filters.items():
            values = list(value) if isinstance(value, (list, tuple, set, frozenset)) else [value]
            if not values:
                return set()
            ors = []
            for v in values:
                if key == "source":
                    v = os.fspath(v).replace(os.sep, "/")
                    if any(c in v for c in "*?["):
                        ors.append("source GLOB ?")
                        params.append(v)
                    else:
                        ors.append("(source = ? OR substr(source, 1, ?) = ?)")
                        prefix = v.rstrip("/") + "/"
                        params.extend([v, len(prefix), prefix])
                elif key == "section":
                    ors.append("instr(lower(section), lower(?)) > 0")
                    params.append(str(v))
                elif key == "page":
                    ors.append("page = ?")
                    params.append(int(v))
                else:
                    ors.append(f"{key} = ?")
                    params.append(str(v))
            where.append("(" + " OR ".join(ors) + ")")
        sql = "SELECT id FROM chunks WHERE " + " AND ".join(where)
        return {r[0] for r in self._conn.execute(sql, params)}


def _dedup(ordered: list[tuple[_Row, float]]) -> list[tuple[_Row, float]]:
    """Drop a chunk that overlaps a better-ranked chunk of the same source (window overlap)."""
    kept: list[tuple[_Row, float]] = []
    spans: dict[str, list[tuple[int, int]]] = {}
    for row, score in ordered:
        c = row.chunk
        mine = spans.setdefault(c.source, [])
        if any(c.start < e and s < c.end for s, e in mine):
            continue
        mine.append((c.start, c.end))
        kept.append((row, score))
    return kept


def _fusion(name: str) -> str:
    from retrieval.fusion import FUSIONS

    if name not in FUSIONS:
        raise ValueError(f"unknown fusion {name!r}; choose from {', '.join(FUSIONS)}")
    return name


def _requested_kind(manifest: dict[str, Any]) -> str:
    return manifest.get("index", {}).get("requested", "auto")


def _default_embedder() -> Any:
    from retrieval.embedding import default_embedder

    return default_embedder()


def _read(sources: Sequence[str | os.PathLike | Document]) -> tuple[list[Document], list[Skipped]]:
    if isinstance(sources, (str, os.PathLike, Document)):
        sources = [sources]
    given_docs = [s for s in sources if isinstance(s, Document)]
    paths = [s for s in sources if not isinstance(s, Document)]
    docs, skipped = read_sources(paths) if paths else ([], [])
    return given_docs + docs, skipped


def _nothing_message(sources: Sequence[Any], skipped: list[Skipped]) -> str:
    if skipped:
        listed = "; ".join(f"{s.source}: {s.reason}" for s in skipped[:5])
        more = f" (and {len(skipped) - 5} more)" if len(skipped) > 5 else ""
        return f"nothing to index: every file was skipped ({listed}{more})"
    return f"nothing to index: no documents found in {', '.join(map(str, sources))}"


def _progress(total: int, desc: str, enabled: bool):
    from tqdm import tqdm

    return tqdm(total=total, desc=desc, unit="chunk", disable=not enabled, file=sys.stderr,
                leave=False, dynamic_ncols=True)


def _embed(embedder: Any, chunks: list[Chunk], progress: bool):
    """One vector per chunk; an embedder with ``encode_many`` (bulk: sorted by length, bf16
    where native) is used through it, any other through ``encode`` in steps of 256."""
    import numpy as np

    texts = [c.embed_text() for c in chunks]
    with _progress(len(chunks), "embedding", progress) as bar:
        if hasattr(embedder, "encode_many"):
            vecs = embedder.encode_many(texts, progress=bar.update)
        else:
            parts = []
            for i in range(0, len(texts), 256):
                parts.append(embedder.encode(texts[i:i + 256]))
                bar.update(len(parts[-1]))
            vecs = np.vstack(parts)
    dim = int(embedder.dim)
    vecs = np.asarray(vecs, dtype="float32")
    if vecs.shape != (len(chunks), dim):
        raise ValueError(f"the embedder returned vectors of shape {vecs.shape}, expected ({len(chunks)}, {dim})")
    return vecs


def _write(directory: Path, manifest: dict[str, Any], docs: list[Document], skipped: list[Skipped],
           removals: Sequence[str], embedder: Any, *, base: KnowledgeBase | None,
           progress: bool) -> BuildReport:
    """Compute the change, embed, write a new generation and commit it (or nothing)."""
    from retrieval.lexical import FTS5Index

    t0 = time.perf_counter()
    known = manifest["sources"]
    added, replaced, unchanged = [], [], []
    for d in docs:
        entry = known.get(d.source) if base is not None else None
        if entry is None:
            added.append(d)
        elif entry.get("checksum") == d.checksum:
            unchanged.append(d.source)
        else:
            replaced.append(d)
    warnings = tuple(w for d in docs for w in d.warnings)
    todo = added + replaced
    if base is not None and not todo and not removals:
        c = manifest.get("counts", {})
        return BuildReport(unchanged=tuple(unchanged), skipped=tuple(skipped), warnings=warnings,
                           total_chunks=c.get("chunks", 0), total_sources=c.get("sources", 0),
                           seconds=time.perf_counter() - t0)
    if embedder is not None and base is not None:
        base._check_model(embedder)
    cfg = manifest["chunker"]
    chunks = [c for d in todo for c in chunk_document(d, cfg["chunk_size"], cfg["overlap"])]
    vecs = _embed(embedder, chunks, progress) if chunks else None

    with store.write_lock(directory):
        if base is not None and store.read_manifest(directory).get("generation") != manifest.get("generation"):
            raise RuntimeError(f"{directory} was changed by another process; reopen it and retry")
        gen = store.Generation(directory, store.next_generation(directory),
                               directory / manifest["files"]["chunks"] if base is not None else None)
        try:
            conn = gen.conn
            fts = FTS5Index(conn)
            fts.create()
            drop_sources = [d.source for d in replaced] + list(removals)
            old_ids = [r[0] for s in drop_sources
                       for r in conn.execute("SELECT id FROM chunks WHERE source = ?", (s,))]
            fts.remove(old_ids)
            conn.executemany("DELETE FROM chunks WHERE source = ?", ((s,) for s in drop_sources))
            conn.executemany("DELETE FROM documents WHERE source = ?", ((s,) for s in drop_sources))
            per_doc: dict[str, int] = {}
            for c in chunks:
                per_doc[c.source] = per_doc.get(c.source, 0) + 1
            now = time.time()
            conn.executemany(
                "INSERT INTO documents(source, title, format, checksum, size, text, n_chunks, added) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                ((d.source, d.title, d.format, d.checksum, d.size, d.text, per_doc.get(d.source, 0), now)
                 for d in todo))
            new_ids = []
            for c in chunks:
                cur = conn.execute(
                    'INSERT INTO chunks(source, title, section, kind, start, "end", page, anchor, text) '
                    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    (c.source, c.title, c.section, c.kind, c.start, c.end, c.page, c.anchor, c.text))
                new_ids.append(cur.lastrowid)
            fts.add((i, c.text, f"{c.title} {c.section}") for i, c in zip(new_ids, chunks))

            from retrieval.vectorstore import FaissStore

            if base is not None:
                vstore = FaissStore.load(directory / manifest["files"]["vectors"],
                                         kind=_requested_kind(manifest))
                vstore.remove(old_ids)
            else:
                vstore = FaissStore(int(manifest["model"]["dim"]), kind=_requested_kind(manifest))
            if chunks:
                vstore.add(new_ids, vecs)
            vstore.save(gen.vectors_tmp)

            sources = {} if base is None else {s: e for s, e in known.items()
                                               if s not in set(drop_sources)}
            for d in todo:
                sources[d.source] = {"checksum": d.checksum, "format": d.format, "title": d.title,
                                     "size": d.size, "chunks": per_doc.get(d.source, 0)}
            total = conn.execute("SELECT count(*) FROM chunks").fetchone()[0]
            new_manifest = dict(manifest, sources=sources,
                                counts={"sources": len(sources), "chunks": int(total)},
                                index=dict(vstore.info(), requested=_requested_kind(manifest)))
            gen.commit(new_manifest)
        except BaseException:
            gen.abort()
            raise
    report = BuildReport(added=tuple(d.source for d in added), replaced=tuple(d.source for d in replaced),
                         unchanged=tuple(unchanged), removed=tuple(removals), skipped=tuple(skipped),
                         warnings=warnings, chunks_added=len(chunks), chunks_removed=len(old_ids),
                         total_chunks=int(total), total_sources=len(sources),
                         seconds=time.perf_counter() - t0, committed=True)
    log.info("%s: %s", directory, report.summary())
    return report
