"""``verify.open_kb``: open a knowledge base once, warm, for many checks in one process.

``check(answer, kb="dir")`` opens the directory on every call, and the first search in a
process loads the embedding model (seconds). A tutor loop that checks reply after reply
should open the base once and pass the handle: the model, the vector index and the chunk
store are then loaded once, here, and each ``check(answer, kb=kb)`` pays only its own search
and judging (benchmarks/tutor.py measures both ways). The handle is thread-safe; close it
(or use it as a context manager) when done.
"""
from __future__ import annotations

import os
from typing import Any


def open_kb(path: str | os.PathLike[str], *, warm: bool = True, rerank: bool = False) -> Any:
    """The ``kb.KnowledgeBase`` at ``path``, with its embedding model and index loaded now
    (``warm=False`` defers that to the first search). ``rerank`` makes its searches rerank
    with the packaged cross-encoder. ``FileNotFoundError`` when there is no base at
    ``path``, ``ValueError`` when it is corrupt or built with another model."""
    if not isinstance(path, (str, os.PathLike)):
        raise TypeError(f"path must be a directory path, got {type(path).__name__}")
    from kb import KnowledgeBase  # lazy: faiss and torch

    return KnowledgeBase.open(path, warm=warm, rerank=rerank)
