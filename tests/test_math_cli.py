"""`verity math`: single answers and JSON Lines batches, output per the contract and the
schema, exit codes; the time-limit helpers; a smoke run of both math benchmarks' cores."""
from __future__ import annotations

import io
import json
import sys
import threading
import time
from importlib import resources
from pathlib import Path

import jsonschema
import pytest

from verify.cli import main
from verify.limits import TimeLimitExceeded, call_with_limit, time_limit

ROOT = Path(__file__).resolve().parents[1]
SCHEMA = json.loads(resources.files("verify.schemas").joinpath("math.json").read_text())
REPORT_SCHEMA = json.loads(resources.files("verify.schemas").joinpath("report.json").read_text())


def run(capsys, *argv: str, stdin: str | None = None, monkeypatch=None) -> tuple[int, str, str]:
    if stdin is not None:
        monkeypatch.setattr(sys, "stdin", io.StringIO(stdin))
    code = main(["math", *argv])
    out, err = capsys.readouterr()
    return code, out, err


def validate(obj: dict) -> None:
    registry_schema = dict(SCHEMA)
    registry_schema["$defs"] = dict(SCHEMA["$defs"], claim=REPORT_SCHEMA["$defs"]["claim"],
                                    evidence=REPORT_SCHEMA["$defs"]["evidence"],
                                    span=SCHEMA["$defs"]["span"])
    text = json.dumps(registry_schema).replace("report.json#/$defs/claim", "#/$defs/claim")
    jsonschema.validate(obj, json.loads(text))


def test_verified_answer_exits_0(capsys):
    code, out, _ = run(capsys, "--question", "Solve x^2-5x+6=0",
                       "--answer", r"Factor: (x-2)(x-3)=0, so x = 2 or x = 3. \boxed{2, 3}",
                       "--reference", "3, 2", "--json")
    assert code == 0
    obj = json.loads(out)
    validate(obj)
    assert (obj["status"], obj["final_answer"], obj["method"]) == ("verified", "2, 3", "exact")
    assert obj["steps"][0]["claims"][0]["status"] == "verified"


def test_wrong_answer_exits_1_and_names_the_step(capsys):
    code, out, _ = run(capsys, "--answer", r"So $2x = 4$ and $x = 3$. \boxed{3}", "--reference", "2")
    assert code == 1
    assert out.startswith("REFUTED: final answer '3' vs reference '2'")
    assert "first wrong step: 0" in out and "x = 3 does not satisfy 2*x = 4" in out


def test_batch_keeps_order_and_reports_bad_lines(tmp_path, capsys):
    path = tmp_path / "answers.jsonl"
    rows = [{"id": "a", "question": "Half?", "answer": r"The answer is $\frac{1}{2}$.", "reference": "0.5"},
            "not json",
            {"id": "c", "answer": ["Let $f(x) = 2x$.", "Then $f(3) = 7$."]},
            {"id": "d", "question": 3, "answer": "5"},
            {"answer": "The integral of x² is x³/3 + C."}]
    path.write_text("\n".join(r if isinstance(r, str) else json.dumps(r) for r in rows), encoding="utf-8")
    code, out, _ = run(capsys, "--jsonl", str(path), "--json")
    got = [json.loads(line) for line in out.splitlines()]
    assert code == 1
    assert [g["id"] for g in got] == ["a", "2", "c", "d", "5"]
    assert [g["status"] for g in got] == ["verified", "error", "refuted", "error", "verified"]
    assert "not valid JSON" in got[1]["error"] and "'question' must be a string" in got[3]["error"]
    for g in got:
        if g["status"] != "error":
            validate(g)
    assert got[2]["first_error"] == 1 and got[2]["reference"] is None


def test_batch_from_stdin_text_output(capsys, monkeypatch):
    stdin = json.dumps({"id": "q", "answer": r"\boxed{\pm 2021}", "reference": "2021"}) + "\n"
    code, out, _ = run(capsys, "--jsonl", "-", stdin=stdin, monkeypatch=monkeypatch)
    assert code == 1 and out.startswith("q: REFUTED")


@pytest.mark.parametrize("argv, message", [
    ([], "give --answer"),
    (["--jsonl", "x.jsonl", "--answer", "5"], "not both"),
    (["--jsonl", "/nonexistent/file.jsonl"], "no such file"),
    (["--answer", "5", "--timeout", "0"], "--timeout"),
    (["--answer", "   "], "empty"),
])
def test_usage_errors_exit_2(capsys, argv, message):
    code, _, err = run(capsys, *argv)
    assert code == 2 and message in err


def test_schema_is_printed(capsys):
    assert main(["schema", "math"]) == 0
    assert json.loads(capsys.readouterr().out)["title"].startswith("Verity math result")


# ---- time limits ---------------------------------------------------------------------------
def _spin() -> None:
    while True:
        pass


def test_time_limit_interrupts_in_the_main_thread():
    started = time.monotonic()
    with pytest.raises(TimeLimitExceeded, match="longer than 0.2"):
        with time_limit(0.2, "spinning"):
            _spin()
    assert time.monotonic() - started < 1.0
    with time_limit(1.0):
        assert sum(range(10)) == 45  # a quick block is untouched


def test_call_with_limit_in_a_worker_thread_returns_on_time():
    box: dict = {}

    def worker() -> None:
        started = time.monotonic()
        try:
            call_with_limit(0.2, _spin, what="spinning")
        except TimeLimitExceeded as exc:
            box["error"] = str(exc)
        box["elapsed"] = time.monotonic() - started
        box["value"] = call_with_limit(1.0, lambda: 42)

    t = threading.Thread(target=worker)
    t.start()
    t.join(5)
    assert "longer than 0.2" in box["error"] and box["elapsed"] < 1.0 and box["value"] == 42


def test_nested_limits_keep_the_outer_bound():
    started = time.monotonic()
    with pytest.raises(TimeLimitExceeded):
        with time_limit(0.3, "outer"):
            with time_limit(5, "inner"):
                _spin()
    assert time.monotonic() - started < 1.5


def test_bad_bound():
    with pytest.raises(ValueError, match="positive"):
        call_with_limit(0, lambda: 1)


# ---- benchmark cores (cheap smoke runs on real data) ---------------------------------------
def test_answer_benchmark_core(shared_data):
    from benchmarks import math_answers

    cases = math_answers.processbench_cases(20) + math_answers.math_variant_cases(10)
    assert any(not c.label for c in cases) and any(c.label for c in cases)
    verdicts = [math_answers.ours(c)[0] for c in cases]
    agree = sum(v == c.label for v, c in zip(verdicts, cases))
    assert agree >= len(cases) - 1


def test_steps_benchmark_core(shared_data):
    from benchmarks import math_steps

    rows = math_steps.evaluate(math_steps.load(limit=15))
    assert rows.solutions == 15 and rows.steps > 15
    assert rows.false_refutations_math == 0


def test_steps_benchmark_table_rows_for_an_outside_set(shared_data):
    from benchmarks import math_steps

    rows = math_steps.table(["--set", "gsm8k", "--limit", "4"])
    assert rows[0][0] == "set" and [r[0] for r in rows[1:]] == ["gsm8k"]
    assert rows[1][1] == "4" and all(len(r) == len(rows[0]) for r in rows)
    assert all(s.confirmed for slips in math_steps.CONFIRMED_SLIPS.values() for s in slips)
