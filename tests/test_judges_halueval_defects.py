"""General defects found by listing every HaluEval error of the default judge.

Each input here is written for the test (not taken from the data set) and asserts the
exact verdict the fixed rule gives.
"""
from __future__ import annotations

from verify.judges.deterministic import DeterministicJudge

det = DeterministicJudge()


def test_a_joiner_inside_a_name_is_not_a_predicate_word():
    # "Der" belongs to the title "Der Freischütz": the predicate is "best known", "opera",
    # and the sentence stating the opera does not say "best known"
    ev = ["Der Freischütz is an opera by Carl Weber. Weber is best known for his clarinet concertos."]
    j = det.judge("Carl Weber is best known for his opera Der Freischütz.", ev)
    assert j.label == "not found" and "predicate_missing" in j.checks
    assert det.judge("Der Freischütz is an opera by Carl Weber.", ev).label == "supported"
