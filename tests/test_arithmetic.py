"""The arithmetic engine end to end: exact verdicts, corrections, spans, propagation.

Every case states the exact expected outcome. ``check(..., engines=("arithmetic",))`` keeps
these fast; the scenario tests at the bottom run the default pipeline and the CLI.
"""
from __future__ import annotations

import json
import subprocess
import sys
from fractions import Fraction

import pytest

from verify import check
from verify.engines.arithmetic.answers import find_final_answers
from verify.engines.arithmetic.scan import find_chains
from verify.engines.arithmetic.engine import ENGINE, METHOD
from verify.report import Span

ROOT = __import__("pathlib").Path(__file__).resolve().parents[1]


def arith(text: str, **kw):
    return check(text, engines=("arithmetic",), **kw)


# --------------------------------------------------------------------------- finding
@pytest.mark.parametrize("text, chains", [
    ("847 × 923 = 781681", [["847 × 923", "781681"]]),
    ("Natalia sold 48/2 = 24 clips in May.", [["48/2", "24"]]),
    ("Working 50 minutes, she earned 0.2 x 50 = $10.", [["0.2 x 50", "$10"]]),
    ("12 times 3 is 36", [["12 times 3", "36"]]),
    ("150 divided by 5 equals 30.", [["150 divided by 5", "30"]]),
    ("2 + 3 = 5 = 10/2", [["2 + 3", "5", "10/2"]]),
    ("Ellie needs 2 wheels * 10ml of oil per wheel = 20ml of oil.", [["2 wheels * 10", "20"]]),
    ("It costs $60/large painting x 8 large paintings = $480 for the large ones.",
     [["$60/large painting x 8", "$480"]]),
    ("There are 8 friends + 1 (Samuel) + 1 (Cathy) = 10 that will share.",
     [["8 friends + 1 (Samuel) + 1", "10"]]),
    ("The average is (60 inches + 68 inches + 64 inches) / 3 = 64 inches.",
     [["(60 inches + 68 inches + 64 inches) / 3", "64"]]),
    ("π ≈ 3.14 and 22/7 ≈ 3.15", [["π", "3.14"], ["22/7", "3.15"]]),
    ("10/3 is about 3.3", [["10/3", "3.3"]]),
    ("So 18% of 100 is 18, and 15% off 80 = 68.", [["18% of 100", "18"], ["15% off 80", "68"]]),
    ("$14*50%=$7", [["$14*50%", "$7"]]),
    ("Drive to work:200(.60)=120", [["200(.60)", "120"]]),
    ("3² = 9", [["3²", "9"]]),
    ("X = 536 - 278 = 258", [["536 - 278", "258"]]),
    ("8*45 = 360 divided by 5 is 360/5 = 72 candles",
     [["8*45", "360 divided by 5", "360/5", "72"]]),
    ("1. 2 + 2 = 4", [["2 + 2", "4"]]),
    ("John is 30 years old and Mary is 2 * 10 = 20", [["2 * 10", "20"]]),
    ("The product is 847 × 923 = **781,681**.", [["847 × 923", "781,681"]]),
    ("The product is **847 × 923 = 781,681**.", [["847 × 923", "781,681"]]),
    ("- 12 × 4 = 48\n- 48 + 10 = 58", [["12 × 4", "48"], ["48 + 10", "58"]]),
    ("She saves $200/month × 12 months = $2,400 per year.", [["$200/month × 12", "$2,400"]]),
    ("Profit = Revenue − Cost = $500 − $320 = $180", [["$500 − $320", "$180"]]),
    ("2**10 = 1024 and 3*4 = 12", [["2**10", "1024"], ["3*4", "12"]]),
])
def test_finder_spans(text, chains):
    found = find_chains(text)
    assert [[text[t.start:t.end] for t in c.terms] for c in found] == chains


@pytest.mark.parametrize("text", [
    "We met on 2024-01-02 at 10:30; the ratio was 3:2 and the version 1.2.3 = 4.",
    "Call 555-123-4567 = the office.",
    "x = 3",
    "2x + 1 = 7",
    "X + 278 = 536",
    "11x+15=301",
    "100/5 = 5A/5 or 20 = A.",
    "1 dozen = 12",
    "half of 48 = 24",
    "twice 12 = 24",
    "three times 4 = 12",
    "Subtotal: $100, Tax (18%): $18, Total: $120",
    "The total is 36.",
    "1 + (Michael's age - 1) x 2 = 15",
    "Subtract weeks 3-4 from weeks 1-2 = 26",
    "12 x 1 and 1/4 = 15",
    "4.5 gallons = 4.5 * 8",
    "0900-0130 = 0730 hours",
    "6W / 6 = 30 feet / 6",
    "Juwan is 4/7 is equal to $24",
])
def test_finder_leaves_non_claims_alone(text):
    assert find_chains(text) == []


