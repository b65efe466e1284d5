"""The FOL parser: notation, precedence, scope, names, errors with positions, hostile
input, repair mode, the JSON form and round trips."""
from __future__ import annotations

import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from verify.engines.logic import fol
from verify.engines.logic.fol import (And, BoolConst, Const, Eq, Exists, Forall, Func, Iff,
                                  Implies, Not, Or, Pred, Var, Xor)

P = lambda *a: Pred("P", tuple(a))  # noqa: E731
Q = lambda *a: Pred("Q", tuple(a))  # noqa: E731
a, b = Const("a"), Const("b")
x, y = Var("x"), Var("y")


@pytest.mark.parametrize("unicode_text, ascii_text", [
    ("∀x (P(x) → Q(x))", "forall x (P(x) -> Q(x))"),
    ("∀x (P(x) → Q(x))", "all x. P(x) => Q(x)"),
    ("∃x (P(x) ∧ ¬Q(x))", "exists x (P(x) & ~Q(x))"),
    ("∃x (P(x) ∧ ¬Q(x))", "some x: P(x) and not Q(x)"),
    ("P(a) ∨ Q(a)", "P(a) | Q(a)"),
    ("P(a) ∨ Q(a)", "P(a) or Q(a)"),
    ("P(a) ↔ Q(a)", "P(a) <-> Q(a)"),
    ("P(a) ↔ Q(a)", "P(a) iff Q(a)"),
    ("P(a) ↔ Q(a)", "P(a) ⟷ Q(a)"),
    ("P(a) ⊕ Q(a)", "P(a) xor Q(a)"),
    ("P(a) → Q(a)", "P(a) implies Q(a)"),
    ("P(a) → Q(a)", "P(a) ⇒ Q(a)"),
    ("¬P(a)", "!P(a)"),
    ("P(a) ∧ Q(a)", "P(a) ^ Q(a)"),
    ("a ≠ b", "a != b"),
    ("⊤ ∧ ⊥", "true and false"),
])
def test_unicode_and_ascii_spellings_agree(unicode_text, ascii_text):
    assert fol.parse(unicode_text) == fol.parse(ascii_text)


def test_precedence_not_and_or_xor_implies_iff():
    assert fol.parse("¬P(a) ∧ Q(a)") == And((Not(P(a)), Q(a)))
    assert fol.parse("P(a) ∧ Q(a) ∧ P(b)") == And((P(a), Q(a), P(b)))
    assert fol.parse("P(a) ∨ Q(a) ∧ P(b)") == Or((P(a), And((Q(a), P(b)))))
    assert fol.parse("P(a) ⊕ Q(a) → P(b) ⊕ Q(b)") == Implies(Xor(P(a), Q(a)), Xor(P(b), Q(b)))
    assert fol.parse("P(a) → Q(a) → P(b)") == Implies(P(a), Implies(Q(a), P(b)))
    assert fol.parse("P(a) → Q(a) ↔ P(b)") == Iff(Implies(P(a), Q(a)), P(b))
    assert fol.parse("(P(a) ∧ Q(a)) ∧ P(b)") == And((And((P(a), Q(a))), P(b)))


def test_mixing_and_or_without_parentheses_is_warned():
    parsed = fol.parse_full("P(a) ∧ Q(a) ∨ P(b)")
    assert parsed.formula == Or((And((P(a), Q(a))), P(b)))
    assert len(parsed.warnings) == 1 and "mixed without parentheses" in str(parsed.warnings[0])
    assert parsed.warnings[0].pos == 12
    assert fol.parse_full("(P(a) ∧ Q(a)) ∨ P(b)").warnings == ()


def test_a_stray_final_paren_is_read_strictly_with_a_warning():
    # one reading: the group runs from the start, after the quantifiers, to that ')'
    parsed = fol.parse_full("∀x (P(x) ∨ Q(x)) → R(x))")
    assert parsed.formula == Forall("x", Implies(Or((P(x), Q(x))), Pred("R", (x,))))
    assert [str(w) for w in parsed.warnings] == [
        "col 24: a stray ')' at the end: read as closing a group from the start "
        "(after the quantifiers)"]
    assert fol.parse("P(a) ∧ Q(a))") == And((P(a), Q(a)))
    # two stray parentheses, or one inside the formula, have several readings: errors
    for text in ("P(a) ∧ Q(a)))", "P(a)) ∧ Q(a)", ")"):
        with pytest.raises(fol.FOLSyntaxError):
            fol.parse(text)


