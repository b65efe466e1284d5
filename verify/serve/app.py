"""The REST API: the CLI verbs' JSON over HTTP, with the same per-record functions the
verbs use, so a reply is byte-for-byte what ``verity … --json`` prints."""
from __future__ import annotations

import asyncio
import contextlib
import json
import logging
from typing import Any, AsyncIterator, Callable, Literal, Optional

from fastapi import Body, FastAPI, Path, Query, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from pydantic import BaseModel, ConfigDict, Field, StrictBool, StrictInt, StrictStr

from verify import __version__
from verify.batch import InputError, error_record, iter_json_records
from . import metrics
from .config import ServeConfig
from .errors import ApiError, error_response
from .gate import Gate
from .runtime import BudgetSpent, Busy, KnowledgeBases, Verifier

log = logging.getLogger("verity.serve")
READY_TEXT = "2 + 3 = 5"


class CheckBody(BaseModel):
    """``POST /v1/check``: the arguments of ``verify.check``."""

    model_config = ConfigDict(extra="forbid")
    text: StrictStr
    question: Optional[StrictStr] = None
    evidence: Optional[list[StrictStr]] = None
    kb: Optional[StrictStr] = Field(None, description="the name of a knowledge base given with --kb")
    policy: Literal["strict", "lenient", "permissive"] = "strict"
    samples: StrictInt = Field(1, ge=1, le=16, description="self-consistency samples (needs --upstream)")
    cove: StrictBool = False


class State:
    """What one worker process holds for its lifetime."""

    def __init__(self, config: ServeConfig) -> None:
        self.config = config
        self.verifier = Verifier(config.queue)
        self.kbs = KnowledgeBases(config.kbs)
        self.ready = asyncio.Event()
        self.failure: str | None = None  # why warm-up failed, for /readyz
        self.llm: Any = None
        if config.upstream:
            from verify.llm.openai_compat import OpenAICompatible

            self.llm = OpenAICompatible(config.upstream, model="upstream",
                                        timeout=config.upstream_timeout)

    def kb(self, name: str | None, field: str) -> Any:
        """The named knowledge base (on the verification thread), or a 422 naming ``field``."""
        if name is None:
            return None
        if name not in self.kbs.paths:
            raise ApiError(422, "invalid_request", f"no knowledge base named {name!r} (this "
                           f"server has: {', '.join(self.kbs.names()) or 'none'})", field)
        try:
            return self.kbs.get(name)
        except (FileNotFoundError, ValueError) as exc:
            raise ApiError(503, "kb_unavailable", f"knowledge base {name!r}: {exc}", field) from None

    async def verify(self, fn: Callable[[float], Any], budget: float | None = None) -> Any:
        """Run ``fn(seconds_left)`` on the verification thread; queue and budget errors as
        API errors. ``ValueError``/``TypeError`` from the engines are the caller's input."""
        budget = budget or self.config.timeout
        try:
            return await self.verifier.run(fn, budget)
        except Busy as exc:
            raise ApiError(429, "busy", str(exc), retry_after=exc.retry_after) from None
        except BudgetSpent as exc:
            raise ApiError(504, "timeout", str(exc)) from None
        except (ValueError, TypeError) as exc:
            raise ApiError(422, "invalid_request", str(exc)) from None


def _record_or_error(result: dict[str, Any]) -> dict[str, Any]:
    """A verb's error record is the client's mistake: 422 with its message."""
    if result.get("status") == "error":
        raise ApiError(422, "invalid_request", result["error"])
    return result


def _record_id(body: dict[str, Any]) -> str:
    return str(body.get("id", "1"))


