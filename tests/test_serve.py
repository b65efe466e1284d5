"""`verity serve` REST API: a real server process on 127.0.0.1, driven with httpx."""
from __future__ import annotations

import json
import subprocess
import sys
import threading
import time

import httpx
import pytest

pytest.importorskip("fastapi", reason="the serve extra is part of the dev install")
from verify.serve.launch import ROOT, serving  # noqa: E402

KEY = "test-key-7f3a"


def _no_timing(report: dict) -> dict:
    meta = {k: v for k, v in report.get("meta", {}).items() if k != "elapsed_ms"}
    return {**{k: v for k, v in report.items() if k not in ("elapsed_ms", "meta")}, "meta": meta}


@pytest.fixture(scope="module")
def server():
    with serving("--max-body", "200000", "--queue", "1") as s:
        yield s


@pytest.fixture(scope="module")
def client(server):
    with httpx.Client(base_url=server.url, timeout=30) as c:
        yield c


def test_health_ready_docs_and_metrics(client):
    assert client.get("/healthz").json() == {"status": "ok", "version": "0.1.0"}
    assert client.get("/readyz").json()["status"] == "ready"
    assert client.get("/docs").status_code == 200
    paths = client.get("/openapi.json").json()["paths"]
    assert {"/v1/check", "/v1/math", "/v1/invoice", "/v1/logic", "/v1/batch",
            "/v1/kb/{name}/search", "/v1/chat/completions"} <= set(paths)
    client.post("/v1/check", json={"text": "5 + 6 = 12"})
    text = client.get("/metrics").text
    assert 'verity_requests_total{code="200",endpoint="/v1/check",method="POST"}' in text
    assert 'verity_verdicts_total{endpoint="/v1/check",status="corrected"}' in text
    assert "verity_request_seconds_bucket" in text


def test_check_is_exactly_the_cli_report(client):
    text = "A box holds 12 pens, so 4 boxes hold 4 × 12 = 46 pens."
    got = client.post("/v1/check", json={"text": text, "question": "How many pens?"})
    assert got.status_code == 200
    cli = subprocess.run([sys.executable, "-m", "verify.cli", "check", text, "--json",
                          "--question", "How many pens?"], cwd=ROOT, capture_output=True,
                         text=True, timeout=60)
    assert _no_timing(got.json()) == _no_timing(json.loads(cli.stdout))
    assert got.json()["status"] == "corrected" and "48" in got.json()["corrected_text"]


def test_check_with_evidence_and_policy(client):
    body = {"text": "The bridge opened in 1932.", "evidence": ["The bridge opened in 1932."],
            "policy": "lenient"}
    report = client.post("/v1/check", json=body).json()
    assert report["schema_version"] == 1 and report["meta"]["policy"] == "lenient"


@pytest.mark.parametrize("body, status, field", [
    ({"text": 12}, 422, "text"),
    ({"question": "q"}, 422, "text"),
    ({"text": "1 + 1 = 2", "evidence": "not a list"}, 422, "evidence"),
    ({"text": "1 + 1 = 2", "evidence": ["ok", 3]}, 422, "evidence.1"),
    ({"text": "1 + 1 = 2", "samples": 0}, 422, "samples"),
    ({"text": "1 + 1 = 2", "samples": 3}, 422, "samples"),
    ({"text": "1 + 1 = 2", "policy": "loose"}, 422, "policy"),
    ({"text": "1 + 1 = 2", "kb": "nowhere"}, 422, "kb"),
    ({"text": "1 + 1 = 2", "txet": "typo"}, 422, "txet"),
    ([1, 2], 422, "body"),
])
def test_bad_check_bodies_name_the_field(client, body, status, field):
    r = client.post("/v1/check", json=body)
    assert r.status_code == status, r.text
    error = r.json()["error"]
    assert error["field"] == field and error["message"] and "Traceback" not in r.text