def test_quantifier_scope():
    # no parentheses: the scope runs as far right as possible
    assert fol.parse("∀x P(x) → Q(x)") == Forall("x", Implies(P(x), Q(x)))
    # a parenthesised body is the whole scope
    assert fol.parse("∃x (P(x)) → Q(a)") == Implies(Exists("x", P(x)), Q(a))
    z = Var("z")
    shared = Exists("z", And((Pred("R", (x, z)), Pred("R", (y, z)))))
    assert fol.parse("∀x ∀y (∃z (R(x, z) ∧ R(y, z)) → S(x, y))") == \
        Forall("x", Forall("y", Implies(shared, Pred("S", (x, y)))))
    assert fol.parse("∀x, y R(x, y)") == Forall("x", Forall("y", Pred("R", (x, y))))
    assert fol.parse("∀x.P(x)") == Forall("x", P(x))
    assert fol.parse("¬∀x P(x)") == Not(Forall("x", P(x)))


def test_bound_names_are_variables_and_free_names_constants():
    f = fol.parse("∀x (P(x) → Q(y))")
    assert f == Forall("x", Implies(P(x), Q(Const("y"))))
    # a variable's scope ends with its quantifier
    assert fol.parse("(∀x P(x)) ∧ Q(x)") == And((Forall("x", P(x)), Q(Const("x"))))


@pytest.mark.parametrize("text, name", [
    ("LostToIgaŚwiątek(cocoGauff)", "LostToIgaŚwiątek"),
    ("Companies’Stocks(kO)", "Companies’Stocks"),
    ("Anti-abortion(x)", "Anti-abortion"),
    ("O'Neil(a)", "O'Neil"),
])
def test_predicate_names_from_the_data(text, name):
    f = fol.parse(text)
    assert isinstance(f, Pred) and f.name == name


@pytest.mark.parametrize("text, const", [
    ("WrittenIn(c++)", "c++"), ("Grade(a+)", "a+"), ("Visited(mr.smith)", "mr.smith"),
    ("ValuedAt(y42.3billion)", "y42.3billion"), ("Library(l-2021)", "l-2021"),
    ("Conservative(anU.SGovernmentOfficial)", "anU.SGovernmentOfficial"),
    ("Year(2022)", "2022"),
])
def test_constant_names_with_dots_digits_hyphens(text, const):
    assert fol.parse(text).args[0] == Const(const)


def test_names_are_nfc_normalised():
    decomposed = "S\u0301wia\u0328tek"  # S + combining acute, a + combining ogonek
    assert fol.parse(f"P({decomposed})") == fol.parse("P(Świątek)")


def test_equality_inequality_and_functions():
    assert fol.parse("a = b") == Eq(a, b)
    assert fol.parse("a ≠ b") == Not(Eq(a, b))
    assert fol.parse("∀x (f(x) = x)") == Forall("x", Eq(Func("f", (x,)), x))
    assert fol.parse("P(f(a, g(b)))") == P(Func("f", (a, Func("g", (b,)))))
    assert fol.parse("Rain → Wet") == Implies(Pred("Rain"), Pred("Wet"))
    assert fol.parse("BreastCancer (x)") == Pred("BreastCancer", (Const("x"),))


