"""LLM-written logic programs (issue 15): the rule and FOL formats, the FOL extensions they
need, translation validation, the world assumption, the CLI, and thread safety."""
from __future__ import annotations

import json
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from importlib import resources
from pathlib import Path

import jsonschema
import pytest

from verify import check_logic, check_program
from verify.engines.logic import fol
from verify.engines.logic.program import ProgramError, read_program

ROOT = Path(__file__).resolve().parents[1]
SCHEMA = json.loads(resources.files("verify.schemas").joinpath("logic.json").read_text())

BIRDS = """Predicates:
Bird($x, bool) ::: Is x a bird?
Flies($x, bool) ::: Does x fly?
Penguin($x, bool) ::: Is x a penguin?
Facts:
Bird(Tweety, True) ::: Tweety is a bird.
Penguin(Pingu, True) ::: Pingu is a penguin.
Rules:
Bird($x, True) && Penguin($x, False) >>> Flies($x, True) ::: Birds that are not penguins fly.
Penguin($x, True) >>> Flies($x, False) ::: Penguins do not fly.
Penguin($x, True) >>> Bird($x, True) ::: Every penguin is a bird.
Query:
Flies(Pingu, False) ::: Pingu does not fly.
"""
BIRDS_CONTEXT = ("Tweety is a bird. Pingu is a penguin. Birds that are not penguins fly. "
                 "Penguins do not fly. Every penguin is a bird.")


def _query(program: str, query: str) -> str:
    return program.split("Query:")[0] + "Query:\n" + query + "\n"


# --------------------------------------------------------------------------- rule programs

def test_rule_program_sections_polarity_and_operators():
    prog = read_program(BIRDS)
    assert prog.format == "rules"
    assert [p.line for p in prog.premises] == [6, 7, 9, 10, 11]
    assert fol.to_text(prog.premises[2].formula) == "∀x ((Bird(x) ∧ ¬Penguin(x)) → Flies(x))"
    assert fol.to_text(prog.query.formula) == "¬Flies(pingu)"
    assert prog.query.comment == "Pingu does not fly."
    r = check_program(BIRDS)
    assert (r.answer, r.verdict, r.status) == ("entailed", "true", "verified")
    assert r.program["format"] == "rules" and r.program["query"]["line"] == 13
    assert [r.program["premises"][i]["line"] for i in r.core] == [7, 10]


def test_unknown_query_is_false_only_in_the_closed_world():
    prog = _query(BIRDS, "Flies(Tweety, True)")
    prog = prog.replace("Bird(Tweety, True) ::: Tweety is a bird.", "Bird(Tweety, True)")
    assert check_program(prog).verdict == "unknown"      # Tweety might be a penguin
    opened = check_program(prog, world="open")
    closed = check_program(prog, world="closed")
    assert (opened.answer, opened.verdict, opened.world) == ("unknown", "unknown", "open")
    assert (closed.answer, closed.verdict, closed.world) == ("unknown", "false", "closed")
    assert closed.status == "unverified"                  # an assumption, not a proof
    assert closed.to_dict()["verdict"] == "false" and closed.to_dict()["world"] == "closed"
    with pytest.raises(ValueError, match="world"):
        check_program(prog, world="half-open")


def test_rule_program_slips_read_as_written():
    prog = """Facts:
Chases(bald eagle, Lion, True)
not Tired(lion, True)
Rules:
Chases($x, lion) && Not(Tired(lion, True)) >>> Fast($x)
Query:
Fast(Bald Eagle, ?)
"""
    r = check_program(prog)
    assert r.answer == "entailed"
    assert fol.to_text(read_program(prog).query.formula) == "Fast(bald_eagle)"
    assert any("truth value" in w and "open" in w for w in r.warnings)
    assert check_program(_query(prog, "Chases(bald eagle, lion) = False")).answer == "contradicted"
    assert check_program(_query(prog, "Tired(Lion, True) is False.")).answer == "entailed"


def test_singular_plural_and_swapped_facts():
    prog = """Facts:
Rex(Wumpus, True)
Rules:
Wumpuses($x, True) >>> Cold($x, True)
Wumpus($x, True) >>> Green($x, True)
Query:
Cold(Rex, True)
"""
    r = check_program(prog)
    assert r.answer == "entailed", r
    assert any("swapped" in w for w in r.warnings)
    assert any("singular and plural" in w for w in r.warnings)


