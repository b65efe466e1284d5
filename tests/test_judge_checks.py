"""The rule judge's checks as data: each check on its own, the registry, and disabling checks."""
from __future__ import annotations

import dataclasses

import pytest

from verify.engines.grounding.judges.checks import STAGES
from verify.engines.grounding.judges.default import VETOES
from verify.engines.grounding.judges.deterministic import CHECK_LABELS, CHECKS, DeterministicJudge
from verify.engines.grounding.judges.evidence import split_units
from verify.engines.grounding.judges.base import Passage, as_passages
from verify.engines.grounding.judges.view import View

det = DeterministicJudge()

PORT = ("The Port of Velmora opened in 1884 and handles 12 million tonnes of cargo a year. "
        "It is operated by the Velmora Harbour Board.")
LAKES = ["Lake Orrin formed in 1740.", "Lake Tessel formed in 1802."]
LAKES_Q = "Which lake formed first, Lake Orrin or Lake Tessel?"
WATERS = ["Lake Orrin is a freshwater lake.", "Lake Tessel is a salt lake."]
WATERS_Q = "Are Lake Orrin and Lake Tessel both freshwater lakes?"
BRIDGE = ["The bridge was designed by Tomas Ferrell and painted by Ines Marlow."]
BRIDGE_Q = "The bridge was designed by whom?"
REEDS = ["Tom Reed's father, Sam Reed, was a farmer."]
REEDS_Q = "Who was Sam Reed's father?"
BRANDTS = ["Karl Brandt's sister was a pilot.", "Lena Brandt was a teacher."]
RIDE = "was riding her bike to work when a van hit her near the old harbour."
KOVAC_FAR = [f"Dana Kovac lives in Split. She teaches music. She plays the violin. The cyclist {RIDE}"]
KOVAC_NEAR = [f"Dana Kovac lives in Split. The cyclist {RIDE}"]
HARWICK = ["Ada Lovelace was a mathematician.", "Marcus Thorne designed the Harwick Bridge in 1821."]
PIER = ["The north pier is 10 metres wide and 14 metres deep."]

#: label -> (claim, evidence, question): an input on which that check fires.
FIRES: dict[str, tuple[str, list[str], str | None]] = {
    "choice_ambiguous": ("Both Lake Orrin and Lake Tessel", LAKES, LAKES_Q),
    "choice_negated": ("Not Lake Orrin", LAKES, LAKES_Q),
    "choice_undecided": ("Lake Orrin", ["Lake Orrin is deep.", "Lake Tessel is cold."], LAKES_Q),
    "choice": ("Lake Tessel", LAKES, LAKES_Q),
    "yes_no": ("Lake Orrin and Lake Tessel are both freshwater lakes", WATERS, WATERS_Q),
    "empty_claim": ("the", [PORT], None),
    "answer_echo": ("the Velmora Harbour Board is from Velmora", [PORT],
                    "Which city is the Velmora Harbour Board from?"),
    "answer_type": ("The Port of Velmora opened at the harbour", [PORT], "When did the Port of Velmora open?"),
    "values_disagree": ("The Port of Velmora opened in 1884",
                        [PORT, "The Port of Velmora opened in 1894, the board's history says."], None),
    "sign_after_change": ("Cargo at the port fell by -12 percent last year",
                          ["Cargo at the port fell by 12 percent last year, the board said."], None),
    "value_mismatch": ("The Port of Velmora opened in 1885", [PORT], None),
    "value_unsupported": ("The Port of Velmora has 40 cranes",
                          ["The Port of Velmora is operated by the Velmora Harbour Board."], None),
    "name_mismatch": ("The port is operated by the Drayton Harbour Board", [PORT], None),
    "name_unsupported": ("Mira Okafor runs the Port of Velmora", [PORT], None),
    "slot_rival": ("The bridge was designed by Ines Marlow", BRIDGE, BRIDGE_Q),
    "disputed": ("The Port of Velmora is the oldest port in the region",
                 ["The Port of Velmora is the oldest port in the region, although this is disputed by "
                  "some historians."], None),
    "framed": ("The Port of Velmora handles coal", ["The claim that the Port of Velmora handles coal is false."], None),
    "negation": ("The Port of Velmora did not open in 1884", [PORT], None),
    "antonym": ("The port handles the largest share of cargo in the region",
                ["The port handles the smallest share of cargo in the region."], None),
    "relation_value_elsewhere": ("Sam Reed's father was Tom Reed", REEDS, REEDS_Q),
    "relation_elsewhere": ("Lena Brandt's sister was a pilot", BRANDTS, None),
    "answer_words_missing": ("The port was built by convicts", [PORT], "When did the Port of Velmora open?"),
    "predicate_missing": ("The Port of Velmora was sold in 1884",
                          ["The Port of Velmora opened in 1884.", "The board sold the old ferry in 1990."], None),
    "subject_elsewhere": (f"Dana Kovac {RIDE[:-1]}", KOVAC_FAR, None),
    "novel_word": ("The Port of Velmora opened in 1884 and handles 12 million tonnes of grain a year", [PORT], None),
    "slot_mismatch": ("The north pier is 10 metres wide and 10 metres deep", PIER, None),
    "name_swap": ("Ada Lovelace designed the Harwick Bridge", HARWICK, None),
}

