"""``verity serve``: Verity as a service — a REST API over the public functions and a
verifying OpenAI-compatible proxy, on FastAPI + uvicorn (``pip install
'verity-middleware[serve]'``).

Each uvicorn worker process loads the engines and knowledge bases once and runs every
verification on ONE thread behind a bounded queue (``verify.serve.runtime.Verifier``): the
engines need no thread-safety, a full queue answers 429 with ``Retry-After``, and throughput
scales with ``--workers`` processes (one per core).
"""
from __future__ import annotations

from .config import ServeConfig

__all__ = ["ServeConfig", "create_app"]


def create_app(config: ServeConfig | None = None):  # noqa: ANN201 - FastAPI is an optional import
    """The ASGI app for ``config`` (default: loopback, no knowledge base, no upstream)."""
    from .app import create_app as _create

    return _create(config or ServeConfig())