def test_final_answer_markers():
    text = "48 + 24 = 72 clips.\n#### 72"
    chains = find_chains(text)
    assert [(f.text, text[f.start:f.end]) for f in find_final_answers(text, chains)] == [("72", "72")]
    text = "So 48 + 24 = 72. The answer is $72."
    assert [f.text for f in find_final_answers(text, find_chains(text))] == ["$72"]
    text = "So 48 + 24 = 72. She sold 72 clips."
    assert [f.text for f in find_final_answers(text, find_chains(text))] == ["72"]
    text = "So 48 + 24 = 72. She sold 70 clips."  # not a restatement of any result
    assert find_final_answers(text, find_chains(text)) == []


# --------------------------------------------------------------------------- verdicts
@pytest.mark.parametrize("text", [
    "847 × 923 = 781781",
    "Natalia sold 48/2 = 24 clips in May.",
    "Weng earns 12/60 = $0.2 per minute.",
    "0.2 x 50 = $10",
    "12 times 3 is 36",
    "150 divided by 5 equals 30",
    "7 multiplied by 6 makes 42",
    "2 + 3 = 5 = 10/2",
    "3 * 4 = 12 + 2 = 14",
    "28 / 1/5 = 28 * 5 = 140",
    "$1,000.50 + $234 = $1,234.50",
    "1,200 + 300 = 1,500",
    "5 USD + 3 USD = 8 USD",
    "18% of 100 is 18",
    "15% off 80 = 68",
    "80 + 20% = 96",
    "20% + 5% = 25%",
    "3/12 = 25%",
    "5 − 8 = −3",
    "-5 + 3 = -2",
    "2^10 = 1024",
    "2 ** 10 = 1024",
    "3² = 9",
    "√16 = 4",
    "10 ÷ 4 = 2.5",
    "1½ + ½ = 2",
    "(8*4)-5=27",
    "200(.60)=120",
    "π ≈ 3.14",
    "√2 ≈ 1.414",
    "22/7 ≈ 3.14",
    "10/3 is about 3.3",
    "100 / 7 ~ 14.3",
    "100 / 7 is roughly 14",
    "1000/3 ≈ 330",
    "$0.25/glass x 10 glasses = 250 cents",
    "12 kittens / 18 cats * 100% = 66.666...%",
    "8.1 / 3 is about 2.7",
    "3 over 4 = 0.75",
    "$12.50 × 4 = $50.00",
    "Sam makes $460 / 23 hrs = $20/hr.",
])
def test_true_claims_are_verified(text):
    report = arith(text)
    assert report.status == "verified", report
    assert report.claims and all(c.status == "verified" for c in report.claims)
    assert all(c.evidence and c.method == METHOD and c.kind == "arithmetic" for c in report.claims)
    assert report.corrected_text == text


@pytest.mark.parametrize("text, corrected", [
    ("847 × 923 = 781681", "847 × 923 = 781781"),
    ("12 times 3 is 35", "12 times 3 is 36"),
    ("150 divided by 5 equals 25", "150 divided by 5 equals 30"),
    ("0.2 x 50 = $11.", "0.2 x 50 = $10."),
    ("$1,000.50 + $234 = $1,234.00", "$1,000.50 + $234 = $1,234.50"),
    ("€5 × 3 = €14", "€5 × 3 = €15"),
    ("¥1,000 × 3 = ¥3,500", "¥1,000 × 3 = ¥3,000"),
    ("5 USD + 3 USD = 9 USD", "5 USD + 3 USD = 8 USD"),
    ("1.25 + 1.25 = 2.60", "1.25 + 1.25 = 2.50"),
    ("$10 / 4 = $2", "$10 / 4 = $2.50"),
    ("5 - 8 = 3", "5 - 8 = -3"),
    ("18% of 200 is 18", "18% of 200 is 36"),
    ("3/12 = 30%", "3/12 = 25%"),
    ("80 + 20% = 95", "80 + 20% = 96"),
    ("2^10 = 1000", "2^10 = 1024"),
    ("10/3 = 3.34", "10/3 ≈ 3.33"),
    ("10/3 = 3", "10/3 ≈ 3.33"),
    ("22/7 ≈ 3.15", "22/7 ≈ 3.14"),
    ("2/3 ≈ 0.66", "2/3 ≈ 0.67"),
    ("√2 ≈ 1.42", "√2 ≈ 1.41"),
    ("1000/3 ≈ 340", "1000/3 ≈ 330"),
    ("2 + 3 = 6 = 12/2", "2 + 3 = 5 = 10/2"),
    ("The product is 847 × 923 = **781,681**.", "The product is 847 × 923 = **781,781**."),
    ("That gives us (15 + 27) / 2 = 20.", "That gives us (15 + 27) / 2 = 21."),
    ("12 kittens / 18 cats * 100% = 66.668...%", "12 kittens / 18 cats * 100% ≈ 66.667%"),
    ("3*4 = 13 + 2 = 15", "3*4 = 12 + 2 = 14"),
    ("4080 + 4080 / 2 = 4000 + 2040 = 6120", "4080 + 4080 / 2 = 4080 + 2040 = 6120"),
    ("Ellie needs 2 wheels * 10ml of oil per wheel = 30ml of oil.",
     "Ellie needs 2 wheels * 10ml of oil per wheel = 20ml of oil."),
])
def test_false_claims_are_refuted_and_corrected(text, corrected):
    report = arith(text)
    assert report.status == "corrected", report
    assert report.corrected_text == corrected
    refuted = report.refuted
    assert refuted and all(c.correction is not None and c.evidence for c in refuted)


