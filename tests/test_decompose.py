"""Claim decomposition: atomic, self-contained claims with spans into the original."""
from __future__ import annotations

import json

import pytest
from hypothesis import given, settings, strategies as st

from verify.prose.decompose import choice_options, decompose, question_claim

AMAZON = ("The Amazon River is the longest river in the world, flowing through Brazil and "
          "emptying into the Pacific Ocean.")


def _pairs(text, **kw):
    return [(c.text, text[c.span.start:c.span.end]) for c in decompose(text, **kw)]


def test_amazon_is_three_claims_with_the_subject_restored():
    assert _pairs(AMAZON) == [
        ("The Amazon River is the longest river in the world",
         "The Amazon River is the longest river in the world"),
        ("The Amazon River flows through Brazil", "flowing through Brazil"),
        ("The Amazon River empties into the Pacific Ocean", "emptying into the Pacific Ocean"),
    ]


def test_coordinated_predicates_and_pronouns():
    text = ("Abraham Lincoln was the 16th president and was born in Kentucky in 1809. "
            "He wrote the Declaration of Independence.")
    assert _pairs(text) == [
        ("Abraham Lincoln was the 16th president", "Abraham Lincoln was the 16th president"),
        ("Abraham Lincoln was born in Kentucky in 1809", "was born in Kentucky in 1809"),
        ("Abraham Lincoln wrote the Declaration of Independence",
         "He wrote the Declaration of Independence"),
    ]
    third = decompose(text)[2]
    assert third.detail["resolved"] == "He"


def test_appositive_becomes_its_own_claim():
    text = "Abraham Lincoln, the 16th president, was born in Kentucky."
    assert [c.text for c in decompose(text)] == ["Abraham Lincoln was the 16th president",
                                                 "Abraham Lincoln was born in Kentucky"]


def test_list_items_and_abbreviations():
    text = "- Dr. Smith lives in St. Louis.\n- The U.S. Army was founded in 1775.\n"
    assert [c.text for c in decompose(text)] == ["Dr. Smith lives in St. Louis",
                                                 "The U.S. Army was founded in 1775"]


@pytest.mark.parametrize("question,answer,claim", [
    ("Which city is the head office in?", "Delhi", "the head office is in Delhi"),
    ("The Oberoi family is part of a hotel company that has a head office in what city?", "Delhi",
     "The Oberoi family is part of a hotel company that has a head office in Delhi"),
    ("What year was the Eiffel Tower completed?", "1889", "the Eiffel Tower was completed in 1889"),
    ("When did World War II end?", "1945", "World War II ended in 1945"),
    ("Who wrote the Declaration of Independence?", "Thomas Jefferson",
     "Thomas Jefferson wrote the Declaration of Independence"),
    ("Who was born first, Pablo Trapero or Aleksander Ford?", "Aleksander Ford",
     "Aleksander Ford was born first"),
    ("Are Pam Veasey and Jon Jost both American?", "yes", "Pam Veasey and Jon Jost are both American"),
    ("Are Pam Veasey and Jon Jost both American?", "no",
     "it is not true that Pam Veasey and Jon Jost are both American"),
])
def test_question_makes_short_answers_checkable(question, answer, claim):
    assert question_claim(question, answer) == claim
    (c,) = decompose(answer, question=question)
    assert c.text == claim and answer[c.span.start:c.span.end] == answer.strip()


def test_choice_options():
    assert choice_options("Which band was founded first, Hole, the rock band that Courtney Love "
                          "was a frontwoman of, or The Wolfhounds?") == (
        "Which band was founded first", ["Hole", "The Wolfhounds"])
    assert choice_options("What is the capital of France?") is None
    # "A and B ..., but which one ...?" is an either-or question too
    assert choice_options("El Rio and Sol Weekly are both magazines, but which one is owned by Time Inc?") == (
        "which one is owned by Time Inc", ["El Rio", "Sol Weekly"])


def test_yes_no_question_keeps_a_nationality_out_of_the_names():
    q = "Are both The Lumens and Kings of Leon American rock bands?"
    assert question_claim(q, "no") == "it is not true that both The Lumens and Kings of Leon are American rock bands"


def test_equation_sentence_keeps_its_own_span():
    text = "The Eiffel Tower was completed in 1889. 847 × 923 = 781681."
    spans = [text[c.span.start:c.span.end] for c in decompose(text)]
    assert spans == ["The Eiffel Tower was completed in 1889", "847 × 923 = 781681"]


def test_bad_input_is_refused_clearly():
    with pytest.raises(TypeError, match="answer as str"):
        decompose(None)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="too long"):
        decompose("a" * 300_000)


@settings(max_examples=60, deadline=None)
@given(st.text(alphabet=st.characters(codec="utf-8", categories=("L", "N", "P", "Zs")), max_size=300))
def test_spans_always_lie_inside_the_text(text):
    for c in decompose(text):
        assert 0 <= c.span.start < c.span.end <= len(text)
        assert text[c.span.start:c.span.end].strip()


class FakeLLM:
    """Just a name and complete(): what the decomposer needs from an LLM adapter."""

    def __init__(self, replies):
        self.name = "fake"
        self.replies = list(replies)
        self.calls = 0

    def complete(self, messages, *, n=1, temperature=0.0, seed=None, timeout=None, max_tokens=None):
        self.calls += 1
        reply = self.replies[min(self.calls - 1, len(self.replies) - 1)]
        if isinstance(reply, Exception):
            raise reply
        return [reply] * n