def test_malformed_json_and_an_empty_body_are_400(client):
    for content in (b'{"text": "1 + 1 = 2"', b"", b"\xff\xfe"):
        r = client.post("/v1/check", content=content, headers={"Content-Type": "application/json"})
        assert r.status_code == 400, (content, r.text)
        assert r.json()["error"]["type"] in ("invalid_json", "invalid_request")


def test_a_body_sent_without_a_json_content_type_is_told_so(client):
    r = client.post("/v1/check", content=b'{"text": "1 + 1 = 2"}',
                    headers={"Content-Type": "application/x-www-form-urlencoded"})
    assert r.status_code == 400 and "Content-Type: application/json" in r.json()["error"]["message"]


def test_body_limit_is_413_before_parsing(client):
    big = {"text": "x" * 250_000}
    r = client.post("/v1/check", json=big)
    assert r.status_code == 413 and r.json()["error"]["type"] == "too_large"

    def chunks():  # no Content-Length: the limit is counted as the body arrives
        for _ in range(30):
            yield b"x" * 10_000

    r = client.post("/v1/batch", content=chunks())
    assert r.status_code == 413


def test_math_invoice_logic_are_the_verbs_json(client):
    from verify.api.records import invoice_record, logic_record, math_record

    math_body = {"question": "Pens at 3 dollars, 7 pens?", "answer": "7 × 3 = 21. The answer is 21.",
                 "reference": "21"}
    r = client.post("/v1/math", json=math_body)
    assert r.status_code == 200
    assert _no_timing(r.json()) == _no_timing(math_record("1", math_body, 30.0, True))
    assert r.json()["status"] == "verified"

    invoice = {"id": "inv-9", "currency": "EUR", "lines": [
        {"description": "chair", "quantity": 3, "unit_price": "40.00", "amount": "120.00"}],
        "subtotal": "120.00", "total": "125.00"}
    r = client.post("/v1/invoice", json=invoice)
    assert r.status_code == 200 and r.json()["id"] == "inv-9"
    assert _no_timing(r.json()) == _no_timing(invoice_record("inv-9", invoice, timeout=10.0))
    assert r.json()["corrections"] == [{"field": "total", "from": "125.00", "to": "120.00"}]
    r = client.post("/v1/invoice", params={"rounding": "upwards"}, json=invoice)
    assert r.status_code == 422 and r.json()["error"]["field"] == "rounding"

    problem = {"premises": ["∀x (Bird(x) → Flies(x))", "Bird(tweety)"],
               "conclusion": "¬Flies(tweety)"}
    r = client.post("/v1/logic", json=problem)
    assert r.status_code == 200
    assert _no_timing(r.json()) == _no_timing(logic_record("1", problem, 5.0, False, "auto"))
    assert r.json()["answer"] == "contradicted"

    for path, body in (("/v1/math", {"question": "no answer"}), ("/v1/logic", {"premises": "P"})):
        r = client.post(path, json=body)
        assert r.status_code == 422 and r.json()["error"]["message"]


def test_batch_keeps_order_and_marks_bad_lines(client):
    lines = [json.dumps({"id": "a", "text": "9 × 9 = 81"}), "{broken",
             json.dumps({"id": "c", "text": 3}), json.dumps({"text": "10 - 4 = 7"})]
    r = client.post("/v1/batch", content="\n".join(lines) + "\n")
    assert r.status_code == 200 and r.headers["content-type"].startswith("application/x-ndjson")
    out = [json.loads(line) for line in r.text.splitlines()]
    assert [(o["id"], o["status"]) for o in out] == [
        ("a", "verified"), ("2", "error"), ("c", "error"), ("4", "corrected")]
    assert "not valid JSON" in out[1]["error"] and "'text' must be a string" in out[2]["error"]
    r = client.post("/v1/batch", content="[1, 2]")
    assert r.status_code == 400 and "array" in r.json()["error"]["message"]


