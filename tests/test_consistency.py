"""Self-consistency voting: clustering, agreement, entropy, and the pipeline claim."""
from __future__ import annotations

import math
from fractions import Fraction
import time

import pytest

from verify.stages.consistency import (MIN_AGREEMENT, Vote, consistency_claim, detect_kind, match,
                                text_answer, vote)
from verify.engines.base import Context
from verify.report import Claim, Evidence, Report, Span

EIFFEL = "What year was the Eiffel Tower completed?"


def test_scenario5_eiffel_majority_and_flagged_minority():
    v = vote(["1889", "1889", "1887", "1889", "1889"], question=EIFFEL)
    assert v.answer == "1889"
    assert (v.count, v.total, v.fraction) == (4, 5, "4/5")
    assert v.agreement == pytest.approx(0.8)
    assert v.minority == (2,)
    assert v.labels == (0, 0, 1, 0, 0)
    assert [c.size for c in v.clusters] == [4, 1]
    assert v.entropy == pytest.approx(-(0.8 * math.log(0.8) + 0.2 * math.log(0.2)))
    assert not v.low
    assert v.to_dict()["fraction"] == "4/5"
    assert v.ratio == Fraction(4, 5)


def test_sentences_with_the_same_year_cluster_and_different_years_never_merge():
    samples = ["The Eiffel Tower was completed in 1889.", "It was finished in 1889.",
               "The Eiffel Tower was completed in 1887.", "In 1889, for the World's Fair.", "1889"]
    v = vote(samples, question=EIFFEL)
    assert v.fraction == "4/5"
    assert v.minority == (2,)
    assert match("Construction was completed in 1889.", v, question=EIFFEL) == 0
    assert match("It opened in 1887.", v, question=EIFFEL) == 1
    assert match("1901", v, question=EIFFEL) is None


def test_semantic_clustering_uses_the_packaged_embeddings():
    samples = ["Thomas Jefferson wrote it.", "It was written by Jefferson.", "Jefferson",
               "John Adams", "Benjamin Franklin"]
    v = vote(samples, question="Who wrote the Declaration of Independence?")
    assert v.answer == "Thomas Jefferson wrote it."
    assert v.fraction == "3/5"
    assert v.minority == (3, 4)
    assert len(v.clusters) == 3
    assert v.entropy > vote(["Jefferson"] * 5).entropy == 0.0


def test_embedding_similarity_merges_paraphrases_only_above_threshold():
    q = "Why is the sky blue?"
    samples = ["Because air molecules scatter blue sunlight more than red light.",
               "Rayleigh scattering: shorter blue wavelengths are scattered most by the air.",
               "Because the ocean reflects its colour onto the sky."]
    v = vote(samples, question=q)
    assert v.method == "string+embedding"
    assert v.labels[2] != v.labels[0]


def test_negation_keeps_answers_apart():
    v = vote(["Yes, it is a prime number.", "No, it is not a prime number.",
              "Yes, it is a prime number."], kind="text")
    assert v.fraction == "2/3"
    assert v.minority == (1,)


def test_number_words_and_thousand_separators_canonicalise():
    v = vote(["twelve", "12", "12.0", "1,200"], kind="text")
    assert v.clusters[0].members == (0, 1, 2)
    assert v.labels[3] == 1


def test_tie_and_low_agreement_are_flagged():
    tie = vote(["Paris", "Lyon", "Paris", "Lyon"], kind="text")
    assert tie.tie and tie.low
    scattered = vote(["1887", "1889", "1901", "1889", "1850"], kind="text")
    assert scattered.agreement == pytest.approx(0.4)
    assert scattered.agreement < MIN_AGREEMENT
    assert scattered.low


def test_unreadable_samples_abstain_and_count_against_agreement():
    v = vote(["", "1889", "   ", "1889"], kind="text")
    assert v.labels == (-1, 0, -1, 0)
    assert v.fraction == "2/4"
    assert v.minority == (0, 2)
    assert v.entropy == pytest.approx(-(0.5 * math.log(0.5) + 2 * 0.25 * math.log(0.25)))


def test_text_answer_reads_explicit_final_answers():
    assert text_answer("Let me think. It was built for the fair.\nFinal answer: 1889") == "1889"
    assert text_answer("Paris. It has been the capital since 987.") == "Paris."


def test_detect_kind():
    assert detect_kind(["so \\boxed{4}"]) == "math"
    assert detect_kind(["4"], "Compute $2+2$.") == "math"
    assert detect_kind(["1889"], EIFFEL) == "text"


@pytest.mark.parametrize("bad", ["1889", [1, 2], []])
def test_bad_input_is_refused_clearly(bad):
    with pytest.raises((TypeError, ValueError)):
        vote(bad)  # type: ignore[arg-type]


def test_unknown_kind_is_refused():
    with pytest.raises(ValueError, match="kind"):
        vote(["a"], kind="poll")  # type: ignore[arg-type]


# ---------------------------------------------------------------- the pipeline claim

def _llm(samples):
    from verify.llm import CallableLLM

    def fixed(messages, n=1, temperature=0.0, seed=None):
        assert temperature > 0 and seed is not None
        assert all("1887" not in m["content"] for m in messages)  # the answer is not shown
        return list(samples)[:n]

    return CallableLLM(fixed, name="five-samples")


def _ctx(llm, n=5, **kw):
    return Context(question=EIFFEL, llm=llm, options={"samples": n, **kw})


def _never_check(*a, **kw):
    raise AssertionError("the majority must not be checked when the answer agrees with it")