def test_negation_in_a_name_and_individual_predicates():
    prog = """Facts:
NotGreen(Fiona, True)
Rules:
Green($x, False) >>> Cold($x, True)
Query:
Cold(Fiona, True)
"""
    r = check_program(prog)
    assert r.answer == "entailed" and r.program["premises"][0]["formula"] == "¬Green(fiona)"
    assert any("'NotGreen' read as ¬Green" in w for w in r.warnings)
    prog = """Predicates:
Stella($x, bool) ::: Is x Stella?
Rules:
Stella($x, True) >>> Vumpus($x, True)
Vumpus($x, True) >>> Red($x, False)
Query:
Red(Stella, False)
"""
    r = check_program(prog)
    assert r.answer == "entailed"
    assert any("names the constant stella: Stella(stella) added" in w for w in r.warnings)


@pytest.mark.parametrize("program, needle", [
    ("Facts:\nRex is a wumpus.\nQuery:\nCold(Rex, True)", "line 2"),
    ("Facts:\nCold(Rex, True)\n", "no query"),
    ("Facts:\nCold(Rex, True)\nQuery:\nCold(Rex, True)\nWarm(Rex, True)", "2 query lines"),
    ("Rules:\nOpaque(Cold($x, True), True)\nQuery:\nCold(Rex, True)", "argument 1 of Opaque"),
    ("Facts:\nColor(rex, not red)\nQuery:\nCold(Rex, True)", "negation inside argument 2"),
    ("Facts:\nCold(True, Rex)\nQuery:\nCold(Rex, True)", "only the last argument"),
    ("Facts:\nCold(Rex, True)\nPremises:\nCold(rex)\nQuery:\nCold(Rex, True)", "one format"),
    ("Cold(Rex, True)\nQuery:\nCold(Rex, True)", "before the first section"),
])
def test_unreadable_programs_are_errors_naming_the_problem(program, needle):
    with pytest.raises(ProgramError, match=needle):
        read_program(program)
    r = check_program(program)
    assert (r.answer, r.status, r.verdict) == ("error", "unverified", None)
    assert needle in r.explanation and r.error["where"] == "the program"


def test_solver_errors_name_the_program_lines():
    r = check_program("Facts:\nSees(a, b)\nRules:\nSees($x) >>> Q($x, True)\nQuery:\nQ(a, True)")
    assert r.answer == "error"
    assert "premise 0 (line 2)" in r.explanation and "premise 1 (line 4)" in r.explanation


def test_a_fact_about_everything_is_skipped_with_a_note():
    prog = "Facts:\nRompus($x, True)\nCold(Rex, True)\nQuery:\nRompus(Rex, True)\n"
    r = check_program(prog)
    assert r.answer == "unknown" and len(r.program["premises"]) == 1
    assert any("is not a fact" in w and "line 2" in w for w in r.warnings)
    rule = "Facts:\nRompus($x, True) >>> Cold($x, True)\nRompus(Rex, True)\nQuery:\nCold(Rex, True)"
    assert check_program(rule).answer == "entailed"


def test_answer_section_is_ignored_with_a_note():
    r = check_program(BIRDS + "Answer:\nFalse, Pingu flies.\n")
    assert r.answer == "entailed"
    assert any("own answer is ignored" in w for w in r.warnings)


# --------------------------------------------------------------------------- FOL programs

FOL_PROGRAM = """Predicates:
Dog(x) ::: x is a dog.
Premises:
Dog(x) → Barks(x) ::: Dogs bark.
Dog(rex) ::: Rex is a dog.
Conclusion:
Barks(rex) ::: Rex barks.
"""


