"""General defects found by listing every HaluEval error of the default judge.

Each input here is written for the test (not taken from the data set) and asserts the
exact verdict the fixed rule gives.
"""
from __future__ import annotations

from verify.engines.grounding.judges.deterministic import DeterministicJudge

det = DeterministicJudge()


def test_a_joiner_inside_a_name_is_not_a_predicate_word():
    # "Der" belongs to the title "Der Freischütz": the predicate is "best known", "opera",
    # and the sentence stating the opera does not say "best known"
    ev = ["Der Freischütz is an opera by Carl Weber. Weber is best known for his clarinet concertos."]
    j = det.judge("Carl Weber is best known for his opera Der Freischütz.", ev)
    assert j.label == "not found" and "predicate_missing" in j.checks
    assert det.judge("Der Freischütz is an opera by Carl Weber.", ev).label == "supported"


def test_the_reason_after_a_yes_or_no_is_checked_too():
    ev = ["The Harbour Bridge is a steel arch bridge in Sydney, Australia.",
          "The Old Mill is a watermill in Exeter, England."]
    q = "Are the Harbour Bridge and the Old Mill both in Australia?"
    # the "no" is right, and so is its reason
    assert det.judge("it is not true that the Harbour Bridge and the Old Mill are both in Australia; "
                     "the Old Mill is in England", ev, question=q).label == "supported"
    # the "no" is right, but the reason it gives is not in the evidence
    j = det.judge("it is not true that the Harbour Bridge and the Old Mill are both in Australia; "
                  "only the Old Mill is a museum", ev, question=q)
    assert j.label == "not found" and j.checks[0] == "yes_no"


def test_an_answer_that_picks_the_right_option_in_its_own_words_asserts_the_rest_too():
    ev = ["The Red Kites are a folk band formed in 1990.",
          "The Blue Herons are a rock band formed in 1985 that toured Japan in 1992."]
    q = "Which band was formed first, The Red Kites or The Blue Herons?"
    j = det.judge("The Blue Herons was formed first", ev, question=q)
    assert (j.label, j.checks) == ("supported", ("choice",))
    # the right option, with a reason the evidence never gives
    j = det.judge("Since they recorded with an orchestra, The Blue Herons came first", ev, question=q)
    assert j.label == "not found" and "choice" not in j.checks


def test_a_pronoun_after_a_list_of_names_does_not_pick_one_of_them():
    ev = ["The prize was shared by Anna Berg and Lena Holt. She later founded a school in Oslo in 1931."]
    j = det.judge("Lena Holt founded a school in Oslo in 1931.", ev)
    assert j.label == "not found" and "coverage" in j.checks
    # the subject of the sentence is still what its pronoun continues
    ev = ["Anna Berg won the prize with a paper on glaciers. She later founded a school in Oslo in 1931."]
    assert det.judge("Anna Berg founded a school in Oslo in 1931.", ev).label == "supported"


def test_a_stranded_preposition_is_the_slot_of_a_which_city_is_x_from_question():
    from verify.prose.decompose import decompose

    ev = ["Glass Harbor is the second album by the Canadian folk band The Tidewaters. "
          "The Tidewaters are a Canadian folk band from Halifax, Nova Scotia, formed in 2004."]
    q = "Which city is the Canadian folk band that released Glass Harbor from?"

    def verdict(answer: str) -> tuple[str, tuple[str, ...]]:
        j = det.judge(decompose(answer, q)[0].text, ev, question=q)
        return j.label, j.checks
    assert verdict("Halifax, Nova Scotia") == ("supported", ("coverage",))
    assert verdict("Toronto") == ("contradicted", ("name_mismatch",))


def test_which_one_question_with_its_options_first_is_decided_by_the_evidence():
    from verify.prose.decompose import decompose

    ev = ["Lark Hotel is a historic hotel in Dayton, Ohio. Wren Inn is a small inn in Bath, Maine."]
    q = "In between Lark Hotel and Wren Inn which one is in Ohio?"
    right = det.judge(decompose("Lark Hotel", q)[0].text, ev, question=q)
    wrong = det.judge(decompose("Wren Inn", q)[0].text, ev, question=q)
    assert (right.label, right.checks) == ("supported", ("choice",))
    assert (wrong.label, wrong.correction) == ("contradicted", "Lark Hotel")


def test_a_possessive_question_answer_is_judged_on_its_own_name():
    from verify.prose.decompose import decompose

    ev = ["Tom Reed was a farmer from Kent and the father of Ann Reed, the mayor of Leeds from 1990 to 1998."]
    q = "Which mayor's father was a farmer from Kent?"
    assert det.judge(decompose("Ann Reed", q)[0].text, ev, question=q).label == "supported"
    assert det.judge(decompose("Jane Cole", q)[0].text, ev, question=q).label == "contradicted"