#: label -> (claim, evidence, question): the same ground, where that check finds nothing
#: (the claim is supported, except where a name is only in the sentences before).
QUIET: dict[str, tuple[str, list[str], str | None]] = {
    "choice_ambiguous": ("Lake Orrin", LAKES, LAKES_Q),
    "choice_negated": ("Lake Orrin", LAKES, LAKES_Q),
    "choice_undecided": ("Lake Orrin", LAKES, LAKES_Q),
    "choice": ("Lake Orrin formed in 1740", LAKES, None),
    "yes_no": ("The Port of Velmora opened in 1884", [PORT], "When did the Port of Velmora open?"),
    "empty_claim": ("The Port of Velmora opened in 1884", [PORT], None),
    "answer_echo": ("the Velmora Harbour Board operates the Port of Velmora", [PORT],
                    "What does the Velmora Harbour Board operate?"),
    "answer_type": ("The Port of Velmora opened in 1884", [PORT], "When did the Port of Velmora open?"),
    "values_disagree": ("The Port of Velmora opened in 1884",
                        [PORT, "The Port of Velmora opened in 1884, the board's history says."], None),
    "sign_after_change": ("Cargo at the port fell by 12 percent last year",
                          ["Cargo at the port fell by 12 percent last year, the board said."], None),
    "value_mismatch": ("The Port of Velmora opened in 1884", [PORT], None),
    "value_unsupported": ("The Port of Velmora handles 12 million tonnes of cargo a year", [PORT], None),
    "name_mismatch": ("The port is operated by the Velmora Harbour Board", [PORT], None),
    "name_unsupported": ("The Velmora Harbour Board operates the Port of Velmora", [PORT], None),
    "slot_rival": ("The bridge was designed by Tomas Ferrell", BRIDGE, BRIDGE_Q),
    "disputed": ("The Port of Velmora is the oldest port in the region",
                 ["The Port of Velmora is the oldest port in the region."], None),
    "framed": ("The Port of Velmora handles coal", ["The Port of Velmora handles coal, and it is not a myth."], None),
    "negation": ("The Port of Velmora opened in 1884", [PORT], None),
    "antonym": ("The port handles the smallest share of cargo in the region",
                ["The port handles the smallest share of cargo in the region."], None),
    "relation_value_elsewhere": ("Tom Reed's father was Sam Reed", REEDS, "Who was Tom Reed's father?"),
    "relation_elsewhere": ("Karl Brandt's sister was a pilot", BRANDTS, None),
    "answer_words_missing": ("The port opened in 1884", [PORT], "When did the Port of Velmora open?"),
    "predicate_missing": ("The Port of Velmora opened in 1884",
                          ["The Port of Velmora opened in 1884.", "The board sold the old ferry in 1990."], None),
    "subject_elsewhere": (f"Dana Kovac {RIDE[:-1]}", KOVAC_NEAR, None),
    "novel_word": ("The Port of Velmora opened in 1884 and handles 12 million tonnes of cargo a year", [PORT], None),
    "slot_mismatch": ("The north pier is 10 metres wide and 14 metres deep", PIER, None),
    "name_swap": ("Marcus Thorne designed the Harwick Bridge", HARWICK, None),
}


