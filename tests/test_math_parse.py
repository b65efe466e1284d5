"""The safe LaTeX / plain-math parser: every answer form of issue 5, with exact results."""
from __future__ import annotations

import sympy
import pytest
from sympy import E, I, Rational, Symbol, oo, pi, sqrt

from verify.engines.math.latex import MathParseError, normalize, parse_answer, parse_expression
from verify.engines.math.values import (ExprValue, IntervalValue, MatrixValue, RelationValue,
                                         SeqValue, TextValue, UnionValue)

x, y = Symbol("x"), Symbol("y")


def expr(text: str):
    v = parse_answer(text)
    assert isinstance(v, ExprValue), f"{text!r} parsed as {v!r}"
    return v.expr


@pytest.mark.parametrize("text, value", [
    (r"\frac{1}{2}", Rational(1, 2)),
    (r"\dfrac{3}{4}", Rational(3, 4)),
    (r"\tfrac{5}{3}", Rational(5, 3)),
    (r"\frac12", Rational(1, 2)),
    (r"\frac47", Rational(4, 7)),
    (r"\tfrac{8\pi}5", 8 * pi / 5),
    ("3/4", Rational(3, 4)),
    (r"\sqrt{2}", sqrt(2)),
    (r"\sqrt2", sqrt(2)),
    (r"\sqrt[3]{8}", 2),
    (r"1 + \sqrt[3]{2}", 1 + sympy.cbrt(2)),
    ("sqrt(2)", sqrt(2)),
    (r"\sqrt(2)", sqrt(2)),
    (r"2^{10}", 1024),
    ("2^10", 1024),
    (r"x^{-1}", 1 / x),
    (r"\pi", pi),
    (r"\infty", oo),
    ("e", E),
    ("e^{i\\pi}", -1),
    ("3+4i", 3 + 4 * I),
    (r"\frac{2}{25} - \frac{14}{25}i", Rational(2, 25) - Rational(14, 25) * I),
    ("1,000", 1000),
    (r"1{,}000", 1000),
    (r"3,\!110,\!400", 3110400),
    (r"111, \! 111, \! 111", 111111111),
    (r"2\frac{1}{3}", Rational(7, 3)),
    (r"3 \frac{3}{8}", Rational(27, 8)),
    (r"-2\frac{1}{2}", Rational(-5, 2)),
    ("1.2e5", 120000),
    (r"1.2 \times 10^{5}", 120000),
    ("0.5", Rational(1, 2)),
    (".25", Rational(1, 4)),
    ("73.0", 73),
    (r"1.\overline{234}", Rational(137, 111)),
    (r"0.\overline{3}", Rational(1, 3)),
    (r"2 \cdot 3", 6),
    (r"6 \div 4", Rational(3, 2)),
    (r"2 \times 3", 6),
    ("2x", 2 * x),
    ("xy^2", x * y**2),
    (r"\left( 1 + x \right)^2", (1 + x) ** 2),
    (r"5!", 120),
    (r"\binom{8}{4}", 70),
    (r"\dbinom{5}{2}", 10),
    (r"|-3|", 3),
    (r"\lfloor 2.5 \rfloor", 2),
    (r"\lceil 2.5 \rceil", 3),
    (r"\log_{2} 8", 3),
    (r"\ln e", 1),
    (r"\sin 30^\circ", Rational(1, 2)),
    (r"\cos 60^{\circ}", Rational(1, 2)),
    (r"\sin^2 x + \cos^2 x", sympy.sin(x) ** 2 + sympy.cos(x) ** 2),
    (r"\frac{\sin x}{x}", sympy.sin(x) / x),
    ("(x-2)(x-3)", (x - 2) * (x - 3)),
    ("**73**", 73),
    ("$73$", 73),
    (r"\(73\)", 73),
    (r"\boxed{73}", 73),
    (r"\$76.80", Rational(384, 5)),
    (r"\text{13}", 13),
    ("3:5", Rational(3, 5)),
])
def test_numbers_and_expressions(text, value):
    got = expr(text)
    assert got == value or sympy.simplify(got - value) == 0


