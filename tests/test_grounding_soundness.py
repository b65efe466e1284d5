"""Wrong claims the judge once called "supported" must never come back verified.

The grounding engine's last gate (``_support_gap``) is judge-independent: a verified factual
claim needs a resolved subject and cited evidence stating all its names and numbers, with
each possessive relation tied to the same owner; an answer that only repeats the question
is never verified. Every input here is written for these tests.
"""
import pytest

from verify import check
from verify.prose.decompose import echoes_question, question_claim
from verify.prose.nlp import relation_holds, relations
from verify.engines.grounding.engine import _support_gap
from verify.engines.grounding.judges import Judgement, Passage
from verify.engines.grounding.judges.default import DefaultJudge
from verify.engines.grounding.judges.deterministic import DeterministicJudge

LINCOLN = ["Abraham Lincoln was the 16th president of the United States. He was born in Kentucky in 1809.",
           "The Declaration of Independence was written mainly by Thomas Jefferson and adopted in 1776."]


@pytest.mark.parametrize("answer, question, evidence", [
    ("Abraham Lincoln wrote the Declaration of Independence.", "Who was Abraham Lincoln?", LINCOLN),
    ("He wrote the Declaration of Independence.", None, LINCOLN),
    ("The absolute value of -7 is -7.", None,
     ["The absolute value of a number is its distance from zero on the number line, "
      "so the absolute value of -7 is 7."]),
    ("Percent means per thousand.", None, ["Percent means per hundred."]),
])
def test_wrong_claims_are_never_verified(answer, question, evidence):
    report = check(answer, question=question, evidence=evidence)
    assert report.status != "verified"
    assert all(c.status != "verified" for c in report.claims)


def test_true_claims_stated_across_a_pronoun_continuation_stay_verified():
    report = check("Abraham Lincoln was the 16th president and was born in Kentucky in 1809.",
                   evidence=LINCOLN)
    assert [c.status for c in report.claims] == ["verified", "verified"]


def test_gate_counts_numbers_with_sign_and_multiplicity():
    said = [Passage("so the absolute value of -7 is 7.", "e0")]
    assert _support_gap("The absolute value of -7 is -7", said) is not None
    assert _support_gap("The absolute value of -7 is 7", said) is None
    assert _support_gap("It is 7", said) == "the claim's subject is a pronoun the answer does not resolve"


def test_wrong_claims_are_refuted_with_the_evidence_value_in_the_right_place():
    r = check("Abraham Lincoln wrote the Declaration of Independence.", question="Who was Abraham Lincoln?",
              evidence=LINCOLN)
    (c,) = r.claims
    assert (c.status, c.correction) == ("refuted", "Thomas Jefferson")
    assert r.corrected_text == "Thomas Jefferson wrote the Declaration of Independence."

    r = check("World War II ended in 1946.", question="When did World War II end?",
              evidence=["World War II ended on September 2, 1945, when Japan formally surrendered "
                        "aboard the USS Missouri."])
    assert (r.claims[0].status, r.claims[0].correction) == ("refuted", "1945")

    # the same value twice: only the occurrence the evidence contradicts is corrected
    r = check("The absolute value of -7 is -7.",
              evidence=["The absolute value of a number is its distance from zero on the number line, "
                        "so the absolute value of -7 is 7."])
    assert r.claims[0].status == "refuted"
    assert r.corrected_text == "The absolute value of -7 is 7."


def test_a_lower_case_claim_has_its_names_checked():
    ev = ["The teen was riding in a Ford Focus with two teenage friends when he allegedly pulled the "
          "trigger as the vehicle drove past. Chris Lane, 22, was shot in the back while jogging."]
    r = check("chris lane was riding in a ford focus with two teenage friends when he allegedly pulled "
              "the trigger as the vehicle drove past", evidence=ev)
    assert all(c.status != "verified" for c in r.claims)
    r = check("chris lane was shot in the back while jogging", evidence=ev)
    assert [c.status for c in r.claims] == ["verified"]


