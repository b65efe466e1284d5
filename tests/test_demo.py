"""`verity demo`: all eight stories of SCENARIOS.md come out as expected, offline."""
from __future__ import annotations

import json

import pytest

from verify.cli import main
from verify.demo import STORIES, run_stories
from verify.llm import CallableLLM


@pytest.fixture(scope="module")
def summary(tmp_path_factory):
    """One `verity demo --json --no-llm` run, shared by the per-story assertions."""
    cache = tmp_path_factory.mktemp("kbcache")
    capture = pytest.MonkeyPatch()
    import io
    import sys

    out = io.StringIO()
    capture.setattr(sys, "stdout", out)
    try:
        code = main(["demo", "--json", "--no-llm", "--kb-cache", str(cache)])
    finally:
        capture.undo()
    return code, json.loads(out.getvalue())


def test_demo_exits_0_and_plays_all_eight(summary):
    code, data = summary
    assert code == 0 and data["ok"] is True
    assert [s["number"] for s in data["stories"]] == [1, 2, 3, 4, 5, 6, 7, 8]
    assert data["summary"]["failed"] == []


@pytest.mark.parametrize("number", [n for n, _, _ in STORIES])
def test_each_story_meets_every_expectation(summary, number):
    story = next(s for s in summary[1]["stories"] if s["number"] == number)
    assert story["error"] is None
    assert story["expectations"], "a story must check something"
    assert [e["what"] for e in story["expectations"] if not e["met"]] == []


def test_story_outcomes_in_the_reports(summary):
    stories = {s["number"]: s for s in summary[1]["stories"]}
    invoice = stories[1]["steps"][0]["report"]
    assert invoice["status"] == "corrected"
    assert invoice["corrected_text"].endswith("Total: $118")
    assert stories[2]["steps"][0]["report"]["corrected_text"] == "847 × 923 = 781781"
    assert stories[3]["steps"][0]["report"]["status"] == "verified"
    grounding = stories[4]["steps"][0]["report"]
    assert grounding["claims"][0]["status"] == "refuted"
    assert grounding["claims"][0]["evidence"][0]["citation"]["source"] == "demo_kb/history.md"
    assert "majority 1889, agreement 4/5, flagged samples [3]" in stories[5]["steps"][0]["note"]
    cove = stories[6]["steps"][0]["report"]
    assert "cove" in cove["stages"] and cove["meta"]["cove"]["sentences"][1]["origin"] == "replaced"
    assert [c["status"] for c in stories[7]["steps"][0]["report"]["claims"]] == [
        "unverified", "verified", "refuted"]
    assert stories[8]["steps"][0]["output"] == "847 × 923 = 781781"


def test_llm_path_story_with_a_callable_model(tmp_path):
    def weak_model(messages, **kw):
        return "I am not sure. Maybe verified."

    [story] = run_stories(only=[9], llm=CallableLLM(weak_model, name="weak"), cache_dir=tmp_path)
    assert story.ok and story.skipped is None
    report = story.steps[0].report
    assert report.status != "verified" and report.meta["models"]["llm"] == "weak"


def test_llm_path_is_skipped_not_failed_when_the_model_cannot_load(tmp_path):
    [story] = run_stories(only=[9], llm="/nonexistent/model/dir", cache_dir=tmp_path)
    assert story.ok and "did not load" in story.skipped


def test_demo_bad_usage(capsys):
    assert main(["demo", "--only", "12"]) == 2
    assert main(["demo", "--no-llm", "--only", "9"]) == 2