def test_llm_decomposer_claims_map_to_spans():
    reply = json.dumps({"claims": [
        {"claim": "The Amazon River is the longest river in the world",
         "quote": "The Amazon River is the longest river in the world"},
        {"claim": "The Amazon River flows through Brazil", "quote": "flowing through Brazil"}]})
    d = decompose(AMAZON, llm=FakeLLM([reply]))
    assert d.method == "llm"
    assert [AMAZON[c.span.start:c.span.end] for c in d] == [
        "The Amazon River is the longest river in the world", "flowing through Brazil"]


@pytest.mark.parametrize("reply,why", [
    ("not json at all", "LLMOutputError"),
    (json.dumps({"claims": [{"claim": "The Amazon flows through Ecuador", "quote": "flowing through Brazil"}]}),
     "words not in the answer"),
    (json.dumps({"claims": [{"claim": "The Amazon flows through Brazil", "quote": "flowing to Brazil"}]}),
     "quote not found"),
    (RuntimeError("endpoint down"), "endpoint down"),
])
def test_untrusted_llm_output_falls_back_to_the_deterministic_decomposer(reply, why):
    d = decompose(AMAZON, llm=FakeLLM([reply]))
    assert d.method == "deterministic"
    assert why in d.detail["fallback"]
    assert len(d) == 3 and all(why in c.detail["fallback"] for c in d)


def test_which_one_question_after_its_options_keeps_only_the_answer():
    q = "In between Lark Hotel and Wren Inn which one is in Ohio?"
    assert question_claim(q, "Lark Hotel") == "Lark Hotel is in Ohio"
    assert question_claim("Between the Lark Hotel and the Wren Inn, which one is older?",
                          "the Wren Inn") == "the Wren Inn is older"


def test_a_possessive_wh_phrase_puts_the_answer_in_the_owner_slot():
    q = "Which mayor's father was a farmer from Kent?"
    assert question_claim(q, "Ann Reed") == "Ann Reed's father was a farmer from Kent"
    assert question_claim("Which band's singer was born in Leeds?", "The Larks") == \
        "The Larks' singer was born in Leeds"


@pytest.mark.parametrize("question,answer,claim", [
    # did: the verb after the subject is inflected, not the last word; a lead preposition ends the claim
    ("In which county did Maria Lind's brother open a bakery?", "Dale County",
     "Maria Lind's brother opened a bakery in Dale County"),
    ("When did the first emperor of Rome die?", "14 AD", "the first emperor of Rome died in 14 AD"),
    ("Where did Tom Hale grow up?", "Leeds", "Tom Hale grew up in Leeds"),
    ("What did Ada Byrne write in 1990?", "a novel", "Ada Byrne wrote a novel in 1990"),
    ("What did Tom Hale give his sister?", "a book", "Tom Hale gave his sister a book"),
    ("Who did Ann Cole work with?", "Bob Dale", "Ann Cole worked with Bob Dale"),
    ("Whom did Ann Cole marry?", "Bob Dale", "Ann Cole married Bob Dale"),
    ("What year did Maria Lind open a bakery?", "1998", "Maria Lind opened a bakery in 1998"),
    ("When did the world tour end?", "2001", "the world tour ended in 2001"),
    ("When did Ann Cole abdicate?", "1990", "Ann Cole did abdicate in 1990"),  # unknown verb: "did" kept
    ("How many albums did the band release?", "12", "the band released 12 albums"),
    # does / do
    ("Which team does Tom Hale play for?", "Leeds United", "Tom Hale plays for Leeds United"),
    ("For which team does Tom Hale play?", "Leeds United", "Tom Hale plays for Leeds United"),
    ("Where does Maria Lind live?", "Oslo", "Maria Lind lives in Oslo"),
    ("What does Ann Rowe and Bo Dahl have in common?", "golf", "Ann Rowe and Bo Dahl have golf in common"),
    ("What do the Larks call their fans?", "Larkies", "the Larks call their fans Larkies"),
    # was / were
    ("Where was Maria Lind born?", "Oslo", "Maria Lind was born in Oslo"),
    ("When were the Larks formed?", "1990", "the Larks were formed in 1990"),
    ("Who was the first mayor of Dale?", "Ann Cole", "the first mayor of Dale was Ann Cole"),
    ("Where is the bakery?", "Dale", "the bakery is in Dale"),
    ("How many events were contested?", "43", "43 events were contested"),
    # has / have
    ("Who has won the most titles?", "Ann Cole", "Ann Cole has won the most titles"),
    ("How many titles has Ann Cole won?", "three", "Ann Cole has won three titles"),
    ("Which awards have the Larks won?", "two Grammys", "the Larks have won two Grammys"),
    # can / will
    ("Who can vote in Dale?", "residents", "residents can vote in Dale"),
    ("What can a bakery sell?", "bread", "a bakery can sell bread"),
    ("Where can visitors see the Lind bakery?", "Dale", "visitors can see the Lind bakery in Dale"),
    ("Where will the final be held?", "Dale Park", "the final will be held in Dale Park"),
    ("Who will host the final?", "Dale", "Dale will host the final"),
    # how many as the subject
    ("How many people live in Dale?", "5,000", "5,000 people live in Dale"),
])
def test_question_claim_across_auxiliaries_and_wh_words(question, answer, claim):
    assert question_claim(question, answer) == claim
