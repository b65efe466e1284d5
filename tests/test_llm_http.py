"""The OpenAI-compatible adapter against a real HTTP server on 127.0.0.1 (ephemeral port):
normal answers, n fallback, 429 + Retry-After, 5xx until the budget is spent, a hanging
server, broken bodies, auth errors, environment configuration."""
from __future__ import annotations

import importlib.util
import socket
import time
from pathlib import Path

import pytest

from verify.llm import LLMError, LLMTimeout, OpenAICompatible
from verify.llm.openai_compat import _retry_after, chat_url
from verify.testing import Reply, StubOpenAIServer, completion

KEY = "sk-test-0123456789abcdef"


@pytest.fixture
def server():
    with StubOpenAIServer() as stub:
        yield stub


def adapter(server, **kw):
    kw.setdefault("model", "stub-model")
    kw.setdefault("api_key", KEY)
    return OpenAICompatible(server.base_url, **kw)


def test_answers_and_sends_every_option(server):
    server.push(Reply.chat("Paris", "Paris, France"))
    out = adapter(server).complete(
        [{"role": "system", "content": "Be brief."}, {"role": "user", "content": "Capital of France?"}],
        n=2, temperature=0.7, seed=11, max_tokens=20)
    assert out == ["Paris", "Paris, France"]
    req = server.requests[-1]
    assert req["path"] == "/v1/chat/completions"
    assert req["headers"]["Authorization"] == f"Bearer {KEY}"
    assert req["json"] == {"model": "stub-model", "n": 2, "temperature": 0.7, "seed": 11,
                           "max_tokens": 20,
                           "messages": [{"role": "system", "content": "Be brief."},
                                        {"role": "user", "content": "Capital of France?"}]}


def test_choices_are_returned_in_index_order(server):
    body = completion("first", "second")
    body["choices"].reverse()
    server.push(Reply(200, body))
    assert adapter(server).complete("q", n=2) == ["first", "second"]


def test_server_ignoring_n_gets_one_call_per_missing_sample_with_distinct_seeds(server):
    server.push(Reply.chat("a"), Reply.chat("b"), Reply.chat("c"))
    out = adapter(server).complete("q", n=3, temperature=0.8, seed=5)
    assert out == ["a", "b", "c"]
    sent = [(r["json"]["n"], r["json"]["seed"]) for r in server.requests]
    assert sent == [(3, 5), (1, 6), (1, 7)]


def test_extra_choices_are_cut_to_n(server):
    server.push(Reply.chat("a", "b", "c"))
    assert adapter(server).complete("q", n=2) == ["a", "b"]


def test_429_then_200_waits_for_retry_after(server):
    server.push(Reply.error(429, "rate limited", headers={"Retry-After": "1"}), Reply.chat("ok"))
    t0 = time.monotonic()
    assert adapter(server).complete("q") == ["ok"]
    elapsed = time.monotonic() - t0
    assert 0.95 <= elapsed < 3.0
    assert len(server.requests) == 2


def test_503_is_retried_with_backoff(server):
    server.push(Reply.error(503, "warming up"), Reply.error(502, "bad gateway"), Reply.chat("ok"))
    assert adapter(server, max_retries=3).complete("q") == ["ok"]
    assert len(server.requests) == 3


def test_500_until_the_budget_is_spent(server):
    server.push(*[Reply.error(500, "internal error") for _ in range(50)])
    t0 = time.monotonic()
    with pytest.raises(LLMError) as info:
        adapter(server, budget=1.5, max_retries=20).complete("q")
    assert time.monotonic() - t0 < 1.5 + 0.5
    assert isinstance(info.value, LLMTimeout)
    assert "HTTP 500" in str(info.value) and "internal error" in str(info.value)
    assert len(server.requests) >= 2


def test_500_until_retries_run_out(server):
    server.push(*[Reply.error(500, "still broken") for _ in range(10)])
    with pytest.raises(LLMError, match="HTTP 500: still broken.*after 3 attempts"):
        adapter(server, max_retries=2, budget=30).complete("q")
    assert len(server.requests) == 3


def test_retry_after_beyond_the_budget_fails_at_once(server):
    server.push(Reply.error(429, "come back in an hour", headers={"Retry-After": "3600"}))
    t0 = time.monotonic()
    with pytest.raises(LLMTimeout, match="would pass the 5 s budget"):
        adapter(server, budget=5).complete("q")
    assert time.monotonic() - t0 < 1.0