# --------------------------------------------------------------------------- echo answers

GLASS = ["Glass Harbor is the second album by the Velvet Lanterns, a band from Portland, Oregon. "
         "It was released in 2011.",
         "Paper Tide, the band's first album, came out in 2008."]
GLASS_Q = "Which city is the band that released Glass Harbor from?"


class _AlwaysSupported:
    """A judge that calls everything supported: the engine's gates must still hold."""

    name = "always-supported"

    def judge(self, claim, passages, question=None):
        return Judgement("supported", 1.0, tuple(passages), "always supported")


@pytest.mark.parametrize("answer", ["Glass Harbor", "Glass Harbor, Oregon",
                                    "The band that released Glass Harbor is from Glass Harbor."])
@pytest.mark.parametrize("judge", [None, _AlwaysSupported()])
def test_an_answer_that_only_repeats_the_question_is_unverified(answer, judge):
    # unverified, not refuted: an answer can be a name of the question's own ("Luxembourg"
    # to "Which country is Luxembourg City the capital of?"), so repeating one is no proof
    # of a wrong answer, only no answer the evidence could confirm
    opts = {"judge": judge} if judge is not None else {}
    r = check(answer, question=GLASS_Q, evidence=GLASS, **opts)
    assert [c.status for c in r.claims] == ["unverified"]
    assert r.claims[0].explanation == "The answer only repeats the question's own words."


def test_the_judge_itself_refuses_to_support_an_echo():
    j = DeterministicJudge().judge("the band that released Glass Harbor is from Glass Harbor",
                                   GLASS, question=GLASS_Q)
    assert (j.label, j.checks) == ("not found", ("answer_echo",))
    j = DefaultJudge().judge("the band that released Glass Harbor is from Portland",
                                                GLASS, question=GLASS_Q)
    assert j.label == "supported"


@pytest.mark.parametrize("answer, question, status", [
    ("Portland", GLASS_Q, "verified"),
    ("Portland, Oregon", "Which city in Oregon is the band that released Glass Harbor from?", "verified"),
    ("2011", "In what year was Glass Harbor released?", "verified"),
    ("2011", "Which band released an album in 2011?", "unverified"),
    # the options a question offers and a yes/no question's proposition are the answer's to repeat
    ("Paper Tide", "Which album came out first, Glass Harbor or Paper Tide?", "verified"),
    ("Glass Harbor", "Which album came out first, Glass Harbor or Paper Tide?", "refuted"),
    ("Yes", "Is Glass Harbor an album by the Velvet Lanterns?", "verified"),
])
def test_answers_with_their_own_content_are_judged_as_before(answer, question, status):
    r = check(answer, question=question, evidence=GLASS)
    assert [c.status for c in r.claims] == [status]


def test_echoes_question_rule():
    assert echoes_question("Glass Harbor", GLASS_Q)
    assert echoes_question("the released band", GLASS_Q)  # stems: "released" is "release"
    assert not echoes_question("Glass Harbor, Oregon", GLASS_Q)
    assert echoes_question("Glass Harbor, Oregon", GLASS_Q, short=True)
    assert not echoes_question("Portland", GLASS_Q, short=True)
    assert not echoes_question("Glass Harbor", "Is Glass Harbor an album?")
    assert not echoes_question("Glass Harbor", "Which came out first, Glass Harbor or Paper Tide?")


# --------------------------------------------------------------------------- possessive direction

SON_FIRST = ["John Reed's father, Tom Reed, was a farmer."]          # Tom is the farmer father
FATHER_APPOSED = ["Tom Reed, the father of senator John Reed, was a farmer."]
FATHER_NAMED = ["Tom Reed's father, John Reed, was a farmer."]        # John is the farmer father
NO_RELATION = ["Tom Reed was a farmer whose son John Reed became a senator."]


