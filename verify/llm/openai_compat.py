"""Any OpenAI-compatible chat endpoint (OpenAI, vLLM, llama.cpp server, Ollama) over httpx.

Every call is bounded: each HTTP attempt by ``timeout``, the whole call (attempts, backoff
waits, extra calls for servers that ignore ``n``) by ``budget``. Transient failures (429,
5xx, connection errors, timeouts) are retried with exponential backoff and jitter,
honouring ``Retry-After``; anything else fails at once with an ``LLMError`` that names the
status and the server's own message, never the API key.
"""
from __future__ import annotations

import email.utils
import json
import logging
import os
import random
import threading
import time
from typing import TYPE_CHECKING, Any, Mapping
from urllib.parse import urlsplit, urlunsplit

from verify.limits import Budget

from .base import LLMError, LLMTimeout, Message, MessagesLike, check_request

if TYPE_CHECKING:
    import httpx

log = logging.getLogger(__name__)

RETRY_STATUS = frozenset({408, 409, 425, 429, 500, 502, 503, 504})
MAX_BODY_BYTES = 8 * 1024 * 1024   # a chat reply larger than this is a broken server
BACKOFF_BASE = 0.5                 # seconds before the first retry (then doubled)
BACKOFF_CAP = 8.0                  # longest backoff wait between two attempts
EXCERPT = 300                      # characters of a server message quoted in an error


def _env(*names: str) -> str | None:
    for name in names:
        value = os.environ.get(name, "").strip()
        if value:
            return value
    return None


def chat_url(base_url: str) -> str:
    """``…/chat/completions`` for a base URL given with or without ``/v1`` (or already
    complete), the way OpenAI, vLLM, llama.cpp and Ollama document theirs."""
    parts = urlsplit(base_url.strip())
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise ValueError(f"LLM base URL must start with http:// or https://, got {base_url!r}")
    path = parts.path.rstrip("/")
    if not path.endswith("/chat/completions"):
        path = (path or "/v1") + "/chat/completions"
    return urlunsplit((parts.scheme, parts.netloc, path, "", ""))


def _public_url(url: str) -> str:
    """The URL without any ``user:password@`` part, for messages and logs."""
    parts = urlsplit(url)
    host = parts.hostname or ""
    if parts.port:
        host = f"{host}:{parts.port}"
    return urlunsplit((parts.scheme, host, parts.path, "", ""))


def _retry_after(value: str | None) -> float | None:
    """Seconds from a ``Retry-After`` header (delta-seconds or an HTTP date)."""
    if not value:
        return None
    value = value.strip()
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when is None:
        return None
    return max(0.0, when.timestamp() - time.time())


class _Retryable(Exception):
    """One attempt failed in a way worth retrying."""

    def __init__(self, message: str, retry_after: float | None = None,
                 timed_out: bool = False) -> None:
        super().__init__(message)
        self.retry_after = retry_after
        self.timed_out = timed_out


