"""``@verified``: wrap any function that returns model text, sync or async.

On-fail policies, as in guardrails: ``flag`` (return the text with its report), ``correct``
(return the corrected text), ``raise`` (:class:`VerificationError`), ``reask`` (call the
function again with ``verity_feedback=<report summary>``, up to ``max_retries`` times).
"""
from __future__ import annotations

import asyncio
import functools
import inspect
from typing import Any, Callable, Literal, TypeVar

from .pipeline import check
from .report import Report

OnFail = Literal["flag", "correct", "raise", "reask"]
ON_FAIL: tuple[str, ...] = ("flag", "correct", "raise", "reask")
FEEDBACK_KWARG = "verity_feedback"

F = TypeVar("F", bound=Callable[..., Any])


class VerifiedText(str):
    """The wrapped function's text (or its correction), with the ``report`` attached."""

    report: Report

    def __new__(cls, text: str, report: Report) -> "VerifiedText":
        obj = super().__new__(cls, text)
        obj.report = report
        return obj


class VerificationError(Exception):
    """Raised by ``@verified(on_fail="raise")`` (and by ``reask`` when retries run out
    with ``on_fail`` set to raise); carries the report."""

    def __init__(self, report: Report, attempts: int = 1) -> None:
        self.report = report
        self.attempts = attempts
        super().__init__(report.summary())


def _require_text(value: Any, fn: Callable[..., Any]) -> str:
    if not isinstance(value, str):
        raise TypeError(f"@verified function {fn.__qualname__} must return str, "
                        f"got {type(value).__name__}")
    return value


def verified(fn: F | None = None, *, on_fail: OnFail = "flag", max_retries: int = 2,
             **check_kwargs: Any) -> Any:
    """Verify what ``fn`` returns. Usable bare (``@verified``) or with options.

    ``check_kwargs`` go to :func:`verify.check` (``evidence``, ``kb``, ``llm``, ``policy``,
    ``samples``, ``cove``, ``timeout`` ...). With ``reask`` the function must accept the
    keyword ``verity_feedback`` (the summary of what failed, or ``None`` on the first call).
    """
    if on_fail not in ON_FAIL:
        raise ValueError(f"on_fail must be one of {ON_FAIL}, got {on_fail!r}")
    if not isinstance(max_retries, int) or max_retries < 0:
        raise ValueError("max_retries must be a non-negative int")

    def finish(text: str, report: Report, attempts: int) -> VerifiedText:
        if report.ok:
            return VerifiedText(text, report)
        if on_fail == "raise":
            raise VerificationError(report, attempts)
        if on_fail == "correct":
            return VerifiedText(report.corrected_text, report)
        return VerifiedText(text, report)  # flag, and reask once retries are spent

    def decorate(func: F) -> F:
        if on_fail == "reask":
            params = inspect.signature(func).parameters
            if FEEDBACK_KWARG not in params and not any(
                    p.kind is p.VAR_KEYWORD for p in params.values()):
                raise TypeError(f"on_fail='reask' needs {func.__qualname__} to accept the "
                                f"keyword argument {FEEDBACK_KWARG!r}")
        tries = max_retries + 1 if on_fail == "reask" else 1

        if inspect.iscoroutinefunction(func):
            @functools.wraps(func)
            async def async_wrapper(*args: Any, **kwargs: Any) -> VerifiedText:
                feedback = None
                for attempt in range(1, tries + 1):
                    if on_fail == "reask":
                        kwargs[FEEDBACK_KWARG] = feedback
                    text = _require_text(await func(*args, **kwargs), func)
                    report = await asyncio.to_thread(check, text, **check_kwargs)
                    if report.ok or attempt == tries:
                        return finish(text, report, attempt)
                    feedback = report.summary()
                raise AssertionError("unreachable")

            return async_wrapper  # type: ignore[return-value]

        @functools.wraps(func)
        def wrapper(*args: Any, **kwargs: Any) -> VerifiedText:
            feedback = None
            for attempt in range(1, tries + 1):
                if on_fail == "reask":
                    kwargs[FEEDBACK_KWARG] = feedback
                text = _require_text(func(*args, **kwargs), func)
                report = check(text, **check_kwargs)
                if report.ok or attempt == tries:
                    return finish(text, report, attempt)
                feedback = report.summary()
            raise AssertionError("unreachable")

        return wrapper  # type: ignore[return-value]

    return decorate(fn) if fn is not None else decorate