def test_fol_program_quantifies_free_variables_as_the_line_reads():
    r = check_program(FOL_PROGRAM)
    assert r.answer == "entailed" and r.program["format"] == "fol"
    assert r.program["premises"][0]["formula"] == "∀x (Dog(x) → Barks(x))"
    assert any("free variable x: x read as ∀ over the line" in w for w in r.warnings)
    prog = FOL_PROGRAM.replace("Dog(rex) ::: Rex is a dog.",
                               "Dog(x) → Owner(x, y) ∧ Person(y)\nLikes(rex, y) ∧ Cat(y)")
    premises = [p["formula"] for p in check_program(prog).program["premises"]]
    assert premises[1] == "∀x (Dog(x) → (∃y (Owner(x, y) ∧ Person(y))))"
    assert premises[2] == "∃y (Likes(rex, y) ∧ Cat(y))"
    prog = FOL_PROGRAM.replace("Dog(rex) ::: Rex is a dog.", "Dog(x) ∨ Cat(x)")
    assert check_program(prog).program["premises"][1]["formula"] == "∀x (Dog(x) ∨ Cat(x))"


def test_fol_program_lines():
    r = check_program(FOL_PROGRAM.replace("Dog(rex) ::: Rex is a dog.", "If Dog(rex) → Pet(rex)"))
    assert r.program["premises"][1]["formula"] == "Dog(rex) → Pet(rex)"
    assert any("'If'" in w for w in r.warnings)
    r = check_program(FOL_PROGRAM.replace("Dog(rex) ::: Rex is a dog.", "Rex is a dog"))
    assert r.answer == "error" and "line 5" in r.explanation


def test_several_queries_one_fitting_the_question():
    prog = FOL_PROGRAM + "¬Cute(rex) ::: Rex is not cute.\n"
    assert check_program(prog).answer == "error"
    r = check_program(prog, question="Is it true that Rex barks?")
    assert r.answer == "entailed" and r.program["query"]["formula"] == "Barks(rex)"
    assert any("whose names all occur in the question" in w for w in r.warnings)
    both = FOL_PROGRAM + "¬Barks(rex)\n"
    assert check_program(both, question="Rex barks.").answer == "error"


# --------------------------------------------------------------------------- FOL extensions

def test_comparisons_infer_integer_and_real_sorts():
    rule = "∀x ∀y (Score(x, y) ∧ y > 90 → Honors(x))"
    assert check_logic([rule, "Score(ann, 95)"], "Honors(ann)").answer == "entailed"
    assert check_logic([rule, "Score(bob, 80)"], "Honors(bob)").answer == "unknown"
    assert check_logic(["Price(tea, 2.5)", "∀x ∀p (Price(x, p) ∧ p ≤ 3 → Cheap(x))"],
                       "Cheap(tea)").answer == "entailed"
    assert check_logic(["Age(ann) >= 18", "∀x (Age(x) ≥ 18 → Adult(x))"],
                       "Adult(ann)").answer == "entailed"
    assert check_logic([], "3 < 2").answer == "contradicted"
    f = fol.parse("∀y (Score(a, y) → y >= 1)")
    assert fol.from_json(fol.to_json(f)) == f and fol.parse(fol.to_text(f)) == f


def test_membership_and_collections():
    r = check_logic(["ann ∈ club", "∀x (x ∈ club → Member(x))", "bob ∉ club"], "Member(ann)")
    assert r.answer == "entailed"
    assert fol.parse("bob ∉ club") == fol.Not(fol.Pred(fol.MEMBER, (fol.Const("bob"),
                                                                      fol.Const("club"))))
    parsed = fol.parse_full("Includes(menu, {tea, cake})")
    assert parsed.formula == fol.And((fol.Pred("Includes", (fol.Const("menu"), fol.Const("tea"))),
                                      fol.Pred("Includes", (fol.Const("menu"), fol.Const("cake")))))
    assert any("distributes" in str(w) for w in parsed.warnings)
    with pytest.raises(fol.FOLSyntaxError, match="more than one collection"):
        fol.parse("Pair([a, b], {c, d})")


def test_quoted_constants():
    assert fol.parse('Title("The Big Sleep", chandler)') == fol.Pred(
        "Title", (fol.Const("The_Big_Sleep"), fol.Const("chandler")))
    with pytest.raises(fol.FOLSyntaxError, match="unclosed quote"):
        fol.parse('Title("The Big Sleep, chandler)')