@pytest.mark.parametrize("text, line, col, phrase", [
    ("P(a", 1, 4, "expected ',' or ')' after argument 1 of P(…) opened at col 2"),
    ("∀ (P(x))", 1, 3, "expected a variable after '∀'"),
    ("P(a) Q(b)", 1, 6, "expected a connective"),
    ("P(a) ∧", 1, 7, "expected a formula after '∧', found end of input"),
    ("P(a) ∧ ∨ Q(a)", 1, 8, "expected a formula after '∧'"),
    ("P(a)) ∧ Q(a)", 1, 5, "unmatched ')'"),
    ("P(a) $ Q", 1, 6, "unexpected character '$' (DOLLAR SIGN)"),
    ("(P(a) ∧ Q(a)", 1, 13, "expected ')' to close the '(' at col 1"),
    ("P(a) ∧\n  Q(b", 2, 6, "opened at line 2, col 4"),
    ("", 1, 1, "empty formula"),
    ("∀x x", 1, 4, "variable 'x' used as a formula"),
    ("P(¬a)", 1, 3, "expected a term"),
])
def test_errors_point_at_the_position(text, line, col, phrase):
    with pytest.raises(fol.FOLSyntaxError) as info:
        fol.parse(text)
    err = info.value
    assert (err.line, err.col) == (line, col)
    assert phrase in err.message
    rendered = str(err).splitlines()
    assert rendered[0].startswith(f"line {line}, col {col}: ")
    # the caret sits under the offending column of the shown line
    assert rendered[2].index("^") - 2 == col - 1
    assert rendered[1][2:] == text.splitlines()[line - 1] if text else True


def test_caret_window_on_a_long_line():
    text = "P(a) ∧ " * 40 + "$"
    with pytest.raises(fol.FOLSyntaxError) as info:
        fol.parse(text)
    shown, caret = str(info.value).splitlines()[1:3]
    assert shown[caret.index("^")] == "$"


@pytest.mark.parametrize("text, phrase", [
    ("(" * 5000 + "P" + ")" * 5000, "nested too deeply"),
    ("¬" * 10000 + "P", "nested too deeply"),
    ("P → " * 3000 + "P", "nested too deeply"),
    ("∀x " * 300 + "P(x)", "nested too deeply"),
    ("P(" + "f(" * 500 + "a" + ")" * 501, "nested too deeply"),
    ("P(a) ∧ " * 5000 + "P(a)", "formula too long"),
])
def test_hostile_input_gets_a_clear_error_not_a_recursion_error(text, phrase):
    with pytest.raises(fol.FOLSyntaxError) as info:
        fol.parse(text)
    assert phrase in str(info.value)


def test_long_flat_conjunction_parses():
    text = " ∧ ".join(f"P{i}(a)" for i in range(1500))
    f = fol.parse(text)
    assert isinstance(f, And) and len(f.args) == 1500


@pytest.mark.parametrize("text, expected, repair", [
    ("P(a)) ∧ Q(a)", "P(a) ∧ Q(a)", "unmatched ')'"),
    ("∀x (A(x) ∨ B(x)) ∧ C(x)) → D(x)", "(∀x ((A(x) ∨ B(x)) ∧ C(x))) → D(x)", "unmatched ')'"),
    ("∀x (R(x) → (S(x) ∨ T(x))", "∀x (R(x) → (S(x) ∨ T(x)))", "added 1 missing ')'"),
    ("(L(b) ∧ G(b)) → (L(c) ∧ G(c)).", "(L(b) ∧ G(b)) → (L(c) ∧ G(c))", "dropped the final '.'"),
    ("∀x ∀y (M(x), N(x, y) → G(y))", "∀x ∀y ((M(x) ∧ N(x, y)) → G(y))", "read ',' between"),
    ("∃x (C(x) N(m, x))", "∃x (C(x) ∧ N(m, x))", "missing connective"),
    ("Superhero(captain america)", "Superhero(captain_america)", "name with spaces"),
    ("", "⊤", "empty formula"),
])
def test_repair_mode_fixes_annotation_slips_and_says_so(text, expected, repair):
    with pytest.raises(fol.FOLSyntaxError):
        fol.parse(text)
    parsed = fol.parse_full(text, repair=True)
    assert fol.to_text(parsed.formula) == expected
    assert any(repair in str(r) for r in parsed.repairs)


def test_printing_is_canonical():
    f = fol.parse("forall x (P(x) & Q(x) -> R(x) | S(x))")
    assert str(f) == "∀x ((P(x) ∧ Q(x)) → (R(x) ∨ S(x)))"
    assert str(fol.parse("¬(∀x P(x)) ∧ a ≠ b")) == "¬(∀x P(x)) ∧ a ≠ b"


