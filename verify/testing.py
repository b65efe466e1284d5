"""A scripted OpenAI-compatible server on 127.0.0.1, for testing code that talks to an LLM
endpoint without a model, a key or a network: queue the replies (including 429s, 500s,
hangs and broken bodies), point ``OpenAICompatible`` at ``server.base_url``, and read back
what was sent in ``server.requests``.

    with StubOpenAIServer() as server:
        server.push(Reply(429, headers={"Retry-After": "1"}), Reply.chat("Paris"))
        OpenAICompatible(server.base_url, model="stub").complete("Capital of France?")
"""
from __future__ import annotations

import json
import logging
import threading
from collections import deque
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Callable, Iterable, Union

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Reply:
    """One scripted HTTP answer. ``body``: bytes/str sent as is, anything else as JSON.
    ``delay``: seconds to wait before answering (a hanging server)."""

    status: int = 200
    body: Any = None
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0

    @classmethod
    def chat(cls, *texts: str, **kw: Any) -> "Reply":
        """A chat completion with one choice per text."""
        return cls(200, completion(*texts), **kw)

    @classmethod
    def error(cls, status: int, message: str, **kw: Any) -> "Reply":
        """An error in OpenAI's shape: ``{"error": {"message": ...}}``."""
        return cls(status, {"error": {"message": message, "type": "stub_error"}}, **kw)

    def encoded(self) -> bytes:
        if self.body is None:
            return b""
        if isinstance(self.body, bytes):
            return self.body
        if isinstance(self.body, str):
            return self.body.encode("utf-8")
        return json.dumps(self.body).encode("utf-8")


Script = Union[Reply, Callable[[dict[str, Any]], Reply]]


def completion(*texts: str, model: str = "stub-model") -> dict[str, Any]:
    """An OpenAI chat-completion body carrying ``texts`` as its choices."""
    return {"id": "chatcmpl-stub", "object": "chat.completion", "model": model,
            "choices": [{"index": i, "message": {"role": "assistant", "content": t},
                         "finish_reason": "stop"} for i, t in enumerate(texts)]}


def echo(request: dict[str, Any]) -> Reply:
    """The reply when nothing is scripted: ``n`` choices echoing the last message."""
    body = request.get("json") or {}
    messages = body.get("messages") or [{}]
    last = str(messages[-1].get("content", ""))
    n = body.get("n", 1) if isinstance(body.get("n", 1), int) else 1
    return Reply.chat(*[f"echo {i}: {last}" for i in range(max(1, n))])


class StubOpenAIServer:
    """Serves ``POST …/chat/completions`` from a queue of replies (then ``default``) and
    ``GET …/models`` from ``models``; records every request."""

    def __init__(self, replies: Iterable[Script] = (), *,
                 default: Callable[[dict[str, Any]], Reply] = echo,
                 models: Iterable[str] = ("stub-model",)) -> None:
        self.script: deque[Script] = deque(replies)
        self.default = default
        self.models = list(models)
        self.requests: list[dict[str, Any]] = []
        self._lock = threading.Lock()
        self._stopping = threading.Event()
        self._server: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None

    @property
    def port(self) -> int:
        if self._server is None:
            raise RuntimeError("the stub server is not running")
        return int(self._server.server_address[1])

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/v1"

    def push(self, *replies: Script) -> None:
        with self._lock:
            self.script.extend(replies)

    def _next(self, request: dict[str, Any]) -> Reply:
        with self._lock:
            self.requests.append(request)
            item = self.script.popleft() if self.script else self.default
        return item(request) if callable(item) else item

    def start(self) -> "StubOpenAIServer":
        stub = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"
            disable_nagle_algorithm = True  # no 40 ms delayed-ACK stalls on keep-alive
            wbufsize = -1  # headers and body leave in one write (flushed per request)

            def log_message(self, fmt: str, *args: Any) -> None:
                log.debug("stub server: " + fmt, *args)

            def _answer(self, reply: Reply) -> None:
                if reply.delay and stub._stopping.wait(reply.delay):
                    return  # shutting down: drop the connection
                data = reply.encoded()
                try:
                    self.send_response(reply.status)
                    headers = {"Content-Type": "application/json", **reply.headers}
                    for key, value in headers.items():
                        self.send_header(key, value)
                    self.send_header("Content-Length", str(len(data)))
                    self.end_headers()
                    self.wfile.write(data)
                except (BrokenPipeError, ConnectionResetError):
                    log.debug("stub server: client went away")

            def do_POST(self) -> None:  # noqa: N802 - http.server's naming
                size = int(self.headers.get("Content-Length") or 0)
                raw = self.rfile.read(size) if size else b""
                try:
                    body = json.loads(raw) if raw else None
                except ValueError:
                    body = None
                request = {"method": "POST", "path": self.path, "headers": dict(self.headers),
                           "json": body}
                if not self.path.rstrip("/").endswith("/chat/completions"):
                    self._answer(Reply.error(404, f"no route {self.path}"))
                    return
                self._answer(stub._next(request))

            def do_GET(self) -> None:  # noqa: N802
                with stub._lock:
                    stub.requests.append({"method": "GET", "path": self.path,
                                          "headers": dict(self.headers), "json": None})
                if self.path.rstrip("/").endswith("/models"):
                    self._answer(Reply(200, {"object": "list", "data": [
                        {"id": m, "object": "model"} for m in stub.models]}))
                else:
                    self._answer(Reply.error(404, f"no route {self.path}"))

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, args=(0.05,),
                                        name="verity-stub-llm", daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stopping.set()
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None
        if self._thread is not None:
            self._thread.join(5)
            self._thread = None

    def __enter__(self) -> "StubOpenAIServer":
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()