@pytest.mark.parametrize("text, needle", [
    ("Tall(a) ∧ ... ∧ Tall(z)", "ellipsis '...'"),
    ("Tall(a) ∧ … ∧ Tall(z)", "ellipsis '…'"),
    ("Owns(bob, ∃y Car(y))", "quantifier cannot stand in argument 2 of Owns"),
])
def test_ellipsis_and_quantified_arguments_are_named(text, needle):
    with pytest.raises(fol.FOLSyntaxError, match=needle):
        fol.parse(text)
    assert check_logic([text], "Tall(a)").answer == "error"


# --------------------------------------------------------------------------- validation

def test_polarity_slip_is_repaired_and_reported():
    prog = _query(BIRDS, "Flies(Tweety, False)")
    r = check_program(prog, question="Is the following statement true or false? Pingu flies.",
                      context=BIRDS_CONTEXT)
    # the query named Tweety: flagged, not repaired
    assert not r.validated and r.status == "unverified"
    assert any(c["check"] == "query_names" and "'tweety'" in c["message"]
               for c in r.validation)
    prog = _query(BIRDS, "Flies(Pingu, False)")
    r = check_program(prog, question="Is the following statement true or false? Pingu flies.",
                      context=BIRDS_CONTEXT, world="closed")
    assert r.validated
    assert r.program["query"]["formula"] == "Flies(pingu)"
    assert (r.answer, r.verdict) == ("contradicted", "false")
    polarity = [c for c in r.validation if c["check"] == "query_polarity"][0]
    assert polarity["repaired"] and "checked Flies(pingu) instead" in polarity["message"]
    assert any(w.endswith("(repaired)") for w in r.warnings)


def test_added_negation_is_repaired_when_the_word_follows_not():
    prog = _query(BIRDS, "Flies(Pingu, True)")
    r = check_program(prog, question="True or false? Pingu does not fly.")
    assert r.program["query"]["formula"] == "¬Flies(pingu)" and r.answer == "entailed"


def test_ambiguous_polarity_is_flagged_not_repaired():
    prog = "Facts:\nHappy(Rex, False)\nQuery:\nHappy(Rex, False)\n"
    r = check_program(prog, question="Is it true? Rex is unhappy.")
    assert r.program["query"]["formula"] == "¬Happy(rex)"
    assert not r.validated and r.status == "unverified" and r.answer == "entailed"
    assert any("not clear" in c["message"] for c in r.validation)


def test_premise_without_a_source_sentence_is_flagged():
    prog = BIRDS.replace("Rules:\n", "Rules:\nPenguin($x, True) >>> Swims($x, True)\n")
    r = check_program(prog, context=BIRDS_CONTEXT)
    bad = [c for c in r.validation if not c["ok"]]
    assert len(bad) == 1 and bad[0]["check"] == "premise_source" and bad[0]["line"] == 9
    assert r.status == "unverified"
    assert check_program(BIRDS, context=BIRDS_CONTEXT).validated


def test_results_match_the_schema():
    for r in (check_program(BIRDS, context=BIRDS_CONTEXT, question="Pingu does not fly."),
              check_program("Query:\nnonsense here"), check_program(FOL_PROGRAM)):
        jsonschema.validate(r.to_dict(), SCHEMA)


# --------------------------------------------------------------------------- CLI

def test_cli_reads_program_records_and_world(tmp_path):
    path = tmp_path / "p.jsonl"
    records = [{"id": "a", "program": _query(BIRDS, "Flies(Tweety, True)")},
               {"id": "b", "program": BIRDS, "context": BIRDS_CONTEXT,
                "question": "Is it true? Pingu does not fly."},
               {"id": "c", "premises": ["P(a)"], "conclusion": "Q(a)"},
               {"id": "d", "program": 7}]
    path.write_text("\n".join(json.dumps(r) for r in records))
    out = subprocess.run([sys.executable, "-m", "verify.cli", "logic", str(path), "--json",
                          "--world", "closed"], capture_output=True, text=True, cwd=ROOT)
    rows = [json.loads(line) for line in out.stdout.splitlines()]
    assert out.returncode == 1
    assert [r.get("verdict") for r in rows] == ["false", "true", "false", None]
    assert all(r["world"] == "closed" for r in rows[:3])
    assert "'program' must be text" in rows[3]["error"]
    for row in rows[:3]:
        jsonschema.validate(row, SCHEMA)
    text = subprocess.run([sys.executable, "-m", "verify.cli", "logic", str(path)],
                          capture_output=True, text=True, cwd=ROOT).stdout
    assert "a: UNKNOWN (unverified; unknown in the open world)" in text


