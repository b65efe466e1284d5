"""The verifying proxy with the official `openai` SDK, in front of the project's stub
upstream, all on 127.0.0.1: plain, streaming, corrected, raise, and upstream failures. A
failure is never answered as `verified`."""
from __future__ import annotations

import time

import httpx
import pytest

openai = pytest.importorskip("openai")
pytest.importorskip("fastapi")
from verify.testing import Reply, StubOpenAIServer  # noqa: E402
from verify.serve.launch import serving  # noqa: E402

ASK = [{"role": "user", "content": "Tickets cost 14 dollars. What do 3 cost?"}]


@pytest.fixture(scope="module")
def stub():
    with StubOpenAIServer() as s:
        yield s


@pytest.fixture(scope="module")
def proxy(stub):
    with serving("--upstream", stub.base_url, "--upstream-timeout", "1") as s:
        yield s


@pytest.fixture()
def client(proxy, stub):
    stub.script.clear()
    return openai.OpenAI(base_url=proxy.url + "/v1", api_key="unused", max_retries=0, timeout=30)


def test_plain_completion_carries_the_report_and_header(client, stub):
    stub.push(Reply.chat("3 × 14 = 42, so 3 tickets cost 42 dollars."))
    raw = client.chat.completions.with_raw_response.create(model="stub-model", messages=ASK)
    completion = raw.parse()
    assert completion.choices[0].message.content == "3 × 14 = 42, so 3 tickets cost 42 dollars."
    assert raw.headers["X-Verity-Status"] == completion.verity["status"] == "verified"
    sent = stub.requests[-1]["json"]
    assert sent["messages"] == ASK and "verity" not in sent and "stream" not in sent


def test_streaming_delivers_the_checked_message_as_sse(client, stub):
    stub.push(Reply.chat("Each costs 14, and 3 × 14 = 42 dollars in all, which is the answer."))
    stream = client.chat.completions.create(model="stub-model", messages=ASK, stream=True,
                                            extra_body={"verity": {"on_fail": "flag"}})
    chunks = list(stream)
    text = "".join(c.choices[0].delta.content or "" for c in chunks if c.choices)
    assert text == "Each costs 14, and 3 × 14 = 42 dollars in all, which is the answer."
    assert len(chunks) > 3 and chunks[-1].choices[0].finish_reason == "stop"
    assert chunks[-1].verity["status"] == "verified"


def test_a_refuted_answer_is_corrected_on_request(client, stub):
    stub.push(Reply.chat("Three pens cost 3 × 14 = 45 dollars."))
    completion = client.chat.completions.create(
        model="stub-model", messages=ASK, extra_body={"verity": {"on_fail": "correct"}})
    assert completion.choices[0].message.content == "Three pens cost 3 × 14 = 42 dollars."
    assert completion.verity["status"] == "corrected"
    assert completion.verity["text"] == "Three pens cost 3 × 14 = 45 dollars."

    stub.push(Reply.chat("Three pens cost 3 × 14 = 45 dollars."))
    flagged = client.chat.completions.with_raw_response.create(model="stub-model", messages=ASK)
    assert flagged.parse().choices[0].message.content.startswith("Three pens cost 3 × 14 = 45")
    assert flagged.headers["X-Verity-Status"] == "corrected"


def test_raise_answers_422_with_the_report(client, stub):
    stub.push(Reply.chat("3 × 14 = 41."))
    with pytest.raises(openai.UnprocessableEntityError) as info:
        client.chat.completions.create(model="stub-model", messages=ASK,
                                       extra_headers={"X-Verity-On-Fail": "raise"})
    assert info.value.response.headers["X-Verity-Status"] == "corrected"
    body = info.value.response.json()
    assert body["error"]["type"] == "verification_failed" and body["verity"]["status"] == "corrected"


def test_bad_verity_options_name_the_field(client):
    with pytest.raises(openai.UnprocessableEntityError) as info:
        client.chat.completions.create(model="stub-model", messages=ASK,
                                       extra_body={"verity": {"on_fail": "ignore"}})
    assert info.value.response.json()["error"]["field"] == "verity.on_fail"
    with pytest.raises(openai.UnprocessableEntityError) as info:
        client.chat.completions.create(model="stub-model", messages=ASK,
                                       extra_body={"verity": {"kb": "missing"}})
    assert info.value.response.json()["error"]["field"] == "verity.kb"


def test_upstream_500_every_time_is_a_502(client, stub):
    stub.push(*[Reply.error(500, "model crashed")] * 4)
    with pytest.raises(openai.APIStatusError) as info:
        client.chat.completions.create(model="stub-model", messages=ASK)
    assert info.value.status_code == 502
    assert "X-Verity-Status" not in info.value.response.headers
    assert "model crashed" in info.value.response.json()["error"]["message"]
    assert len([r for r in stub.requests if r["method"] == "POST"]) >= 4


def test_upstream_hang_is_a_504(client, stub):
    stub.push(*[Reply.chat("3 × 14 = 42", delay=3)] * 4)
    started = time.monotonic()
    with pytest.raises(openai.APIStatusError) as info:
        client.chat.completions.create(model="stub-model", messages=ASK)
    assert info.value.status_code == 504 and info.value.response.json()["error"]["type"] == "upstream_timeout"
    assert time.monotonic() - started < 10


@pytest.mark.parametrize("reply", [Reply(200, b"<html>oops</html>"), Reply(200, {"no": "choices"}),
                                   Reply(200, {"choices": [{"index": 0}]})])
def test_upstream_garbage_is_a_502(client, stub, reply):
    stub.push(reply)
    with pytest.raises(openai.APIStatusError) as info:
        client.chat.completions.create(model="stub-model", messages=ASK)
    assert info.value.status_code == 502 and "verity" not in info.value.response.json()


def test_upstream_429_with_retry_after_is_waited_out(client, stub):
    stub.push(Reply.error(429, "slow down", headers={"Retry-After": "1"}),
              Reply.chat("3 × 14 = 42."))
    started = time.monotonic()
    completion = client.chat.completions.create(model="stub-model", messages=ASK)
    assert time.monotonic() - started >= 1
    assert completion.verity["status"] == "verified"


def test_a_client_that_disconnects_does_not_hurt_the_server(proxy, client, stub):
    stub.push(Reply.chat("3 × 14 = 42.", delay=1.5))
    with pytest.raises(httpx.ReadTimeout):
        httpx.post(proxy.url + "/v1/chat/completions", timeout=0.3,
                   json={"model": "stub-model", "messages": ASK})
    time.sleep(1.5)
    stub.push(Reply.chat("3 × 14 = 44."))
    completion = client.chat.completions.create(model="stub-model", messages=ASK)
    assert completion.verity["status"] == "corrected"
    assert httpx.get(proxy.url + "/healthz").status_code == 200


def test_no_upstream_is_a_clear_400():
    with serving() as s:
        c = openai.OpenAI(base_url=s.url + "/v1", api_key="unused", max_retries=0)
        with pytest.raises(openai.BadRequestError) as info:
            c.chat.completions.create(model="m", messages=ASK)
        assert info.value.response.json()["error"]["type"] == "no_upstream"