class OpenAICompatible:
    """``/v1/chat/completions`` client. Arguments win over the environment
    (``VERITY_LLM_BASE_URL``/``OPENAI_BASE_URL``, ``VERITY_LLM_API_KEY``/``OPENAI_API_KEY``,
    ``VERITY_LLM_MODEL``). Without a model name, a server that serves exactly one model
    (llama.cpp, a single vLLM model) is asked for it; otherwise you must choose.

    ``timeout``: seconds per HTTP attempt. ``budget``: seconds for a whole ``complete()``
    call including retries and waits (default ``timeout × (max_retries + 1)``); a call's
    own ``timeout=`` argument replaces the budget for that call.
    """

    accepts_response_format = True

    def __init__(self, base_url: str | None = None, api_key: str | None = None,
                 model: str | None = None, *, timeout: float = 30, max_retries: int = 3,
                 budget: float | None = None, client: "httpx.Client | None" = None,
                 response_format: Mapping[str, Any] | None = None) -> None:
        base_url = base_url or _env("VERITY_LLM_BASE_URL", "OPENAI_BASE_URL")
        if not base_url:
            raise LLMError("no LLM endpoint: pass base_url= or set VERITY_LLM_BASE_URL "
                           "(e.g. http://127.0.0.1:8000/v1)")
        self.url = chat_url(base_url)
        self._api_key = api_key if api_key is not None else _env("VERITY_LLM_API_KEY",
                                                                  "OPENAI_API_KEY")
        self.model = model or _env("VERITY_LLM_MODEL")
        if not (isinstance(timeout, (int, float)) and timeout > 0):
            raise ValueError(f"timeout must be a positive number of seconds, got {timeout!r}")
        if not (isinstance(max_retries, int) and max_retries >= 0):
            raise ValueError(f"max_retries must be a non-negative integer, got {max_retries!r}")
        if budget is not None and not (isinstance(budget, (int, float)) and budget > 0):
            raise ValueError(f"budget must be a positive number of seconds, got {budget!r}")
        self.timeout = float(timeout)
        self.max_retries = max_retries
        self.budget = float(budget) if budget is not None else self.timeout * (max_retries + 1)
        self.response_format = dict(response_format) if response_format else None
        self._client = client
        self._owns_client = client is None
        self._lock = threading.Lock()

    @property
    def name(self) -> str:
        return f"{self.model or 'openai-compatible'}@{urlsplit(self.url).hostname}"

    def __repr__(self) -> str:  # never shows the key
        return f"OpenAICompatible(url={_public_url(self.url)!r}, model={self.model!r})"

    # -- lifecycle ---------------------------------------------------------------------
    @property
    def client(self) -> "httpx.Client":
        import httpx  # imported on first use: `import verify.llm` stays cheap

        with self._lock:
            if self._client is None:
                self._client = httpx.Client(follow_redirects=False)
            return self._client

    def close(self) -> None:
        if self._owns_client and self._client is not None:
            self._client.close()
            self._client = None

    def __enter__(self) -> "OpenAICompatible":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- the protocol ------------------------------------------------------------------
    def complete(self, messages: MessagesLike | str, *, n: int = 1, temperature: float = 0.0,
                 seed: int | None = None, timeout: float | None = None,
                 max_tokens: int | None = None,
                 response_format: Mapping[str, Any] | None = None) -> list[str]:
        """``n`` completions. Asks for all ``n`` in one request; a server that returns
        fewer (llama.cpp ignores ``n``) gets one request per missing sample, with seeds
        ``seed+1, seed+2, …`` so seeded samples still differ."""
        msgs = check_request(messages, n=n, temperature=temperature, timeout=timeout,
                             max_tokens=max_tokens)
        deadline = Budget.start(timeout if timeout is not None else self.budget)
        model = self.model or self._discover_model(deadline)
        fmt = response_format if response_format is not None else self.response_format
        out = self._chat(msgs, model, n, temperature, seed, max_tokens, fmt, deadline)
        extra = 0
        while len(out) < n:
            extra += 1
            log.debug("%s returned %d of %d choices; asking again", self.name, len(out), n)
            more_seed = None if seed is None else seed + extra
            out += self._chat(msgs, model, 1, temperature, more_seed, max_tokens, fmt, deadline)
        return out[:n]

    # -- internals ---------------------------------------------------------------------
    def _headers(self) -> dict[str, str]:
        headers = {"Content-Type": "application/json", "Accept": "application/json"}
        if self._api_key:
            headers["Authorization"] = f"Bearer {self._api_key}"
        return headers

    def _redact(self, text: str) -> str:
        if self._api_key and len(self._api_key) >= 4:
            text = text.replace(self._api_key, "[REDACTED]")
        return text

    def _server_message(self, body: bytes) -> str:
        """The server's own error message (OpenAI ``{"error": {"message"}}`` or plain
        text), shortened and with the key removed."""
        text = body.decode("utf-8", "replace").strip()
        try:
            data = json.loads(text)
        except ValueError:
            data = None
        if isinstance(data, dict):
            err = data.get("error", data.get("detail", data.get("message")))
            if isinstance(err, dict):
                err = err.get("message", err)
            if err is not None:
                text = err if isinstance(err, str) else json.dumps(err)
        text = self._redact(" ".join(text.split()))
        return text[:EXCERPT] + ("…" if len(text) > EXCERPT else "")

    def _chat(self, msgs: list[Message], model: str, n: int, temperature: float,
              seed: int | None, max_tokens: int | None, fmt: Mapping[str, Any] | None,
              deadline: Budget) -> list[str]:
        payload: dict[str, Any] = {"model": model, "messages": [m.to_dict() for m in msgs],
                                   "n": n, "temperature": float(temperature)}
        if seed is not None:
            payload["seed"] = int(seed)
        if max_tokens is not None:
            payload["max_tokens"] = max_tokens
        if fmt is not None:
            payload["response_format"] = dict(fmt)
        data = self._request("POST", self.url, payload, deadline)
        return self._choices(data)

    def _choices(self, data: Any) -> list[str]:
        where = _public_url(self.url)
        choices = data.get("choices") if isinstance(data, dict) else None
        if not isinstance(choices, list) or not choices:
            raise LLMError(f"{where} answered without choices: {self._redact(str(data))[:EXCERPT]}")
        ordered = sorted(choices, key=lambda c: c.get("index", 0) if isinstance(c, dict) else 0)
        out = []
        for choice in ordered:
            message = choice.get("message") if isinstance(choice, dict) else None
            content = message.get("content") if isinstance(message, dict) else None
            if not isinstance(content, str):
                raise LLMError(f"{where} returned a choice without text content: "
                               f"{self._redact(str(choice))[:EXCERPT]}")
            if isinstance(choice, dict) and choice.get("finish_reason") == "length":
                log.debug("%s: a completion stopped at max_tokens", self.name)
            out.append(content)
        return out

    def _discover_model(self, deadline: Budget) -> str:
        """The one model a server serves (``GET …/models``); several → the caller chooses."""
        url = self.url[: -len("/chat/completions")] + "/models"
        data = self._request("GET", url, None, deadline)
        items = data.get("data") if isinstance(data, dict) else None
        ids = [m.get("id") for m in items or [] if isinstance(m, dict) and m.get("id")]
        if len(ids) != 1:
            shown = ", ".join(map(str, ids[:8])) or "none"
            raise LLMError(f"no model given and {_public_url(url)} lists {len(ids)} models "
                           f"({shown}): pass model= or set VERITY_LLM_MODEL")
        with self._lock:
            self.model = str(ids[0])
        return self.model

    def _request(self, method: str, url: str, payload: Any, deadline: Budget) -> Any:
        """One logical request: attempts with backoff until success, a permanent error,
        ``max_retries`` retries, or the deadline."""
        where = _public_url(url)
        body = None if payload is None else json.dumps(payload).encode("utf-8")
        attempt = 0
        while True:
            if deadline.expired():
                raise LLMTimeout(f"{where}: no answer within the {deadline.seconds:g} s budget")
            try:
                return self._attempt(method, url, body, deadline, where)
            except _Retryable as exc:
                attempt += 1
                tries = f"{attempt} attempt{'s' if attempt > 1 else ''}"
                if deadline.expired():
                    raise LLMTimeout(f"{exc} (the {deadline.seconds:g} s budget is spent "
                                     f"after {tries})") from None
                if attempt > self.max_retries:
                    cls = LLMTimeout if exc.timed_out else LLMError
                    raise cls(f"{exc} (gave up after {tries})") from None
                wait = exc.retry_after
                if wait is None:
                    step = min(BACKOFF_CAP, BACKOFF_BASE * 2 ** (attempt - 1))
                    wait = step / 2 + random.uniform(0, step / 2)
                left = deadline.remaining()
                if left is not None and wait >= left:
                    raise LLMTimeout(f"{exc}; the next retry (in {wait:.1f} s) would pass the "
                                     f"{deadline.seconds:g} s budget") from None
                log.info("%s; retry %d/%d in %.2f s", exc, attempt, self.max_retries, wait)
                time.sleep(wait)

    def _attempt(self, method: str, url: str, body: bytes | None, deadline: Budget,
                 where: str) -> Any:
        import httpx

        left = deadline.remaining()
        per_try = self.timeout if left is None else max(0.001, min(self.timeout, left))
        try:
            with self.client.stream(method, url, content=body, headers=self._headers(),
                                    timeout=httpx.Timeout(per_try)) as resp:
                raw = bytearray()
                # read in chunks so a server that trickles bytes still meets the bound
                for chunk in resp.iter_bytes():
                    raw += chunk
                    if len(raw) > MAX_BODY_BYTES:
                        raise LLMError(f"{where} sent more than {MAX_BODY_BYTES} bytes")
                    if deadline.expired():
                        raise _Retryable(f"{where}: the answer did not arrive in time",
                                         timed_out=True)
                status = resp.status_code
                retry_after = _retry_after(resp.headers.get("retry-after"))
        except httpx.TimeoutException:
            raise _Retryable(f"{where}: no answer within {per_try:.3g} s", timed_out=True) from None
        except httpx.TransportError as exc:
            raise _Retryable(f"cannot reach {where}: {type(exc).__name__}: "
                             f"{self._redact(str(exc))[:EXCERPT]}") from None
        if status >= 400:
            msg = f"{where} answered HTTP {status}: {self._server_message(bytes(raw))}"
            if status in RETRY_STATUS or status >= 500:
                raise _Retryable(msg, retry_after=retry_after)
            raise LLMError(msg)
        try:
            return json.loads(bytes(raw))
        except ValueError:
            text = self._redact(bytes(raw).decode("utf-8", "replace"))[:EXCERPT]
            raise LLMError(f"{where} answered HTTP {status} with a body that is not JSON: "
                           f"{text!r}") from None
