"""Vector stores: a small interface, and FAISS behind it.

``VectorStore`` is what ``kb`` codes against (add/remove by id, search, save/load), so a
server-backed store can replace FAISS for collections that outgrow one machine.
``FaissStore`` picks its index by size (``choose_kind``; thresholds below, measured in
``benchmarks/scale.py``) and rebuilds itself when it grows past one:

=============  ============================  =======================================
vectors        index                         why
=============  ============================  =======================================
< 50k          ``flat``     IndexFlatIP       exact; a query scans 50k×384 in ~2 ms
50k – 500k     ``hnsw``     HNSW32, float32   sub-millisecond queries, recall@10 ≈ 0.99
500k – 5M      ``ivf_sq``   IVF(2√n), fp16    1M: built in ~40 s (HNSW: >10 min on two
                                              busy cores), 1.1 GB, p50 ~9 ms, recall@10
                                              0.998 at nprobe 32
≥ 5M           ``ivfpq``    IVF + PQ48        ~60 bytes a vector; lower recall, for bulk
=============  ============================  =======================================

``hnsw_sq`` (HNSW over fp16 vectors) is available by name. Numbers: benchmarks/scale.py.
Vectors are expected L2-normalised, so inner product is cosine similarity.
FAISS and numpy load on first use, never at import.
"""
from __future__ import annotations

import logging
import math
import os
from typing import Any, Collection, Iterable, Protocol, Sequence, runtime_checkable

log = logging.getLogger(__name__)

FLAT_MAX = 50_000
HNSW_MAX = 500_000
IVF_SQ_MAX = 5_000_000
HNSW_M = 32
HNSW_EF_CONSTRUCTION = 64
HNSW_EF_SEARCH = 96
#: below this many allowed ids a filtered search scans them exactly instead of walking
#: the graph with a selector (a graph walk over a sparse subset loses recall)
EXACT_FILTER_MAX = 20_000
KINDS = ("flat", "hnsw", "hnsw_sq", "ivf_sq", "ivfpq")
IVF_KINDS = ("ivf_sq", "ivfpq")


@runtime_checkable
class VectorStore(Protocol):
    """Ids are caller-chosen int64s (a chunk's row id); scores are inner products."""

    dim: int

    def add(self, ids: Sequence[int], vectors: Any) -> None: ...

    def remove(self, ids: Iterable[int]) -> int: ...

    def search(self, queries: Any, k: int, *, allowed: Collection[int] | None = None
               ) -> list[list[tuple[int, float]]]: ...

    def save(self, path: str | os.PathLike) -> None: ...

    def __len__(self) -> int: ...

    def info(self) -> dict[str, Any]: ...


def choose_kind(n: int, *, flat_max: int = FLAT_MAX, hnsw_max: int = HNSW_MAX,
                ivf_sq_max: int = IVF_SQ_MAX) -> str:
    if n < flat_max:
        return "flat"
    if n < hnsw_max:
        return "hnsw"
    if n < ivf_sq_max:
        return "ivf_sq"
    return "ivfpq"


def _faiss():
    try:
        import faiss
    except ImportError as exc:  # pragma: no cover - faiss-cpu is a declared dependency of [kb]
        raise RuntimeError("vector search needs faiss-cpu (pip install 'verity-middleware[kb]')") from exc
    return faiss