@pytest.mark.parametrize("answer, evidence, status", [
    ("Tom Reed's father was a farmer.", SON_FIRST, "unverified"),
    ("John Reed's father was a farmer.", SON_FIRST, "verified"),
    ("Tom Reed's father was a farmer.", FATHER_APPOSED, "unverified"),
    ("The father of Tom Reed was a farmer.", FATHER_APPOSED, "unverified"),
    ("John Reed's father was a farmer.", FATHER_APPOSED, "verified"),
    ("The father of John Reed was a farmer.", FATHER_APPOSED, "verified"),
    ("Tom Reed's father was a farmer.", FATHER_NAMED, "verified"),
    ("Tom Reed's father was a farmer.", NO_RELATION, "unverified"),
])
def test_a_possessive_relation_must_belong_to_the_claims_owner(answer, evidence, status):
    r = check(answer, evidence=evidence)
    assert [c.status for c in r.claims] == [status]


@pytest.mark.parametrize("answer, status", [("Tom Reed", "unverified"), ("John Reed", "verified")])
def test_a_possessive_question_checks_whose_relation_the_answer_names(answer, status):
    r = check(answer, question="Which senator's father was a farmer?", evidence=FATHER_APPOSED)
    assert [c.status for c in r.claims] == [status]


def test_the_relation_gate_holds_whatever_the_judge_says():
    r = check("Tom Reed's father was a farmer.", evidence=SON_FIRST, judge=_AlwaysSupported())
    assert [c.status for c in r.claims] == ["unverified"]
    assert "possessive relation" in r.claims[0].explanation
    r = check("Tom Reed's father was a farmer.", evidence=FATHER_NAMED, judge=_AlwaysSupported())
    assert [c.status for c in r.claims] == ["verified"]
    # a possessive in the question's own words is its premise, not the answer's assertion
    said = [Passage("Maria Lind's brother opened a bakery in Dale County.", "e0")]
    assert _support_gap("Maria Lind's brother opened a bakery in Dale County", said,
                        ("In which county did Maria Lind's brother open a bakery?", "Dale County")) is None


def test_relations_read_owner_and_direction():
    rel = lambda text: [(sorted(r.owner), r.relation, r.possessive) for r in relations(text)]  # noqa: E731
    assert rel("Tom Reed's father was a farmer") == [(["reed", "tom"], "father", True)]
    assert rel("the father of senator John Reed") == [(["john", "reed"], "father", False)]
    assert rel("the father of Tom Reed's wife") == [(["reed", "tom"], "wif", True)]
    assert rel("44 per cent of her Twitter followers") == []
    (claim,) = relations("Tom Reed's father was a farmer")
    assert not relation_holds(claim, SON_FIRST[0])
    assert relation_holds(claim, "The late father of Reed was a farmer.")
    assert relation_holds(claim, "Tom Reed's late father was a farmer.")


# --------------------------------------------------------------------------- the five reported cases

@pytest.mark.parametrize("answer, question, evidence", [
    ("Abraham Lincoln wrote the Declaration of Independence.", "Who was Abraham Lincoln?", LINCOLN),
    ("He wrote the Declaration of Independence.", None, LINCOLN),
    ("World War II ended in 1946.", "When did World War II end?",
     ["World War II ended on September 2, 1945, when Japan formally surrendered aboard the USS Missouri."]),
    ("Percent means per thousand.", None,
     ["Percent means per hundred. The word comes from the Latin per centum."]),
    ("The absolute value of -7 is -7.", None,
     ["The absolute value of a number is its distance from zero on the number line, "
      "so the absolute value of -7 is 7."]),
])
def test_the_five_reported_wrong_verdicts_stay_non_verified(answer, question, evidence):
    assert all(c.status != "verified" for c in check(answer, question=question, evidence=evidence).claims)


# --------------------------------------------------------------------------- a relation the answer fills

SON = "Tom Reed, the father of John Reed, was a farmer in Ohio."
SON_POSSESSIVE = "John Reed's father, Tom Reed, was a farmer in Ohio."


def _claim(text, evidence, question=None):
    report = check(text, question=question, evidence=evidence, engines=("grounding",))
    assert len(report.claims) == 1
    return report.claims[0]


