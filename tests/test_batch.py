"""Batches: `check_many` gives the same reports, in order, in one process, in local worker
processes and on a local Ray instance; `verity check --jsonl` prints them line for line."""
from __future__ import annotations

import json
import subprocess
import sys

import pytest

from verify.batch import check_many
from verify.serve.launch import ROOT


def _no_timing(report: dict) -> dict:
    if "meta" not in report:
        return report
    return {**report, "meta": {k: v for k, v in report["meta"].items() if k != "elapsed_ms"}}


def _items(n: int) -> list[dict]:
    """Word problems with their arithmetic, every third one wrong, plus bad lines."""
    out: list[dict] = []
    for i in range(n):
        a, b = 3 + i % 17, 5 + i % 11
        total = a * b + (1 if i % 3 == 0 else 0)
        out.append({"id": f"q{i}", "question": f"{a} crates of {b} apples: how many?",
                    "text": f"Each crate holds {b} apples, so {a} crates hold {a} × {b} = {total} "
                            f"apples. Adding 2 more gives {total} + 2 = {total + 2}."})
    out[5] = {"id": "bad-type", "text": ["not", "text"]}
    out[9] = {"id": "bad-evidence", "text": "1 + 1 = 2", "evidence": "one string"}
    return out


def test_one_process_two_workers_and_ray_agree():
    items = _items(120)
    one = list(check_many(items))
    assert [r["id"] for r in one] == [i["id"] for i in items]
    assert one[5]["status"] == "error" and "'text' must be a string" in one[5]["error"]
    assert one[9]["status"] == "error" and "evidence" in one[9]["error"]
    assert one[0]["status"] == "corrected" and one[1]["status"] == "verified"
    two = list(check_many(items, workers=2))
    assert [_no_timing(r) for r in two] == [_no_timing(r) for r in one]

    ray = pytest.importorskip("ray")
    try:
        on_ray = list(check_many(items, backend="ray", workers=2))
    finally:
        ray.shutdown()
    assert [_no_timing(r) for r in on_ray] == [_no_timing(r) for r in one]


def test_strings_are_answers_and_bad_options_are_refused():
    out = list(check_many(["2 × 8 = 16", "2 × 8 = 18"]))
    assert [(r["id"], r["status"]) for r in out] == [("1", "verified"), ("2", "corrected")]
    with pytest.raises(ValueError, match="workers"):
        list(check_many(["1 + 1 = 2"], workers=0))
    with pytest.raises(ValueError, match="backend"):
        list(check_many(["1 + 1 = 2"], backend="spark"))  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="path"):
        check_many(["1 + 1 = 2"], kb=object())  # type: ignore[arg-type]


def test_cli_jsonl_prints_one_report_per_line_in_order(tmp_path):
    items = _items(40)
    lines = [json.dumps(i) for i in items]
    lines.insert(3, "{not json")
    path = tmp_path / "answers.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    runs = {}
    for label, extra in (("one", []), ("two", ["--workers", "2"])):
        r = subprocess.run([sys.executable, "-m", "verify.cli", "check", "--jsonl", str(path),
                            "--json", *extra], cwd=ROOT, capture_output=True, text=True,
                           timeout=300)
        assert r.returncode == 1, r.stderr  # refuted answers and bad lines
        runs[label] = [json.loads(line) for line in r.stdout.splitlines()]
    out = runs["one"]
    assert len(out) == 41 and out[3] == {"schema_version": 1, "id": "4", "status": "error",
                                         "error": out[3]["error"]}
    assert "not valid JSON" in out[3]["error"]
    assert [o["id"] for o in out[:3]] == ["q0", "q1", "q2"]
    assert [_no_timing(o) for o in runs["two"]] == [_no_timing(o) for o in out]

    r = subprocess.run([sys.executable, "-m", "verify.cli", "check", "--jsonl", str(path)],
                       cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert r.stdout.splitlines()[0] == "q0: CORRECTED" and "4: error: line 4" in r.stdout


@pytest.mark.parametrize("args, message", [
    (["--jsonl", "missing.jsonl"], "no such file"),
    (["--jsonl", "-", "--workers", "0"], "--workers"),
    (["some text", "--workers", "2"], "go with --jsonl"),
    (["--jsonl", "-", "--evidence", "x.txt"], "drop TEXT"),
])
def test_cli_jsonl_bad_usage_exits_2(args, message):
    r = subprocess.run([sys.executable, "-m", "verify.cli", "check", *args], cwd=ROOT,
                       capture_output=True, text=True, timeout=60, input="")
    assert r.returncode == 2 and message in r.stderr and "Traceback" not in r.stderr
