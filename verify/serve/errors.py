"""Every error the server gives is ``{"error": {"type", "message", "field"?}}``."""
from __future__ import annotations

from typing import Any, Sequence

from fastapi.responses import JSONResponse


class ApiError(Exception):
    """An HTTP error with the body the contract names; ``field`` points at the bad input."""

    def __init__(self, status: int, type_: str, message: str, field: str | None = None, *,
                 retry_after: int | None = None, extra: dict[str, Any] | None = None,
                 headers: dict[str, str] | None = None) -> None:
        super().__init__(message)
        self.status, self.type, self.message, self.field = status, type_, message, field
        self.retry_after = retry_after
        self.extra = extra or {}
        self.headers = headers or {}

    def body(self) -> dict[str, Any]:
        error: dict[str, Any] = {"type": self.type, "message": self.message}
        if self.field is not None:
            error["field"] = self.field
        return {"error": error, **self.extra}

    @classmethod
    def from_validation(cls, errors: Sequence[dict[str, Any]]) -> "ApiError":
        """FastAPI's validation errors → one error naming the first bad field: 400 for a
        body that is not JSON at all, 422 for a wrong type or value."""
        first = errors[0] if errors else {"loc": (), "msg": "invalid request", "type": ""}
        loc = [str(p) for p in first.get("loc", ())]
        if first.get("type") == "json_invalid":
            return cls(400, "invalid_json", f"the body is not valid JSON: {first.get('msg')}")
        where = loc[0] if loc else ""
        path = ".".join(loc[1:])
        if where == "body" and not path:
            if first.get("type") == "missing":
                return cls(400, "invalid_request", "the request needs a JSON object body")
            return cls(422, "invalid_request", f"the body must be a JSON object: {first.get('msg')}",
                       "body")
        field = path or where
        message = str(first.get("msg", "invalid value"))
        if first.get("type") == "extra_forbidden":
            message = "unknown field"
        return cls(422, "invalid_request", f"{field}: {message}", field)


def error_response(exc: ApiError) -> JSONResponse:
    headers = dict(exc.headers)
    if exc.retry_after is not None:
        headers["Retry-After"] = str(exc.retry_after)
    return JSONResponse(exc.body(), status_code=exc.status, headers=headers)