class FaissStore:
    """FAISS index wrapped in ``IndexIDMap2`` so vectors are addressed by the caller's ids.

    ``kind="auto"`` follows ``choose_kind`` as the store grows; a fixed kind stays.
    Removing from an HNSW graph is not supported by FAISS, so it rebuilds from the stored
    vectors (O(n); removals are rare next to searches)."""

    def __init__(self, dim: int, kind: str = "auto", *, ef_search: int = HNSW_EF_SEARCH,
                 nprobe: int = 32, thresholds: dict[str, int] | None = None) -> None:
        if kind != "auto" and kind not in KINDS:
            raise ValueError(f"unknown index kind {kind!r}; choose from auto, {', '.join(KINDS)}")
        self.dim = int(dim)
        self.mode = kind
        self.ef_search = ef_search
        self.nprobe = nprobe
        self.thresholds = dict(thresholds or {})
        # IVF needs training vectors: an empty store starts flat and becomes IVF on first add
        self.kind = kind if kind not in ("auto",) + IVF_KINDS else "flat"
        self.index = self._new(self.kind, 0)

    # ------------------------------------------------------------ construction
    def _new(self, kind: str, n: int, train: Any = None):
        faiss = _faiss()
        d = self.dim
        ip = faiss.METRIC_INNER_PRODUCT
        if kind == "flat":
            base = faiss.IndexFlatIP(d)
        elif kind == "hnsw":
            base = faiss.IndexHNSWFlat(d, HNSW_M, ip)
        elif kind == "hnsw_sq":
            base = faiss.IndexHNSWSQ(d, faiss.ScalarQuantizer.QT_fp16, HNSW_M, ip)
        elif kind == "ivf_sq":
            nlist = max(1, min(65536, int(2 * math.sqrt(max(n, 1)))))
            base = faiss.IndexIVFScalarQuantizer(faiss.IndexFlatIP(d), d, nlist,
                                                 faiss.ScalarQuantizer.QT_fp16, ip)
        else:
            nlist = max(1, min(65536, int(4 * math.sqrt(max(n, 1)))))
            base = faiss.IndexIVFPQ(faiss.IndexFlatIP(d), d, nlist, _pq_m(d), 8, ip)
        if kind in ("hnsw", "hnsw_sq"):
            base.hnsw.efConstruction = HNSW_EF_CONSTRUCTION
            base.hnsw.efSearch = self.ef_search
        if not base.is_trained:
            if train is None or len(train) == 0:
                raise ValueError(f"a {kind} index must be trained on vectors first")
            base.train(_sample(train, 64 * getattr(base, "nlist", 1)))
        if kind in IVF_KINDS:  # IVF keeps external ids itself; IDMap2 cannot remove from it
            base.nprobe = self.nprobe
            base.set_direct_map_type(faiss.DirectMap.Hashtable)
            return base
        return faiss.IndexIDMap2(base)

    def _target_kind(self, n: int) -> str:
        return self.mode if self.mode != "auto" else choose_kind(n, **{
            k: v for k, v in self.thresholds.items() if k in ("flat_max", "hnsw_max", "ivf_sq_max")})

    def _all(self):
        """(ids, vectors) currently stored (vectors decoded: exact for flat/hnsw)."""
        import numpy as np

        faiss = _faiss()
        n = self.index.ntotal
        if not n:
            return np.zeros(0, "int64"), np.zeros((0, self.dim), "float32")
        if self.kind in IVF_KINDS:
            inv = self.index.invlists
            ids = np.concatenate([faiss.rev_swig_ptr(inv.get_ids(lst), inv.list_size(lst)).copy()
                                  for lst in range(inv.nlist) if inv.list_size(lst)])
            ids = ids.astype("int64")
            vecs = self.index.reconstruct_batch(ids)
        else:
            ids = faiss.vector_to_array(self.index.id_map).astype("int64")
            vecs = self.index.index.reconstruct_n(0, n)
        return ids, np.ascontiguousarray(vecs, dtype="float32")

    def _rebuild(self, kind: str, ids, vecs) -> None:
        log.info("building a %s index over %d vectors", kind, len(ids))
        index = self._new(kind, len(ids), train=vecs if kind in IVF_KINDS else None)
        if len(ids):
            index.add_with_ids(vecs, ids)
        self.index, self.kind = index, kind

    # ------------------------------------------------------------ VectorStore
    def __len__(self) -> int:
        return int(self.index.ntotal)

    def add(self, ids: Sequence[int], vectors: Any) -> None:
        import numpy as np

        vecs = np.ascontiguousarray(vectors, dtype="float32")
        ids_arr = np.asarray(ids, dtype="int64")
        if vecs.ndim != 2 or vecs.shape[1] != self.dim:
            raise ValueError(f"expected vectors of shape (n, {self.dim}), got {vecs.shape}")
        if len(ids_arr) != len(vecs):
            raise ValueError(f"{len(ids_arr)} ids for {len(vecs)} vectors")
        if not len(vecs):
            return
        target = self._target_kind(len(self) + len(vecs))
        if target != self.kind:
            old_ids, old_vecs = self._all()
            self._rebuild(target, np.concatenate([old_ids, ids_arr]), np.vstack([old_vecs, vecs]))
            return
        self.index.add_with_ids(vecs, ids_arr)

    def remove(self, ids: Iterable[int]) -> int:
        import numpy as np

        faiss = _faiss()
        drop = np.fromiter((int(i) for i in ids), dtype="int64")
        if not len(drop) or not len(self):
            return 0
        before = len(self)
        try:
            self.index.remove_ids(faiss.IDSelectorBatch(drop))
        except RuntimeError:  # HNSW cannot delete: rebuild without them
            all_ids, vecs = self._all()
            keep = ~np.isin(all_ids, drop)
            self._rebuild(self.kind, all_ids[keep], vecs[keep])
        if self.mode == "auto" and self._target_kind(len(self)) != self.kind:
            all_ids, vecs = self._all()
            self._rebuild(self._target_kind(len(self)), all_ids, vecs)
        return before - len(self)

    def search(self, queries: Any, k: int, *, allowed: Collection[int] | None = None
               ) -> list[list[tuple[int, float]]]:
        """Top ``k`` (id, score) per query, best first; ``allowed`` restricts the ids."""
        import numpy as np

        q = np.ascontiguousarray(queries, dtype="float32")
        if q.ndim == 1:
            q = q[None, :]
        if q.shape[1] != self.dim:
            raise ValueError(f"query dimension {q.shape[1]} does not match the index ({self.dim})")
        if k <= 0 or not len(self):
            return [[] for _ in range(len(q))]
        if allowed is not None:
            allowed_arr = np.fromiter((int(i) for i in allowed), dtype="int64")
            if not len(allowed_arr):
                return [[] for _ in range(len(q))]
            if self.kind != "flat" and len(allowed_arr) <= EXACT_FILTER_MAX:
                return self._exact_subset(q, k, allowed_arr)
            scores, ids = self.index.search(q, k, params=self._params(allowed_arr))
        else:
            scores, ids = self.index.search(q, min(k, len(self)), params=self._params(None))
        return [[(int(i), float(s)) for i, s in zip(row_i, row_s) if i >= 0]
                for row_i, row_s in zip(ids, scores)]

    def _params(self, allowed):
        faiss = _faiss()
        sel = faiss.IDSelectorBatch(allowed) if allowed is not None else None
        if self.kind in ("hnsw", "hnsw_sq"):
            p = faiss.SearchParametersHNSW()
            p.efSearch = self.ef_search
        elif self.kind in IVF_KINDS:
            p = faiss.SearchParametersIVF()
            p.nprobe = self.nprobe
        else:
            p = faiss.SearchParameters()
        if sel is not None:
            p.sel = sel
            self._sel = sel  # keep the selector alive while FAISS holds a pointer to it
        return p

    def _exact_subset(self, q, k: int, allowed) -> list[list[tuple[int, float]]]:
        import numpy as np

        try:
            mat = self.index.reconstruct_batch(allowed)
            present = [int(i) for i in allowed]
        except RuntimeError:  # some ids are not in this store: take the others one by one
            present, vecs = [], []
            for i in allowed:
                try:
                    vecs.append(self.index.reconstruct(int(i)))
                    present.append(int(i))
                except RuntimeError:
                    continue
            if not present:
                return [[] for _ in range(len(q))]
            mat = np.vstack(vecs)
        mat = np.ascontiguousarray(mat, dtype="float32")
        sims = q @ mat.T
        out = []
        for row in sims:
            top = np.argsort(-row, kind="stable")[:k]
            out.append([(present[j], float(row[j])) for j in top])
        return out

    def save(self, path: str | os.PathLike) -> None:
        """Write to ``path`` atomically (a temporary file, then rename)."""
        faiss = _faiss()
        tmp = f"{os.fspath(path)}.tmp-{os.getpid()}"
        try:
            faiss.write_index(self.index, tmp)
            with open(tmp, "rb+") as fh:
                os.fsync(fh.fileno())
            os.replace(tmp, path)
        finally:
            if os.path.exists(tmp):
                os.unlink(tmp)

    @classmethod
    def load(cls, path: str | os.PathLike, *, kind: str = "auto", **kwargs: Any) -> "FaissStore":
        faiss = _faiss()
        try:
            index = faiss.read_index(os.fspath(path))
        except RuntimeError as exc:
            raise ValueError(f"cannot read vector index {path}: {str(exc).splitlines()[-1]}") from None
        if isinstance(index, (faiss.IndexIVFPQ, faiss.IndexIVFScalarQuantizer)):
            base = index
            if index.direct_map.type != faiss.DirectMap.Hashtable:
                index.set_direct_map_type(faiss.DirectMap.Hashtable)
        elif isinstance(index, faiss.IndexIDMap2):
            base = faiss.downcast_index(index.index)  # a view; ``index`` owns it
        else:
            raise ValueError(f"{path} is not an index written by FaissStore")
        found = {"IndexFlatIP": "flat", "IndexHNSWFlat": "hnsw", "IndexHNSWSQ": "hnsw_sq",
                 "IndexIVFScalarQuantizer": "ivf_sq", "IndexIVFPQ": "ivfpq"}.get(type(base).__name__)
        if found is None:
            raise ValueError(f"{path} holds an unsupported index type {type(base).__name__}")
        store = cls(index.d, kind=kind, **kwargs)
        store.index, store.kind, store._base = index, found, base
        if found in ("hnsw", "hnsw_sq"):
            base.hnsw.efSearch = store.ef_search
        elif found in IVF_KINDS:
            base.nprobe = store.nprobe
        return store

    def info(self) -> dict[str, Any]:
        out: dict[str, Any] = {"backend": "faiss", "kind": self.kind, "mode": self.mode,
                               "count": len(self), "dim": self.dim}
        if self.kind in ("hnsw", "hnsw_sq"):
            out.update(M=HNSW_M, ef_construction=HNSW_EF_CONSTRUCTION, ef_search=self.ef_search)
        elif self.kind in IVF_KINDS:
            out.update(nlist=int(self.index.nlist), nprobe=self.nprobe)
            if self.kind == "ivfpq":
                out["pq_m"] = _pq_m(self.dim)
        return out


def _pq_m(d: int) -> int:
    """PQ sub-quantizers: 8 dimensions each, as close as divisibility allows."""
    for m in range(max(1, d // 8), 0, -1):
        if d % m == 0:
            return m
    return 1


def _sample(x, n: int):
    import numpy as np

    if len(x) <= n:
        return np.ascontiguousarray(x, dtype="float32")
    rng = np.random.default_rng(0)
    return np.ascontiguousarray(x[rng.choice(len(x), n, replace=False)], dtype="float32")
