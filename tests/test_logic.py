"""check_logic: every answer with its core or countermodel, SMT-LIB input, the JSON form,
errors, timeouts; and the logic engine inside the pipeline."""
from __future__ import annotations

import json
from importlib import resources

import jsonschema
import pytest

from verify import LogicResult, check_logic
from verify.engines.logic.engine import ENGINE, find_problems
from verify.engines.base import Context
from verify.pipeline import check
from verify.engines.logic import fol, smtlib

SCHEMA = json.loads(resources.files("verify.schemas").joinpath("logic.json").read_text())
SOCRATES = ["∀x (Man(x) → Mortal(x))", "Man(socrates)", "Greek(plato)"]


def valid(result: LogicResult) -> dict:
    out = result.to_dict()
    jsonschema.validate(out, SCHEMA)
    return out


def holds(model: dict, pred: str, *args: str) -> bool:
    """Whether ``pred`` holds of the named constants in a countermodel."""
    elements = [model["constants"][a] for a in args]
    return elements in [list(row) for row in model["predicates"].get(pred, [])]


def test_syllogism_entailed_with_a_minimal_core():
    r = check_logic(SOCRATES, "Mortal(socrates)")
    assert (r.answer, r.status, r.core, r.core_minimal) == ("entailed", "verified", (0, 1), True)
    assert r.countermodel is None
    assert "premises 0, 1 imply the conclusion" in r.explanation
    assert valid(r)["core"] == [0, 1]


def test_contradicted_with_core():
    r = check_logic(SOCRATES, "¬Mortal(socrates)")
    assert (r.answer, r.status, r.core) == ("contradicted", "refuted", (0, 1))
    assert "rule out the conclusion" in r.explanation


def test_unknown_has_a_countermodel_and_a_supporting_model():
    r = check_logic(SOCRATES, "Mortal(plato)")
    assert (r.answer, r.status, r.core) == ("unknown", "unverified", ())
    cm, sm = r.countermodel, r.supporting_model
    # the countermodel satisfies the premises and falsifies the conclusion; the other
    # model satisfies both
    assert holds(cm, "Man", "socrates") and holds(cm, "Mortal", "socrates")
    assert not holds(cm, "Mortal", "plato") and holds(sm, "Mortal", "plato")
    assert set(cm["domain"]) >= set(cm["constants"].values())
    assert len(cm["domain"]) == 2 and len(sm["domain"]) == 1  # shrunk to the smallest domain
    assert "Countermodel (premises true, conclusion false): domain {e0, e1}" in r.explanation
    valid(r)


def test_inconsistent_premises_give_their_core_first():
    r = check_logic(["P(a)", "Q(b)", "¬P(a)", "R(c)"], "Q(b)")
    assert (r.answer, r.status, r.core) == ("inconsistent", "unverified", (0, 2))
    assert "contradict each other" in r.explanation
    r = check_logic(["∀x ∀y (Larger(x, y) ↔ ¬Larger(y, x))"], "⊤")
    assert (r.answer, r.core) == ("inconsistent", (0,))


def test_cores_are_minimal_when_several_premises_are_redundant():
    premises = ["A", "A → B", "B", "C", "B → B"]
    r = check_logic(premises, "B")
    assert r.answer == "entailed" and r.core_minimal
    for i in r.core:  # dropping any core premise loses the entailment
        rest = [premises[j] for j in r.core if j != i]
        assert check_logic(rest, "B").answer != "entailed"


def test_xor():
    assert check_logic(["P(a) ⊕ Q(a)", "P(a)"], "¬Q(a)").core == (0, 1)
    assert check_logic(["P(a) ⊕ Q(a)", "P(a)"], "Q(a)").answer == "contradicted"
    assert check_logic(["P(a) ⊕ Q(a)"], "P(a)").answer == "unknown"
    # chained xor is parity, not "exactly one"
    assert check_logic(["P ⊕ Q ⊕ R", "P", "Q"], "R").answer == "entailed"


def test_biconditional():
    r = check_logic(["∀x (P(x) ↔ Q(x))", "¬Q(b)", "P(a)"], "¬P(b)")
    assert (r.answer, r.core) == ("entailed", (0, 1))
    assert check_logic(["∀x (P(x) ↔ Q(x))", "P(a)"], "Q(a)").answer == "entailed"