def _judge(case, judge=det):
    claim, evidence, question = case
    return judge.judge(claim, evidence, question=question)


def test_every_check_has_an_input_where_it_fires_and_one_where_it_does_not():
    assert set(FIRES) == set(QUIET) == set(CHECK_LABELS)


@pytest.mark.parametrize("label", CHECK_LABELS)
def test_the_check_fires_on_its_input(label):
    assert label in _judge(FIRES[label]).checks


@pytest.mark.parametrize("label", CHECK_LABELS)
def test_the_check_is_quiet_when_the_evidence_states_the_claim(label):
    j = _judge(QUIET[label])
    assert label not in j.checks
    assert j.label == ("not found" if label == "subject_elsewhere" else "supported")


# --------------------------------------------------------------------------- each check's verdict

def test_choice_checks_read_the_evidence_not_the_answer():
    assert _judge(FIRES["choice_ambiguous"]).label == "not found"
    assert _judge(FIRES["choice_negated"]).label == "not found"
    j = _judge(FIRES["choice_undecided"])
    assert j.label == "not found" and "Lake Orrin or Lake Tessel" in j.explanation
    j = _judge(FIRES["choice"])
    assert (j.label, j.wrong, j.correction) == ("contradicted", "Lake Tessel", "Lake Orrin")
    assert dict(j.detail["choice_dates"]) == {"Lake Orrin": (1740, 0, 0), "Lake Tessel": (1802, 0, 0)}
    right = _judge(("Lake Orrin", LAKES, LAKES_Q))
    assert (right.label, right.checks) == ("supported", ("choice",))


def test_yes_no_judges_each_conjunct():
    j = _judge(FIRES["yes_no"])
    assert (j.label, j.correction, j.checks) == ("contradicted", "no", ("yes_no",))
    assert j.detail["conjuncts"] == ("Lake Orrin are freshwater lakes: supported",
                                     "Lake Tessel are freshwater lakes: contradicted")
    no = _judge(("it is not true that Lake Orrin and Lake Tessel are both freshwater lakes", WATERS, WATERS_Q))
    assert (no.label, no.checks) == ("supported", ("yes_no",))


def test_an_answer_must_add_checkable_words_of_the_right_type():
    j = _judge(FIRES["empty_claim"])
    assert (j.label, j.checks, j.passages) == ("not found", ("empty_claim",), ())
    assert _judge(FIRES["answer_echo"]).checks == ("answer_echo",)
    j = _judge(FIRES["answer_type"])
    assert j.label == "not found" and "asks when" in j.explanation


def test_value_checks_give_the_evidences_value():
    j = _judge(FIRES["value_mismatch"])
    assert (j.label, j.wrong, j.correction, j.detail["wrong_start"]) == ("contradicted", "1885", "1884", 30)
    j = _judge(FIRES["value_unsupported"])
    assert (j.label, j.correction) == ("not found", None) and "40" in j.explanation
    # a sign after a word of change may restate the direction: no correction either way
    j = _judge(FIRES["sign_after_change"])
    assert (j.label, j.correction) == ("not found", None)
    j = _judge(("The lake was -12 degrees in January", ["The lake was 12 degrees in January."], None))
    assert (j.label, j.checks, j.correction) == ("contradicted", ("value_mismatch",), "12")