def test_hanging_server_times_out(server):
    server.push(Reply.chat("too late", delay=10))
    t0 = time.monotonic()
    with pytest.raises(LLMTimeout, match="no answer within"):
        adapter(server, timeout=0.5, max_retries=0).complete("q")
    assert time.monotonic() - t0 < 1.5


def test_per_call_timeout_bounds_retries_after_a_hang(server):
    server.push(Reply.chat("slow", delay=10), Reply.chat("slow", delay=10))
    t0 = time.monotonic()
    with pytest.raises(LLMTimeout):
        adapter(server, timeout=30, max_retries=5).complete("q", timeout=0.8)
    assert time.monotonic() - t0 < 1.8


def test_hang_then_answer_recovers_within_budget(server):
    server.push(Reply.chat("slow", delay=10), Reply.chat("fast"))
    assert adapter(server, timeout=0.4, max_retries=2, budget=5).complete("q") == ["fast"]


@pytest.mark.parametrize("body, message", [
    (b"<html>502 Bad Gateway</html>", "not JSON"),
    (b'{"choices": [{"message": {"content": "cut', "not JSON"),
    (b'{"id": "x"}', "without choices"),
    (b'{"choices": []}', "without choices"),
    (b'{"choices": [{"message": {"role": "assistant", "content": null}}]}', "without text content"),
    (b'{"choices": [{"message": {"content": 42}}]}', "without text content"),
])
def test_malformed_bodies_are_clear_errors(server, body, message):
    server.push(Reply(200, body))
    with pytest.raises(LLMError, match=message):
        adapter(server).complete("q")
    assert len(server.requests) == 1  # a broken body is not retried


def test_auth_error_is_not_retried_and_never_shows_the_key(server):
    server.push(Reply.error(401, f"Incorrect API key provided: {KEY}"))
    llm = adapter(server)
    with pytest.raises(LLMError) as info:
        llm.complete("q")
    text = str(info.value)
    assert "HTTP 401" in text and "Incorrect API key" in text and "[REDACTED]" in text
    assert KEY not in text and KEY not in repr(llm)
    assert len(server.requests) == 1


def test_bad_request_quotes_the_server_message(server):
    server.push(Reply.error(400, "response_format json_object is not supported by this model"))
    with pytest.raises(LLMError, match="HTTP 400: response_format json_object is not supported"):
        adapter(server).complete("q", response_format={"type": "json_object"})
    assert server.requests[-1]["json"]["response_format"] == {"type": "json_object"}


def test_long_server_messages_are_cut(server):
    server.push(Reply(418, "x" * 5000))
    with pytest.raises(LLMError) as info:
        adapter(server).complete("q")
    assert len(str(info.value)) < 500


def test_unreachable_endpoint():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]  # closed again: nothing listens here
    llm = OpenAICompatible(f"http://127.0.0.1:{port}/v1", model="m", max_retries=1, budget=5)
    t0 = time.monotonic()
    with pytest.raises(LLMError, match=f"cannot reach http://127.0.0.1:{port}.*after 2 attempts"):
        llm.complete("q")
    assert time.monotonic() - t0 < 2.0


def test_configuration_from_the_environment(server, monkeypatch):
    monkeypatch.setenv("VERITY_LLM_BASE_URL", server.base_url)
    monkeypatch.setenv("OPENAI_API_KEY", "sk-from-openai-env")
    monkeypatch.setenv("VERITY_LLM_MODEL", "env-model")
    monkeypatch.delenv("VERITY_LLM_API_KEY", raising=False)
    assert OpenAICompatible().complete("hello") == ["echo 0: hello"]
    req = server.requests[-1]
    assert req["json"]["model"] == "env-model"
    assert req["headers"]["Authorization"] == "Bearer sk-from-openai-env"
    monkeypatch.setenv("VERITY_LLM_API_KEY", "sk-verity-wins")
    OpenAICompatible(model="m").complete("again")
    assert server.requests[-1]["headers"]["Authorization"] == "Bearer sk-verity-wins"


def test_no_endpoint_configured(monkeypatch):
    for name in ("VERITY_LLM_BASE_URL", "OPENAI_BASE_URL"):
        monkeypatch.delenv(name, raising=False)
    with pytest.raises(LLMError, match="VERITY_LLM_BASE_URL"):
        OpenAICompatible()


