"""``@verified``: wrap any function that returns model text, sync or async.

The function may return the reply as it comes: a ``str``, an OpenAI chat completion (the
SDK's object or its dict), or a message dict ``{"role", "content"}``. Every choice's text is
checked, and the reply comes back in the same shape with each text replaced by a
:class:`VerifiedText` (the text or its correction, carrying ``.report``).

On-fail policies, as in guardrails: ``flag`` (return the text with its report), ``correct``
(return the corrected text), ``raise`` (:class:`VerificationError`), ``reask`` (call the
function again with ``verity_feedback=<report summary>``, up to ``max_retries`` times).
"""
from __future__ import annotations

import asyncio
import copy
import functools
import inspect
from dataclasses import dataclass
from typing import Any, Callable, Literal, Mapping, Sequence, TypeVar

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


@dataclass(frozen=True)
class _Reply:
    """A model reply taken apart: its texts, and how to put checked texts back."""

    texts: tuple[str, ...]
    rebuild: Callable[[Sequence[str]], Any]


def _completion_dict(value: Mapping[str, Any]) -> _Reply:
    choices = value["choices"]
    if not isinstance(choices, list):
        raise TypeError("a chat completion's 'choices' must be a list")
    where = [i for i, c in enumerate(choices) if isinstance(c, Mapping)
             and isinstance(c.get("message"), Mapping) and isinstance(c["message"].get("content"), str)]

    def rebuild(texts: Sequence[str]) -> Any:
        out = copy.deepcopy(dict(value))
        for i, text in zip(where, texts):
            out["choices"][i]["message"]["content"] = text
        return out

    return _Reply(tuple(choices[i]["message"]["content"] for i in where), rebuild)


def _completion_object(value: Any) -> _Reply:
    where = [i for i, c in enumerate(value.choices)
             if isinstance(getattr(getattr(c, "message", None), "content", None), str)]

    def rebuild(texts: Sequence[str]) -> Any:
        out = value.model_copy(deep=True) if hasattr(value, "model_copy") else copy.deepcopy(value)
        for i, text in zip(where, texts):
            out.choices[i].message.content = text
        return out

    return _Reply(tuple(value.choices[i].message.content for i in where), rebuild)


def _reply(value: Any, fn: Callable[..., Any]) -> _Reply:
    """``value``'s texts, or ``TypeError`` naming a type the decorator cannot read."""
    if isinstance(value, str):
        return _Reply((value,), lambda texts: texts[0])
    reply = None
    if isinstance(value, Mapping) and "choices" in value:
        reply = _completion_dict(value)
    elif isinstance(value, Mapping) and isinstance(value.get("content"), str):
        reply = _Reply((value["content"],), lambda texts: {**value, "content": texts[0]})
    elif isinstance(getattr(value, "choices", None), list):
        reply = _completion_object(value)
    if reply is None:
        raise TypeError(f"@verified function {fn.__qualname__} must return str, a chat "
                        f"completion or a message dict, got {type(value).__name__}")
    if not reply.texts:
        raise TypeError(f"@verified function {fn.__qualname__} returned a "
                        f"{type(value).__name__} without any text content to check")
    return reply


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

    def finish_one(text: str, report: Report, attempts: int) -> VerifiedText:
        if report.ok:
            return VerifiedText(text, report)
        if on_fail == "raise":
            raise VerificationError(report, attempts)
        if on_fail == "correct":
            return VerifiedText(report.corrected_text, report)
        return VerifiedText(text, report)  # flag, and reask once retries are spent

    def finish(reply: _Reply, reports: list[Report], attempts: int) -> Any:
        return reply.rebuild([finish_one(t, r, attempts) for t, r in zip(reply.texts, reports)])

    def feedback_of(reports: list[Report]) -> str:
        return "\n".join(r.summary() for r in reports if not r.ok)

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
            async def async_wrapper(*args: Any, **kwargs: Any) -> Any:
                feedback = None
                for attempt in range(1, tries + 1):
                    if on_fail == "reask":
                        kwargs[FEEDBACK_KWARG] = feedback
                    reply = _reply(await func(*args, **kwargs), func)
                    reports = [await asyncio.to_thread(check, t, **check_kwargs)
                               for t in reply.texts]
                    if all(r.ok for r in reports) or attempt == tries:
                        return finish(reply, reports, attempt)
                    feedback = feedback_of(reports)
                raise AssertionError("unreachable")

            return async_wrapper  # type: ignore[return-value]

        @functools.wraps(func)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            feedback = None
            for attempt in range(1, tries + 1):
                if on_fail == "reask":
                    kwargs[FEEDBACK_KWARG] = feedback
                reply = _reply(func(*args, **kwargs), func)
                reports = [check(t, **check_kwargs) for t in reply.texts]
                if all(r.ok for r in reports) or attempt == tries:
                    return finish(reply, reports, attempt)
                feedback = feedback_of(reports)
            raise AssertionError("unreachable")

        return wrapper  # type: ignore[return-value]

    return decorate(fn) if fn is not None else decorate
