"""The one protocol every LLM adapter implements: messages in, ``n`` completions out.

The model is an untrusted translator: whatever it returns is validated by the caller
(``complete_json`` checks the JSON against a schema and retries; engines re-parse).
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Mapping, Protocol, Sequence, runtime_checkable


@dataclass(frozen=True)
class Message:
    role: str  # "system" | "user" | "assistant"
    content: str

    def to_dict(self) -> dict[str, str]:
        return {"role": self.role, "content": self.content}


MessagesLike = Sequence["Message | Mapping[str, str]"]


class LLMError(RuntimeError):
    """The model could not answer (unreachable, HTTP error, budget spent)."""


class LLMTimeout(LLMError):
    """The model did not answer within its time budget."""


class LLMOutputError(LLMError):
    """The model answered, but not with what was asked (malformed or off-schema JSON)."""


@runtime_checkable
class LLM(Protocol):
    name: str

    def complete(self, messages: MessagesLike, *, n: int = 1, temperature: float = 0.0,
                 seed: int | None = None, timeout: float | None = None,
                 max_tokens: int | None = None) -> list[str]:
        """``n`` completions of the chat ``messages``."""


def as_messages(messages: MessagesLike | str) -> list[Message]:
    if isinstance(messages, str):
        return [Message("user", messages)]
    out = []
    for m in messages:
        if isinstance(m, Message):
            out.append(m)
        elif isinstance(m, Mapping) and "role" in m and "content" in m:
            out.append(Message(str(m["role"]), str(m["content"])))
        else:
            raise TypeError(f"a message must be verify.llm.Message or {{'role', 'content'}}, got {m!r}")
    return out


MAX_SAMPLES = 64  # more samples than this per call is a mistake, not a request


def check_request(messages: MessagesLike | str, *, n: int, temperature: float,
                  timeout: float | None, max_tokens: int | None) -> list[Message]:
    """Validate one ``complete()`` call's arguments the same way in every adapter, so a
    bad call fails with a clear ``ValueError`` before any model or server is touched (and
    a spent deadline, ``timeout <= 0``, with ``LLMTimeout``)."""
    msgs = as_messages(messages)
    if not msgs:
        raise ValueError("no messages: give at least one message")
    if isinstance(n, bool) or not isinstance(n, int) or not 1 <= n <= MAX_SAMPLES:
        raise ValueError(f"n must be an integer from 1 to {MAX_SAMPLES}, got {n!r}")
    if isinstance(temperature, bool) or not isinstance(temperature, (int, float)) \
            or not 0.0 <= float(temperature) <= 2.0:
        raise ValueError(f"temperature must be a number from 0 to 2, got {temperature!r}")
    if timeout is not None and (isinstance(timeout, bool) or not isinstance(timeout, (int, float))
                                or timeout != timeout):
        raise ValueError(f"timeout must be a number of seconds or None, got {timeout!r}")
    if timeout is not None and timeout <= 0:  # a deadline already passed, not bad usage
        raise LLMTimeout(f"no time left for the call (timeout={timeout:g} s)")
    if max_tokens is not None and (isinstance(max_tokens, bool) or not isinstance(max_tokens, int)
                                   or max_tokens < 1):
        raise ValueError(f"max_tokens must be a positive integer or None, got {max_tokens!r}")
    return msgs