def test_claim_verified_when_answer_is_the_clear_majority():
    claim, record = consistency_claim("It was completed in 1889.",
                                      _ctx(_llm(["1889", "1889", "1887", "1889", "1889"])),
                                      _never_check)
    assert claim.status == "verified" and claim.kind == "consistency"
    assert claim.method == "self-consistency"
    assert len(claim.evidence) == 5
    assert claim.detail["fraction"] == "4/5"
    assert record["minority"] == [2] and record["cluster_sizes"] == [4, 1]


def _report(status: str, text: str) -> Report:
    claims = ()
    if status == "verified":
        claims = (Claim(text, Span(0, len(text)), "fact", "verified", "test", "ok",
                        evidence=(Evidence("the Eiffel Tower was completed in 1889"),)),)
    return Report(status=status, text=text, corrected_text=text, claims=claims)


def test_minority_answer_is_corrected_only_when_the_majority_passes_the_checks():
    seen = []

    def passes(text, **kw):
        seen.append(text)
        return _report("verified", text)

    llm = _llm(["1889", "1889", "1887", "1889", "1889"])
    claim, record = consistency_claim("1887", _ctx(llm), passes)
    assert claim.status == "refuted"
    assert claim.correction == "1889"
    assert seen == ["1889"]
    assert record["correction_sample"] == 0

    def fails(text, **kw):
        return _report("flagged", text)

    claim, _ = consistency_claim("1887", _ctx(llm), fails)
    assert claim.status == "unverified" and claim.correction is None
    assert "does not pass the checks" in claim.explanation


def test_low_agreement_flags_without_checking():
    llm = _llm(["1887", "1889", "1901", "1889", "1850"])
    claim, record = consistency_claim("1889", _ctx(llm), _never_check)
    assert claim.status == "unverified"
    assert "low agreement" in claim.explanation
    assert record["fraction"] == "2/5"


def test_failing_model_is_unverified_with_the_reason():
    from verify.llm import CallableLLM

    def broken(messages):
        raise ConnectionError("endpoint down")

    claim, record = consistency_claim("1889", _ctx(CallableLLM(broken)), _never_check)
    assert claim.status == "unverified" and record == {}
    assert "endpoint down" in claim.explanation


def test_slow_model_times_out_unverified():
    from verify.llm import CallableLLM

    def slow(messages, timeout=None):
        time.sleep(2)
        return "1889"

    started = time.monotonic()
    claim, _ = consistency_claim("1889", _ctx(CallableLLM(slow), llm_timeout=0.2), _never_check)
    assert time.monotonic() - started < 1.5
    assert claim.status == "unverified"
    assert "LLMTimeout" in claim.explanation


@pytest.mark.parametrize("garbage", [[""], [None], 42])
def test_malformed_model_output_is_unverified(garbage):
    from verify.llm import CallableLLM

    claim, _ = consistency_claim("1889", _ctx(CallableLLM(lambda messages: garbage)), _never_check)
    assert claim.status == "unverified"


def test_no_question_no_sampling():
    claim, _ = consistency_claim("1889", Context(llm=_llm(["1889"] * 5), options={"samples": 5}),
                                 _never_check)
    assert claim.status == "unverified" and "question" in claim.explanation


def test_vote_object_is_frozen():
    v = vote(["a", "a"], kind="text")
    assert isinstance(v, Vote)
    with pytest.raises(AttributeError):
        v.tie = True  # type: ignore[misc]


# ---------------------------------------------------------------- math canonicalisation

def test_math_answers_cluster_by_exact_equality():
    samples = ["So the result is \\boxed{\\frac{1}{2}}.", "The answer is 0.5",
               "Hence $\\boxed{2/4}$", "\\boxed{\\dfrac{1}{3}}", "#### 0.50"]
    v = vote(samples, question="Compute $\\frac{1}{2}$.")
    assert v.kind == "math" and v.method == "math-equivalence"
    assert v.fraction == "4/5" and v.minority == (3,)
    assert match("we get \\boxed{0.5}", v) == 0
    assert match("\\boxed{1/3}", v) == 1


def test_math_near_misses_stay_apart():
    v = vote(["\\boxed{1-1/e}", "\\boxed{1+1/e}", "\\boxed{\\pm 2021}", "\\boxed{2021}"], kind="math")
    assert len(v.clusters) == 4 and v.low


def test_math_consistency_claim_uses_the_math_engine():
    from verify.llm import CallableLLM

    sols = ["2x = 6 so x = 3. The answer is \\boxed{3}", "x = 6/2 = 3, \\boxed{3}",
            "\\boxed{3.0}", "\\boxed{4}"]
    llm = CallableLLM(lambda messages, n=1: sols[:n])
    ctx = Context(question="Solve $2x = 6$.", llm=llm, options={"samples": 4})
    claim, record = consistency_claim("Dividing by 2, \\boxed{3}", ctx, _never_check)
    assert claim.status == "verified" and record["kind"] == "math" and record["fraction"] == "3/4"


# ---------------------------------------------------------------- properties

from hypothesis import given, settings, strategies as st  # noqa: E402


@settings(max_examples=60, deadline=None)
@given(st.lists(st.sampled_from(["1887", "1889", "1901", "", "12", "twelve"]), min_size=1, max_size=12),
       st.randoms())
def test_vote_invariants(samples, rnd):
    v = vote(samples, kind="text")
    assert v.total == len(samples)
    assert sum(c.size for c in v.clusters) + v.labels.count(-1) == len(samples)
    assert 0.0 <= v.entropy <= math.log(len(samples)) + 1e-9
    assert v.agreement == (v.clusters[0].size / len(samples) if v.clusters else 0.0)
    assert all(v.labels[i] == k for k, c in enumerate(v.clusters) for i in c.members)
    shuffled = list(samples)
    rnd.shuffle(shuffled)
    w = vote(shuffled, kind="text")
    assert sorted(c.size for c in w.clusters) == sorted(c.size for c in v.clusters)
    assert w.entropy == pytest.approx(v.entropy)
