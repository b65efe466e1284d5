"""Honest coverage: the report says what it did not check, and under the strict policy an
unchecked statement about the world keeps an answer from reading ``verified``."""
from __future__ import annotations

import json
import subprocess
import sys

import pytest

from verify import check
from verify.engines.grounding.world import world_statements


@pytest.mark.parametrize("sentence", [
    "Lyon is the capital of Spain.",
    "The Brooklyn Bridge is painted purple.",
    "Marie Curie was born in 1867.",
    "The Treaty of Utrecht was signed in 1713.",
    "She was born in Warsaw in 1867.",
    "The Danube flows into the Black Sea, which borders Romania.",
])
def test_world_statements_are_found(sentence):
    assert world_statements(sentence) == [(0, len(sentence))]


@pytest.mark.parametrize("sentence", [
    "He sells the rest of the eggs at the farmers' market.",
    "Olga bought 12 pencils in March.",
    "So Tom is 4 years older than Ann.",
    "Let n be the number of marbles Priya has.",
    "If Rome were the capital of France, the map would be wrong.",
    "By the Cauchy-Schwarz inequality, the sum is at least 9.",
    "Is Oslo the capital of Norway?",
    "The answer is 42.",
    "First, Ben walks to the store.",
])
def test_narrative_and_hedged_sentences_are_not_world_statements(sentence):
    assert world_statements(sentence) == []


def test_names_the_question_gives_are_the_problem_not_the_world():
    question = "Hector lives in Quito and buys 3 apples. How many does he have?"
    assert world_statements("Hector is in Quito.", question) == []
    assert world_statements("Hector is in Quito.") == [(0, 19)]


def test_strict_flags_an_unchecked_world_statement_next_to_verified_arithmetic():
    r = check("Lyon is the capital of Spain. Also 3 + 4 = 7.")
    assert r.status == "flagged"
    fact, arith = r.claims
    assert (fact.status, fact.method, fact.text) == ("unverified", "grounding:none",
                                                      "Lyon is the capital of Spain.")
    assert arith.status == "verified"
    assert r.coverage == 0.5  # one of two sentences holds a decided claim


@pytest.mark.parametrize("policy", ["lenient", "permissive"])
def test_other_policies_keep_todays_behaviour_but_still_name_what_was_not_checked(policy):
    r = check("Lyon is the capital of Spain. Also 3 + 4 = 7.", policy=policy)
    assert r.status == "verified" and [c.kind for c in r.claims] == ["arithmetic"]
    assert [r.text[s.start:s.end] for s in r.unchecked_sentences] == ["Lyon is the capital of Spain."]
    assert str(r).splitlines()[0] == 'VERIFIED 1 claim · not checked: "Lyon is the capital of Spain."'


def test_a_worked_solution_narrative_does_not_block_verification():
    text = "Mia picks 14 apples and eats 5.\nShe has 14 - 5 = 9 left.\nShe sells them at the market."
    r = check(text)
    assert r.status == "verified"
    assert [r.text[s.start:s.end] for s in r.unchecked_sentences] == [
        "Mia picks 14 apples and eats 5.", "She sells them at the market."]
    assert r.coverage == pytest.approx(1 / 3, abs=1e-4)


def test_evidence_given_grounds_the_statement_instead():
    r = check("Lyon is the capital of Spain.", evidence=["Madrid is the capital of Spain."])
    assert all(c.method != "grounding:none" for c in r.claims)


def test_coverage_is_in_the_json_and_validates():
    import jsonschema

    from verify.cli.schema import load as load_schema

    data = check("2 + 2 = 4. The sky over Lisbon is green.").to_dict()
    jsonschema.validate(data, load_schema("report"))
    assert data["coverage"] == 0.5
    assert data["unchecked_sentences"] == []  # the second sentence is an unverified claim


def test_cli_names_the_unchecked_sentence_and_exits_nonzero():
    out = subprocess.run([sys.executable, "-m", "verify.cli", "check",
                          "Paris is the capital of Germany. Also 2+2=4."],
                         capture_output=True, text=True, timeout=120)
    assert out.returncode == 1, out.stderr
    assert out.stdout.startswith("FLAGGED 2 claims")
    assert "no evidence given" in out.stdout
    assert "Traceback" not in out.stderr
    lenient = subprocess.run([sys.executable, "-m", "verify.cli", "check", "--json", "--policy", "lenient",
                              "Paris is the capital of Germany. Also 2+2=4."],
                             capture_output=True, text=True, timeout=120)
    report = json.loads(lenient.stdout)
    assert report["status"] == "verified" and report["coverage"] == 0.5


def test_default_time_budget_applies_and_bad_timeouts_are_refused():
    with pytest.raises(ValueError, match="timeout"):
        check("2 + 2 = 4", timeout=-1)
    with pytest.raises(ValueError, match="timeout"):
        check("2 + 2 = 4", timeout=float("nan"))
    assert check("2 + 2 = 4").status == "verified"  # default budget, no error
