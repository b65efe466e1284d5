"""The verifying proxy: ``POST /v1/chat/completions`` forwards to the upstream
OpenAI-compatible server (with ``OpenAICompatible``'s retries: 429/5xx with backoff and
``Retry-After``, all within a time budget), checks every choice's text, and answers in
OpenAI's shape plus ``verity`` (choice 0's report; other choices carry their own) and an
``X-Verity-Status`` header.

Policy per request (``"verity": {"on_fail", "kb"}`` in the body, or the
``X-Verity-On-Fail`` header), else the server's ``--on-fail``: ``flag`` keeps the text,
``correct`` sends ``corrected_text``, ``raise`` answers 422 with the report.

``stream: true`` is answered as server-sent events AFTER the whole message is checked: a
client sees no token before verification, so its time-to-first-token becomes the full
upstream time plus the check (the check itself is milliseconds for arithmetic).
"""
from __future__ import annotations

import asyncio
import json
import time
from concurrent.futures import ThreadPoolExecutor
from typing import Any, Iterator

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse, Response, StreamingResponse

from . import metrics
from .config import ON_FAIL
from .errors import ApiError

UNCHECKED = "unchecked"   # X-Verity-Status when no choice had text to check (tool calls)
PIECE = 24                # characters per streamed delta
_UPSTREAM = ThreadPoolExecutor(32, thread_name_prefix="verity-upstream")


def _options(body: dict[str, Any], request: Request, default: str) -> tuple[str, str | None]:
    opts = body.pop("verity", None)
    if opts is None:
        opts = {}
    if not isinstance(opts, dict):
        raise ApiError(422, "invalid_request", "verity: must be an object {\"on_fail\", \"kb\"}",
                       "verity")
    unknown = set(opts) - {"on_fail", "kb"}
    if unknown:
        raise ApiError(422, "invalid_request", f"verity.{sorted(unknown)[0]}: unknown field",
                       f"verity.{sorted(unknown)[0]}")
    on_fail = opts.get("on_fail", request.headers.get("x-verity-on-fail", default))
    if on_fail not in ON_FAIL:
        field = "verity.on_fail" if "on_fail" in opts else "X-Verity-On-Fail"
        raise ApiError(422, "invalid_request", f"{field}: must be one of {', '.join(ON_FAIL)}",
                       field)
    kb = opts.get("kb")
    if kb is not None and not isinstance(kb, str):
        raise ApiError(422, "invalid_request", "verity.kb: must be a knowledge base name",
                       "verity.kb")
    return on_fail, kb


def _question(messages: list[Any]) -> str | None:
    """The last user message's text: what the answer replies to."""
    for m in reversed(messages):
        if isinstance(m, dict) and m.get("role") == "user" and isinstance(m.get("content"), str):
            return m["content"]
    return None


def _texts(data: Any) -> list[str | None]:
    """Each choice's text (None for a choice without any, e.g. a tool call), or 502 when
    the upstream's answer is not a chat completion."""
    choices = data.get("choices") if isinstance(data, dict) else None
    if not isinstance(choices, list) or not choices or not all(isinstance(c, dict) for c in choices):
        raise ApiError(502, "bad_upstream", "the upstream answered without choices")
    out = []
    for c in choices:
        message = c.get("message")
        if not isinstance(message, dict):
            raise ApiError(502, "bad_upstream", "the upstream answered a choice without a message")
        content = message.get("content")
        out.append(content if isinstance(content, str) else None)
    return out


