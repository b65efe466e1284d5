"""The grounding benchmark's hand-written rewording sets and its new loaders, on a few items."""
from __future__ import annotations

import json
from hashlib import sha1
from pathlib import Path

import pytest

from conftest import load_benchmark

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "benchmarks" / "data"


@pytest.fixture(scope="module")
def bench():
    return load_benchmark("grounding")


def _rows(name: str) -> list[dict]:
    return [json.loads(line) for line in (DATA / name).read_text(encoding="utf-8").splitlines() if line.strip()]


def _sentence(text: str) -> bool:
    return isinstance(text, str) and len(text.split()) >= 4 and not text[0].islower() and text.endswith(".")


def test_halueval_rewordings_are_sentences_on_both_halves(shared_data):
    source = [json.loads(line) for line in open(shared_data / "halueval-qa-dev.jsonl", encoding="utf-8")
              if line.strip()]
    rows = _rows("halueval_rewordings.jsonl")
    assert len(rows) >= 120
    assert len({r["row"] for r in rows}) == len(rows)  # one rewording per question
    for r in rows:
        assert set(r) == {"row", "half", "rewording"}
        assert isinstance(r["row"], int) and 0 <= r["row"] < len(source)
        assert r["half"] == ("dev" if r["row"] < len(source) // 2 else "test")
        assert _sentence(r["rewording"])
        assert r["rewording"].rstrip(".").strip() != source[r["row"]]["right_answer"].strip()
        assert r["rewording"].rstrip(".") not in source[r["row"]]["knowledge"]  # reworded, not copied
    assert min(sum(r["half"] == h for r in rows) for h in ("dev", "test")) >= 60


def test_textbook_rewordings_name_real_modules_and_their_hash_half(bench):
    rows = _rows("textbook_rewordings.jsonl")
    assert len(rows) >= 120
    for r in rows:
        assert set(r) == {"module", "half", "rewording"}
        assert (bench.MODULES / r["module"] / "index.cnxml").is_file(), r["module"]
        even = int(sha1(r["module"].encode()).hexdigest()[:8], 16) % 2 == 0
        assert r["half"] == ("dev" if even else "test")
        assert _sentence(r["rewording"])
        assert r["rewording"] not in bench.module_text(r["module"])  # reworded, not copied
    assert min(sum(r["half"] == h for r in rows) for h in ("dev", "test")) >= 60


def test_loaders_give_the_expected_flags(bench):
    right = bench.halueval_rewordings(5) + bench.textbook_rewordings(3)
    assert len(right) == 8 and not any(i.flagged for i in right)
    assert all(i.evidence and i.question for i in right[:5])
    assert right[5].evidence == bench.module_text(_rows("textbook_rewordings.jsonl")[0]["module"])

    begin = bench.grounding_set("begin", "test", 6)
    rows = [json.loads(line) for line in open(bench.GROUNDING / "begin.jsonl", encoding="utf-8")]
    labels = [r["label"] for r in rows if r["split"] == "test"][:6]
    assert [i.flagged for i in begin] == [label == "not_supported" for label in labels]
    assert not any(i.dev for i in begin) and all(i.group is None for i in begin)

    wice = bench.grounding_set("wice", "test", 3)  # --limit counts claims on WiCE
    assert len({i.group for i in wice}) == 3 and len(wice) > 3
    assert len(bench.grounding_set("qags", "dev", 4)) == 4
    assert {i.source for i in bench.frank(None)} == {"cnndm", "bbc"}


def test_a_wice_claim_is_verified_when_any_chunk_verifies_it(bench):
    Item, Outcome = bench.Item, bench.Outcome
    items = [Item("c1", "a", None, False, False, group="1"), Item("c1", "b", None, False, False, group="1"),
             Item("c2", "a", None, True, False, group="2"), Item("c2", "b", None, True, False, group="2"),
             Item("x", "e", None, True, False)]
    preds = [Outcome(True, True), Outcome(False, False), Outcome(True, False), Outcome(True, True),
             Outcome(False, None)]
    p, i = bench.units(preds, items)
    assert [u.answer for u in i] == ["c1", "c2", "x"]
    assert p == [Outcome(False, False), Outcome(True, True), Outcome(False, None)]


def test_judged_systems_report_refutations(bench):
    from verify.engines.grounding.judges.deterministic import DeterministicJudge

    items = bench.halueval_rewordings(4)
    outcomes = [bench.judged(DeterministicJudge())(i) for i in items]
    assert all(isinstance(o.refuted, bool) for o in outcomes)
    assert all(o.refuted is None for o in map(bench.naive, items))
    assert all(o.refuted is False for o in outcomes if not o.flagged)  # a verified item is never refuted