@pytest.mark.parametrize("question", ["Who was Tom Reed's father?", "Who is the father of Tom Reed?"])
@pytest.mark.parametrize("evidence", [SON, SON_POSSESSIVE])
def test_answer_filling_a_relation_the_wrong_way_round_is_not_verified(question, evidence):
    c = _claim("John Reed", [evidence], question)
    assert c.status == "unverified"
    assert "relation_value_elsewhere" in c.detail["checks"]


@pytest.mark.parametrize("evidence", [
    "Tom Reed's father, John Reed, was a farmer in Ohio.",
    "John Reed, the father of Tom Reed, was a farmer in Ohio.",
    "The father of Tom Reed was John Reed.",
])
def test_answer_stated_as_the_relations_value_is_verified(evidence):
    assert _claim("John Reed", [evidence], "Who was Tom Reed's father?").status == "verified"


def test_gate_checks_the_filled_relation_whatever_the_judge_said():
    claim, premise = "Tom Reed's father was John Reed", ("Who was Tom Reed's father?", "John Reed")
    gap = _support_gap(claim, [Passage(SON, "e")], premise)
    assert gap == "no cited passage states the answer as the relation the question asks for"
    assert _support_gap(claim, [Passage("Tom Reed's father, John Reed, farmed.", "e")], premise) is None


def test_question_naming_an_owner_ending_in_ed_is_restated_as_r_of_x():
    assert question_claim("Who is the father of Tom Reed?", "John Reed") == "the father of Tom Reed is John Reed"
    assert question_claim("Who was Tom Reed's father?", "John Reed") == "Tom Reed's father was John Reed"
    c = _claim("John Reed", [SON], "Who is the father of Tom Reed?")
    assert c.text == "the father of Tom Reed is John Reed"
    assert c.status == "unverified"


@pytest.mark.parametrize("claim, evidence", [
    ("Sales dropped by -7 percent in 2020.", "Sales dropped by 7 percent in 2020."),
    ("Sales dropped by 7 percent in 2020.", "Sales dropped by -7 percent in 2020."),
    ("Sales fell -7 percent in 2020.", "Sales fell 7 percent in 2020."),
])
def test_sign_after_a_change_word_is_not_corrected(claim, evidence):
    c = _claim(claim, [evidence])
    assert c.status == "unverified"
    assert c.correction is None
    assert "sign_after_change" in c.detail["checks"]


def test_sign_of_a_plain_value_still_refutes():
    c = _claim("The temperature was -7 degrees.", ["The temperature was 7 degrees."])
    assert c.status == "refuted"
    assert c.correction == "7"
    c = _claim("Sales dropped by 9 percent in 2020.", ["Sales dropped by 7 percent in 2020."])
    assert c.status == "refuted"
    assert c.correction == "7 percent"


@pytest.mark.parametrize("answer, question, evidence, status", [
    # a value that is no name, written right at the relation, fills it
    ("19 mi", "The Dale Courier serves the town how far north of Leeds?",
     "The Dale Courier is a weekly newspaper. It is 19 mi north of Leeds.", "verified"),
    ("25 mi", "The Dale Courier serves the town how far north of Leeds?",
     "The Dale Courier is a weekly newspaper. It is 19 mi north of Leeds.", "refuted"),
    # a demonym describes the relation's value; it does not name it
    ("American", "What nationality was James Miller's wife?",
     "James Miller was a folk singer. His wife, Peggy Seeger, is an American folksinger.", "verified"),
    # a possessive name after the relation owns another relation: not the value
    ("John Reed", "Who was Tom Reed's father?",
     "Tom Reed's father, John Reed's brother, was a farmer.", "unverified"),
])
def test_which_answers_fill_the_relation_the_question_asks_for(answer, question, evidence, status):
    (claim,) = check(answer, question=question, evidence=[evidence], engines=("grounding",)).claims
    assert claim.status == status, claim.explanation