def test_a_single_served_model_is_discovered(server, monkeypatch):
    monkeypatch.delenv("VERITY_LLM_MODEL", raising=False)
    llm = OpenAICompatible(server.base_url)
    assert llm.complete("q") == ["echo 0: q"]
    assert llm.model == "stub-model" and server.requests[0]["path"] == "/v1/models"
    assert server.requests[-1]["json"]["model"] == "stub-model"


def test_several_served_models_must_be_chosen(monkeypatch):
    monkeypatch.delenv("VERITY_LLM_MODEL", raising=False)
    with StubOpenAIServer(models=["llama3", "qwen2"]) as stub:
        with pytest.raises(LLMError, match="lists 2 models \\(llama3, qwen2\\): pass model="):
            OpenAICompatible(stub.base_url).complete("q")


def test_no_key_sends_no_authorization(server, monkeypatch):
    for name in ("VERITY_LLM_API_KEY", "OPENAI_API_KEY"):
        monkeypatch.delenv(name, raising=False)
    OpenAICompatible(server.base_url, model="m").complete("q")
    assert "Authorization" not in server.requests[-1]["headers"]


def test_default_response_format_from_the_constructor(server):
    adapter(server, response_format={"type": "json_object"}).complete("q")
    assert server.requests[-1]["json"]["response_format"] == {"type": "json_object"}


@pytest.mark.parametrize("base, url", [
    ("http://127.0.0.1:8000", "http://127.0.0.1:8000/v1/chat/completions"),
    ("http://127.0.0.1:8000/", "http://127.0.0.1:8000/v1/chat/completions"),
    ("https://api.openai.com/v1", "https://api.openai.com/v1/chat/completions"),
    ("http://localhost:11434/v1/", "http://localhost:11434/v1/chat/completions"),
    ("http://h/v1/chat/completions", "http://h/v1/chat/completions"),
])
def test_chat_url(base, url):
    assert chat_url(base) == url


@pytest.mark.parametrize("bad", ["ftp://host/v1", "localhost:8000", "http://"])
def test_bad_base_url(bad):
    with pytest.raises(ValueError, match="http:// or https://"):
        OpenAICompatible(bad, model="m")


def test_userinfo_in_the_url_is_kept_out_of_messages():
    llm = OpenAICompatible("http://user:hunter2@127.0.0.1:9/v1", model="m", max_retries=0)
    with pytest.raises(LLMError) as info:
        llm.complete("q", timeout=2)
    assert "hunter2" not in str(info.value) and "hunter2" not in repr(llm)


@pytest.mark.parametrize("kwargs, message", [
    ({"n": 0}, "n must be"), ({"n": 1000}, "n must be"), ({"temperature": -1}, "temperature"),
    ({"temperature": "hot"}, "temperature"), ({"timeout": "soon"}, "timeout"),
    ({"timeout": float("nan")}, "timeout"), ({"max_tokens": 0}, "max_tokens"),
])
def test_bad_arguments_fail_before_any_request(server, kwargs, message):
    with pytest.raises(ValueError, match=message):
        adapter(server).complete("q", **kwargs)
    assert server.requests == []


@pytest.mark.parametrize("timeout", [0, -1.5])
def test_a_spent_deadline_is_a_timeout_without_a_request(server, timeout):
    with pytest.raises(LLMTimeout, match="no time left"):
        adapter(server).complete("q", timeout=timeout)
    assert server.requests == []


def test_retry_after_parsing():
    assert _retry_after("2") == 2.0
    assert _retry_after("0.5") == 0.5
    assert _retry_after("-3") == 0.0
    assert _retry_after(None) is None and _retry_after("soon") is None
    assert 50 < _retry_after(time.strftime("%a, %d %b %Y %H:%M:%S GMT",
                                           time.gmtime(time.time() + 60))) <= 60


def test_benchmark_core_measures_overhead():
    path = Path(__file__).resolve().parents[1] / "benchmarks" / "llm_adapters.py"
    spec = importlib.util.spec_from_file_location("llm_adapters_benchmark", path)
    bench = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(bench)
    row = bench.http_overhead(calls=5)
    assert row["calls"] == 5 and row["adapter_ms"] > 0 and row["raw_ms"] > 0