# --------------------------------------------------------------------------- threads

def test_check_logic_is_thread_safe():
    problems = [
        (["∀x (Man(x) → Mortal(x))", f"Man(p{i})"], f"Mortal(p{i})") for i in range(6)
    ] + [
        (["∀x ∀y (Score(x, y) ∧ y > 90 → Honors(x))", f"Score(s{i}, {85 + 2 * i})"],
         f"Honors(s{i})") for i in range(6)
    ] + [
        (["(declare-fun A () Bool)\n(assert A)", "A → B"], "B"),
        (["P(a) ∨ Q(a)", "¬P(a)"], "¬Q(a)"),
        (["R(a)"], "R(b)"),
    ]
    problems = problems * 3

    def key(args):
        r = check_logic(*args)
        return r.answer, r.core, r.verdict, r.warnings

    sequential = [key(p) for p in problems]
    with ThreadPoolExecutor(max_workers=8) as pool:
        threaded = list(pool.map(key, problems))
    assert threaded == sequential
    assert {s[0] for s in sequential} >= {"entailed", "contradicted", "unknown"}


# ----------------------------------------------------------- context read in controlled English

FLORPS_CONTEXT = ("Every florp is glimmy. Each florp is a zindle. Zindles are not brusque. "
                  "Quax is a florp.")


def _reading_checks(result) -> list[str]:
    return [c["message"] for c in result.validation if c["check"] == "premise_reading"]


def test_context_sentence_the_program_omits_is_added_and_reported():
    prog = """Predicates:
Florp($x, bool) ::: Is x a florp?
Glimmy($x, bool) ::: Is x glimmy?
Zindle($x, bool) ::: Is x a zindle?
Brusque($x, bool) ::: Is x brusque?
Facts:
Florp(Quax, True)
Rules:
Florp($x, True) >>> Glimmy($x, True)
Zindle($x, True) >>> Brusque($x, False)
Query:
Brusque(Quax, False)"""
    bare = check_program(prog, world="closed")
    assert bare.verdict == "false"  # "Each florp is a zindle" is missing: not entailed
    r = check_program(prog, context=FLORPS_CONTEXT, question="Quax is not brusque.",
                      world="closed")
    assert r.answer == "entailed" and r.verdict == "true" and r.validated
    msgs = _reading_checks(r)
    assert msgs == ["added premise from context sentence 2: Each florp is a zindle. (no "
                    "premise states it; read as ∀x (Florp(x) → Zindle(x)))"]
    assert any("added premise from context sentence 2" in w for w in r.warnings)
    added = r.program["premises"][-1]
    assert added["line"] is None and added["source"] == "Each florp is a zindle."
    jsonschema.validate(r.to_dict(), SCHEMA)


def test_premise_with_wrong_polarity_swapped_arguments_or_generalised_is_replaced():
    context = ("The wemble snorfs the quib. Drax is not toothy. If Drax is toothy then Drax "
               "is plinky. Zed is toothy.")
    prog = """Predicates:
Snorfs($x, $y) ::: Does x snorf y?
Toothy($x, bool) ::: Is x toothy?
Plinky($x, bool) ::: Is x plinky?
Facts:
Snorfs(Quib, Wemble) ::: The wemble snorfs the quib.
Toothy(Drax, True) ::: Drax is not toothy.
Toothy(Zed, True)
Rules:
Toothy($x, True) >>> Plinky($x, True)
Query:
Plinky(Zed, True)"""
    r = check_program(prog, context=context, question="Zed is plinky.")
    msgs = _reading_checks(r)
    assert len(msgs) == 3 and all("contradicts context sentence" in m for m in msgs)
    shown = [p["formula"] for p in r.program["premises"]]
    assert shown[:2] == ["Snorfs(wemble, quib)", "¬Toothy(drax)"]
    assert "Toothy(drax) → Plinky(drax)" in shown
    # the rule was about Drax only: nothing follows about Zed
    assert r.answer == "unknown" and r.validated