def test_is_name():
    assert fol.is_name("Świątek") and fol.is_name("c++") and fol.is_name("mr.smith")
    assert not fol.is_name("and") and not fol.is_name("two words") and not fol.is_name("P(x)")
    assert not fol.is_name("") and not fol.is_name(3)


# ---------------------------------------------------------------- JSON form

def test_json_form_example():
    f = fol.parse("∀x (Man(x) → Mortal(x))")
    assert f.to_json() == {"forall": "x", "body": {"implies": [
        {"pred": "Man", "args": [{"var": "x"}]}, {"pred": "Mortal", "args": [{"var": "x"}]}]}}
    assert fol.from_json(json.dumps(f.to_json())) == f


@pytest.mark.parametrize("obj, path, phrase", [
    ({"pred": "P", "args": [{"var": "x"}]}, "$.args[0]", "not bound"),
    ({"pred": "P", "args": [{"const": "a"}], "extra": 1}, "$", "unexpected key"),
    ({"and": [{"pred": "P"}]}, "$.and", "at least two"),
    ({"implies": [{"pred": "P"}, {"pred": "Q"}, {"pred": "R"}]}, "$.implies", "exactly two"),
    ({"pred": "two words"}, "$.pred", "invalid predicate name"),
    ({"pred": "and"}, "$.pred", "invalid predicate name"),
    ({"not": {"pred": "P"}, "and": []}, "$", "exactly one of"),
    ({"forall": "x", "body": {"pred": "P", "args": [{"const": "x"}]}}, "$.body.args[0]",
     "hidden by the quantified variable"),
    ({"eq": [{"const": "a"}]}, "$.eq", "exactly two terms"),
    ({"bool": "yes"}, "$.bool", "true or false"),
    ({"exists": "mr.x", "body": {"pred": "P"}}, "$.exists", "invalid variable name"),
    ({"pred": "P", "args": [{"fn": "f", "args": []}]}, "$.args[0].args", "non-empty"),
    ("[1, 2", "$", "not valid JSON"),
    (["P"], "$", "a JSON object"),
])
def test_json_form_rejects_malformed_input_with_a_path(obj, path, phrase):
    with pytest.raises(fol.FOLJSONError) as info:
        fol.from_json(obj)
    assert info.value.path == path and phrase in info.value.message


def test_json_form_bounds_depth_and_size():
    deep: dict = {"pred": "P"}
    for _ in range(300):
        deep = {"not": deep}
    with pytest.raises(fol.FOLJSONError, match="nested too deeply"):
        fol.from_json(deep)
    wide = {"and": [{"pred": "P"}] * 30_000}
    with pytest.raises(fol.FOLJSONError, match="too large"):
        fol.from_json(wide)


# ---------------------------------------------------------------- round trips

NAMES = st.sampled_from(["a", "bonnie", "Świątek", "c++", "mr.smith", "l-2021"])
PREDS = st.sampled_from(["P", "Q", "Likes", "Companies’Stocks", "Anti-abortion"])
VARS = ["x", "y", "z"]


@st.composite
def terms(draw, bound: tuple[str, ...], depth: int):
    choices = ["const"] + (["var"] if bound else []) + (["fn"] if depth > 0 else [])
    kind = draw(st.sampled_from(choices))
    if kind == "var":
        return Var(draw(st.sampled_from(bound)))
    if kind == "fn":
        args = draw(st.lists(terms(bound, depth - 1), min_size=1, max_size=2))
        return Func(draw(st.sampled_from(["f", "g"])), tuple(args))
    name = draw(NAMES)
    return Const(name + "0" if name in bound else name)


