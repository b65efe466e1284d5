"""Any Python function as an LLM, and ``as_llm``: one place that turns what a user hands
Verity (an adapter, a function, a URL, a model path, ``"default"``) into an ``LLM``."""
from __future__ import annotations

import inspect
import os
import threading
import time
from typing import Any, Callable

from .base import LLM, LLMError, LLMOutputError, LLMTimeout, Message, MessagesLike, check_request

_OPTIONS = ("n", "temperature", "seed", "timeout", "max_tokens")


def render_prompt(messages: list[Message]) -> str:
    """Messages as one prompt for a text-in, text-out function: a lone user message is
    passed as is; otherwise each turn is labelled and the assistant's turn is opened."""
    if len(messages) == 1 and messages[0].role == "user":
        return messages[0].content
    turns = [f"{m.role.capitalize()}: {m.content}" for m in messages]
    return "\n\n".join(turns + ["Assistant:"])


def _style_of(fn: Callable[..., Any]) -> tuple[str, set[str]]:
    """Whether ``fn`` wants the message list or one prompt string, and which of the
    options (n, temperature, ...) it accepts by keyword."""
    try:
        sig = inspect.signature(fn)
    except (TypeError, ValueError):  # builtins without a signature: text in, text out
        return "messages", set()
    params = list(sig.parameters.values())
    if any(p.kind is p.VAR_KEYWORD for p in params):
        accepted = set(_OPTIONS)
    else:
        accepted = {p.name for p in params if p.name in _OPTIONS
                    and p.kind in (p.KEYWORD_ONLY, p.POSITIONAL_OR_KEYWORD)}
    first = next((p for p in params if p.name not in _OPTIONS
                  and p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD)), None)
    if first is not None and (first.name in ("prompt", "text")
                              or first.annotation in (str, "str")):
        return "prompt", accepted
    return "messages", accepted


class CallableLLM:
    """Wraps ``fn(messages) -> str | list[str]`` (messages as ``{"role", "content"}``
    dicts) or ``fn(prompt: str) -> str``; the style is read from the signature (a first
    parameter named ``prompt``/``text`` or annotated ``str`` gets a prompt) unless given.

    Options the function accepts by keyword (``n``, ``temperature``, ``seed``,
    ``timeout``, ``max_tokens``) are passed on; when it returns fewer than ``n`` texts
    it is called again. With a ``timeout`` the function runs in a worker thread so the
    caller gets ``LLMTimeout`` on time (the function itself cannot be interrupted and
    finishes in the background).
    """

    def __init__(self, fn: Callable[..., Any], *, style: str | None = None,
                 name: str | None = None) -> None:
        if not callable(fn):
            raise TypeError(f"CallableLLM needs a callable, got {type(fn).__name__}")
        if inspect.iscoroutinefunction(fn) or inspect.iscoroutinefunction(
                getattr(fn, "__call__", None)):
            raise TypeError("CallableLLM needs a synchronous function; wrap an async one, "
                            "e.g. lambda m: asyncio.run(fn(m))")
        detected, self._accepted = _style_of(fn)
        if style not in (None, "messages", "prompt"):
            raise ValueError(f"style must be 'messages' or 'prompt', got {style!r}")
        self.style = style or detected
        self.fn = fn
        self.name = name or getattr(fn, "__name__", None) or type(fn).__name__

    def __repr__(self) -> str:
        return f"CallableLLM({self.name!r}, style={self.style!r})"

    def complete(self, messages: MessagesLike | str, *, n: int = 1, temperature: float = 0.0,
                 seed: int | None = None, timeout: float | None = None,
                 max_tokens: int | None = None) -> list[str]:
        msgs = check_request(messages, n=n, temperature=temperature, timeout=timeout,
                             max_tokens=max_tokens)
        arg: Any = render_prompt(msgs) if self.style == "prompt" else [m.to_dict() for m in msgs]
        deadline = None if timeout is None else time.monotonic() + timeout
        out: list[str] = []
        calls = 0
        while len(out) < n:
            calls += 1
            opts = {"n": n - len(out), "temperature": temperature, "max_tokens": max_tokens,
                    "seed": None if seed is None else seed + calls - 1,
                    "timeout": None if deadline is None else max(0.001, deadline - time.monotonic())}
            kwargs = {k: v for k, v in opts.items() if k in self._accepted}
            out += self._texts(self._call(arg, kwargs, deadline))
        return out[:n]

    def _call(self, arg: Any, kwargs: dict[str, Any], deadline: float | None) -> Any:
        if deadline is None:
            return self._invoke(arg, kwargs)
        left = deadline - time.monotonic()
        if left <= 0:
            raise LLMTimeout(f"{self.name}: timeout passed before the call")
        box: dict[str, Any] = {}

        def run() -> None:
            try:
                box["value"] = self._invoke(arg, kwargs)
            except BaseException as exc:  # noqa: BLE001 - re-raised in the caller's thread
                box["error"] = exc

        worker = threading.Thread(target=run, name=f"verity-llm-{self.name}", daemon=True)
        worker.start()
        worker.join(left)
        if worker.is_alive():
            raise LLMTimeout(f"{self.name}: no answer within the timeout")
        if "error" in box:
            raise box["error"]
        return box["value"]

    def _invoke(self, arg: Any, kwargs: dict[str, Any]) -> Any:
        try:
            return self.fn(arg, **kwargs)
        except LLMError:
            raise
        except Exception as exc:  # noqa: BLE001 - a user function may raise anything
            raise LLMError(f"{self.name} raised {type(exc).__name__}: {exc}") from exc

    def _texts(self, value: Any) -> list[str]:
        if isinstance(value, str):
            return [value]
        if isinstance(value, (list, tuple)) and value and all(isinstance(v, str) for v in value):
            return list(value)
        raise LLMOutputError(f"{self.name} must return a str or a non-empty list of str, "
                             f"got {type(value).__name__}: {value!r:.100}")


def as_llm(x: Any) -> LLM:
    """An ``LLM`` from what a user passed: an adapter (as is), a callable, an
    ``http(s)://`` base URL, a model directory or ``.gguf`` file, or ``"default"`` /
    ``"smollm2"`` for the packaged SmolLM2."""
    if isinstance(x, LLM):
        return x
    if isinstance(x, (str, os.PathLike)):
        text = os.fspath(x)
        if isinstance(text, bytes):
            raise TypeError("give the model path as str, not bytes")
        spec = text.strip()
        if spec.lower() in ("default", "smollm2"):
            from .local import default_llm

            return default_llm()
        if spec.lower().startswith(("http://", "https://")):
            from .openai_compat import OpenAICompatible

            return OpenAICompatible(base_url=spec)
        if os.path.exists(os.path.expanduser(spec)):
            from .local import TransformersLLM

            return TransformersLLM(spec)
        raise ValueError(f"cannot use {text!r} as an LLM: not an http(s):// URL, not an "
                         "existing model directory or .gguf file, and not 'default'")
    if callable(x):
        return CallableLLM(x)
    if x is None:
        raise TypeError("no LLM given: pass an adapter, a callable, a URL, a model path "
                        "or 'default'")
    raise TypeError(f"cannot use a {type(x).__name__} as an LLM: pass an adapter, a callable, "
                    "a URL, a model path or 'default'")