def test_name_checks_give_the_evidences_name():
    j = _judge(FIRES["name_mismatch"])
    assert (j.label, j.wrong, j.correction) == ("contradicted", "Drayton Harbour Board", "Velmora Harbour Board")
    j = _judge(FIRES["name_unsupported"])
    assert (j.label, j.correction) == ("not found", None) and "Mira Okafor" in j.explanation
    j = _judge(FIRES["slot_rival"])
    assert j.label == "not found" and "Tomas Ferrell" in j.explanation
    j = _judge(FIRES["name_swap"])
    assert (j.label, j.wrong, j.correction) == ("contradicted", "Ada Lovelace", "Marcus Thorne")
    assert j.checks[0] == "coverage" and j.checks[-1] == "name_swap"


def test_the_aligned_sentence_checks():
    j = _judge(FIRES["disputed"])
    assert (j.label, j.score) == ("disputed", 0.5)
    j = _judge(FIRES["negation"])
    assert j.label == "contradicted" and "asserts what the claim denies" in j.explanation
    j = _judge(FIRES["antonym"])
    assert j.label == "contradicted" and "'smallest'" in j.explanation


def test_gaps_keep_a_claim_from_support_and_are_all_reported():
    for label in ("relation_value_elsewhere", "relation_elsewhere", "answer_words_missing", "predicate_missing",
                  "subject_elsewhere", "novel_word"):
        j = _judge(FIRES[label])
        assert j.label == "not found" and j.checks[0] == "coverage", label
    assert "as \"Sam Reed's father\"" in _judge(FIRES["relation_value_elsewhere"]).explanation
    assert "Lena Brandt's sister" in _judge(FIRES["relation_elsewhere"]).explanation
    assert _judge(FIRES["novel_word"]).detail["unmatched_words"] == ("grain",)
    # several gaps at once are reported in registry order
    assert _judge(FIRES["answer_words_missing"]).checks == (
        "coverage", "answer_words_missing", "predicate_missing", "novel_word")


def test_slot_mismatch_overturns_a_support():
    j = _judge(FIRES["slot_mismatch"])
    assert (j.label, j.checks, j.wrong, j.correction) == ("contradicted", ("coverage", "slot_mismatch"), "10", "14")
    assert j.detail["wrong_start"] == 37 and j.detail["window_coverage"] == 1.0


# --------------------------------------------------------------------------- the registry

def test_the_registry_is_data():
    assert len(set(CHECK_LABELS)) == len(CHECKS) == len(CHECK_LABELS)
    assert all(c.stage in STAGES and c.doc and callable(c.fn) for c in CHECKS)
    # stages run in order, so the registry lists them in order
    assert [c.stage for c in CHECKS] == sorted((c.stage for c in CHECKS), key=STAGES.index)
    # the default judge's vetoes are real labels
    assert VETOES <= set(CHECK_LABELS) | {"no_evidence"}


def test_the_view_is_immutable_and_checks_do_not_depend_on_their_order():
    for claim, evidence, question in list(FIRES.values()) + list(QUIET.values()):
        ps = as_passages(evidence)

        def view() -> View:
            return View.read(claim, ps, question, split_units(ps), det.analyse)

        forward, backward = view(), view()
        in_order = [c.fn(forward) for c in CHECKS]
        reversed_order = [c.fn(backward) for c in reversed(CHECKS)][::-1]
        assert in_order == reversed_order, claim
    with pytest.raises(dataclasses.FrozenInstanceError):
        forward.text = "something else"  # type: ignore[misc]


@pytest.mark.parametrize("label", CHECK_LABELS)
def test_disabling_a_check_turns_off_exactly_its_finding(label):
    off = DeterministicJudge(disable={label})
    assert label not in _judge(FIRES[label], off).checks
    # wherever it did not fire, nothing changes (a yes/no verdict rests on its conjuncts'
    # own judgements, where the check is off too: see the test below)
    for case in list(FIRES.values()) + list(QUIET.values()):
        on = _judge(case)
        if label not in on.checks and "yes_no" not in on.checks:
            assert _judge(case, off) == on, (label, case[0])