@st.composite
def formulas(draw, bound: tuple[str, ...] = (), depth: int = 4):
    kinds = ["pred", "eq", "bool"] + (["not", "and", "or", "implies", "iff", "xor", "forall",
                                        "exists"] if depth > 0 else [])
    kind = draw(st.sampled_from(kinds))
    sub = lambda: formulas(bound, depth - 1)  # noqa: E731
    if kind == "pred":
        return Pred(draw(PREDS), tuple(draw(st.lists(terms(bound, 1), max_size=3))))
    if kind == "eq":
        return Eq(draw(terms(bound, 1)), draw(terms(bound, 1)))
    if kind == "bool":
        return BoolConst(draw(st.booleans()))
    if kind == "not":
        return Not(draw(sub()))
    if kind in ("and", "or"):
        return (And if kind == "and" else Or)(tuple(draw(st.lists(sub(), min_size=2, max_size=3))))
    if kind in ("implies", "iff", "xor"):
        return {"implies": Implies, "iff": Iff, "xor": Xor}[kind](draw(sub()), draw(sub()))
    var = draw(st.sampled_from(VARS))
    body = draw(formulas(bound + (var,), depth - 1))
    return (Forall if kind == "forall" else Exists)(var, body)


@settings(max_examples=300, deadline=None)
@given(formulas())
def test_print_then_parse_round_trips(f):
    assert fol.parse(fol.to_text(f)) == f


@settings(max_examples=300, deadline=None)
@given(formulas())
def test_json_round_trips(f):
    assert fol.from_json(json.loads(json.dumps(f.to_json()))) == f


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet="PQxa(),∀∃¬∧∨→↔⊕=≠ .~&|-<>!", max_size=40))
def test_arbitrary_text_parses_or_fails_cleanly(text):
    try:
        f = fol.parse(text)
    except fol.FOLSyntaxError as err:
        assert 1 <= err.col <= len(text) + 1
    else:
        assert fol.parse(fol.to_text(f)) == f


# ---------------------------------------------------------------- Z3

def test_z3_builder_checks_arity_across_formulas():
    builder = fol.Z3Builder()
    builder.formula(fol.parse("P(a)"), "premise 0")
    builder.formula(fol.parse("P(b)"), "premise 1")
    with pytest.raises(fol.ArityError, match="'P' is used with 1 argument in premise 0 "
                                             "and with 2 arguments in premise 2"):
        builder.formula(fol.parse("P(a, b)"), "premise 2")
    # predicates and terms live in separate namespaces
    builder.formula(fol.parse("Q(P)"), "premise 3")
    with pytest.raises(fol.ArityError, match="function/constant 'a'"):
        builder.formula(fol.parse("Q(a(b))"), "premise 4")


def test_z3_bound_variables_never_capture_constants():
    import z3

    builder = fol.Z3Builder()
    outer = builder.formula(fol.parse("P(x)"))           # x free: a constant
    inner = builder.formula(fol.parse("∀x ¬P(x)"))        # x bound
    s = z3.Solver(ctx=builder.ctx)
    s.add(outer, inner)
    assert s.check() == z3.unsat
    s2 = z3.Solver(ctx=builder.ctx)
    s2.add(builder.formula(fol.parse("∃x ¬P(x)")), outer)
    assert s2.check() == z3.sat


def test_numeric_sorts_follow_the_argument_positions():
    slots, real = fol.numeric_slots([fol.parse("∀x ∀y (Score(x, y) ∧ y > 9 → Top(x))"),
                                     fol.parse("Score(ann, s1) ∧ Team(ann)")])
    assert ("pred", "Score", 1) in slots and ("term", "s1", -1) in slots
    assert ("pred", "Score", 0) not in slots and ("term", "ann", -1) not in slots
    assert not real and fol.numeric_slots([fol.parse("p(a) > 2.5")])[1]


@pytest.mark.parametrize("obj, path", [
    ({"cmp": "≈", "args": [{"const": "a"}, {"const": "b"}]}, "$.cmp"),
    ({"cmp": "<", "args": [{"const": "a"}]}, "$.args"),
    ({"cmp": "<", "args": [{"var": "x"}, {"const": "b"}]}, "$.args[0]"),
])
def test_json_comparisons_are_validated(obj, path):
    with pytest.raises(fol.FOLJSONError) as err:
        fol.from_json(obj)
    assert err.value.path == path