def test_equality_and_no_unique_names_assumption():
    assert check_logic(["a = b", "P(a)"], "P(b)").core == (0, 1)
    # distinct names may denote the same thing unless a premise says otherwise
    r = check_logic(["P(a)"], "¬P(b)")
    assert r.answer == "unknown" and r.supporting_model["constants"]["b"] != \
        r.supporting_model["constants"]["a"]
    assert r.countermodel["constants"]["a"] == r.countermodel["constants"]["b"]
    assert check_logic(["P(a)", "¬P(b)"], "a ≠ b").answer == "entailed"


def test_existentials():
    assert check_logic(["∃x (P(x) ∧ Q(x))"], "∃x P(x)").answer == "entailed"
    r = check_logic(["∃x P(x)"], "P(a)")
    assert r.answer == "unknown" and r.countermodel["predicates"]["P"] != []
    assert check_logic(["∀x ¬P(x)"], "∃x P(x)").answer == "contradicted"


def test_functions_and_propositions():
    r = check_logic(["∀x (P(x) → P(f(x)))", "P(a)"], "P(f(f(a)))")
    assert (r.answer, r.core) == ("entailed", (0, 1))
    r = check_logic(["Rain → Wet", "Rain ∨ Sprinkler"], "Wet")
    assert r.answer == "unknown"
    assert r.countermodel["propositions"] == {"Rain": False, "Wet": False, "Sprinkler": True}
    f = check_logic(["∀x (f(x) = x)"], "P(a)").countermodel["functions"]["f"]
    assert all(row[0] == row[1] for row in f)


def test_a_valid_conclusion_needs_no_premise():
    r = check_logic(["Q(b)"], "P(a) ∨ ¬P(a)")
    assert (r.answer, r.core) == ("entailed", ())
    assert "valid on its own" in r.explanation
    r = check_logic(["Q(b)"], "P(a) ∧ ¬P(a)")
    assert (r.answer, r.core) == ("contradicted", ())


def test_undecided_when_z3_hits_its_time_bound():
    pigeons, holes = 8, 7
    premises = [" ∨ ".join(f"In(p{i}, h{j})" for j in range(holes)) for i in range(pigeons)]
    premises.append("∀x ∀y ∀z (In(x, z) ∧ In(y, z) → x = y)")
    premises += [f"p{i} ≠ p{j}" for i in range(pigeons) for j in range(i + 1, pigeons)]
    r = check_logic(premises, "Q(a)", timeout=0.001)
    assert (r.answer, r.status) == ("undecided", "unverified")
    assert "time bound of 0.001 s" in r.explanation
    valid(r)


def test_undecided_when_only_infinite_models_exist():
    # s is injective and never hits zero: every model is infinite, so Z3 finds none
    r = check_logic(["∀x (s(x) ≠ zero)", "∀x ∀y (s(x) = s(y) → x = y)"], "P(zero)", timeout=0.3)
    assert (r.answer, r.core, r.countermodel) == ("undecided", (), None)
    assert r.explanation.startswith("Undecided: Z3 ")
    assert r.elapsed_ms < 4 * 300 + 2000  # bounded by the per-call timeouts


def test_json_form_input_and_mixed_syntaxes():
    man = {"forall": "x", "body": {"implies": [{"pred": "Man", "args": [{"var": "x"}]},
                                               {"pred": "Mortal", "args": [{"var": "x"}]}]}}
    r = check_logic([man, "(Man socrates)"], {"pred": "Mortal", "args": [{"const": "socrates"}]})
    assert (r.answer, r.core) == ("entailed", (0, 1))
    r = check_logic([man, fol.parse("Man(socrates)")], "Mortal(socrates)")
    assert r.answer == "entailed"
    r = check_logic([{"pred": "P", "args": [{"var": "x"}]}], "Q")
    assert r.answer == "error" and r.error["path"] == "$.args[0]"


def test_smtlib_scripts_and_terms():
    decl = "(declare-sort Person 0) (declare-fun Smart (Person) Bool) (declare-const ann Person)"
    r = check_logic([decl + " (assert (forall ((p Person)) (Smart p)))"], "(Smart ann)")
    assert (r.answer, r.core) == ("entailed", (0,))
    r = check_logic(["(declare-const n Int) (assert (> n 5))"], "(> n 7)")
    assert r.answer == "unknown" and r.countermodel["constants"]["n"] in ("6", "7")
    assert r.supporting_model["constants"]["n"] not in ("6", "7")
    r = check_logic(["(declare-const n Int)\n(assert (> n 5))", "(< n 3)"], "(= n 4)")
    assert (r.answer, r.core) == ("inconsistent", (0, 1))
    r = check_logic(["(declare-fun P (Entity) Bool) (declare-const a Entity) (assert (P a))"],
                    "(exists ((x Entity)) (not (P x)))")
    assert r.answer == "unknown" and r.to_dict()["countermodel"]["predicates"]["P"] == [["e0"]]
    assert check_logic(["(assert true)"], "true", syntax="smtlib").answer == "entailed"