def test_unknown_kb_search_is_404(client):
    r = client.get("/v1/kb/nothing/search", params={"q": "fractions"})
    assert r.status_code == 404 and r.json()["error"]["field"] == "name"


def test_a_full_queue_answers_429_with_retry_after(server, client):
    # queue 1: while a long batch holds the worker, the next request is refused, not queued
    batch = "\n".join(json.dumps({"text": f"{n} × 3 = {n * 3}. Then {n} + 5 = {n + 5}."})
                      for n in range(2500))
    done: dict[str, httpx.Response] = {}
    t = threading.Thread(target=lambda: done.setdefault(
        "batch", httpx.post(server.url + "/v1/batch", content=batch, timeout=120)))
    t.start()
    try:
        refused = None
        for _ in range(100):
            time.sleep(0.05)
            r = client.post("/v1/check", json={"text": "2 + 2 = 4"})
            if r.status_code == 429:
                refused = r
                break
        assert refused is not None, "the queue never filled"
        assert int(refused.headers["Retry-After"]) >= 1
        assert refused.json()["error"]["type"] == "busy"
    finally:
        t.join(120)
    out = done["batch"].text.splitlines()
    assert len(out) == 2500 and all(json.loads(line)["status"] == "verified" for line in out)
    assert client.post("/v1/check", json={"text": "2 + 2 = 4"}).json()["status"] == "verified"


def test_an_api_key_guards_everything_but_the_probes():
    with serving("--api-key", KEY) as s:
        good = {"Authorization": f"Bearer {KEY}"}
        assert httpx.get(s.url + "/healthz").status_code == 200
        assert httpx.get(s.url + "/readyz").status_code == 200
        for headers in ({}, {"Authorization": "Bearer wrong"}, {"Authorization": KEY}):
            r = httpx.post(s.url + "/v1/check", json={"text": "1 + 1 = 2"}, headers=headers)
            assert r.status_code == 401 and r.json()["error"]["type"] == "unauthorized"
            assert KEY not in r.text
        assert httpx.get(s.url + "/metrics").status_code == 401
        r = httpx.post(s.url + "/v1/check", json={"text": "1 + 1 = 2"}, headers=good)
        assert r.status_code == 200 and r.json()["status"] == "verified"


def test_binding_beyond_loopback_needs_a_key():
    r = subprocess.run([sys.executable, "-m", "verify.cli", "serve", "--host", "0.0.0.0"],
                       cwd=ROOT, capture_output=True, text=True, timeout=60,
                       env={k: v for k, v in __import__("os").environ.items()
                            if k != "VERITY_API_KEY"})
    assert r.returncode == 2 and "--api-key" in r.stderr
    for bad in (["--kb", "nameonly"], ["--workers", "0"], ["--upstream", "ftp://x"]):
        r = subprocess.run([sys.executable, "-m", "verify.cli", "serve", *bad], cwd=ROOT,
                           capture_output=True, text=True, timeout=60)
        assert r.returncode == 2 and "error" in r.stderr and "Traceback" not in r.stderr


def test_a_request_past_its_time_budget_is_504_never_a_verdict():
    with serving("--timeout", "0.3") as s:
        batch = "\n".join(json.dumps({"text": f"{n} × 3 = {n * 3}. Then {n} + 5 = {n + 5}."})
                          for n in range(2500))
        t = threading.Thread(target=lambda: httpx.post(s.url + "/v1/batch", content=batch,
                                                       timeout=120))
        t.start()
        time.sleep(0.3)
        r = httpx.post(s.url + "/v1/check", json={"text": "2 + 2 = 4"}, timeout=30)
        t.join(120)
        assert r.status_code == 504 and r.json()["error"]["type"] == "timeout"
        r = httpx.post(s.url + "/v1/check", json={"text": "2 + 2 = 4"}, timeout=30)
        assert r.status_code == 200 and r.json()["status"] == "verified"
