"""Prometheus metrics: requests, latency and verdicts per endpoint. With several workers
(``PROMETHEUS_MULTIPROC_DIR`` set by ``verity serve``) every worker writes its counts to
that directory and ``/metrics`` sums them, whichever worker answers."""
from __future__ import annotations

import os

from prometheus_client import (CONTENT_TYPE_LATEST, CollectorRegistry, Counter, Histogram,
                               generate_latest, multiprocess)

_REGISTRY = CollectorRegistry()
REQUESTS = Counter("verity_requests", "HTTP requests answered", ["endpoint", "method", "code"],
                   registry=_REGISTRY)
LATENCY = Histogram("verity_request_seconds", "Time to answer a request", ["endpoint"],
                    buckets=(0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5,
                             5, 10, 30, 60), registry=_REGISTRY)
VERDICTS = Counter("verity_verdicts", "Verdicts given (report or record status)",
                   ["endpoint", "status"], registry=_REGISTRY)
ROUTES = ("/healthz", "/readyz", "/metrics", "/docs", "/openapi.json", "/v1/check", "/v1/math",
          "/v1/invoice", "/v1/logic", "/v1/batch", "/v1/chat/completions")


def endpoint(path: str) -> str:
    """A bounded label: the route, never the raw path (a KB name or typo in a URL)."""
    if path in ROUTES:
        return path
    if path.startswith("/v1/kb/") and path.endswith("/search"):
        return "/v1/kb/{name}/search"
    return "other"


def request(path: str, method: str, code: int, seconds: float) -> None:
    label = endpoint(path)
    REQUESTS.labels(label, method, str(code)).inc()
    LATENCY.labels(label).observe(seconds)


def verdict(path: str, status: str) -> None:
    VERDICTS.labels(path, status).inc()


def render() -> tuple[bytes, str]:
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        registry = CollectorRegistry()
        multiprocess.MultiProcessCollector(registry)
        return generate_latest(registry), CONTENT_TYPE_LATEST
    return generate_latest(_REGISTRY), CONTENT_TYPE_LATEST
