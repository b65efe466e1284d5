"""How the deterministic judge reads a claim and its question: 'contested' as competing,
not disputing; names ('LA', a title with a joiner in it, a pronoun after a list of names);
a caption's negation; answers to yes/no, "did", "which one" and possessive questions judged
end to end. Every input is written here, with the exact verdict."""
from __future__ import annotations

import pytest

from verify.engines.grounding.judges.deterministic import DeterministicJudge, is_disputed

det = DeterministicJudge()

GAMES = ("The Dale Youth Games were held in Oslo in 2019. At the games, a total of 43 events were "
         "contested, split evenly between boys and girls.")
BAKERY = "Maria Lind's brother opened a bakery in Dale County in 1998. It closed in 2005."


@pytest.mark.parametrize("text,disputed", [
    # competing: a competition is what is contested
    ("A total of 43 events were contested.", False),
    ("Five seats were also contested.", False),
    ("The seat, which was contested by four candidates, went to Ann Cole.", False),
    ("She contested the 2010 Dale seat for Labour.", False),
    ("A closely contested race ended in a draw.", False),
    ("The final was contested between Leeds and Dale.", False),
    # disputing: a fact, a claim, a result or a territory is contested
    ("The date of the battle is contested.", True),
    ("Its authorship is contested by historians.", True),
    ("The hotly contested claim that Ann Cole founded the town.", True),
    ("He contested the election result in court.", True),
    ("The election results were widely contested.", True),
    ("The region was contested between France and Spain.", True),
    ("The contested territory lies north of the river.", True),
    ("The figure remains contested.", True),
    # ambiguous: an election may be contested in court, so it stays a dispute
    ("The election was contested.", True),
    ("Its age is disputed.", True),
])
def test_contested_is_a_dispute_only_in_the_dispute_sense(text, disputed):
    assert is_disputed(text) is disputed


def test_a_contested_sports_event_supports_its_claim():
    j = det.judge("43 events were contested at the games", [GAMES])
    assert (j.label, "disputed" in j.checks) == ("supported", False)


def test_a_contested_fact_stays_disputed():
    ev = ["The Dale bridge was built in 1820, although the date is contested by local historians."]
    j = det.judge("The Dale bridge was built in 1820", ev)
    assert (j.label, j.checks[-1]) == ("disputed", "disputed")


def test_a_did_question_answer_is_judged_on_a_grammatical_claim():
    q = "In which county did Maria Lind's brother open a bakery?"
    from verify.prose.decompose import decompose
    (c,) = decompose("Dale County", question=q)
    assert c.text == "Maria Lind's brother opened a bakery in Dale County"
    assert det.judge(c.text, [BAKERY], question=q).label == "supported"
    (wrong,) = decompose("Kent County", question=q)
    assert det.judge(wrong.text, [BAKERY], question=q).label != "supported"


def test_la_is_a_name_so_a_different_city_contradicts_it():
    j = det.judge("Ann Cole moved to LA in 2010", ["Ann Cole moved to Boston in 2010."])
    assert (j.label, j.correction, j.wrong) == ("contradicted", "Boston", "LA")
    assert det.judge("Ann Cole moved to LA in 2010", ["Ann Cole moved to LA in 2010."]).label == "supported"
    j = det.judge("Ann Cole moved to LA in 2010", ["Ann Cole moved in 2010."])
    assert (j.label, j.checks[-1]) == ("not found", "name_unsupported")


# a photo caption run into the text with no full stop, as scraped news pages often have it
CAPTION = ["Moving to LA has brought back bad memories for Ann Cole and forced her back into therapy "
           "Not a bad egg: Ben Hale, seen here in Dale, is being sued by Cole."]


def test_a_run_in_caption_negation_does_not_negate_the_sentence_before_it():
    j = det.judge("Moving to LA brought back bad memories for Ann Cole", CAPTION)
    assert (j.label, "negation" in j.checks) == ("supported", False)


def test_the_run_in_caption_negation_still_negates_its_own_words():
    j = det.judge("Ben Hale is a bad egg", CAPTION)
    assert (j.label, j.checks[-1]) == ("contradicted", "negation")
    assert det.judge("Ben Hale is not a bad egg", CAPTION).label == "supported"


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