@pytest.mark.parametrize("formula, where, line, col, phrase", [
    ("(P b)", "the conclusion", 1, 4, "unknown constant b"),
    ("(declare-const q Bool)\n(assert (and q\n   (P zz)))", "the conclusion", 3, 7,
     "unknown constant zz"),
    ("(set-option :regular-output-channel \"/tmp/out\")", "the conclusion", 1, 1,
     "command 'set-option' is not accepted"),
    ("(push 1)", "the conclusion", 1, 1, "not accepted"),
    ("(assert (P a)", "the conclusion", 1, 14, "1 unclosed '('"),
    ("(" * 300 + ")" * 300, "the conclusion", 1, 201, "nested deeper than 200 levels"),
    ("(P a) (P a)", "the conclusion", 1, 7, "expected one term"),
])
def test_smtlib_errors_are_clear(formula, where, line, col, phrase):
    premise = "(declare-fun P (Entity) Bool) (declare-const a Entity) (assert (P a))"
    r = check_logic([premise], formula)
    assert r.answer == "error"
    assert (r.error["where"], r.error["line"], r.error["col"]) == (where, line, col)
    assert phrase in r.error["message"]
    valid(r)


def test_smtlib_declaration_clashes_name_the_formula():
    r = check_logic(["(declare-const b Entity) (assert (P b))", "P(a)",
                     "(declare-const a Entity) (assert (not (P a)))"], "Q")
    assert r.answer == "error" and r.error["where"] == "premise 2"
    assert "constant 'a' (with the given signature) already declared" in r.explanation


@pytest.mark.parametrize("premise, phrase", [
    ("(" * 10_000 + "P(a)" + ")" * 10_000, "formula too long"),
    ("(" * 5_000 + "P(a)" + ")" * 5_000, "nested too deeply"),
    ("(" * 10_000 + ")" * 10_000, "nested deeper than 200 levels"),
    ("P(a) ∧ " * 1_000_000 + "P(a)", "formula too long"),
])
def test_hostile_formulas_get_clear_errors_fast(premise, phrase):
    r = check_logic([premise], "Q")
    assert r.answer == "error" and phrase in r.explanation
    assert r.elapsed_ms < 2000


def test_smtlib_detection_leaves_folio_formulas_alone():
    assert smtlib.looks_like_smtlib("(forall ((x Entity)) (=> (P x) (Q x)))")
    assert smtlib.looks_like_smtlib("  (and (P a)\n (Q a))")
    assert not smtlib.looks_like_smtlib("(Engaged(bonnie) ∧ Students(bonnie)) ⊕ ¬Engaged(bonnie)")
    assert not smtlib.looks_like_smtlib("(P(a) -> Q(a))")
    assert not smtlib.looks_like_smtlib("P(a)")


def test_parse_and_arity_errors_are_answers_not_exceptions():
    r = check_logic(["∀x (Man(x) → Mortal(x)", "Man(socrates)"], "Mortal(socrates)")
    assert (r.answer, r.status) == ("error", "unverified")
    assert r.error == {"where": "premise 0", "message": "expected ')' to close the '(' at col 4, "
                       "found end of input", "line": 1, "col": 23, "offset": 22}
    assert r.explanation.startswith("premise 0: line 1, col 23:")
    r = check_logic(["P(a)", "P(a, b)"], "Q")
    assert r.answer == "error" and "'P' is used with 1 argument in premise 0" in r.explanation
    r = check_logic(["P(a)", 42], "Q")
    assert r.answer == "error" and "premise 1: expected a formula" in r.explanation
    r = check_logic(["P(a)"] * 600, "Q")
    assert r.answer == "error" and "too many premises" in r.explanation
    valid(r)


def test_wrong_argument_types_raise():
    with pytest.raises(TypeError, match="premises must be a list"):
        check_logic("P(a)", "P(a)")
    with pytest.raises(ValueError, match="syntax"):
        check_logic(["P(a)"], "P(a)", syntax="prolog")
    with pytest.raises(ValueError, match="timeout"):
        check_logic(["P(a)"], "P(a)", timeout=0)


