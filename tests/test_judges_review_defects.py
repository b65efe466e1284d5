"""Judge defects found in review: 'contested' as competing, not disputing; the question
rewriter's claims judged end to end; 'LA' as a name. Every input is written here."""
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