@pytest.mark.parametrize("text, value, flag", [
    (r"40^\circ", 40, "degrees"),
    (r"135^{\circ}", 135, "degrees"),
    ("70\\%", 70, "percent"),
    ("70%", 70, "percent"),
])
def test_degrees_and_percent_keep_the_number_and_flag(text, value, flag):
    v = parse_answer(text)
    assert v.expr == value and getattr(v, flag)


@pytest.mark.parametrize("text, value, unit", [
    ("5 cm", 5, "cm"),
    (r"5\text{ dollars}", 5, "dollars"),
    (r"147\text{ cm}", 147, "cm"),
    (r"162\text{ minutes}", 162, "minutes"),
    (r"164 \pi \mbox{ square feet}", 164 * pi, "square feet"),
    (r"65 \text{ children tickets }", 65, "children tickets"),
])
def test_units_and_text_around_numbers(text, value, unit):
    v = parse_answer(text)
    assert v.expr == value and v.unit == unit


def test_intervals_and_unions():
    v = parse_answer(r"(-\infty, 2] \cup (3, 5)")
    assert isinstance(v, UnionValue)
    a, b = v.parts
    assert (a.start, a.end, a.left_open, a.right_open) == (-oo, 2, True, False)
    assert (b.start, b.end, b.left_open, b.right_open) == (3, 5, True, True)
    half = parse_answer("[2, 5)")
    assert isinstance(half, IntervalValue) and not half.left_open and half.right_open
    assert parse_answer(r"\left( -\infty, -\frac{7}{4} \right) \cup \left( -\frac{3}{2}, \infty \right)").kind == "union"


def test_sets_tuples_lists():
    s = parse_answer(r"\{1,2\}")
    assert isinstance(s, SeqValue) and s.kind == "set" and [i.expr for i in s.items] == [1, 2]
    t = parse_answer("(2, 3)")
    assert t.kind == "tuple" and [i.expr for i in t.items] == [2, 3]
    lst = parse_answer("2, 3")
    assert lst.kind == "list" and [i.expr for i in lst.items] == [2, 3]
    assert parse_answer("2 and 3").kind == "list"
    assert parse_answer(r"-4,-2,-1,1,2,4").kind == "list"
    assert parse_answer(r"\emptyset") == SeqValue("set", ())


def test_equations_and_inequalities():
    eq = parse_answer("x = 3")
    assert isinstance(eq, RelationValue) and eq.ops == ("=",) and eq.sides == (x, 3)
    assert parse_answer("3x-y+13=0").sides[0] == 3 * x - y + 13  # the equation is kept whole
    ineq = parse_answer(r"1 \le x < 4")
    assert ineq.ops == ("<=", "<") and ineq.sides == (1, x, 4)
    assert parse_answer(r"x \geq 2").ops == (">=",)
    inside = parse_answer(r"x \in [2, 5)")
    assert inside.ops == ("in",) and isinstance(inside.sides[1], IntervalValue)


def test_matrices():
    m = parse_answer(r"\begin{pmatrix} 1 \\ 2 \end{pmatrix}")
    assert isinstance(m, MatrixValue) and m.rows == ((1,), (2,))
    b = parse_answer(r"\begin{bmatrix} 1 & \frac{1}{2} \\ 0 & 3 \end{bmatrix}")
    assert b.rows == ((1, Rational(1, 2)), (0, 3))
    assert parse_answer(r"\mathbf{v} = \begin{pmatrix} 4/5 \\ 3/5 \end{pmatrix}").sides[1].rows == (
        (Rational(4, 5),), (Rational(3, 5),))