def _sse(data: dict[str, Any], report: dict[str, Any] | None, usage: bool) -> Iterator[bytes]:
    """The checked completion as OpenAI's chunk stream; the report rides on choice 0's
    last chunk."""
    base = {"id": data.get("id", "chatcmpl-verity"), "object": "chat.completion.chunk",
            "created": data.get("created", int(time.time())), "model": data.get("model")}

    def event(payload: dict[str, Any]) -> bytes:
        return b"data: " + json.dumps({**base, **payload}, ensure_ascii=False).encode() + b"\n\n"

    for choice in data["choices"]:
        i, message = choice.get("index", 0), choice["message"]
        yield event({"choices": [{"index": i, "delta": {"role": "assistant", "content": ""},
                                  "finish_reason": None}]})
        text = message.get("content") or ""
        for start in range(0, len(text), PIECE):
            yield event({"choices": [{"index": i, "delta": {"content": text[start:start + PIECE]},
                                      "finish_reason": None}]})
        if message.get("tool_calls"):
            yield event({"choices": [{"index": i, "delta": {"tool_calls": [
                dict(call, index=n) for n, call in enumerate(message["tool_calls"])]},
                "finish_reason": None}]})
        last = {"choices": [{"index": i, "delta": {},
                             "finish_reason": choice.get("finish_reason", "stop")}]}
        if i == data["choices"][0].get("index", 0):
            last["verity"] = report
        yield event(last)
    if usage and data.get("usage") is not None:
        yield event({"choices": [], "usage": data["usage"]})
    yield b"data: [DONE]\n\n"


def register(app: FastAPI, state: Any) -> None:
    @app.post("/v1/chat/completions", tags=["proxy"])
    async def chat_completions(request: Request) -> Response:
        """OpenAI's chat completions, forwarded to ``--upstream`` and verified."""
        from verify.limits import Budget
        from verify.llm.base import LLMError, LLMTimeout
        from verify.pipeline import check

        try:
            body = json.loads(await request.body())
        except (ValueError, UnicodeDecodeError) as exc:
            raise ApiError(400, "invalid_json", f"the body is not valid JSON: {exc}") from None
        if not isinstance(body, dict):
            raise ApiError(422, "invalid_request", "the body must be a JSON object", "body")
        on_fail, kb_name = _options(body, request, state.config.on_fail)
        messages = body.get("messages")
        if not isinstance(messages, list) or not messages:
            raise ApiError(422, "invalid_request", "messages: must be a non-empty list", "messages")
        stream = body.pop("stream", False)
        if not isinstance(stream, bool):
            raise ApiError(422, "invalid_request", "stream: must be true or false", "stream")
        stream_options = body.pop("stream_options", None) or {}
        if state.llm is None:
            raise ApiError(400, "no_upstream", "this server has no upstream LLM: start it with "
                           "--upstream URL")
        if kb_name is not None and kb_name not in state.kbs.paths:
            raise ApiError(422, "invalid_request", f"verity.kb: no knowledge base named {kb_name!r}",
                           "verity.kb")

        llm = state.llm
        deadline = Budget.start(llm.budget)
        try:
            data = await asyncio.get_running_loop().run_in_executor(
                _UPSTREAM, lambda: llm._request("POST", llm.url, body, deadline))
        except LLMTimeout as exc:
            raise ApiError(504, "upstream_timeout", str(exc)) from None
        except LLMError as exc:
            raise ApiError(502, "upstream_error", str(exc)) from None
        texts = _texts(data)
        question = _question(messages)

        def run(left: float) -> list[Any]:
            kb = state.kb(kb_name, "verity.kb")
            return [None if t is None else check(t, question=question, kb=kb, timeout=left)
                    for t in texts]

        reports = await state.verify(run)
        first = next((r for r in reports if r is not None), None)
        status = UNCHECKED if first is None else first.status
        metrics.verdict("/v1/chat/completions", status)
        headers = {"X-Verity-Status": status}
        failed = [r for r in reports if r is not None and not r.ok]
        if on_fail == "raise" and failed:
            raise ApiError(422, "verification_failed", failed[0].summary(),
                           extra={"verity": failed[0].to_dict()}, headers=headers)
        for n, (choice, report) in enumerate(zip(data["choices"], reports)):
            if report is None:
                continue
            if on_fail == "correct" and not report.ok:
                choice["message"]["content"] = report.corrected_text
            if n:
                choice["verity"] = report.to_dict()
        data["verity"] = None if first is None else first.to_dict()
        if stream:
            usage = isinstance(stream_options, dict) and bool(stream_options.get("include_usage"))
            return StreamingResponse(_sse(data, data["verity"], usage),
                                     media_type="text/event-stream", headers=headers)
        return JSONResponse(data, headers=headers)