def test_warnings_for_repairs_unbound_variables_and_mixed_connectives():
    r = check_logic(["¬WorkAtPool(mary))"], "¬WorkAtPool(mary)", repair=True)
    assert r.answer == "entailed"
    assert r.warnings == ("premise 0, col 18: unmatched ')': grouped what comes before it "
                          "(repaired)",)
    # strict mode reads a stray final ')' too (it has one reading), and says so
    r = check_logic(["¬WorkAtPool(mary))"], "¬WorkAtPool(mary)")
    assert r.answer == "entailed"
    assert r.warnings == ("premise 0, col 18: a stray ')' at the end: read as closing a group "
                          "from the start (after the quantifiers)",)
    # a stray ')' inside the formula has several readings: only --repair guesses one
    assert check_logic(["P(a) ∧ Q(a)) → R(a)"], "R(a)").answer == "error"
    r = check_logic(["∀y (P(y) → Q(x))"], "Q(x)")
    assert "premise 0: 'x' is not bound by a quantifier, so it is read as a constant" in r.warnings
    r = check_logic(["A ∧ B ∨ C"], "C")
    assert any("mixed without parentheses" in w for w in r.warnings)


def test_result_object_is_frozen_and_serialisable():
    r = check_logic(SOCRATES, "Mortal(plato)", id="p1")
    with pytest.raises(AttributeError):
        r.answer = "entailed"  # type: ignore[misc]
    d = valid(r)
    assert d["id"] == "p1" and d["schema_version"] == 1
    assert json.loads(json.dumps(d)) == d
    assert str(r).startswith("p1: UNKNOWN (unverified): ")
    with pytest.raises(ValueError):
        LogicResult(answer="maybe")


# ---------------------------------------------------------------- engine

BLOCK = """The argument:
Premises:
1. ∀x (Man(x) → Mortal(x))
2. Man(socrates)
Conclusion: {conclusion}
"""


def test_engine_ignores_prose():
    prose = ("Premises: All men are mortal.\nSocrates is a man.\nConclusion: Socrates is "
             "mortal (as everyone knows).")
    assert ENGINE.find(prose, Context()) == []
    assert find_problems("The conclusion: f(x) grows.") == []


def test_engine_verifies_an_entailed_conclusion_with_evidence():
    text = BLOCK.format(conclusion="Mortal(socrates)")
    report = check(text, engines=("logic",))
    assert report.status == "verified"
    (claim,) = report.claims
    assert (claim.kind, claim.method, claim.status) == ("logic", "z3", "verified")
    assert claim.span.start == text.index("Premises:")
    assert [e.text for e in claim.evidence][1:] == ["∀x (Man(x) → Mortal(x))", "Man(socrates)"]
    assert claim.evidence[0].source == "z3" and claim.detail["answer"] == "entailed"


def test_engine_refutes_and_corrects_a_contradicted_conclusion():
    text = BLOCK.format(conclusion="¬Mortal(socrates)")
    report = check(text, engines=("logic",))
    (claim,) = report.claims
    assert claim.status == "refuted" and claim.correction == "Mortal(socrates)"
    assert report.status == "corrected"
    assert report.corrected_text == BLOCK.format(conclusion="Mortal(socrates)")


def test_engine_unknown_and_malformed_problems_are_unverified():
    text = BLOCK.format(conclusion="Mortal(plato)") + "\nPremises:\n- P(a) ∧\nConclusion: P(a)\n"
    report = check(text, engines=("logic",))
    unknown, broken = report.claims
    assert unknown.status == "unverified" and unknown.detail["answer"] == "unknown"
    assert unknown.detail["countermodel"]["constants"]["plato"] == "e1"
    assert broken.status == "unverified" and broken.detail["answer"] == "error"
    assert "expected a formula after '∧'" in broken.explanation
    assert report.status == "flagged"


def test_engine_reads_smtlib_and_ascii_blocks():
    text = ("Premises:\n* (declare-fun P (Entity) Bool) (declare-const a Entity) (assert (P a))\n"
            "Therefore: (exists ((x Entity)) (P x))\n\n"
            "premises:\n  P1: forall x (Bird(x) -> Flies(x))\n  P2: Bird(tweety)\n"
            "conclusion: Flies(tweety)")
    claims = check(text, engines=("logic",)).claims
    assert [c.status for c in claims] == ["verified", "verified"]