def test_scenario_2_claim_details():
    report = arith("847 × 923 = 781681")
    (claim,) = report.claims
    assert claim.status == "refuted"
    assert claim.text == "847 × 923 = 781681"
    assert claim.span == Span(0, 18)
    assert claim.correction == "781781"
    assert claim.correction_span == Span(12, 18)
    assert claim.explanation == "847 × 923 is 781781, not 781681."
    assert [e.text for e in claim.evidence] == ["847 × 923 = 781781"]
    assert claim.detail["value"] == "781781"


def test_correction_is_formatted_like_the_original():
    report = arith("The invoice says $1,000.50 + $234 = $1,234.00 in total.")
    (claim,) = report.claims
    assert claim.correction == "$1,234.50"
    assert report.text[claim.correction_span.start:claim.correction_span.end] == "$1,234.00"
    assert claim.explanation == "$1,000.50 + $234 is $1,234.50, not $1,234.00."


def test_claim_spans_are_exact_in_prose():
    text = "Natalia sold 48/2 = 24 clips in May.\nShe sold 48+24 = 72 clips altogether."
    report = arith(text)
    assert [text[c.span.start:c.span.end] for c in report.claims] == ["48/2 = 24", "48+24 = 72"]
    assert report.unchecked[0] == Span(0, 12)  # "Natalia sold" is not a claim


def test_chain_links_are_judged_each():
    report = arith("2 + 3 = 5 = 10/2")
    assert [(c.text, c.status) for c in report.claims] == [("2 + 3 = 5", "verified"),
                                                          ("5 = 10/2", "verified")]


def test_rounded_results_say_so():
    # issue 11: "=" states an exact value; a rounded one is not verified, never refuted
    (claim,) = arith("10/3 = 3.33").claims
    assert claim.status == "unverified"
    assert "rounded to 2 decimal places" in claim.explanation and "≈" in claim.explanation
    (claim,) = arith("π ≈ 3.14").claims
    assert claim.status == "verified" and "to the precision given" in claim.explanation


def test_division_by_zero_is_unverified_with_the_reason():
    report = arith("10 / 0 = 5")
    (claim,) = report.claims
    assert claim.status == "unverified" and "division by zero" in claim.explanation
    assert report.status == "flagged"


def test_absurd_input_is_refused_not_computed():
    for text in ("10^10^10 = 5", "2^100000 = 4"):
        (claim,) = arith(text).claims
        assert claim.status == "unverified" and "too large" in claim.explanation


# --------------------------------------------------------------------------- propagation
def test_wrong_result_reused_later_is_propagated():
    text = "48/2 = 25. 48 + 25 = 73 clips."
    report = arith(text)
    assert report.corrected_text == "48/2 = 24. 48 + 24 = 72 clips."
    first, second = report.claims
    assert (first.correction, first.explanation) == ("24", "48 / 2 is 24, not 25.")
    assert second.status == "refuted"
    assert second.correction == "24 = 72"
    assert text[second.correction_span.start:second.correction_span.end] == "25 = 73"
    assert second.explanation == ("Follows from the earlier fix (48 / 2 is 24, not 25): "
                                  "48 + 24 is 72, not 73.")
    assert second.detail["propagated_from"]["text"] == "48/2 = 25"


