"""The trained judge shipped in ``verify/data/judge`` and the default judge's one decision."""
from __future__ import annotations

import json

import pytest

from verify import check
from verify.engines.grounding.judges import trained
from verify.engines.grounding.judges.base import Judgement, Passage
from verify.engines.grounding.judges.default import DefaultJudge, decide
from verify.engines.grounding.judges.trained import JudgeModelError, Scores, TrainedJudge
from verify.engines.grounding.judges.windows import evidence_windows

WWII = "World War II ended on September 2, 1945, when Japan formally surrendered aboard the USS Missouri."
W = Passage(WWII, "evidence[0]")


def scores(sup: float, con: float) -> tuple[Scores, Scores]:
    return Scores(sup, 1 - sup, 0.0, W), Scores(1 - con, con, 0.0, W)


def d(label: str, checks: tuple[str, ...], **kw) -> Judgement:
    return Judgement(label, 0.5, (W,) if label in ("supported", "contradicted") else (), "why", checks, **kw)


# --------------------------------------------------------------------------- the decision

def test_a_checked_contradiction_keeps_its_correction_unless_the_model_is_sure_of_support():
    wrong = d("contradicted", ("value_mismatch",), correction="1945", wrong="1946")
    kept = decide(wrong, *scores(0.2, 0.7), 0.9, 0.9)
    assert (kept.label, kept.correction, kept.detail["p_supported"]) == ("contradicted", "1945", 0.2)
    torn = decide(wrong, *scores(0.95, 0.0), 0.9, 0.9)
    assert torn.label == "not found" and "disagree" in torn.explanation


def test_structural_support_stands_unless_the_model_is_sure_of_a_contradiction():
    picked = d("supported", ("choice",))
    assert decide(picked, *scores(0.1, 0.1), 0.9, 0.9).label == "supported"
    assert decide(picked, *scores(0.0, 0.95), 0.9, 0.9).label == "not found"


def test_otherwise_the_model_decides_at_its_thresholds_and_a_model_contradiction_has_no_correction():
    lexical = d("supported", ("coverage",))
    assert decide(lexical, *scores(0.89, 0.0), 0.9, 0.9).label == "not found"
    assert decide(lexical, *scores(0.91, 0.0), 0.9, 0.9).label == "supported"
    gap = d("not found", ("coverage", "novel_word"))
    said = decide(gap, *scores(0.95, 0.0), 0.9, 0.9)
    assert said.label == "supported" and said.passages == (W,) and "trained" in said.checks
    denied = decide(gap, *scores(0.0, 0.93), 0.9, 0.9)
    assert denied.label == "contradicted" and denied.correction is None and "no correction" in denied.explanation
    assert decide(gap, *scores(0.5, 0.5), 0.9, 0.9).label == "not found"


class FakeModel:
    """Stands in for the cross-encoder: always sure the claim is stated."""

    models = {"judge": "fake"}
    support_at = contradict_at = 0.9

    def best(self, claim, passages):
        return scores(0.99, 0.0)


@pytest.mark.parametrize("claim", [
    "World War II ended in 1950 aboard the USS Missouri",      # a value the evidence never states
    "World War II ended aboard the USS Enterprise",            # a name it never states
])
def test_the_model_never_overrides_a_veto(claim):
    j = DefaultJudge(model=FakeModel()).judge(claim, [WWII])
    assert j.label != "supported"


def test_no_model_means_nothing_supported_with_the_reason(tmp_path, monkeypatch):
    monkeypatch.setattr(trained, "WEIGHTS", tmp_path / "missing")
    j = DefaultJudge().judge("World War II ended in 1945", [WWII])
    assert j.label == "not found" and "trained judge is unavailable" in j.explanation
    with pytest.raises(JudgeModelError, match="no usable judge"):
        TrainedJudge(tmp_path)


def test_windows_rank_by_shared_words_and_keep_their_source():
    text = "Cats sleep a lot. The Eiffel Tower is in Paris. It was completed in 1889. Dogs bark."
    ws = evidence_windows("The Eiffel Tower was completed in 1889", [Passage(text, "doc")], k=2)
    assert "completed in 1889" in ws[0].text and ws[0].source == "doc" and len(ws) == 2


# --------------------------------------------------------------------------- the shipped weights

def test_the_shipped_judge_is_small_calibrated_and_loads_offline():
    files = {p.name: p.stat().st_size for p in trained.WEIGHTS.iterdir()}
    assert {"model.safetensors", "config.json", "calibration.json", "MODEL_CARD.md"} <= set(files)
    assert sum(files.values()) <= 50_000_000
    cal = json.loads((trained.WEIGHTS / "calibration.json").read_text())
    assert cal["target_precision"] >= 0.97 and 0 < cal["thresholds"]["supported"] <= 1
    j = TrainedJudge()
    sup, con = j.best("Japan surrendered on board the USS Missouri", [Passage(WWII)])
    assert sup.supported > con.contradicted


def test_check_verifies_a_paraphrase_and_flags_a_changed_fact():
    said = check("Japan surrendered on board the USS Missouri in 1945.", evidence=[WWII])
    assert said.status == "verified", said.claims[0].explanation
    assert said.claims[0].detail["p_supported"] >= trained.TrainedJudge().support_at
    wrong = check("Japan surrendered on board the USS Missouri in 1946.", evidence=[WWII])
    assert wrong.status != "verified"
