"""Property tests: random expressions against exact Fraction evaluation, garbage that must
never crash or hang, and fail-closed behaviour with lying translators and broken engines."""
from __future__ import annotations

import time
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from verify.engines.arithmetic.engine import ArithmeticEngine
from verify.engines.base import Candidate, EngineError
from verify.pipeline import check
from verify.report import Claim, Evidence, Span
from verify.engines.arithmetic.evaluate import evaluate_text
from verify.engines.arithmetic.expr import ExpressionError, parse_relation
from verify.engines.arithmetic.translate import Translation, TranslationError, validate

FAST = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])


# --------------------------------------------------------------------------- expressions
@dataclass(frozen=True)
class Expr:
    text: str
    value: Fraction


def _leaf() -> st.SearchStrategy[Expr]:
    ints = st.integers(0, 2000).map(lambda n: Expr(str(n), Fraction(n)))
    decimals = st.tuples(st.integers(0, 500), st.integers(1, 99)).map(
        lambda t: Expr(f"{t[0]}.{t[1]:02d}", Fraction(f"{t[0]}.{t[1]:02d}")))
    return st.one_of(ints, ints, decimals)


@st.composite
def _node(draw, children):
    left, right = draw(children), draw(children)
    op = draw(st.sampled_from(["+", "-", "*", "/"]))
    if op == "/":
        assume(right.value != 0)
    value = {"+": left.value + right.value, "-": left.value - right.value,
             "*": left.value * right.value,
             "/": left.value / right.value if right.value else Fraction(0)}[op]
    symbol = draw(st.sampled_from({"+": ["+", "plus"], "-": ["-", "−", "minus"],
                                   "*": ["*", "×", "x", "times"], "/": ["/", "÷"]}[op]))
    space = draw(st.sampled_from([" ", " ", ""])) if symbol not in ("plus", "minus", "times", "x") \
        else " "
    wrap = lambda e: e.text if "(" not in e.text and " " not in e.text and not any(  # noqa: E731
        c in e.text for c in "+-−*×/÷x") else f"({e.text})"
    return Expr(f"{wrap(left)}{space}{symbol}{space}{wrap(right)}", value)


EXPRESSIONS = st.recursive(_leaf(), _node, max_leaves=6).filter(
    lambda e: any(c in e.text for c in "+-−*×/÷xpmt"))


def _exact_text(value: Fraction) -> str | None:
    """The value as an exact decimal, or None if it does not terminate in 8 places."""
    d = Decimal(value.numerator) / Decimal(value.denominator)
    q = d.quantize(Decimal("1e-8"))
    if Fraction(q) != value:
        return None
    text = format(q.normalize(), "f")
    return text


def _rounded_text(value: Fraction, places: int) -> str:
    d = Decimal(value.numerator) / Decimal(value.denominator)
    return format(d.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP), "f")


@FAST
@given(EXPRESSIONS)
def test_parser_agrees_with_exact_evaluation(expr):
    assert evaluate_text(expr.text) == expr.value


@FAST
@given(EXPRESSIONS)
def test_true_claims_are_verified(expr):
    exact = _exact_text(expr.value)
    claim = f"{expr.text} = {exact}" if exact is not None else \
        f"{expr.text} ≈ {_rounded_text(expr.value, 3)}"
    report = check(claim, engines=("arithmetic",))
    assert report.status == "verified", (claim, str(report))
    assert len(report.claims) == 1 and report.claims[0].evidence


@FAST
@given(EXPRESSIONS, st.integers(1, 50), st.booleans())
def test_perturbed_results_are_refuted_and_the_correction_round_trips(expr, delta, up):
    exact = _exact_text(expr.value)
    assume(exact is not None)
    places = len(exact.split(".")[1]) if "." in exact else 0
    wrong = expr.value + (delta if up else -delta) * Fraction(1, 10 ** places)
    wrong_text = _exact_text(wrong)
    claim = f"{expr.text} = {wrong_text}"
    report = check(claim, engines=("arithmetic",))
    assert report.status == "corrected", (claim, str(report))
    (refuted,) = report.refuted
    assert Fraction(refuted.correction.replace("−", "-")) == expr.value
    assert check(report.corrected_text, engines=("arithmetic",)).status == "verified"


@FAST
@given(st.lists(st.sampled_from(["+", "*"]), min_size=1, max_size=5),
       st.lists(st.integers(0, 99), min_size=6, max_size=6))
def test_precedence_without_parentheses(ops, numbers):
    text = str(numbers[0])
    value_terms = [Fraction(numbers[0])]
    for op, n in zip(ops, numbers[1:]):
        text += f" {'×' if op == '*' else '+'} {n}"
        if op == "*":
            value_terms[-1] *= n
        else:
            value_terms.append(Fraction(n))
    assert evaluate_text(text) == sum(value_terms)


# --------------------------------------------------------------------------- garbage
GARBAGE = st.lists(
    st.sampled_from(list("0123456789+-*/^=≈~().,%$€ xX×÷−½²√π\n")
                    + ["is ", "about ", "times ", "plus ", "of ", "off ", "percent ", "#### ",
                       "equals ", "2024-01-02", "10:30", "v1.2.3", "abc ", "1,000", "0.5"]),
    max_size=150).map("".join)


@settings(max_examples=500, deadline=None)
@given(GARBAGE)
def test_garbage_never_crashes_or_hangs(text):
    started = time.perf_counter()
    report = check(text, engines=("arithmetic",))
    assert time.perf_counter() - started < 2.0
    assert report.status in ("verified", "corrected", "flagged")
    for claim in report.claims:
        assert claim.status != "verified" or claim.evidence


