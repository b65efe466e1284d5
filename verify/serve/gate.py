"""The door every request passes: the API key (constant-time compare), the body limit
(read at most ``max_body`` bytes, then 413), and the request metrics. Plain ASGI, so it
runs before FastAPI parses anything."""
from __future__ import annotations

import hmac
import time
from typing import Any, Awaitable, Callable

from . import metrics
from .errors import ApiError, error_response

OPEN_PATHS = frozenset({"/healthz", "/readyz"})  # probes work without the key

Scope = dict[str, Any]
Message = dict[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]


class Gate:
    def __init__(self, app: Any, *, api_key: str | None, max_body: int) -> None:
        self.app = app
        self.key = api_key.encode("utf-8") if api_key else None
        self.max_body = max_body

    def _authorized(self, scope: Scope) -> bool:
        if self.key is None or scope["path"] in OPEN_PATHS:
            return True
        given = dict(scope["headers"]).get(b"authorization", b"")
        scheme, _, token = given.partition(b" ")
        return scheme.lower() == b"bearer" and hmac.compare_digest(token.strip(), self.key)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        status = [500]

        async def send_observed(message: Message) -> None:
            if message["type"] == "http.response.start":
                status[0] = message["status"]
            await send(message)

        try:
            problem = None if self._authorized(scope) else ApiError(
                401, "unauthorized", "a valid API key is required: Authorization: Bearer <key>",
                headers={"WWW-Authenticate": "Bearer"})
            if problem is None:
                body, problem = await self._read_body(scope, receive)
            if problem is not None:
                await error_response(problem)(scope, receive, send_observed)
                return
            await self.app(scope, _replay(body, receive), send_observed)
        finally:
            metrics.request(scope["path"], scope["method"], status[0],
                            time.perf_counter() - started)

    async def _read_body(self, scope: Scope, receive: Receive) -> tuple[bytes, ApiError | None]:
        too_large = ApiError(413, "too_large", f"the request body is larger than "
                             f"{self.max_body:,} bytes")
        length = dict(scope["headers"]).get(b"content-length")
        if length is not None and length.isdigit() and int(length) > self.max_body:
            return b"", too_large
        chunks, size = [], 0
        while True:
            message = await receive()
            if message["type"] == "http.disconnect":
                return b"", ApiError(400, "disconnected", "the client went away")
            chunk = message.get("body", b"")
            size += len(chunk)
            if size > self.max_body:
                return b"", too_large
            chunks.append(chunk)
            if not message.get("more_body"):
                return b"".join(chunks), None


def _replay(body: bytes, receive: Receive) -> Receive:
    """The body already read, then the connection's own messages (disconnects)."""
    sent = False

    async def again() -> Message:
        nonlocal sent
        if not sent:
            sent = True
            return {"type": "http.request", "body": body, "more_body": False}
        return await receive()

    return again
