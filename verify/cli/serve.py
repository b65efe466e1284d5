"""verity serve [--host 127.0.0.1] [--port 8080] [--kb NAME=DIR ...] [--upstream URL]
[--workers N] [--api-key KEY] [--on-fail flag|correct|raise] [--max-body BYTES]
[--timeout S] [--queue N]

Runs the REST API and the verifying OpenAI-compatible proxy (``verify.serve``) on uvicorn.
Loopback only unless an API key is set; exit 2 on bad usage.
"""
from __future__ import annotations

import argparse
import atexit
import os
import shutil
import tempfile

from ._io import UsageError


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "serve", help="serve the REST API and a verifying OpenAI-compatible proxy",
        description="Serve /v1/check, /v1/math, /v1/invoice, /v1/logic, /v1/batch, "
                    "/v1/kb/NAME/search and the verifying proxy /v1/chat/completions "
                    "(OpenAPI at /docs, Prometheus at /metrics).")
    p.add_argument("--host", default="127.0.0.1",
                   help="address to bind (default 127.0.0.1; any other needs an API key)")
    p.add_argument("--port", type=int, default=8080, help="port (default 8080)")
    p.add_argument("--kb", action="append", default=[], metavar="NAME=DIR",
                   help="a knowledge base the requests may name (repeatable)")
    p.add_argument("--upstream", metavar="URL",
                   help="the OpenAI-compatible server the proxy forwards to (its key: "
                        "VERITY_LLM_API_KEY or OPENAI_API_KEY)")
    p.add_argument("--upstream-timeout", type=float, default=60.0, metavar="S",
                   help="seconds per upstream attempt (default 60)")
    p.add_argument("--workers", type=int, default=1, metavar="N",
                   help="worker processes, each with its own models (default 1; one per core)")
    p.add_argument("--api-key", metavar="KEY",
                   help="require Authorization: Bearer KEY (default: $VERITY_API_KEY)")
    p.add_argument("--on-fail", default="flag", choices=["flag", "correct", "raise"],
                   help="the proxy's policy when a request names none (default flag)")
    p.add_argument("--max-body", type=int, default=1_000_000, metavar="BYTES",
                   help="largest request body (default 1000000)")
    p.add_argument("--timeout", type=float, default=30.0, metavar="S",
                   help="seconds a request may take, queue wait included (default 30)")
    p.add_argument("--queue", type=int, default=64, metavar="N",
                   help="verifications waiting per worker before 429 (default 64)")
    p.set_defaults(func=run)


def _kbs(values: list[str]) -> tuple[tuple[str, str], ...]:
    out = []
    for value in values:
        name, sep, path = value.partition("=")
        if not sep or not name or not path:
            raise UsageError(f"--kb takes NAME=DIR, got {value!r}")
        if not name.replace("-", "").replace("_", "").isalnum():
            raise UsageError(f"--kb name {name!r}: use letters, digits, - and _")
        if not os.path.isdir(path):
            raise UsageError(f"--kb {name}: no knowledge base directory at {path}")
        out.append((name, os.path.abspath(path)))
    return tuple(out)


def run(args: argparse.Namespace) -> int:
    try:
        import uvicorn
    except ImportError:
        raise UsageError("verity serve needs its extra: pip install 'verity-middleware[serve]'") from None
    from verify.serve.config import API_KEY_ENV, ServeConfig

    if not 0 < args.port < 65536:
        raise UsageError("--port must be between 1 and 65535")
    try:
        config = ServeConfig(
            host=args.host, port=args.port, kbs=_kbs(args.kb), upstream=args.upstream,
            upstream_timeout=args.upstream_timeout, workers=args.workers, on_fail=args.on_fail,
            max_body=args.max_body, timeout=args.timeout, queue=args.queue,
            api_key=args.api_key or os.environ.get(API_KEY_ENV) or None)
        if config.upstream:
            from verify.llm.openai_compat import chat_url
            chat_url(config.upstream)
    except ValueError as exc:
        raise UsageError(str(exc)) from None
    os.environ.update(config.to_env())
    if config.workers > 1 and not os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        metrics_dir = tempfile.mkdtemp(prefix="verity-metrics-")
        atexit.register(shutil.rmtree, metrics_dir, ignore_errors=True)
        os.environ["PROMETHEUS_MULTIPROC_DIR"] = metrics_dir
    uvicorn.run("verify.serve.app:create_app_from_env", factory=True, host=config.host,
                port=config.port, workers=config.workers, access_log=args.verbose > 0,
                log_level="info" if args.verbose else "warning", timeout_graceful_shutdown=5)
    return 0