def test_plus_minus_expands_to_both_values():
    v = parse_answer(r"\pm 2021")
    assert v.kind == "list" and {i.expr for i in v.items} == {2021, -2021}
    roots = parse_answer(r"\frac{9 \pm i\sqrt{239}}{2}")
    assert {i.expr for i in roots.items} == {Rational(9, 2) + sqrt(239) * I / 2,
                                             Rational(9, 2) - sqrt(239) * I / 2}


@pytest.mark.parametrize("text, word", [
    (r"\text{Friday}", "Friday"), ("Sunday", "Sunday"), ("(C)", "C"), (r"\text{(B)}", "B"),
    ("BCEF", "BCEF"), (r"\text{neither}", "neither"), ("odd", "odd"),
    (r"\text{Softball, Kickball, Picnic}", "Softball, Kickball, Picnic"),
])
def test_word_answers(text, word):
    assert parse_answer(text) == TextValue(word)


def test_normalize_strips_surroundings_only():
    assert normalize(r"$\boxed{\frac{1}{2}}$.") == r"\frac{1}{2}"
    assert normalize("**73**") == "73"
    assert normalize(r"\$23{,}000") == r"\$23000"


def test_calculus_is_kept_unevaluated():
    assert parse_expression(r"\int x^2 \, dx") == sympy.Integral(x**2, x)
    assert parse_expression(r"\int_0^1 x \, dx") == sympy.Integral(x, (x, 0, 1))
    assert parse_expression(r"\frac{d}{dx} x^3") == sympy.Derivative(x**3, x)
    assert parse_expression(r"\lim_{x \to 0} \frac{\sin x}{x}") == sympy.Limit(sympy.sin(x) / x, x, 0, dir="+-")
    assert parse_expression("f(2)", functions=frozenset("f")) == sympy.Function("f")(2)


@pytest.mark.parametrize("text, reason", [
    ("2^{10^{10}}", "too large"),
    ("10000!", "too large"),
    ("(" * 100 + "1" + ")" * 100, "nested too deeply"),
    ("9" * 2000, "too long"),
    ("x" * 6000, "too long"),
    ("1/0", "division by zero"),
    (r"\frac{1}{0}", "division by zero"),
    (r"1, 2, \ldots", "ellipsis"),
    (r"\unknowncommand{3}", "unsupported command"),
    ("(1, 2]]", "unexpected"),
    ("{1", "expected '}'"),
    (r"\pm 1 \pm 2 \pm 3 \pm 4", "too many"),
])
def test_refusals_are_clear(text, reason):
    with pytest.raises(MathParseError, match=reason):
        parse_answer(text)


def test_never_evaluates_text_as_code():
    # Python-looking input is not executed: it is either math or a clear error
    for evil in ["__import__('os').system('echo hi')", "().__class__.__bases__", "lambda: 1"]:
        with pytest.raises(MathParseError):
            parse_answer(evil)


# ---- forms added for issue 11 ----------------------------------------------------------------
@pytest.mark.parametrize("text, value", [
    ("52_8", 42), ("52_{8}", 42), ("1011_2", 11), (r"\text{FF}_{16}", 255), ("11,\\!111,\\!100", 11111100),
    ("1{,}000", 1000), ("1\\,000", 1000), (".4", sympy.Rational(2, 5)), ("-.25", sympy.Rational(-1, 4)),
])
def test_numerals(text, value):
    v = parse_answer(text)
    assert isinstance(v, ExprValue) and v.expr == value


def test_a_digit_outside_the_base_is_no_numeral():
    with pytest.raises(MathParseError):
        parse_answer("19_8")


def test_text_e_is_eulers_number():
    assert parse_answer(r"\text{e}").expr == sympy.E


def test_function_definitions_keep_the_function():
    v = parse_answer("f(x) = x + 22")
    assert isinstance(v, RelationValue) and str(v.sides[0]) == "f(x)"
    v = parse_answer("3(x) + 1")  # no "=": a product, as before
    assert isinstance(v, ExprValue)