def test_premise_saying_the_opposite_of_a_stated_sentence_is_dropped():
    context = "Mib is frondy. Mib is not soggle."
    prog = """Facts:
Frondy(Mib, True) ::: Mib is frondy.
Soggle(Mib, True)
Soggle(Mib, False) ::: Mib is not soggle.
Query:
Frondy(Mib, True)"""
    r = check_program(prog, context=context)
    assert r.answer == "entailed"  # not inconsistent any more
    assert [m for m in _reading_checks(r) if "says the opposite" in m]
    assert [p["formula"] for p in r.program["premises"]] == ["Frondy(mib)", "¬Soggle(mib)"]


def test_sentences_outside_controlled_english_or_the_vocabulary_are_left_alone():
    prog = """Facts:
Grib(Pell, True)
Query:
Grib(Pell, True)"""
    context = ("Pell is a grib. Most gribs, when it rains, hum softly. Tova is ashen. "
               "Pell likes Tova.")  # prose; no program predicate; a relation unknown to it
    r = check_program(prog, context=context)
    assert _reading_checks(r) == [] and r.answer == "entailed"
    # a word inside a program predicate is no new predicate: "red" next to IsRed
    prog2 = prog.replace("Facts:", "Facts:\nIsRed(Pell, True)")
    r2 = check_program(prog2, context="Pell is a grib. Every grib is red.")
    assert _reading_checks(r2) == []


def test_class_statements_and_conditionals_read_into_the_programs_names():
    from verify.engines.logic.controlled import read_sentence
    vocab = [fol.parse("∀x (Vorpal(x) → Snark(x))"), fol.parse("Chomps(bob_cat, kel)"),
             fol.parse("Blorby(kel)")]
    cases = {
        "Vorpals are not snarks.": "∀x (Vorpal(x) → ¬Snark(x))",
        "All blorby, vorpal things are snarks.": "∀x ((Blorby(x) ∧ Vorpal(x)) → Snark(x))",
        "If someone is blorby and not a vorpal then they chomp Kel.":
            "∀x ((Blorby(x) ∧ ¬Vorpal(x)) → Chomps(x, kel))",
        "If the bob cat chomps Kel then Kel is blorby.":
            "Chomps(bob_cat, kel) → Blorby(kel)",
        "The bob cat does not chomp Kel.": "¬Chomps(bob_cat, kel)",
    }
    for sentence, expected in cases.items():
        got = read_sentence(sentence, vocab)
        assert got is not None and fol.to_text(got) == expected, sentence
    for sentence in ("Vorpals, if blorby, are snarks.", "Kel chomps.", "Is Kel blorby?",
                     "Kel is blorby or a snark.", "Some vorpals are snarks."):
        assert read_sentence(sentence, vocab) is None, sentence


def test_program_line_in_controlled_english_is_read_with_a_note():
    prog = """Facts:
Quax is a Florp
Rules:
Florp($x, True) >>> Glimmy($x, True)
Florp(Zo, True) && Zo is frabby >>> Glimmy(Zo, True) ::: If Zo is a florp and Zo is frabby then Zo is glimmy.
Query:
Glimmy(Quax, True)"""
    p = read_program(prog)
    assert fol.to_text(p.premises[0].formula) == "Florp(quax)"
    assert fol.to_text(p.premises[2].formula) == "(Florp(zo) ∧ Frabby(zo)) → Glimmy(zo)"
    assert sum("in controlled English" in n for n in p.notes) == 2
    with pytest.raises(ProgramError, match="line 2"):
        read_program(prog.replace("Quax is a Florp", "Quax, as they say, florps"))


def test_query_that_says_something_else_than_the_question_is_replaced_by_its_reading():
    prog = """Facts:
Snorfs(Wemble, Quib)
Rules:
Query:
Likes(Wemble, Quib, True)"""
    prog = prog.replace("Facts:", "Predicates:\nLikes($x, $y) ::: Does x like y?\nFacts:")
    prog = prog.replace("Rules:\n", "Rules:\nSnorfs($x, Quib) >>> Likes(Quib, $x)\n")
    r = check_program(prog, question="Is it true? The wemble snorfs the quib.")
    assert r.answer == "entailed"
    assert any(c["check"] == "query_reading" and c["repaired"] for c in r.validation)
    assert r.program["query"]["formula"] == "Snorfs(wemble, quib)"