def test_gsm8k_solution_final_answer_is_corrected():
    text = ("Natalia sold 48/2 = 25 clips in May.\n"
            "Natalia sold 48+25 = 73 clips altogether in April and May.\n#### 73")
    report = arith(text, question="Natalia sold clips to 48 of her friends in April, and then "
                                  "she sold half as many clips in May. How many altogether?")
    # issue 11: a final answer that restates a wrong result may still be the right answer
    # (a slip in an operand, as in "25/75 x 100% = 25% ... A: 25"): it is never "corrected"
    assert report.corrected_text == ("Natalia sold 48/2 = 24 clips in May.\n"
                                     "Natalia sold 48+24 = 72 clips altogether in April and May.\n"
                                     "#### 73")
    final = report.claims[-1]
    assert final.text == "73" and final.status == "unverified" and final.correction is None
    assert final.detail["final_answer"] is True
    assert final.detail["propagated_from"]["text"] == "48+25 = 73"


def test_slip_with_correct_later_steps_corrects_only_the_slip():
    text = "Natalia sold 48/2 = 25 clips in May.\nShe sold 48+24 = 72 clips.\n#### 72"
    report = arith(text)
    assert [c.status for c in report.claims] == ["refuted", "verified", "verified"]
    assert report.corrected_text == text.replace("= 25", "= 24")


def test_running_value_wrong_start_is_corrected_and_carried():
    report = arith("48/2 = 25 + 3 = 28")
    assert report.corrected_text == "48/2 = 24 + 3 = 27"


def test_final_answer_sentence_is_corrected():
    report = arith("She sold 48/2 = 25 clips, so 48 + 25 = 73 in all. The answer is 73.")
    assert report.corrected_text == "She sold 48/2 = 24 clips, so 48 + 24 = 72 in all. The answer is 73."
    assert report.claims[-1].status == "unverified"  # the answer is not "corrected" (issue 11)


def test_coincidental_number_is_not_propagated():
    # 25 is in the question, so "25 + 3" may well be the question's 25, not the wrong result
    report = arith("48/2 = 25. Then 25 + 3 = 28.", question="There were 25 people and 48 cups.")
    assert [c.status for c in report.claims] == ["refuted", "verified"]
    # and a value written before the wrong result is not a reuse of it either
    report = arith("He had 25 cups. 48/2 = 25. Then 25 + 3 = 28.")
    assert [c.status for c in report.claims] == ["refuted", "verified"]


# --------------------------------------------------------------------------- pipeline
def test_nothing_checkable_is_flagged_under_strict_and_verified_under_lenient():
    assert arith("Hello, world.").status == "flagged"
    assert "nothing checkable" in arith("Hello, world.").reason
    assert arith("Hello, world.", policy="lenient").status == "verified"


def test_variables_are_left_to_the_math_engine():
    report = arith("Let x = 3, so 2x + 1 = 7.")
    assert report.claims == ()


def test_engine_protocol_shape():
    assert ENGINE.name == "arithmetic" and ENGINE.kind == "arithmetic" and ENGINE.method == METHOD
    assert METHOD == "exact-rational"


# --------------------------------------------------------------------------- scenario 2
def test_scenario_2_through_the_default_pipeline():
    report = check("847 × 923 = 781681")
    assert report.status == "corrected"
    assert report.corrected_text == "847 × 923 = 781781"
    (claim,) = report.claims
    assert (claim.kind, claim.status, claim.correction) == ("arithmetic", "refuted", "781781")


def _verity(*args: str, stdin: str | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "verify.cli", *args], input=stdin,
                          capture_output=True, text=True, cwd=ROOT, timeout=120)


def test_scenario_2_through_the_cli_json_and_exit_codes():
    out = _verity("check", "847 × 923 = 781681", "--json")
    assert out.returncode == 1, out.stderr
    data = json.loads(out.stdout)
    assert data["status"] == "corrected"
    assert data["corrected_text"] == "847 × 923 = 781781"
    claim = data["claims"][0]
    assert set(claim) >= {"text", "span", "kind", "status", "method", "correction", "evidence",
                          "explanation"}
    assert (claim["status"], claim["correction"], claim["method"]) == ("refuted", "781781",
                                                                      "exact-rational")
    assert claim["evidence"] == [{"text": "847 × 923 = 781781", "source": None, "citation": None}]
    assert claim["span"] == {"start": 0, "end": 18}

    ok = _verity("check", "-", "--json", stdin="847 × 923 = 781781\n")
    assert ok.returncode == 0, ok.stderr
    assert json.loads(ok.stdout)["status"] == "verified"

    bad = _verity("check", "2 + 2 = 4", "--policy", "bogus")
    assert bad.returncode == 2


def test_exact_values_are_fractions_not_floats():
    # 0.1 + 0.2 = 0.3 is exactly true; a float checker would refute it
    report = arith("0.1 + 0.2 = 0.3")
    assert report.status == "verified"
    assert report.claims[0].detail["value"] == str(Fraction(3, 10))