def test_disable_refuses_an_unknown_label_and_takes_one_name():
    with pytest.raises(ValueError, match="'coverage'"):
        DeterministicJudge(disable={"coverage"})
    with pytest.raises(ValueError, match="'negaton'.*negation"):
        DeterministicJudge(disable=["negaton"])
    j = _judge(FIRES["negation"], DeterministicJudge(disable="negation"))
    assert "negation" not in j.checks
    assert DeterministicJudge(disable=()).disabled == frozenset()


def test_a_disabled_check_stays_off_in_the_parts_of_a_yes_no_answer():
    # the conjuncts are judged by the same judge: without predicate_missing, "Lake Tessel are
    # freshwater lakes" is no longer kept from support by its missing word
    off = DeterministicJudge(disable={"predicate_missing"})
    j = _judge(FIRES["yes_no"], off)
    assert (j.label, j.checks) == ("supported", ("yes_no",))
    assert j.detail["conjuncts"][1] == "Lake Tessel are freshwater lakes: supported"


def test_a_verdict_cites_the_passage_as_given():
    j = det.judge("The Port of Velmora opened in 1884", [Passage(PORT, "kb:port", {"page": 3}, 0.9)])
    assert j.label == "supported"
    assert (j.passages[0].source, j.passages[0].citation, j.passages[0].score) == ("kb:port", {"page": 3}, 0.9)


# --------------------------------------------------------------------------- adversarial evidence

@pytest.mark.parametrize("evidence, label", [
    ("The statement 'The Port of Velmora handles coal.' is false.", "contradicted"),
    ("It is not true that the Port of Velmora handles coal.", "contradicted"),
    ("Contrary to claims that the Port of Velmora handles coal, it ships only grain.", "contradicted"),
    ("That the Port of Velmora handles coal is a common misconception.", "contradicted"),
    ("Critics said that the Port of Velmora handles coal.", "not found"),
    ("The Port of Velmora allegedly handles coal.", "not found"),
])
def test_a_claim_restated_inside_a_denial_or_a_report_is_not_supported(evidence, label):
    j = _judge(("The Port of Velmora handles coal", [evidence], None))
    assert (j.label, j.checks, j.correction) == (label, ("framed",), None)


def test_a_denial_against_a_plain_statement_is_a_dispute_and_a_report_beside_one_is_no_finding():
    j = _judge(("The Port of Velmora handles coal", ["The Port of Velmora handles coal.",
                                                     "It is a myth that the Port of Velmora handles coal."], None))
    assert (j.label, len(j.passages)) == ("disputed", 2) and j.explanation.startswith("the evidence disagrees")
    j = _judge(("The Port of Velmora handles coal", ["Critics said that the Port of Velmora handles coal.",
                                                     "The Port of Velmora handles coal."], None))
    assert (j.label, j.checks) == ("supported", ("coverage",))


def test_passages_giving_different_values_make_the_claim_disputed_with_both_cited():
    for claim in ("The Port of Velmora opened in 1884", "The Port of Velmora opened in 1894",
                  "The Port of Velmora opened in 1890"):
        j = _judge((claim, FIRES["values_disagree"][1], None))
        assert (j.label, j.checks, j.correction) == ("disputed", ("values_disagree",), None), claim
        assert [p.source for p in j.passages] == ["evidence[0]", "evidence[1]"]
        assert "1884" in j.explanation and "1894" in j.explanation
    # one passage about another subject, or at another time, is no dispute
    assert _judge(("Lake Orrin formed in 1740", LAKES, None)).label == "supported"
    j = _judge(("Velmora had 900 dockers in 1990", ["Velmora had 700 dockers in 1980.", "Velmora had 900 dockers in 1990."],
                None))
    assert (j.label, j.checks) == ("supported", ("coverage",))
