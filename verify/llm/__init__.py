"""LLM adapters: one protocol (messages in, ``n`` completions out) and three ways to
meet it — an OpenAI-compatible HTTP endpoint, a local ``transformers`` model, any Python
callable — plus ``complete_json`` for schema-validated structured output.

    from verify.llm import as_llm, complete_json
    llm = as_llm("http://127.0.0.1:8000/v1")      # or a callable, a model dir, "default"
    llm.complete("Capital of France?", n=3, temperature=0.7, seed=1)

``TransformersLLM`` (torch, transformers) loads lazily; importing this package is cheap.
"""
from __future__ import annotations

from .base import LLM, LLMError, LLMOutputError, LLMTimeout, Message, as_messages
from .callable import CallableLLM, as_llm
from .local import TransformersLLM, default_llm
from .openai_compat import OpenAICompatible
from .structured import complete_json, extract_json, make_validator

__all__ = ["LLM", "Message", "LLMError", "LLMTimeout", "LLMOutputError", "OpenAICompatible",
           "TransformersLLM", "CallableLLM", "as_llm", "default_llm", "complete_json",
           "as_messages", "extract_json", "make_validator"]
