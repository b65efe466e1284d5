"""The math engine's table of claim types (``decide.RULES``): it covers every type the
finders emit, an unknown type fails closed, and each rule has an example of its own that is
found as that type and decided."""
from __future__ import annotations

import ast
from pathlib import Path

import pytest

from verify import check
from verify.engines.base import Candidate, Context
from verify.engines.math import find_chains, find_steps
from verify.engines.math.decide import RULES, MathChecker
from verify.engines.math.statements import MathClaim
from verify.report import Span

MATH = Path(find_steps.__file__).parent
#: the modules that find claims (the deciders build claims of their own only to re-use a rule)
FINDERS = ("find_steps.py", "find_chains.py", "find_patterns.py", "chain_state.py", "statements.py", "stance.py")


def emitted_types() -> set[str]:
    """Every type a finder can emit: the literal first argument of each ``MathClaim(…)`` in
    the finder modules, and the kinds of the calculus-in-words patterns."""
    found = {kind for kind, _ in find_steps.NL_PATTERNS}
    for name in FINDERS:
        tree = ast.parse((MATH / name).read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Call) and getattr(node.func, "id", None) == "MathClaim":
                first = node.args[0] if node.args else None
                if isinstance(first, ast.Name) and first.id == "kind":
                    continue  # natural_language_claims: the NL_PATTERNS kinds, counted above
                assert isinstance(first, ast.Constant) and isinstance(first.value, str), \
                    f"{name}:{node.lineno}: a claim type must be a literal string"
                found.add(first.value)
    return found


def test_the_table_covers_every_type_the_finders_emit_and_nothing_else():
    assert emitted_types() == set(RULES)


def test_every_rule_names_its_finders_and_a_decider():
    for type_, rule in RULES.items():
        assert rule.type == type_
        assert rule.find and all(callable(f) for f in rule.find)
        assert callable(rule.decide)


def test_every_link_reader_is_in_the_order_and_emits_a_tabled_type():
    readers = {f for rule in RULES.values() for f in rule.find if f in find_chains.LINK_READERS}
    # the readers that only drop a link (no claim) are the ones the table does not name
    dropping = {find_chains.read_unreadable, find_chains.read_operand}
    assert readers | dropping == set(find_chains.LINK_READERS)


def test_an_unknown_claim_type_fails_closed():
    text = "x = 2"
    claim = MathClaim("no-such-type", text, 0, len(text))
    cand = Candidate(text=text, span=Span(0, len(text)), kind="math", payload=claim)
    (result,) = MathChecker().check([cand], Context())
    assert result.status == "unverified"
    assert "no-such-type" in result.explanation and result.detail.get("type") == "no-such-type"


#: one example per rule, written here: (question, answer, the status its claim of that type gets)
EXAMPLES: dict[str, tuple[str | None, str, str]] = {
    "integral": (None, "The integral of 4x^3 is x^4 + C.", "verified"),
    "derivative": (None, "The derivative of x^3 + 2x is 3x^2 + 1.", "refuted"),
    "limit": (None, "The limit of sin(x)/x as x approaches 0 is 1.", "verified"),
    "calculus": (None, "We get $\\frac{d}{dx} x^4 = 4x^3$.", "verified"),
    "evaluation": (None, "Let $f(x) = x^2 + 1$. Then $f(3) = 11$.", "refuted"),
    "identity": (None, "Expanding, $(x+2)^2 = x^2 + 4x + 4$.", "verified"),
    "given": ("Suppose $x + y = 5$ and $x - y = 1$. Find $x$.", "Adding the equations, $2x = 7$.", "refuted"),
    "numeric": (None, "So $\\frac{1}{2} + \\frac{1}{3} = \\frac{5}{6}$.", "verified"),
    "numeric-neq": (None, "Note that $2^3 \\neq 8$.", "refuted"),
    "numeric-order": (None, "Here $\\frac{7}{2} > 4$ holds.", "refuted"),
    "approx": (None, "So $\\frac{22}{7} \\approx 3.14$.", "verified"),
    "undefined": (None, "Then $\\frac{5}{2 - 2} = 3$.", "refuted"),
    "congruence": (None, "We have $7 \\cdot 3 \\equiv 1 \\pmod{5}$.", "verified"),
    "number-fact": (None, "The greatest common divisor of 12 and 18 is 6.", "verified"),
    "equation-step": (None, "We solve $3x + 1 = 10$, so $3x = 9$, so $x = 4$.", "refuted"),
    "system-step": (None, "We have $x + y = 7 \\implies 2x + 2y = 15$.", "refuted"),
    "inequality-step": (None, "We have $2x + 1 > 7$, so $2x > 6$.", "verified"),
    "target": ("Simplify $(x+1)^2 - x^2$.", "The answer is $\\boxed{2x + 1}$.", "verified"),
    "named-part": ("Simplify $(a+1)^2 + (a-1)^2$.", "So, the second part becomes $a^2 - 2a + 1$.", "verified"),
    "line-points": ("The points are A(0, 1) and B(2, 5). Find the equation of line AB.",
                    "The line through A and B: its equation is $y = 2x + 1$.", "verified"),
    "implication": (None, "$x + y > 2$, this means either $x > 2$ or $y > 2$.", "refuted"),
    "argument": (None, "Let $\\theta$ be the argument of $1 + i$. Then $\\theta = \\frac{\\pi}{4}$.", "verified"),
    "digit-formula": (None, "Let $d$ be the ones digit of $n$. Then the ones digit of $n + 10$ is $d$.", "verified"),
}


def test_every_rule_has_an_example():
    assert set(EXAMPLES) == set(RULES)


@pytest.mark.parametrize("type_", sorted(EXAMPLES))
def test_each_rule_finds_and_decides_its_example(type_):
    question, answer, status = EXAMPLES[type_]
    found = [c for c in check(answer, question=question, engines=("math",)).claims if c.detail.get("type") == type_]
    assert found, f"no {type_} claim found in {answer!r}"
    assert found[-1].status == status, [str(c) for c in found]