def create_app(config: ServeConfig) -> FastAPI:
    state = State(config)

    @contextlib.asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        async def warm_up() -> None:
            def load(_left: float) -> None:
                from verify.pipeline import check

                state.kbs.warm_up()
                check(READY_TEXT)
            try:
                await state.verifier.run(load, 600.0)
            except Exception as exc:  # noqa: BLE001 - a broken KB keeps /readyz at 503, saying why
                log.exception("warm-up failed; /readyz stays not ready")
                state.failure = f"{type(exc).__name__}: {exc}"
                return
            state.ready.set()
            log.info("ready: engines loaded, knowledge bases %s", state.kbs.names() or "none")

        task = asyncio.create_task(warm_up())
        yield
        task.cancel()
        state.verifier.shutdown()
        if state.llm is not None:
            state.llm.close()

    app = FastAPI(title="Verity", version=__version__, lifespan=lifespan,
                  description="Check what an LLM says: exact engines and grounded evidence. "
                              "Errors are `{\"error\": {\"type\", \"message\", \"field\"?}}`.")
    app.state.verity = state
    app.add_middleware(Gate, api_key=config.api_key, max_body=config.max_body)

    @app.exception_handler(ApiError)
    async def _api_error(_request: Request, exc: ApiError) -> Response:
        return error_response(exc)

    @app.exception_handler(Exception)
    async def _internal(_request: Request, exc: Exception) -> Response:
        log.error("internal error: %s: %s", type(exc).__name__, exc)
        return error_response(ApiError(500, "internal", "internal error; the server log has "
                                       "the details"))

    @app.exception_handler(RequestValidationError)
    async def _invalid(request: Request, exc: RequestValidationError) -> Response:
        content_type = request.headers.get("content-type", "")
        if request.method == "POST" and "json" not in content_type:
            return error_response(ApiError(
                400, "invalid_request", f"send the body as JSON with Content-Type: "
                f"application/json (got {content_type or 'no content type'!r})"))
        return error_response(ApiError.from_validation(exc.errors()))

    @app.get("/healthz", tags=["ops"])
    async def healthz() -> dict[str, str]:
        """Liveness: the process answers."""
        return {"status": "ok", "version": __version__}

    @app.get("/readyz", tags=["ops"])
    async def readyz() -> Response:
        """Readiness: the engines and knowledge bases have loaded."""
        if state.ready.is_set():
            return JSONResponse({"status": "ready", "kbs": state.kbs.names()})
        if state.failure is not None:
            return JSONResponse({"status": "failed", "error": state.failure}, status_code=503)
        return JSONResponse({"status": "loading"}, status_code=503)

    @app.get("/metrics", tags=["ops"], include_in_schema=False)
    async def prometheus() -> Response:
        body, content_type = metrics.render()
        return Response(body, media_type=content_type)

    @app.post("/v1/check", tags=["verify"])
    async def check_text(body: CheckBody) -> Response:
        """Check every claim in ``text``: the ``verity check --json`` report."""
        from verify.pipeline import check

        if (body.samples > 1 or body.cove) and state.llm is None:
            raise ApiError(422, "invalid_request", "samples > 1 and cove need an LLM: start the "
                           "server with --upstream URL", "samples" if body.samples > 1 else "cove")

        def run(left: float) -> dict[str, Any]:
            kb = state.kb(body.kb, "kb")
            return check(body.text, question=body.question, evidence=body.evidence, kb=kb,
                         policy=body.policy, timeout=left, samples=body.samples,
                         cove=body.cove, llm=state.llm if body.samples > 1 or body.cove else None
                         ).to_dict()

        report = await state.verify(run)
        metrics.verdict("/v1/check", report["status"])
        return JSONResponse(report)

    @app.post("/v1/math", tags=["verify"])
    async def math(body: dict[str, Any] = Body(..., examples=[{
            "question": "What is 12 * 3?", "answer": "12 * 3 = 36. The answer is 36.",
            "reference": "36"}]),
            steps: bool = Query(True, description="also check each step's claims")) -> Response:
        """Grade a worked solution: the ``verity math --json`` object."""
        from verify.api.records import math_record

        result = _record_or_error(await state.verify(
            lambda left: math_record(_record_id(body), body, left, steps)))
        metrics.verdict("/v1/math", result["status"])
        return JSONResponse(result)

    @app.post("/v1/invoice", tags=["verify"])
    async def invoice(body: dict[str, Any] = Body(..., examples=[{
            "currency": "USD", "tax_rate": "0.1",
            "lines": [{"description": "pen", "quantity": 2, "unit_price": "1.50", "amount": "3.00"}],
            "subtotal": "3.00", "tax": "0.30", "total": "3.30"}]),
            rounding: Literal["half-up", "half-even"] = "half-up",
            tax_mode: Literal["subtotal", "per-line"] = "subtotal",
            currency: Optional[str] = Query(None, description="ISO 4217 code, overrides the invoice's")
            ) -> Response:
        """Check that an invoice adds up: the ``verity invoice --json`` object."""
        from verify.api.records import invoice_record

        result = _record_or_error(await state.verify(lambda left: invoice_record(
            _record_id(body), body, currency=currency, rounding=rounding, tax_mode=tax_mode,
            timeout=left)))
        metrics.verdict("/v1/invoice", result["status"])
        return JSONResponse(result)

    @app.post("/v1/logic", tags=["verify"])
    async def logic(body: dict[str, Any] = Body(..., examples=[{
            "premises": ["∀x (Man(x) → Mortal(x))", "Man(socrates)"],
            "conclusion": "Mortal(socrates)"}]),
            repair: bool = False, syntax: Literal["auto", "fol", "smtlib"] = "auto") -> Response:
        """Decide whether premises entail a conclusion: the ``verity logic --json`` object."""
        from verify.api.records import logic_record
        from verify.api.logic import DEFAULT_TIMEOUT

        result = _record_or_error(await state.verify(lambda left: logic_record(
            _record_id(body), body, min(DEFAULT_TIMEOUT, left), repair, syntax)))
        metrics.verdict("/v1/logic", result["status"])
        return JSONResponse(result)

    @app.post("/v1/batch", tags=["verify"],
              openapi_extra={"requestBody": {"content": {"application/x-ndjson": {
                  "schema": {"type": "string"}}}, "required": True}})
    async def batch(request: Request, kb: Optional[str] = None,
                    policy: Literal["strict", "lenient", "permissive"] = "strict") -> Response:
        """JSON Lines in (``{"id", "text", "question"?, "evidence"?}`` per line), one report
        per line out, in order; a bad line is ``{"id", "status": "error", "error"}``."""
        from verify.batch import check_record

        try:
            text = (await request.body()).decode("utf-8")
            records = list(iter_json_records(text, "the body"))
        except UnicodeDecodeError:
            raise ApiError(400, "invalid_request", "the body is not UTF-8 text") from None
        except InputError as exc:
            raise ApiError(400, "invalid_request", str(exc)) from None
        per_line = config.timeout

        def run(_left: float) -> list[dict[str, Any]]:
            base = state.kb(kb, "kb")
            return [error_record(rid, error) if error else
                    check_record(rid, obj, kb=base, policy=policy, timeout=per_line)
                    for rid, obj, error in records]

        results = await state.verify(run, budget=per_line * len(records))
        for r in results:
            metrics.verdict("/v1/batch", r["status"])
        lines = "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in results)
        return Response(lines, media_type="application/x-ndjson")

    @app.get("/v1/kb/{name}/search", tags=["knowledge bases"])
    async def kb_search(name: str = Path(..., description="a knowledge base given with --kb"),
                        q: str = Query(..., description="the query"),
                        k: int = Query(5, ge=1, le=100)) -> Response:
        """The ``k`` best passages with citations: ``verity kb search --json``'s hits."""
        if name not in state.kbs.paths:
            raise ApiError(404, "not_found", f"no knowledge base named {name!r}", "name")

        def run(_left: float) -> list[dict[str, Any]]:
            try:
                return [h.to_dict() for h in state.kbs.get(name).search(q, k=k)]
            except ValueError as exc:
                raise ApiError(422, "invalid_request", str(exc), "q") from None

        return JSONResponse(await state.verify(run))

    from .proxy import register as register_proxy

    register_proxy(app, state)
    return app


def create_app_from_env() -> FastAPI:
    """uvicorn's factory in each worker process (the config travels in the environment)."""
    return create_app(ServeConfig.from_env())
