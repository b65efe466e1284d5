"""The one protocol every LLM adapter implements: messages in, ``n`` completions out.

The model is an untrusted translator: whatever it returns is validated by the caller
(``complete_json`` checks the JSON against a schema and retries; engines re-parse).
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Mapping, Protocol, Sequence, runtime_checkable


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