@settings(max_examples=500, deadline=None)
@given(st.text(max_size=200))
def test_parser_raises_only_expression_error(text):
    for parse in (parse_relation, evaluate_text):
        try:
            parse(text)
        except ExpressionError:
            pass


@pytest.mark.parametrize("text", [
    "(" * 10_000 + "1" + ")" * 10_000 + " = 1",
    "(" * 300 + "1" + ")" * 300 + " = 1",
    "-" * 500 + "1 = 1",
    "1" * 100_000 + " + 1 = 2",
    "10^10^10 = 1",
    "9^9^9^9 = 1",
    " + ".join(["1"] * 5_000) + " = 5000",
])
def test_absurd_inputs_are_refused_quickly(text):
    started = time.perf_counter()
    with pytest.raises(ExpressionError):
        evaluate_text(text.split(" = ")[0])
    report = check(text, engines=("arithmetic",))
    assert time.perf_counter() - started < 5.0
    assert all(c.status != "verified" for c in report.claims)


# --------------------------------------------------------------------------- fail closed
FALSE_CLAIMS = st.tuples(st.integers(1, 999), st.integers(1, 999), st.sampled_from("+-*"),
                         st.integers(1, 50)).map(
    lambda t: (t[0], t[1], t[2], {"+": t[0] + t[1], "-": t[0] - t[1], "*": t[0] * t[1]}[t[2]]
               + t[3]))


class _Liar:
    """A translator that returns whatever it was given."""

    name = "liar"

    def __init__(self, output):
        self.output = output

    def translate(self, claim: str):
        if isinstance(self.output, Exception):
            raise self.output
        return self.output


LIES = st.one_of(
    st.builds(lambda a: Translation(f"{a} = {a}"), st.integers(0, 999)),          # tautology
    st.builds(lambda a, b: Translation(f"{a} + {b} = {a + b}"),                   # invented
              st.integers(0, 999), st.integers(0, 999)),
    st.builds(Translation, st.text(max_size=60)),                                 # garbage
    st.builds(lambda e: Translation(e, ("1", "2")), st.sampled_from(["1 + 2 = 3", "2 = 2"])),
    st.just(Translation("__import__('os').system('echo hacked') = 0")),
    st.just(Translation("1" * 5_000 + " = 1")),
    st.just(None),
    st.just("1 + 1 = 2"),
    st.just(RuntimeError("model server down")),
    st.just(TranslationError("no translation")),
    st.just(ExpressionError("bad")),
)


@settings(max_examples=200, deadline=None)
@given(FALSE_CLAIMS, LIES)
def test_a_lying_translator_never_makes_a_false_claim_verified(claim, lie):
    a, b, op, c = claim
    text = f"{a} {op} {b} = {c}"
    engine = ArithmeticEngine(translator=_Liar(lie))
    report = check(text, engines=(engine,))
    assert report.status != "verified"
    assert all(cl.status != "verified" for cl in report.claims)


@settings(max_examples=200, deadline=None)
@given(FALSE_CLAIMS, st.integers(1000, 10_000))
def test_validate_rejects_invented_and_dropped_operands(claim, invented):
    a, b, op, c = claim
    assume(invented not in (a, b, c))
    text = f"{a} {op} {b} = {c}"
    for lie in (f"{a} {op} {b} = {invented}", f"{a} {op} {b} = {a} {op} {b}",
                f"{a} {op} {invented} = {c}"):
        with pytest.raises(TranslationError):
            validate(Translation(lie), text)


class _BrokenEngine:
    """An engine that finds a claim and then fails in the chosen way."""

    name = "broken"

    def __init__(self, mode: str, exc: BaseException | None = None):
        self.mode, self.exc = mode, exc

    def find(self, text, ctx):
        if self.mode == "find":
            raise self.exc
        return [Candidate(text, Span(0, len(text)), "arithmetic")]

    def check(self, candidates, ctx):
        if self.mode == "check":
            raise self.exc
        if self.mode == "count":
            return []
        if self.mode == "type":
            return [{"status": "verified"} for _ in candidates]
        if self.mode == "extra":
            c = candidates[0]
            ok = Claim(c.text, c.span, "arithmetic", "verified", "x", "fine",
                       evidence=(Evidence("2 + 2 = 4"),))
            return [ok, ok]
        raise AssertionError(self.mode)


@settings(max_examples=60, deadline=None)
@given(st.sampled_from(["find", "check", "count", "type", "extra"]),
       st.sampled_from([ValueError("boom"), RuntimeError("down"), EngineError("refused"),
                        ZeroDivisionError("x"), RecursionError("deep"), KeyError("k"),
                        TimeoutError("slow")]),
       st.sampled_from(["strict", "lenient", "permissive"]))
def test_a_broken_engine_never_yields_verified(mode, exc, policy):
    report = check("2 + 2 = 4", engines=(_BrokenEngine(mode, exc),), policy=policy)
    assert report.status != "verified"
    assert all(c.status == "unverified" for c in report.claims)


def test_an_expired_deadline_yields_unverified_not_verified():
    report = check("2 + 2 = 4", engines=("arithmetic",), timeout=0)
    assert report.status == "flagged"
    assert [c.status for c in report.claims] == ["unverified"]
    assert "time limit" in report.claims[0].explanation


def test_verified_needs_evidence():
    with pytest.raises(ValueError):
        Claim("2 + 2 = 4", Span(0, 9), "arithmetic", "verified", "x", "trust me")


def test_long_answers_stay_linear():
    text = "Natalia sold 48/2 = 25 clips. She sold 48 + 25 = 73. " * 4000
    started = time.perf_counter()
    report = check(text, engines=("arithmetic",))
    assert time.perf_counter() - started < 20.0
    assert len(report.claims) == 8000 and report.status == "corrected"
